//! Every type the public API reaches can be named from the crate root (or from
//! [`nines::chart`]): each is written out in a type annotation here, so a type that
//! stops being exported fails to compile.

#[cfg(feature = "charts")]
use nines::chart::{Chart, ChartError};
use nines::{
    CostReport, CrossSiteStats, DataLoss, Difference, DisruptionReport, Durations, Estimate, FailoverStats, Format,
    Losses, OptionReport, OutageDurations, Recommendation, Report, Scenario, SlaReport, Spread, Start, Sweep,
    TierReport, Versus,
};

/// A database pair with failover and backups, priced, with an SLA and targets, so
/// that every part of a report is filled in.
const SCENARIO: &str = r#"
name = "exports"
[simulation]
replications = 512
seed = 5
[costs]
currency = "EUR"
downtime_per_hour = 1000
data_loss_per_hour = 500
[sla]
downtime_per_year = "10h"
rto = "4h"
rpo = "1h"
[[tier]]
name = "database"
replicas = 2
strategy = "failover"
cost_per_replica = 1000
[tier.failover]
standby_failures = "latent"
test_every = "30d"
[tier.backup]
every = "1d"
restore = "2h"
[[tier.failure]]
name = "host crash"
every = "exp(mean=1000h)"
repair = "exp(mean=10h)"
destroys_data = true
"#;

#[test]
fn every_type_a_report_holds_can_be_named() {
    let file = Scenario::parse(SCENARIO, Format::Toml, "exports.toml").unwrap_or_else(|e| panic!("{e}"));
    let swept: Scenario = file
        .sweep("tier.database.failover.test_every=7d,90d")
        .expect("a valid sweep");
    let report: Report = swept.run().expect("runs");

    let sweep: &Sweep = report.sweep.as_ref().expect("a sweep");
    assert_eq!(sweep.values, ["7d", "90d"]);
    let recommendation: &Recommendation = report.recommendation.as_ref().expect("costs and an SLA");
    assert_eq!(recommendation.option, report.ranking[0]);
    let start: Start = report.start;
    assert_eq!(start, Start::Steady);

    let option: &OptionReport = &report.options[0];
    let cost: &CostReport = option.cost.as_ref().expect("priced");
    assert_eq!((cost.currency.as_str(), cost.infrastructure), ("EUR", 2000.0));
    let total: &Estimate = &cost.total;
    assert!(total.ci95[0] <= total.mean && total.mean <= total.ci95[1]);
    let sla: &SlaReport = option.sla.as_ref().expect("an SLA");
    assert_eq!(sla.budget_hours, 10.0);
    let tier: &TierReport = &option.tiers[0];
    assert_eq!((tier.name.as_str(), tier.replicas), ("database", 2));
    let availability: &Estimate = &option.availability;
    let downtime: &Spread = &option.downtime_hours_per_year;
    assert!(availability.mean < 1.0 && downtime.mean > 0.0);
    let outages: &Estimate = &option.outages_per_year;
    let durations: &OutageDurations = &option.outage_duration_hours;
    assert!(outages.mean > 0.0 && durations.max >= durations.mean);
    let data: &DataLoss = &option.data_loss_hours_per_year;
    assert!(data.mean >= 0.0);
    let failover: &FailoverStats = &option.failover;
    let cross_site: &CrossSiteStats = &failover.cross_site;
    assert!(failover.demands_per_year > 0.0 && cross_site.switchovers_per_year == 0.0);
    let other = report
        .options
        .iter()
        .find(|o| o.name != recommendation.option)
        .expect("two options");
    let versus: &Versus = other.versus_recommended.as_ref().expect("compared");
    let difference: &Difference = &versus.downtime_hours_per_year;
    assert_eq!(versus.recommended, recommendation.option);
    assert!(difference.unpaired_std_error > 0.0);
    let disruption: &DisruptionReport = &option.disruptions[0];
    let outage_hours: &Durations = &disruption.outage_hours;
    let lost: &Losses = &disruption.data_loss_hours;
    assert!(outage_hours.max >= outage_hours.mean && lost.max >= lost.mean);

    #[cfg(feature = "charts")]
    {
        let charts: Result<Vec<Chart>, ChartError> = nines::chart::all(&report, None);
        assert!(!charts.expect("charts draw").is_empty());
    }
}
