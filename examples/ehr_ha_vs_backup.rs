//! One EHR database, five ways to protect it: backups only, two active replicas,
//! failover never tested, failover drilled monthly, and drilled failover plus backups.
//! What does each buy in downtime, lost data and money?
//!
//! Run with `cargo run --release --example ehr_ha_vs_backup [OUTPUT_DIR]`; the charts go
//! to OUTPUT_DIR (default `target/examples/ehr_ha_vs_backup`).

mod support;

use nines::{
    Backup, Costs, Distribution, Failover, FailureMode, Scope, Service, Simulation, Sla, StandbyFailures, Tier,
    TierBuilder,
};

/// The database's failures, the same in every option.
fn failures(tier: TierBuilder, host_destroys_data: bool) -> Result<TierBuilder, Box<dyn std::error::Error>> {
    Ok(tier
        .with_failure(
            FailureMode::new(
                "host failure",
                "exp(mean=4000h)".parse::<Distribution>()?,
                "lognormal(median=4h, sigma=0.8)".parse()?,
            )
            .with_destroys_data(host_destroys_data),
        )
        .with_failure(
            FailureMode::new(
                "disk loss",
                "exp(mean=3y)".parse()?,
                "lognormal(median=8h, sigma=0.5)".parse()?,
            )
            .with_destroys_data(true),
        )
        .with_failure(
            FailureMode::new("logical corruption", "exp(mean=5y)".parse()?, "2d".parse()?)
                .with_scope(Scope::Tier)
                .with_destroys_data(true),
        ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = support::output_dir("ehr_ha_vs_backup")?;
    let nightly = Backup::new(24.0, "lognormal(median=3h, sigma=0.5)".parse()?).with_success(0.95);
    let failover = |drilled: bool| -> Result<Failover, Box<dyn std::error::Error>> {
        let settings = Failover::new()
            .with_detection("1m".parse()?)
            .with_switchover("3m".parse()?)
            .with_success(0.97)
            .with_manual_recovery("lognormal(median=45m, sigma=0.6)".parse()?)
            .with_standby_failures(StandbyFailures::Latent);
        Ok(if drilled {
            settings.with_test_every(720.0)
        } else {
            settings
        })
    };
    let database = || Tier::builder("database").with_cost_per_replica(60_000.0);
    let options = [
        Service::new(
            "backup only",
            vec![failures(database().with_backup(nightly.clone()).with_fixed_cost(10_000.0), true)?.build()?],
        )?,
        Service::new(
            "two active replicas",
            vec![failures(database().with_replicas(2), false)?.build()?],
        )?,
        Service::new(
            "failover, untested",
            vec![
                failures(
                    database()
                        .with_replicas(2)
                        .with_failover(failover(false)?)
                        .with_fixed_cost(5_000.0),
                    false,
                )?
                .build()?,
            ],
        )?,
        Service::new(
            "failover, drilled monthly",
            vec![
                failures(
                    database()
                        .with_replicas(2)
                        .with_failover(failover(true)?)
                        .with_fixed_cost(15_000.0),
                    false,
                )?
                .build()?,
            ],
        )?,
        Service::new(
            "failover drilled, with backups",
            vec![
                failures(
                    database()
                        .with_replicas(2)
                        .with_failover(failover(true)?)
                        .with_backup(nightly)
                        .with_fixed_cost(25_000.0),
                    false,
                )?
                .build()?,
            ],
        )?,
    ];
    // Example costs for a 300-physician hospital (see scenarios/ehr.toml for where they
    // come from): put in your own. A loss for good is priced at the average cost of a
    // healthcare data breach (IBM and Ponemon, 2023), a floor for records that are gone.
    let simulation = Simulation::new()
        .with_replications(50_000)
        .with_seed(2026)
        .with_costs(
            Costs::new("USD")
                .with_downtime_per_hour(190_000.0)
                .with_per_outage(10_000.0)
                .with_data_loss_per_hour(250_000.0)
                .with_unrecoverable_loss(10_930_000.0),
        )
        .with_sla(Sla::Availability(0.9995));
    let report = simulation.run_options("EHR database", &options)?;
    print!("{}", report.comparison_table());

    let option = |name: &str| report.option(name).ok_or(format!("no option {name}"));
    let backup_only = option("backup only")?;
    let active = option("two active replicas")?;
    let untested = option("failover, untested")?;
    let drilled = option("failover, drilled monthly")?;
    let both = option("failover drilled, with backups")?;

    // Every risk is priced: no option loses data for good without a price on it.
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    // Backups are not availability: every host failure of the single server is an
    // outage as long as a restore, about 2.7 of them a year; yet nothing is lost for good.
    assert!(backup_only.restore_events_per_year.mean > 2.0);
    assert_eq!(backup_only.unrecoverable_events_per_year.mean, 0.0);
    assert!(backup_only.downtime_hours_per_year.mean > 3.0 * both.downtime_hours_per_year.mean);
    // Redundancy is not protection against corruption: with two replicas and no backup,
    // a corruption (once in five years) is lost for good, and the database is down for
    // the two days of its rebuild.
    let corruption = active.unrecoverable_events_per_year;
    assert!(
        (corruption.mean - 0.2).abs() < 4.0 * corruption.std_error + 0.01,
        "{corruption:?}"
    );
    let gone = |o: &nines::OptionReport| o.cost.as_ref().map_or(0.0, |c| c.unrecoverable.mean);
    assert!(gone(active) > 0.0 && gone(backup_only) == 0.0);
    // Untested failover is not availability: drills find dead standbys before demands do.
    assert!(untested.failover.failed_per_year > 2.0 * drilled.failover.failed_per_year);
    assert!(untested.downtime_hours_per_year.mean > drilled.downtime_hours_per_year.mean);
    // Both, for what each does: the only option up and without losses for good.
    assert_eq!(both.unrecoverable_events_per_year.mean, 0.0);
    assert_eq!(
        report.recommendation.as_ref().map(|r| r.option.as_str()),
        Some(both.name.as_str())
    );

    println!(
        "\nBackups alone: {:.1} h down a year ({:.1} restores, losing {:.1} h of writes), nothing lost for good.\n\
         Two active replicas: {:.1} h down, but {:.2} corruptions a year lose the database for good \
         ({:.0} % of years have one).\n\
         Failover untested: {:.2} failed failovers a year; drilled monthly: {:.2}.\n\
         Drilled failover with backups: {:.1} h down, {:.1} h of data lost a year: the recommendation.",
        backup_only.downtime_hours_per_year.mean,
        backup_only.restore_events_per_year.mean,
        backup_only.data_loss_hours_per_year.mean,
        active.downtime_hours_per_year.mean,
        corruption.mean,
        100.0 * active.unrecoverable_probability.mean,
        untested.failover.failed_per_year,
        drilled.failover.failed_per_year,
        both.downtime_hours_per_year.mean,
        both.data_loss_hours_per_year.mean,
    );
    support::write_charts(&dir, &report, &simulation, &options)?;
    println!("(charts: {})", dir.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    /// `cargo test --release --examples` runs the story and its assertions.
    #[test]
    fn the_story_holds() {
        super::main().expect("the example runs and what it claims holds");
    }
}
