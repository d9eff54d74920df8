//! A report as a comparison: the terminal table, Markdown to paste into a document,
//! and CSV for a spreadsheet.

use std::fmt::Write as _;

use super::disruptions::{self, Table, per_year};
use super::{
    DisruptionReport, OptionReport, Report, Versus, Z_975, count, fixed, format_money, human_hours, percent_with_error,
};

/// Why an option costs what it does, in one sentence: its largest cost and the tier
/// behind its downtime.
pub(crate) fn why(option: &OptionReport) -> String {
    let mut parts = Vec::new();
    if let Some(cost) = &option.cost
        && cost.total.mean > 0.0
        && cost.total.mean.is_finite()
    {
        let (what, amount) = [
            ("infrastructure", cost.infrastructure),
            ("downtime", cost.downtime.mean),
            ("lost data", cost.data_loss.mean),
        ]
        .into_iter()
        .fold(("", f64::MIN), |best, next| if next.1 > best.1 { next } else { best });
        parts.push(format!(
            "{} % of its cost is {what}",
            fixed(100.0 * amount / cost.total.mean, 0)
        ));
    }
    let culprit = option
        .tiers
        .iter()
        .max_by(|a, b| a.downtime_share.total_cmp(&b.downtime_share))
        .filter(|t| t.downtime_share > 0.0);
    match culprit {
        Some(tier) => {
            let spof = if tier.replicas == 1 && tier.downtime_share >= 0.5 {
                ": a single point of failure"
            } else {
                ""
            };
            parts.push(format!(
                "{} % of its downtime comes from the {} tier ({}){spof}",
                fixed(100.0 * tier.downtime_share, 0),
                tier.name,
                count(tier.replicas.into(), "replica", "replicas")
            ));
        }
        None => parts.push("no downtime was seen".to_owned()),
    }
    if option.unrecoverable_events_per_year.mean > 0.0 {
        parts.push(format!(
            "it loses data for good {} times a year (no backup to restore)",
            per_year(option.unrecoverable_events_per_year.mean)
        ));
    }
    parts.join("; ")
}

/// The options in ranking order (the scenario's order when unranked), with their
/// rank (1-based) if ranked.
pub(crate) fn ranked(report: &Report) -> Vec<(Option<usize>, &OptionReport)> {
    if report.ranking.is_empty() {
        return report.options.iter().map(|o| (None, o)).collect();
    }
    report
        .ranking
        .iter()
        .enumerate()
        .filter_map(|(i, name)| report.option(name).map(|o| (Some(i + 1), o)))
        .collect()
}

/// An option against the recommended one on what the options are ranked by (cost,
/// else downtime): `+2,921,276 ± 44,940 USD` (the 95 % margin of the paired
/// difference), `recommended` for the recommended option, `-` when not compared.
pub(crate) fn versus_cell(report: &Report, option: &OptionReport) -> String {
    if report.recommendation.as_ref().is_some_and(|r| r.option == option.name) {
        return "recommended".to_owned();
    }
    let Some(versus) = &option.versus_recommended else {
        return "-".to_owned();
    };
    let signed = |x: f64, text: String| {
        if x < 0.0 {
            format!("-{text}")
        } else {
            format!("+{text}")
        }
    };
    match (&versus.cost_per_year, &option.cost) {
        (Some(d), Some(c)) => format!(
            "{} ± {}",
            signed(d.estimate.mean, format_money(d.estimate.mean.abs(), "")),
            format_money(Z_975 * d.estimate.std_error, &c.currency)
        ),
        _ => {
            let d = &versus.downtime_hours_per_year;
            format!(
                "{} ± {}",
                signed(d.estimate.mean, human_hours(d.estimate.mean.abs())),
                human_hours(Z_975 * d.estimate.std_error)
            )
        }
    }
}

/// What the paired differences are, for the reader who wonders why their margins are
/// so small: `None` when no option was set against the recommended one.
pub(crate) fn pairing_note(report: &Report) -> Option<String> {
    let compared: Vec<&Versus> = report
        .options
        .iter()
        .filter_map(|o| o.versus_recommended.as_ref())
        .collect();
    let first = compared.first()?;
    let ratios: Vec<f64> = compared
        .iter()
        .filter_map(|v| {
            v.cost_per_year
                .as_ref()
                .unwrap_or(&v.downtime_hours_per_year)
                .paired_to_unpaired()
        })
        .collect();
    let what = if first.cost_per_year.is_some() {
        "cost"
    } else {
        "downtime"
    };
    let mut note = format!(
        "Differences from the recommended option ({}) are paired: each option ran on the same {} simulated histories, \
         so the chance they share cancels",
        first.recommended,
        format_money(first.histories as f64, "")
    );
    if let (Some(low), Some(high)) = (
        ratios.iter().copied().reduce(f64::min),
        ratios.iter().copied().reduce(f64::max),
    ) {
        let range = if fixed(100.0 * low, 0) == fixed(100.0 * high, 0) {
            format!("{} %", fixed(100.0 * low, 0))
        } else {
            format!("{} to {} %", fixed(100.0 * low, 0), fixed(100.0 * high, 0))
        };
        let _ = write!(
            note,
            "; the margins of the {what} differences are {range} of what two independent runs would give"
        );
    }
    note.push('.');
    Some(note)
}

fn sla_cell(option: &OptionReport) -> String {
    option.sla.map_or_else(|| "-".to_owned(), |s| s.describe())
}

fn cost_cells(option: &OptionReport) -> (String, String) {
    option.cost.as_ref().map_or_else(
        || ("-".to_owned(), "-".to_owned()),
        |c| {
            (
                format_money(c.total.mean, &c.currency),
                format_money(c.total_p90, &c.currency),
            )
        },
    )
}

/// The settings and assumptions line under a title.
pub(crate) fn settings(report: &Report) -> String {
    let mut line = format!("{}, nines {}", report.run_description(), report.version);
    if let Some(precision) = report.precision {
        let _ = write!(line, ", stopping at ±{} % precision", fixed(100.0 * precision, 1));
    }
    if let Some(sla) = report.options.first().and_then(|o| o.sla) {
        let _ = write!(
            line,
            "; SLA: at most {} of downtime a year",
            human_hours(sla.budget_hours)
        );
    }
    if let Some(targets) = disruptions::targets(report) {
        let _ = write!(line, "; {targets}");
    }
    line
}

/// What "within RTO" and "within RPO" mean, in a sentence each, for the targets the
/// report has.
pub(crate) fn targets_note(report: &Report) -> String {
    let mut note = String::from(
        "Each outage belongs to the disruption that started it; data lost is per disruption, \
         zero for most.",
    );
    if let Some(rto) = report.rto_hours {
        let _ = write!(
            note,
            " Within RTO: the share of the outages the disruption started that lasted at most {}.",
            human_hours(rto)
        );
    }
    if let Some(rpo) = report.rpo_hours {
        let _ = write!(
            note,
            " Within RPO: the share of the disruptions that lost at most {} of data (a loss for good never is).",
            human_hours(rpo)
        );
    }
    note
}

/// Whether any option lost data for good.
fn losses_for_good(report: &Report) -> bool {
    report
        .options
        .iter()
        .any(|o| o.unrecoverable_events_per_year.mean > 0.0)
}

impl Report {
    /// The comparison a person reads on a terminal: one line per option, cheapest
    /// first, the recommendation and why each option costs what it does.
    ///
    /// When the options had more than one class of disruption, a recovery objective or
    /// data lost, a table of what each class did follows, as in the
    /// [`Display`](std::fmt::Display) table.
    pub fn comparison_table(&self) -> String {
        self.comparison(true)
    }

    /// The comparison, with the disruptions table or without (the `Display` table
    /// shows them per option already).
    pub(crate) fn comparison(&self, with_disruptions: bool) -> String {
        // The losses-for-good column only when some option has them.
        let for_good = losses_for_good(self);
        let compared = self.options.iter().any(|o| o.versus_recommended.is_some());
        let rows: Vec<Vec<String>> = ranked(self)
            .into_iter()
            .map(|(rank, o)| {
                let (total, p90) = cost_cells(o);
                let mut row = vec![
                    rank.map_or_else(String::new, |r| r.to_string()),
                    o.name.clone(),
                    percent_with_error(&o.availability),
                    human_hours(o.downtime_hours_per_year.mean),
                    human_hours(o.data_loss_hours_per_year.mean),
                ];
                if for_good {
                    row.push(per_year(o.unrecoverable_events_per_year.mean));
                }
                row.extend([total, p90]);
                if compared {
                    row.push(versus_cell(self, o));
                }
                row.push(sla_cell(o));
                row
            })
            .collect();
        let mut header = vec!["rank", "option", "availability", "down / year", "data lost / year"];
        if for_good {
            header.push("lost for good / year");
        }
        header.extend(["cost / year", "P90 year"]);
        if compared {
            header.push("vs recommended (95 %)");
        }
        header.push("SLA");
        let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let last = header.len() - 1;
        let line = |cells: &[String]| {
            let mut text = String::from(" ");
            for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
                let pad = width - cell.chars().count();
                if i == 1 || i == last {
                    let _ = write!(text, " {cell}{}", " ".repeat(pad));
                } else {
                    let _ = write!(text, " {}{cell}", " ".repeat(pad));
                }
                text.push(' ');
            }
            text.trim_end().to_owned() + "\n"
        };
        let mut out = format!("{}: {}\n\n", self.scenario, settings(self));
        out += &line(&header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
        for row in &rows {
            out += &line(row);
        }
        if let Some(note) = pairing_note(self) {
            let _ = write!(out, "\n{note}\n");
        }
        if let Some(r) = &self.recommendation {
            let _ = write!(out, "\nRecommended: {}: {}.\n", r.option, r.reason);
        }
        let _ = writeln!(out, "\n{}:", self.why_heading());
        for (_, o) in ranked(self) {
            let _ = writeln!(out, "  {}: {}.", o.name, why(o));
        }
        if with_disruptions && disruptions::any_shown(self) {
            let options: Vec<&OptionReport> = ranked(self).into_iter().map(|(_, o)| o).collect();
            out += "\nWhat each kind of disruption did:\n\n";
            out += &Table::new(self, &options, true).text("  ");
        }
        out += &self.warnings_text();
        out
    }

    /// The comparison as Markdown, ready to paste into a report. When the options had
    /// more than one class of disruption, a recovery objective or data lost, a table
    /// of what each class did follows (one row per option and class), with what
    /// "within RTO" and "within RPO" mean; and for each option with its
    /// [`OptionReport::importance`], the ranked table of its components.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("## {}\n\n_{}._\n\n", self.scenario, settings(self));
        for warning in &self.warnings {
            let _ = writeln!(out, "> **Warning:** {warning}.\n");
        }
        let currency = self
            .options
            .iter()
            .find_map(|o| o.cost.as_ref())
            .map(|c| c.currency.clone())
            .unwrap_or_default();
        let costed = self.options.iter().any(|o| o.cost.is_some());
        let compared = self.options.iter().any(|o| o.versus_recommended.is_some());
        out += "| rank | option | availability | downtime / year (mean) | P99 year | data lost / year | losses for good / year |";
        if costed {
            out += " infrastructure | downtime cost | data-loss cost | total / year | P90 year |";
        }
        if compared {
            out += " vs recommended (95 %) |";
        }
        out += " SLA |\n|---:|---|---:|---:|---:|---:|---:|";
        if costed {
            out += "---:|---:|---:|---:|---:|";
        }
        if compared {
            out += "---:|";
        }
        out += "---|\n";
        for (rank, o) in ranked(self) {
            let recommended = self.recommendation.as_ref().is_some_and(|r| r.option == o.name);
            let name = if recommended {
                format!("**{}**", o.name)
            } else {
                o.name.clone()
            };
            let _ = write!(
                out,
                "| {} | {name} | {} | {} | {} | {} | {} |",
                rank.map_or_else(String::new, |r| r.to_string()),
                percent_with_error(&o.availability),
                human_hours(o.downtime_hours_per_year.mean),
                human_hours(o.downtime_hours_per_year.p99),
                human_hours(o.data_loss_hours_per_year.mean),
                per_year(o.unrecoverable_events_per_year.mean)
            );
            if costed {
                match &o.cost {
                    Some(c) => {
                        let _ = write!(
                            out,
                            " {} | {} | {} | {} | {} |",
                            format_money(c.infrastructure, &currency),
                            format_money(c.downtime.mean, &currency),
                            format_money(c.data_loss.mean, &currency),
                            format_money(c.total.mean, &currency),
                            format_money(c.total_p90, &currency)
                        );
                    }
                    None => out += " - | - | - | - | - |",
                }
            }
            if compared {
                let _ = write!(out, " {} |", versus_cell(self, o));
            }
            let _ = writeln!(out, " {} |", sla_cell(o));
        }
        if let Some(note) = pairing_note(self) {
            let _ = writeln!(out, "\n_{note}_");
        }
        if let Some(r) = &self.recommendation {
            let _ = write!(out, "\n**Recommended: {}**: {}.\n", r.option, r.reason);
        }
        out += "\n";
        for (_, o) in ranked(self) {
            let _ = writeln!(out, "- _{}_: {}.", o.name, why(o));
        }
        if disruptions::any_shown(self) {
            out += "\n### What each kind of disruption did\n\n";
            let _ = writeln!(out, "_{}_\n", targets_note(self));
            let options: Vec<&OptionReport> = ranked(self).into_iter().map(|(_, o)| o).collect();
            let table = Table::new(self, &options, options.len() > 1);
            let heading = |c: &disruptions::Column| c.heading();
            let _ = writeln!(
                out,
                "| {} |",
                table.columns.iter().map(heading).collect::<Vec<_>>().join(" | ")
            );
            let rule = |c: &disruptions::Column| if c.text { "---" } else { "---:" };
            let _ = writeln!(
                out,
                "|{}|",
                table.columns.iter().map(rule).collect::<Vec<_>>().join("|")
            );
            for (_, cells) in &table.rows {
                let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
        }
        for o in self.options.iter().filter(|o| o.importance.is_some()) {
            write_markdown_importance(&mut out, o);
        }
        out += "\nAvailability is shown with its 95 % confidence interval. Costs are expected values per year; \
                the P90 year is the yearly total exceeded one year in ten. Each option was simulated on the same \
                random numbers, and the margins against the recommended option are those of the paired \
                differences, year by simulated year (the note under the table says how much the pairing narrowed \
                them).\n";
        out
    }

    /// One CSV row per option (the scenario's order), with a header row.
    ///
    /// The `vs_recommended_*` columns hold the option's paired difference from the
    /// recommended one ([`OptionReport::versus_recommended`]) in cost and downtime per
    /// year, with its paired and unpaired standard errors; empty for the recommended
    /// option itself and when there is no comparison.
    ///
    /// The header is the same for every report: after the option's own figures come,
    /// for each class of disruption in [`DisruptionReport::CLASSES`]' order, with its
    /// name's spaces made underscores (`site_outage`, `tier-wide_failure`), the columns
    /// `<class>_events_per_year`, `<class>_outage_hours_mean`,
    /// `<class>_outage_hours_p95`, `<class>_within_rto`, `<class>_data_loss_hours_mean`
    /// and `<class>_within_rpo`, as in [`DisruptionReport`]. A cell is empty when the
    /// option had no disruption of the class, when the report has no RTO (or RPO),
    /// and where there is nothing to measure: the outage durations and the share
    /// within the RTO of a class that started no outage.
    pub fn to_csv(&self) -> String {
        let header = [
            "option",
            "rank",
            "recommended",
            "replications",
            "availability",
            "availability_std_error",
            "availability_excluding_planned",
            "nines",
            "downtime_hours_per_year_mean",
            "downtime_hours_per_year_p50",
            "downtime_hours_per_year_p90",
            "downtime_hours_per_year_p99",
            "downtime_hours_per_year_max",
            "downtime_hours_per_year_planned",
            "downtime_hours_per_year_unplanned",
            "outages_per_year",
            "unplanned_outages_per_year",
            "outage_duration_hours_mean",
            "data_loss_hours_per_year_mean",
            "data_loss_hours_per_year_p99",
            "data_loss_max_single_event_hours",
            "restore_events_per_year",
            "unrecoverable_events_per_year",
            "unrecoverable_probability",
            "failover_demands_per_year",
            "failover_failed_per_year",
            "latent_found_per_year",
            "cross_site_switchovers_per_year",
            "cross_site_dead_standby_per_year",
            "currency",
            "cost_infrastructure",
            "cost_downtime",
            "cost_data_loss",
            "cost_unrecoverable",
            "cost_total",
            "cost_total_std_error",
            "cost_total_p90",
            "sla_budget_hours",
            "sla_breach_probability",
            "sla_met",
            "sla_excludes_planned",
            "vs_recommended_cost",
            "vs_recommended_cost_std_error",
            "vs_recommended_cost_unpaired_std_error",
            "vs_recommended_downtime_hours",
            "vs_recommended_downtime_std_error",
            "vs_recommended_downtime_unpaired_std_error",
        ];
        let mut header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        for class in DisruptionReport::CLASSES {
            let class = class.replace(' ', "_");
            header.extend(CLASS_COLUMNS.iter().map(|column| format!("{class}_{column}")));
        }
        let mut out = header.join(",") + "\n";
        let number = csv_number;
        for o in &self.options {
            let rank = self
                .ranking
                .iter()
                .position(|n| n == &o.name)
                .map(|r| (r + 1).to_string());
            let recommended = self.recommendation.as_ref().is_some_and(|r| r.option == o.name);
            let mut cells = vec![
                csv_field(&o.name),
                rank.unwrap_or_default(),
                recommended.to_string(),
                o.replications.to_string(),
                number(o.availability.mean),
                number(o.availability.std_error),
                number(o.availability.excluding_planned.mean),
                o.nines.map(number).unwrap_or_default(),
                number(o.downtime_hours_per_year.mean),
                number(o.downtime_hours_per_year.p50),
                number(o.downtime_hours_per_year.p90),
                number(o.downtime_hours_per_year.p99),
                number(o.downtime_hours_per_year.max),
                number(o.downtime_hours_per_year.planned.mean),
                number(o.downtime_hours_per_year.unplanned.mean),
                number(o.outages_per_year.mean),
                number(o.unplanned_outages_per_year.mean),
                number(o.outage_duration_hours.mean),
                number(o.data_loss_hours_per_year.mean),
                number(o.data_loss_hours_per_year.p99),
                number(o.data_loss_hours_per_year.max_single_event),
                number(o.restore_events_per_year.mean),
                number(o.unrecoverable_events_per_year.mean),
                number(o.unrecoverable_probability.mean),
                number(o.failover.demands_per_year),
                number(o.failover.failed_per_year),
                number(o.failover.latent_found_per_year),
                number(o.failover.cross_site.switchovers_per_year),
                number(o.failover.cross_site.dead_standby_per_year),
            ];
            match &o.cost {
                Some(c) => cells.extend([
                    csv_field(&c.currency),
                    number(c.infrastructure),
                    number(c.downtime.mean),
                    number(c.data_loss.mean),
                    number(c.unrecoverable.mean),
                    number(c.total.mean),
                    number(c.total.std_error),
                    number(c.total_p90),
                ]),
                None => cells.extend(std::iter::repeat_n(String::new(), 8)),
            }
            match &o.sla {
                Some(s) => cells.extend([
                    number(s.budget_hours),
                    number(s.breach_probability.mean),
                    s.met.to_string(),
                    s.excludes_planned.to_string(),
                ]),
                None => cells.extend(std::iter::repeat_n(String::new(), 4)),
            }
            let versus = o.versus_recommended.as_ref();
            for difference in [
                versus.and_then(|v| v.cost_per_year.as_ref()),
                versus.map(|v| &v.downtime_hours_per_year),
            ] {
                match difference {
                    Some(d) => cells.extend([
                        number(d.estimate.mean),
                        number(d.estimate.std_error),
                        number(d.unpaired_std_error),
                    ]),
                    None => cells.extend(std::iter::repeat_n(String::new(), 3)),
                }
            }
            for class in DisruptionReport::CLASSES {
                match o.disruptions.iter().find(|d| d.class == class) {
                    Some(d) => cells.extend(class_cells(d)),
                    None => cells.extend(std::iter::repeat_n(String::new(), CLASS_COLUMNS.len())),
                }
            }
            out += &cells.join(",");
            out.push('\n');
        }
        out
    }
}

/// The CSV's columns for each class of disruption, after the class's name.
const CLASS_COLUMNS: [&str; 6] = [
    "events_per_year",
    "outage_hours_mean",
    "outage_hours_p95",
    "within_rto",
    "data_loss_hours_mean",
    "within_rpo",
];

/// A class's cells, in [`CLASS_COLUMNS`]' order: the report's values, empty where it
/// has none (no RTO or RPO) and where there is nothing to measure (the durations and
/// the share within the RTO of a class that started no outage; the share within the
/// RPO of a class with no disruption in the measured windows).
fn class_cells(d: &DisruptionReport) -> [String; 6] {
    let started = d.outages > 0;
    let when = |measured: bool, value: Option<f64>| value.filter(|_| measured).map(csv_number).unwrap_or_default();
    [
        csv_number(d.events_per_year),
        when(started, Some(d.outage_hours.mean)),
        when(started, Some(d.outage_hours.p95)),
        when(started, d.within_rto),
        csv_number(d.data_loss_hours.mean),
        when(d.events_per_year > 0.0, d.within_rpo),
    ]
}

/// A number for CSV in full precision: empty for NaN or ±∞ (never `NaN` or `inf`), with
/// an exponent outside 1e-6 to 1e15 (never hundreds of digits).
fn csv_number(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() {
        String::new()
    } else if magnitude == 0.0 || (1e-6..1e15).contains(&magnitude) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The cells of one component's row in the tables of single points of failure, as
/// text, each value with its 95 % margin apart: the Markdown and HTML tables set them
/// in their own markup.
pub(crate) struct ImportanceCells {
    /// Its own unavailability, as a percentage with its margin.
    pub(crate) unavailability: String,
    /// That unavailability in hours of a year.
    pub(crate) own_a_year: String,
    /// Its share of the service's downtime \[%\] and the margin.
    pub(crate) share: [String; 2],
    /// The downtime a year it would remove and the margin.
    pub(crate) removed: [String; 2],
    /// What that is worth a year and the margin (no currency), when priced.
    pub(crate) worth: Option<[String; 2]>,
}

impl ImportanceCells {
    pub(crate) fn of(item: &crate::Importance) -> ImportanceCells {
        let u = &item.unavailability;
        let share = &item.share_of_downtime;
        let removed = &item.downtime_removed_hours_per_year;
        ImportanceCells {
            unavailability: percent_with_error(u),
            own_a_year: human_hours(u.mean * crate::HOURS_PER_YEAR),
            share: [fixed(100.0 * share.mean, 1), fixed(100.0 * Z_975 * share.std_error, 1)],
            removed: [human_hours(removed.mean), human_hours(Z_975 * removed.std_error)],
            worth: item
                .cost_removed_per_year
                .map(|cost| [format_money(cost.mean, ""), format_money(Z_975 * cost.std_error, "")]),
        }
    }
}

/// An option's components ranked by the downtime each would remove, as a Markdown
/// table.
fn write_markdown_importance(out: &mut String, option: &OptionReport) {
    let Some(items) = &option.importance else { return };
    let currency = option.cost.as_ref().map(|c| c.currency.as_str());
    let _ = writeln!(
        out,
        "\n### Single points of failure: {}\n",
        option.name.replace('|', "\\|")
    );
    out.push_str(
        "| rank | component | kind | single point of failure | own unavailability | share of the downtime | \
         downtime removed / year |",
    );
    if let Some(currency) = currency {
        let _ = write!(out, " worth / year [{currency}] |");
    }
    out.push_str("\n|---:|---|---|---|---:|---:|---:|");
    if currency.is_some() {
        out.push_str("---:|");
    }
    out.push('\n');
    for (rank, item) in items.iter().enumerate() {
        let cells = ImportanceCells::of(item);
        let _ = write!(
            out,
            "| {} | {} | {} | {} | {} | {} % ± {} % | {} ± {} |",
            rank + 1,
            item.component.replace('|', "\\|"),
            item.kind,
            if item.single_point_of_failure { "**yes**" } else { "no" },
            cells.unavailability,
            cells.share[0],
            cells.share[1],
            cells.removed[0],
            cells.removed[1]
        );
        if currency.is_some() {
            match &cells.worth {
                Some([worth, margin]) => {
                    let _ = write!(out, " {worth} ± {margin} |");
                }
                None => out.push_str(" - |"),
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("failover, drilled"), "\"failover, drilled\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
