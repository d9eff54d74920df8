//! The report as one self-contained HTML page: the comparison, the recommendation and
//! why, the charts (inline SVG, no network) and the scenario's assumptions.

use std::fmt::Write as _;

use crate::chart::Chart;
use crate::model::Tier;
use crate::report::format::why;
use crate::report::{
    OptionReport, Report, SlaVerdict, count, disruptions, fixed, format, format_money, human_horizon, human_hours,
    percent_with_error,
};
use crate::scenario::Scenario;

const STYLE: &str = "
body { font-family: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; color: #1d2433; max-width: 1280px;
       margin: 2em auto; padding: 0 1.5em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.1em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #d5dae3; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
.settings { color: #5b6475; margin-top: 0; }
.recommendation { background: #eef6ee; border-left: 5px solid #2e7d32; padding: 0.8em 1.1em; margin: 1.5em 0; }
.recommendation strong { font-size: 1.1em; }
.warning { background: #fff4e5; border-left: 5px solid #b26a00; padding: 0.6em 1.1em; margin: 1em 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; margin: 0.6em 0 1em; }
th, td { padding: 0.35em 0.6em; border-bottom: 1px solid #e3e7ee; text-align: right; vertical-align: top; }
td { white-space: nowrap; }
td.name { white-space: normal; min-width: 11em; }
td.sla { white-space: normal; min-width: 8em; text-align: left; }
.scroll { overflow-x: auto; }
small { color: #5b6475; }
th { background: #f3f5f9; font-weight: 600; }
td.name, th.name { text-align: left; }
tr.recommended td { background: #f1f8f1; font-weight: 600; }
.met { color: #2e7d32; } .unclear { color: #b26a00; font-weight: 600; } .missed { color: #c62828; font-weight: 600; }
figure { margin: 1.5em 0; } figure svg, figure img { width: 100%; height: auto; max-width: 1000px; }
figcaption { color: #5b6475; font-size: 0.9em; }
ul.why li { margin-bottom: 0.3em; }
.note { color: #5b6475; font-size: 0.88em; }
code { background: #f3f5f9; padding: 0 0.25em; border-radius: 3px; }
table.disruptions { font-size: 0.84em; }
table.disruptions th, table.disruptions td { padding: 0.3em 0.45em; }
table.disruptions td.class { text-align: left; }
table.importance td.name { min-width: 6em; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 9pt; line-height: 1.35; }
  h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 1.2em; break-after: avoid; }
  h3 { break-after: avoid; }
  .scroll { overflow: visible; }
  table { font-size: 8pt; } table.disruptions { font-size: 7pt; }
  td { white-space: normal; }
  tr, figure, .recommendation, .warning { break-inside: avoid; }
  figure img { max-width: 100%; }
  .recommendation, .warning, th, tr.recommended td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG document ready to inline: without its XML declaration.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(start) => &svg[start..],
        None => svg,
    }
}

fn sla_cell(option: &OptionReport) -> String {
    let Some(sla) = option.sla else {
        return "–".to_owned();
    };
    let (class, verdict) = match sla.verdict {
        SlaVerdict::Met if sla.breach_probability.mean == 0.0 => ("met", "met every year"),
        SlaVerdict::Met => ("met", "met on average"),
        SlaVerdict::TooCloseToCall => ("unclear", "too close to call"),
        _ => ("missed", "missed on average"),
    };
    format!(
        "<span class=\"{class}\">{verdict}</span><br><small>{} % of years over budget</small>",
        fixed(100.0 * sla.breach_probability.mean, 1)
    )
}

impl Report {
    /// The report as one self-contained HTML page (no network access needed to read
    /// it): the comparison table, the recommendation and why, what each class of
    /// disruption did against the RTO and RPO (when the options had more than one
    /// class, an objective or data lost; the `recovery` chart, if among `charts`, is
    /// shown there), where the single points of failure are (when an option has its
    /// [`OptionReport::importance`]: the ranked table of its components, with the
    /// `importance` chart if among `charts`), `charts` inline, and, given the
    /// `scenario` it came from, its assumptions (settings, costs, each option's tiers
    /// and failure modes). Without the `charts` feature no [`Chart`] can be drawn: pass
    /// `&[]` and the page has its tables and no charts.
    pub fn to_html(&self, scenario: Option<&Scenario>, charts: &[Chart]) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{} — nines report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            escape(&self.scenario)
        );
        let _ = writeln!(out, "<h1>{}</h1>", escape(&self.scenario));
        if let Some(description) = scenario.and_then(Scenario::description) {
            let _ = writeln!(out, "<p>{}</p>", escape(description));
        }
        let _ = writeln!(out, "<p class=\"settings\">{}</p>", escape(&format::settings(self)));
        for warning in &self.warnings {
            let _ = writeln!(out, "<div class=\"warning\">Warning: {}.</div>", escape(warning));
        }
        if let Some(r) = &self.recommendation {
            let _ = writeln!(
                out,
                "<div class=\"recommendation\">Recommended: <strong>{}</strong><br>{}.</div>",
                escape(&r.option),
                escape(&r.reason)
            );
        }
        self.write_html_table(&mut out);
        let _ = writeln!(out, "<h2>{}</h2>\n<ul class=\"why\">", self.why_heading());
        for (_, option) in format::ranked(self) {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>: {}.</li>",
                escape(&option.name),
                escape(&why(option))
            );
        }
        let _ = writeln!(out, "</ul>");
        // The recovery chart belongs with the disruptions table, when there is one.
        let recovery = charts.iter().find(|c| c.name() == "recovery");
        let shown = disruptions::any_shown(self);
        if shown {
            self.write_html_disruptions(&mut out, recovery);
        }
        // So does the importance chart with its table.
        let importance = charts.iter().find(|c| c.name() == "importance");
        let ranked = self.options.iter().any(|o| o.importance.is_some());
        if ranked {
            self.write_html_importance(&mut out, importance);
        }
        let rest: Vec<&Chart> = charts
            .iter()
            .filter(|c| !((shown && c.name() == "recovery") || (ranked && c.name() == "importance")))
            .collect();
        if !rest.is_empty() {
            let _ = writeln!(out, "<h2>Charts</h2>");
            for chart in rest {
                figure(&mut out, chart);
            }
        }
        if let Some(scenario) = scenario {
            write_assumptions(&mut out, scenario);
        }
        let start = match self.start {
            crate::Start::New => "each starting with everything new and working".to_owned(),
            crate::Start::Steady => format!(
                "each a year of a system in service: every history first ran a warm-up of {} that was simulated \
                 but not measured, so standbys may have died silently and replicas have their ages",
                human_horizon(self.warm_up_hours)
            ),
        };
        let _ = writeln!(
            out,
            "<h2>How to read this</h2>\n<p class=\"note\">Each option was simulated for {} year{} ({}) on the \
             same random numbers, so differences between options are not noise. Availability is shown with its \
             95 % confidence interval. Downtime and data lost are means per year; the P99 year is the downtime \
             exceeded one year in a hundred. Costs are expected values per year; the P90 year is the yearly total \
             exceeded one year in ten. An option meets the SLA on average when the 95 % interval of its expected \
             downtime is within the budget (too close to call when the budget is inside it); an SLA is judged \
             year by year, so the share of years over budget is shown beside: met on average is not met every \
             year. Data lost is the time from the backup restored to \
             each destruction of data; a destruction that no backup brings back is a loss for good, counted apart \
             and priced per loss. Produced by nines {}, seed {}.</p>",
            self.replications,
            if self.replications == 1 { "" } else { "s" },
            escape(&start),
            escape(&self.version),
            self.seed
        );
        out.push_str("</body>\n</html>\n");
        out
    }

    /// What each class of disruption did: the targets, the table (one row per option
    /// and class, the option's name spanning its rows) and the recovery chart.
    fn write_html_disruptions(&self, out: &mut String, chart: Option<&Chart>) {
        let _ = writeln!(out, "<h2>Disruptions</h2>");
        let targets = disruptions::targets(self).map_or_else(
            || "No recovery time or recovery point objective was set.".to_owned(),
            |t| format!("Objectives: <strong>{}</strong>.", escape(&t)),
        );
        let _ = writeln!(
            out,
            "<p>{targets} <span class=\"note\">{}</span></p>",
            escape(&format::targets_note(self))
        );
        let options: Vec<&OptionReport> = format::ranked(self).into_iter().map(|(_, o)| o).collect();
        let several = options.len() > 1;
        let table = disruptions::Table::new(self, &options, several);
        out.push_str("<div class=\"scroll\">\n<table class=\"disruptions\">\n<tr>");
        for column in &table.columns {
            let class = if column.text { " class=\"name\"" } else { "" };
            let _ = write!(out, "<th{class}>{}</th>", escape(&column.heading()));
        }
        out.push_str("</tr>\n");
        for (k, (option, cells)) in table.rows.iter().enumerate() {
            let first = k == 0 || table.rows[k - 1].0 != *option;
            let span = table.rows.iter().filter(|(o, _)| o == option).count();
            out.push_str("<tr>");
            for (i, (cell, column)) in cells.iter().zip(&table.columns).enumerate() {
                if several && i == 0 {
                    if first {
                        let _ = write!(out, "<td class=\"name\" rowspan=\"{span}\">{}</td>", escape(cell));
                    }
                } else if column.text {
                    let _ = write!(out, "<td class=\"class\">{}</td>", escape(cell));
                } else {
                    let _ = write!(out, "<td>{}</td>", escape(cell));
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n</div>\n");
        if let Some(chart) = chart {
            figure(out, chart);
        }
    }

    /// Where the single points of failure are: per option with its importance, the
    /// ranked table of its components, then the importance chart.
    fn write_html_importance(&self, out: &mut String, chart: Option<&Chart>) {
        let _ = writeln!(
            out,
            "<h2>Single points of failure</h2>\n<p class=\"note\">Each component that can fail, ranked by the \
             downtime a year the service would not have if it never failed: the model run again with the \
             component perfect, history by history on the same random numbers, so the difference (± its 95 % \
             interval) is far more precise than two separate runs would make it. A single point of failure is a \
             component one failure of which takes the service down. Its own unavailability counts the time it \
             was down of its own accord, planned work included (not while something it stands on was down); \
             perfecting it keeps its planned work. Its share of the downtime \
             splits each moment the service was down equally among the components down of their own accord \
             then.</p>"
        );
        let several = self.options.iter().filter(|o| o.importance.is_some()).count() > 1;
        for option in &self.options {
            let Some(items) = &option.importance else { continue };
            if several {
                let _ = writeln!(out, "<h3>{}</h3>", escape(&option.name));
            }
            let currency = option.cost.as_ref().map(|c| c.currency.as_str());
            let _ = write!(
                out,
                "<div class=\"scroll\">\n<table class=\"importance\">\n<tr><th>rank</th><th class=\"name\">component</th>\
                 <th class=\"name\">kind</th><th class=\"name\">single point of failure</th>\
                 <th>own unavailability</th><th>share of the downtime</th><th>downtime removed / year</th>"
            );
            if let Some(currency) = currency {
                let _ = write!(out, "<th>worth / year [{}]</th>", escape(currency));
            }
            out.push_str("</tr>\n");
            if items.is_empty() {
                let columns = if currency.is_some() { 8 } else { 7 };
                let _ = writeln!(
                    out,
                    "<tr><td class=\"name\" colspan=\"{columns}\">Nothing in this option can fail.</td></tr>"
                );
            }
            for (rank, item) in items.iter().enumerate() {
                let spof = if item.single_point_of_failure {
                    "<span class=\"missed\">yes</span>"
                } else {
                    "no"
                };
                let cells = format::ImportanceCells::of(item);
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td><td class=\"name\">{spof}</td>\
                     <td>{}<br><small>{} a year</small></td><td>{} %<br><small>± {} %</small></td>\
                     <td>{}<br><small>± {}</small></td>",
                    rank + 1,
                    escape(&item.component),
                    escape(&item.kind),
                    escape(&cells.unavailability),
                    cells.own_a_year,
                    cells.share[0],
                    cells.share[1],
                    cells.removed[0],
                    cells.removed[1]
                );
                if currency.is_some() {
                    match &cells.worth {
                        Some([worth, margin]) => {
                            let _ = write!(out, "<td>{worth}<br><small>± {margin}</small></td>");
                        }
                        None => out.push_str("<td>–</td>"),
                    }
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n</div>\n");
        }
        if let Some(chart) = chart {
            figure(out, chart);
        }
    }

    fn write_html_table(&self, out: &mut String) {
        let row_start = |out: &mut String, rank: Option<usize>, option: &OptionReport| {
            let recommended = self.recommendation.as_ref().is_some_and(|r| r.option == option.name);
            let _ = write!(
                out,
                "<tr{}><td>{}</td><td class=\"name\">{}</td>",
                if recommended { " class=\"recommended\"" } else { "" },
                rank.map_or_else(String::new, |r| r.to_string()),
                escape(&option.name)
            );
        };
        // The planned part of the downtime, when some option has any.
        let planned = self
            .options
            .iter()
            .any(|o| o.downtime_hours_per_year.planned.mean > 0.0);
        let _ = writeln!(
            out,
            "<h2>Options compared</h2>\n<div class=\"scroll\">\n<table>\n<tr><th>rank</th><th class=\"name\">option</th>\
             <th>availability</th><th>downtime / year</th>{}<th>P99 year</th><th>data lost / year</th>\
             <th>losses for good / year</th><th class=\"name\">SLA</th></tr>",
            if planned { "<th>of which planned</th>" } else { "" }
        );
        for (rank, option) in format::ranked(self) {
            row_start(out, rank, option);
            let planned_cell = if planned {
                format!("<td>{}</td>", human_hours(option.downtime_hours_per_year.planned.mean))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "<td>{}</td><td>{}</td>{planned_cell}<td>{}</td><td>{}</td><td>{}</td><td class=\"sla\">{}</td></tr>",
                escape(&percent_with_error(&option.availability)),
                human_hours(option.downtime_hours_per_year.mean),
                human_hours(option.downtime_hours_per_year.p99),
                human_hours(option.data_loss_hours_per_year.mean),
                disruptions::per_year(option.unrecoverable_events_per_year.mean),
                sla_cell(option)
            );
        }
        out.push_str("</table>\n</div>\n");
        let compared = self.options.iter().any(|o| o.versus_recommended.is_some());
        let pairing = |out: &mut String| {
            if let Some(note) = format::pairing_note(self) {
                let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&note));
            }
        };
        if !self.options.iter().any(|o| o.cost.is_some()) {
            if compared {
                // Without costs, the differences are in downtime: a table of their own.
                let _ = writeln!(
                    out,
                    "<div class=\"scroll\">\n<table>\n<tr><th>rank</th><th class=\"name\">option</th>\
                     <th>downtime vs recommended (95 %)</th></tr>"
                );
                for (rank, option) in format::ranked(self) {
                    row_start(out, rank, option);
                    let _ = writeln!(out, "<td>{}</td></tr>", escape(&format::versus_cell(self, option)));
                }
                out.push_str("</table>\n</div>\n");
                pairing(out);
            }
            return;
        }
        let _ = writeln!(
            out,
            "<h3>Cost per year</h3>\n<div class=\"scroll\">\n<table>\n<tr><th>rank</th><th class=\"name\">option</th>\
             <th>infrastructure</th><th>expected downtime cost</th><th>expected data-loss cost</th>\
             <th>expected total</th><th>total in a P90 year</th>{}</tr>",
            if compared { "<th>vs recommended (95 %)</th>" } else { "" }
        );
        for (rank, option) in format::ranked(self) {
            row_start(out, rank, option);
            match &option.cost {
                Some(c) => {
                    for amount in [
                        c.infrastructure,
                        c.downtime.mean,
                        c.data_loss.mean,
                        c.total.mean,
                        c.total_p90,
                    ] {
                        let _ = write!(out, "<td>{}</td>", escape(&format_money(amount, &c.currency)));
                    }
                }
                None => out.push_str(&"<td>–</td>".repeat(5)),
            }
            if compared {
                let _ = write!(out, "<td>{}</td>", escape(&format::versus_cell(self, option)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n</div>\n");
        pairing(out);
    }
}

/// A chart as a figure: its PNG inline, drawn with the font the chart was laid out
/// in whatever fonts the reader's machine has (an inline SVG's text falls back to a
/// system font, whose other widths spill over the labels); the SVG if the PNG cannot
/// be drawn.
fn figure(out: &mut String, chart: &Chart) {
    let title = escape(chart.title());
    match chart.png() {
        Ok(png) => {
            let _ = writeln!(
                out,
                "<figure>\n<img src=\"data:image/png;base64,{}\" alt=\"{title}\">\n</figure>",
                base64(&png)
            );
        }
        Err(_) => {
            let _ = writeln!(
                out,
                "<figure role=\"img\" aria-label=\"{title}\">\n{}\n</figure>",
                inline_svg(chart.svg())
            );
        }
    }
}

/// Standard base64 (RFC 4648, with padding), for data URIs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [group[0], *group.get(1).unwrap_or(&0), *group.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= group.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The scenario's settings and each option's model.
fn write_assumptions(out: &mut String, scenario: &Scenario) {
    let simulation = scenario.simulation();
    let _ = writeln!(out, "<h2>Assumptions</h2>");
    let mut settings = vec![format!(
        "Horizon {} per simulated history.",
        escape(&crate::dist::format_hours(simulation.horizon()))
    )];
    if let Some(costs) = simulation.costs() {
        let currency = costs.currency();
        settings.push(format!(
            "An hour of downtime costs {}, each outage {}, an hour of lost data {}.",
            escape(&format_money(costs.downtime_per_hour(), currency)),
            escape(&format_money(costs.per_outage(), currency)),
            escape(&format_money(costs.data_loss_per_hour(), currency))
        ));
    }
    if let Some(sla) = simulation.sla() {
        settings.push(format!(
            "The SLA allows {} of downtime a year{}.",
            human_hours(sla.budget_hours()),
            if simulation.excludes_planned() {
                ", planned downtime (maintenance, failover tests) excluded; so does the downtime cost"
            } else {
                ", planned downtime (maintenance, failover tests) included"
            }
        ));
    }
    let _ = writeln!(out, "<p>{}</p>", settings.join(" "));
    // The baseline in full, then each option by what it changes: the assumptions
    // once, the differences where they are.
    let Some((baseline, others)) = scenario.options().split_first() else {
        return;
    };
    let _ = writeln!(out, "<h3>{}</h3>", escape(baseline.name()));
    write_tiers(out, baseline.tiers().iter());
    for service in others {
        let changed: Vec<&Tier> = service
            .tiers()
            .iter()
            .filter(|tier| !baseline.tiers().iter().any(|b| b == *tier))
            .collect();
        let removed: Vec<&str> = baseline
            .tiers()
            .iter()
            .map(Tier::name)
            .filter(|name| !service.tiers().iter().any(|t| t.name() == *name))
            .collect();
        let _ = write!(
            out,
            "<h3>{}</h3>\n<p class=\"note\">As {}",
            escape(service.name()),
            escape(baseline.name())
        );
        if changed.is_empty() && removed.is_empty() {
            let _ = writeln!(out, ", tier for tier (what its tiers stand on may differ).</p>");
            continue;
        }
        if !removed.is_empty() {
            let _ = write!(out, ", without {}", escape(&removed.join(", ")));
        }
        if changed.is_empty() {
            let _ = writeln!(out, ".</p>");
        } else {
            let _ = writeln!(out, ", except:</p>");
            write_tiers(out, changed.into_iter());
        }
    }
}

/// A table of tiers, their distributions as the scenario wrote them.
fn write_tiers<'a>(out: &mut String, tiers: impl Iterator<Item = &'a Tier>) {
    let _ = writeln!(
        out,
        "<table>\n<tr><th class=\"name\">tier</th><th class=\"name\">redundancy</th>\
         <th class=\"name\">backups</th><th class=\"name\">failure modes (time to failure; repair)</th>\
         <th>cost / year</th></tr>"
    );
    for tier in tiers {
        let _ = writeln!(
            out,
            "<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td>\
             <td class=\"name\">{}</td><td>{}</td></tr>",
            escape(tier.name()),
            escape(&(redundancy(tier) + &maintenance(tier))),
            escape(&backups(tier)),
            tier.failures()
                .iter()
                .map(|mode| {
                    let mut text = format!(
                        "{}: {}; {}",
                        mode.name(),
                        mode.every().as_written(),
                        mode.repair().as_written()
                    );
                    if mode.scope() == crate::model::Scope::Tier {
                        text.push_str("; hits the whole tier");
                    }
                    if mode.destroys_data() {
                        text.push_str("; destroys data");
                    }
                    escape(&text)
                })
                .collect::<Vec<_>>()
                .join("<br>"),
            escape(&format_money(tier.infrastructure_cost(), ""))
        );
    }
    out.push_str("</table>\n");
}

fn redundancy(tier: &Tier) -> String {
    let crews = tier.repair_crews().map_or(String::new(), |r| {
        format!(", {}", count(r.into(), "repair crew", "repair crews"))
    });
    match tier.failover() {
        None if tier.replicas() == 1 => format!("1 replica{crews}"),
        None => format!(
            "{} of {} replicas active-active{crews}",
            tier.required(),
            tier.replicas()
        ),
        Some(f) => {
            let mut text = format!(
                "failover: {} serving, {} standby; detection {}, switchover {}, success {}",
                tier.required(),
                tier.replicas() - tier.required(),
                f.detection().as_written(),
                f.switchover().as_written(),
                f.success()
            );
            if let Some(manual) = f.manual_recovery() {
                let _ = write!(text, ", manual recovery {}", manual.as_written());
            }
            let _ = write!(text, "; standby failures {}", f.standby_failures().as_str());
            if f.dormant_factor() < 1.0 {
                let _ = write!(text, ", dormant factor {}", f.dormant_factor());
            }
            match f.test_every() {
                Some(every) => {
                    let _ = write!(text, "; drills every {}", crate::dist::format_hours(every));
                }
                None => text.push_str("; never drilled"),
            }
            text + &crews
        }
    }
}

/// Its planned maintenance, if any: `; maintained every 30d, 1h per replica, rolling`.
fn maintenance(tier: &Tier) -> String {
    tier.maintenance().map_or(String::new(), |m| {
        format!(
            "; maintained every {}, {} per replica, {}",
            crate::dist::format_hours(m.every()),
            m.duration().as_written(),
            m.rollout().as_str()
        )
    })
}

fn backups(tier: &Tier) -> String {
    match tier.backup() {
        None => "none".to_owned(),
        Some(b) => format!(
            "every {}, restore {}, {:.0} % restorable",
            crate::dist::format_hours(b.every()),
            b.restore().as_written(),
            100.0 * b.success()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_rfc_4648() {
        // The RFC's test vectors.
        for (text, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(text.as_bytes()), encoded, "{text:?}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn one_repair_crew_is_one_crew_and_more_are_crews() {
        use crate::{Distribution, FailureMode};
        let crash = FailureMode::new(
            "crash",
            Distribution::exponential(100.0).unwrap(),
            Distribution::exponential(1.0).unwrap(),
        );
        let tier = |replicas: u32, crews: u32| {
            Tier::builder("app")
                .with_replicas(replicas)
                .with_repair_crews(crews)
                .with_failure(crash.clone())
                .build()
                .unwrap()
        };
        assert_eq!(redundancy(&tier(1, 1)), "1 replica, 1 repair crew");
        assert_eq!(redundancy(&tier(3, 1)), "1 of 3 replicas active-active, 1 repair crew");
        assert_eq!(redundancy(&tier(3, 2)), "1 of 3 replicas active-active, 2 repair crews");
    }

    #[test]
    fn escapes_html_and_strips_the_xml_declaration() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(
            inline_svg("<?xml version=\"1.0\"?>\n<svg width=\"1\"/>"),
            "<svg width=\"1\"/>"
        );
    }
}
