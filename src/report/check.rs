//! What makes a report a report: the invariants every report the simulator writes
//! holds, checked again when one is read back (JSON written by another program, or
//! edited by hand), so that tables and charts are only ever drawn from sane numbers.

use serde::Deserialize;

use super::{DisruptionReport, Estimate, OptionReport, Recommendation, Report, Start, Sweep};

/// Why a report (read from JSON, say) cannot be used: the field at fault and why.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    /// A field holds a value no simulation gives.
    #[error("invalid report: `{field}` {problem}")]
    Invalid {
        /// The field's path, e.g. `options[1].availability.mean`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
}

/// The fields of a [`Report`] as read, before they are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Unchecked {
    scenario: String,
    seed: u64,
    replications: u64,
    horizon_hours: f64,
    start: Start,
    warm_up_hours: f64,
    windows_per_history: u64,
    version: String,
    precision: Option<f64>,
    rto_hours: Option<f64>,
    rpo_hours: Option<f64>,
    options: Vec<OptionReport>,
    ranking: Vec<String>,
    recommendation: Option<Recommendation>,
    sweep: Option<Sweep>,
    warnings: Vec<String>,
}

impl TryFrom<Unchecked> for Report {
    type Error = ReportError;

    fn try_from(raw: Unchecked) -> Result<Report, ReportError> {
        let report = Report {
            scenario: raw.scenario,
            seed: raw.seed,
            replications: raw.replications,
            horizon_hours: raw.horizon_hours,
            start: raw.start,
            warm_up_hours: raw.warm_up_hours,
            windows_per_history: raw.windows_per_history,
            version: raw.version,
            precision: raw.precision,
            rto_hours: raw.rto_hours,
            rpo_hours: raw.rpo_hours,
            options: raw.options,
            ranking: raw.ranking,
            recommendation: raw.recommendation,
            sweep: raw.sweep,
            warnings: raw.warnings,
        };
        report.check()?;
        Ok(report)
    }
}

/// Collects the first violation.
struct Checker {
    error: Option<ReportError>,
}

impl Checker {
    fn fail(&mut self, field: impl FnOnce() -> String, problem: String) {
        if self.error.is_none() {
            self.error = Some(ReportError::Invalid {
                field: field(),
                problem,
            });
        }
    }

    /// A finite number of at least 0.
    fn amount(&mut self, field: &str, value: f64) {
        if !(value.is_finite() && value >= 0.0) {
            self.fail(
                || field.to_owned(),
                format!("is {value}: it must be a finite number of at least 0"),
            );
        }
    }

    /// A fraction from 0 to 1.
    fn fraction(&mut self, field: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.fail(
                || field.to_owned(),
                format!("is {value}: it must be a fraction from 0 to 1"),
            );
        }
    }

    /// An estimate: a finite value (of at least 0 unless it is a `difference`), a
    /// finite standard error of at least 0, and a 95 % interval in order around the
    /// value.
    fn estimate(&mut self, field: &str, e: &Estimate, difference: bool) {
        if difference {
            self.holds(&format!("{field}.mean"), e.mean.is_finite(), "must be a finite number");
        } else {
            self.amount(&format!("{field}.mean"), e.mean);
        }
        self.amount(&format!("{field}.std_error"), e.std_error);
        self.holds(
            &format!("{field}.ci95"),
            e.ci95.iter().all(|x| x.is_finite()) && e.ci95[0] <= e.mean && e.mean <= e.ci95[1],
            "must be a finite interval around the value",
        );
    }

    fn holds(&mut self, field: &str, holds: bool, problem: &str) {
        if !holds {
            self.fail(|| field.to_owned(), problem.to_owned());
        }
    }

    /// Non-decreasing values.
    fn ordered(&mut self, field: &str, values: &[f64]) {
        self.holds(
            field,
            values.windows(2).all(|w| w[0] <= w[1]),
            "must not decrease (they are quantiles)",
        );
    }
}

impl Report {
    /// Checks the invariants every report the simulator writes holds: settings within
    /// their bounds, every number finite, fractions from 0 to 1, counts and durations
    /// not negative, quantiles in order, rankings and recommendations naming options
    /// of the report, the recovery objectives durations from 0 to 1000 years, each
    /// option's disruptions of known classes ([`DisruptionReport::CLASSES`]) in their
    /// order, with a share within the RTO (RPO) exactly when the report has an RTO
    /// (RPO). Reports read with serde are checked this way; a report written before
    /// the objectives existed reads as one without them.
    ///
    /// # Errors
    /// [`ReportError::Invalid`] naming the first field at fault.
    pub fn check(&self) -> Result<(), ReportError> {
        let mut c = Checker { error: None };
        c.holds(
            "horizon_hours",
            (super::MIN_HORIZON..=super::MAX_HORIZON).contains(&self.horizon_hours),
            "must be between 1 h and 1000 years",
        );
        c.holds(
            "warm_up_hours",
            (0.0..=super::MAX_HORIZON).contains(&self.warm_up_hours),
            "must be between 0 and 1000 years",
        );
        c.holds(
            "replications",
            (1..=super::MAX_REPLICATIONS).contains(&self.replications),
            "must be from 1 to 10000000000",
        );
        c.holds(
            "windows_per_history",
            self.windows_per_history >= 1,
            "must be at least 1",
        );
        for (name, target) in [("rto_hours", self.rto_hours), ("rpo_hours", self.rpo_hours)] {
            if let Some(hours) = target {
                c.holds(
                    name,
                    hours.is_finite() && (0.0..=super::MAX_HORIZON).contains(&hours),
                    "must be a duration from 0 to 1000 years",
                );
            }
        }
        if let Some(precision) = self.precision {
            c.holds(
                "precision",
                precision.is_finite() && precision > 0.0,
                "must be a positive fraction",
            );
        }
        c.holds("options", !self.options.is_empty(), "must hold at least one option");
        let named = |name: &str| self.options.iter().filter(|o| o.name == name).count();
        for (i, option) in self.options.iter().enumerate() {
            c.holds(
                &format!("options[{i}].name"),
                named(&option.name) == 1,
                "must be unique",
            );
            check_option(&mut c, &format!("options[{i}]"), option, self);
        }
        for (i, name) in self.ranking.iter().enumerate() {
            c.holds(
                &format!("ranking[{i}]"),
                named(name) == 1,
                "must name an option of the report",
            );
        }
        c.holds(
            "ranking",
            self.ranking.is_empty() || self.ranking.len() == self.options.len(),
            "must rank every option, or none",
        );
        if let Some(recommendation) = &self.recommendation {
            c.holds(
                "recommendation.option",
                named(&recommendation.option) == 1,
                "must name an option of the report",
            );
        }
        if let Some(sweep) = &self.sweep {
            c.holds(
                "sweep.values",
                sweep.values.len() == self.options.len(),
                "must hold one value per option",
            );
        }
        c.error.map_or(Ok(()), Err)
    }
}

fn check_option(c: &mut Checker, at: &str, o: &OptionReport, report: &Report) {
    let field = |name: &str| format!("{at}.{name}");
    c.holds(&field("replications"), o.replications >= 1, "must be at least 1");
    for (name, e) in [
        ("availability", &o.availability.estimate),
        ("availability.excluding_planned", &o.availability.excluding_planned),
        ("unavailability", &o.unavailability),
    ] {
        c.fraction(&field(&format!("{name}.mean")), e.mean);
        c.amount(&field(&format!("{name}.std_error")), e.std_error);
        c.fraction(&field(&format!("{name}.ci95[0]")), e.ci95[0]);
        c.fraction(&field(&format!("{name}.ci95[1]")), e.ci95[1]);
        c.ordered(&field(&format!("{name}.ci95")), &e.ci95);
    }
    if let Some(nines) = o.nines {
        c.amount(&field("nines"), nines);
    }
    let d = &o.downtime_hours_per_year;
    for (name, value) in [
        ("mean", d.mean),
        ("std", d.std),
        ("p50", d.p50),
        ("p90", d.p90),
        ("p99", d.p99),
        ("max", d.max),
        ("planned.mean", d.planned.mean),
        ("planned.std_error", d.planned.std_error),
        ("unplanned.mean", d.unplanned.mean),
        ("unplanned.std_error", d.unplanned.std_error),
    ] {
        c.amount(&field(&format!("downtime_hours_per_year.{name}")), value);
    }
    c.ordered(&field("downtime_hours_per_year"), &[d.p50, d.p90, d.p99, d.max]);
    let percentiles = &o.downtime_percentiles_hours;
    c.holds(
        &field("downtime_percentiles_hours"),
        percentiles.len() == 101,
        "must hold the 101 percentiles 0, 1, ..., 100",
    );
    for (p, &value) in percentiles.iter().enumerate() {
        c.amount(&field(&format!("downtime_percentiles_hours[{p}]")), value);
    }
    c.ordered(&field("downtime_percentiles_hours"), percentiles);
    let outages = &o.outage_duration_hours;
    for (name, value) in [
        ("outages_per_year.mean", o.outages_per_year.mean),
        ("outages_per_year.std_error", o.outages_per_year.std_error),
        ("unplanned_outages_per_year.mean", o.unplanned_outages_per_year.mean),
        (
            "unplanned_outages_per_year.std_error",
            o.unplanned_outages_per_year.std_error,
        ),
        ("outage_duration_hours.mean", outages.mean),
        ("outage_duration_hours.p50", outages.p50),
        ("outage_duration_hours.p95", outages.p95),
        ("outage_duration_hours.p99", outages.p99),
        ("outage_duration_hours.max", outages.max),
        ("data_loss_hours_per_year.mean", o.data_loss_hours_per_year.mean),
        (
            "data_loss_hours_per_year.std_error",
            o.data_loss_hours_per_year.std_error,
        ),
        ("data_loss_hours_per_year.p99", o.data_loss_hours_per_year.p99),
        (
            "data_loss_hours_per_year.max_single_event",
            o.data_loss_hours_per_year.max_single_event,
        ),
        (
            "data_loss_hours_per_year.at_failover.mean",
            o.data_loss_hours_per_year.at_failover.mean,
        ),
        (
            "data_loss_hours_per_year.at_failover.std_error",
            o.data_loss_hours_per_year.at_failover.std_error,
        ),
        ("restore_events_per_year.mean", o.restore_events_per_year.mean),
        ("restore_events_per_year.std_error", o.restore_events_per_year.std_error),
        (
            "unrecoverable_events_per_year.mean",
            o.unrecoverable_events_per_year.mean,
        ),
        (
            "unrecoverable_events_per_year.std_error",
            o.unrecoverable_events_per_year.std_error,
        ),
        ("bad_backups_per_year", o.bad_backups_per_year),
        ("failover.demands_per_year", o.failover.demands_per_year),
        ("failover.failed_per_year", o.failover.failed_per_year),
        ("failover.switchovers_per_year", o.failover.switchovers_per_year),
        ("failover.switch_failures_per_year", o.failover.switch_failures_per_year),
        ("failover.dead_standby_per_year", o.failover.dead_standby_per_year),
        ("failover.no_standby_per_year", o.failover.no_standby_per_year),
        ("failover.latent_found_per_year", o.failover.latent_found_per_year),
        (
            "failover.cross_site.switchovers_per_year",
            o.failover.cross_site.switchovers_per_year,
        ),
        (
            "failover.cross_site.switch_failures_per_year",
            o.failover.cross_site.switch_failures_per_year,
        ),
        (
            "failover.cross_site.dead_standby_per_year",
            o.failover.cross_site.dead_standby_per_year,
        ),
        (
            "failover.cross_site.latent_found_per_year",
            o.failover.cross_site.latent_found_per_year,
        ),
        ("events_per_replication", o.events_per_replication),
    ] {
        c.amount(&field(name), value);
    }
    c.ordered(
        &field("outage_duration_hours"),
        &[outages.p50, outages.p95, outages.p99, outages.max],
    );
    c.holds(
        &field("outage_duration_hours.cut_at_window_edges"),
        outages.cut_at_window_edges <= outages.count,
        "must not exceed the outages counted",
    );
    if let Some(mtbf) = o.service_mtbf_hours {
        c.amount(&field("service_mtbf_hours"), mtbf);
    }
    c.fraction(
        &field("unrecoverable_probability.mean"),
        o.unrecoverable_probability.mean,
    );
    c.estimate(&field("unrecoverable_probability"), &o.unrecoverable_probability, false);
    if let Some(cost) = &o.cost {
        c.amount(&field("cost.infrastructure"), cost.infrastructure);
        c.amount(&field("cost.total_p90"), cost.total_p90);
        for (name, value) in [
            ("downtime", &cost.downtime),
            ("data_loss", &cost.data_loss),
            ("unrecoverable", &cost.unrecoverable),
            ("total", &cost.total),
        ] {
            c.estimate(&field(&format!("cost.{name}")), value, false);
        }
    }
    if let Some(versus) = &o.versus_recommended {
        let differences = [
            ("downtime_hours_per_year", Some(&versus.downtime_hours_per_year)),
            ("data_loss_hours_per_year", Some(&versus.data_loss_hours_per_year)),
            ("cost_per_year", versus.cost_per_year.as_ref()),
        ];
        for (name, difference) in differences {
            if let Some(d) = difference {
                let at = field(&format!("versus_recommended.{name}"));
                c.estimate(&at, &d.estimate, true);
                c.amount(&format!("{at}.unpaired_std_error"), d.unpaired_std_error);
            }
        }
    }
    if let Some(sla) = &o.sla {
        c.amount(&field("sla.budget_hours"), sla.budget_hours);
        c.fraction(&field("sla.breach_probability.mean"), sla.breach_probability.mean);
        c.estimate(&field("sla.breach_probability"), &sla.breach_probability, false);
    }
    // Each class at most once, in the fixed order: where the last one stood.
    let mut last_class = None;
    for (d, disruption) in o.disruptions.iter().enumerate() {
        let at = |name: &str| format!("{at}.disruptions[{d}].{name}");
        let class = DisruptionReport::CLASSES.iter().position(|c| *c == disruption.class);
        c.holds(
            &at("class"),
            class.is_some(),
            &format!(
                "must be one of the classes nines reports: {}",
                DisruptionReport::CLASSES.join(", ")
            ),
        );
        c.holds(
            &at("class"),
            class.is_none() || class > last_class,
            &format!(
                "must come after the classes before it, each class once, in the order {}",
                DisruptionReport::CLASSES.join(", ")
            ),
        );
        last_class = class.or(last_class);
        for (name, share, target) in [
            ("within_rto", disruption.within_rto, report.rto_hours),
            ("within_rpo", disruption.within_rpo, report.rpo_hours),
        ] {
            c.holds(
                &at(name),
                share.is_some() == target.is_some(),
                "must be given exactly when the report has the target (rto_hours, rpo_hours)",
            );
        }
        let (outage, loss) = (&disruption.outage_hours, &disruption.data_loss_hours);
        for (name, value) in [
            ("events_per_year", disruption.events_per_year),
            ("outage_hours.mean", outage.mean),
            ("outage_hours.p50", outage.p50),
            ("outage_hours.p95", outage.p95),
            ("outage_hours.max", outage.max),
            ("data_loss_hours.mean", loss.mean),
            ("data_loss_hours.p95", loss.p95),
            ("data_loss_hours.max", loss.max),
        ] {
            c.amount(&at(name), value);
        }
        c.ordered(&at("outage_hours"), &[outage.p50, outage.p95, outage.max]);
        c.ordered(&at("data_loss_hours"), &[loss.p95, loss.max]);
        for (name, share) in [
            ("within_rto", disruption.within_rto),
            ("within_rpo", disruption.within_rpo),
        ] {
            if let Some(share) = share {
                c.fraction(&at(name), share);
            }
        }
        c.fraction(&at("lost_for_good"), disruption.lost_for_good);
    }
    for (t, tier) in o.tiers.iter().enumerate() {
        let at = |name: &str| format!("{at}.tiers[{t}].{name}");
        c.holds(&at("replicas"), tier.replicas >= 1, "must be at least 1");
        c.fraction(&at("unavailability"), tier.unavailability);
        c.fraction(&at("downtime_share"), tier.downtime_share);
        c.amount(&at("failures_per_year"), tier.failures_per_year);
    }
    for (i, item) in o.importance.iter().flatten().enumerate() {
        let at = |name: &str| format!("{at}.importance[{i}].{name}");
        c.holds(&at("component"), !item.component.is_empty(), "must name the component");
        c.holds(
            &at("kind"),
            ["tier", "dependency", "site"].contains(&item.kind.as_str()),
            "must be tier, dependency or site",
        );
        for (name, e) in [
            ("unavailability", &item.unavailability),
            ("share_of_downtime", &item.share_of_downtime),
        ] {
            c.fraction(&at(&format!("{name}.mean")), e.mean);
            c.amount(&at(&format!("{name}.std_error")), e.std_error);
            c.fraction(&at(&format!("{name}.ci95[0]")), e.ci95[0]);
            c.fraction(&at(&format!("{name}.ci95[1]")), e.ci95[1]);
            c.ordered(&at(&format!("{name}.ci95")), &e.ci95);
        }
        c.amount(&at("downtime_hours_per_year"), item.downtime_hours_per_year);
        c.amount(&at("unpaired_std_error"), item.unpaired_std_error);
        // A difference: perfecting a component may, by chance or through a failover,
        // add downtime, so it may be negative.
        let removed = item.downtime_removed_hours_per_year;
        c.holds(
            &at("downtime_removed_hours_per_year.mean"),
            removed.mean.is_finite(),
            "must be a finite number",
        );
        c.amount(&at("downtime_removed_hours_per_year.std_error"), removed.std_error);
        if let Some(cost) = item.cost_removed_per_year {
            c.holds(
                &at("cost_removed_per_year.mean"),
                cost.mean.is_finite(),
                "must be a finite number",
            );
            c.amount(&at("cost_removed_per_year.std_error"), cost.std_error);
        }
    }
}
