//! High availability is not disaster recovery. The EHR database of
//! `scenarios/ehr-dr.toml` (its failures, sites, costs, RTO and RPO; the other tiers
//! left out) in one data centre or two: failover drilled monthly inside one building
//! with the backups kept there or offsite; a warm DR site tested yearly or never; a
//! stretched active-active pair across two sites. A power or cooling outage takes the
//! building for hours, a fire or flood for weeks and everything kept in it.
//!
//! Run with `cargo run --release --example disaster_recovery [OUTPUT_DIR]`; the charts
//! go to OUTPUT_DIR (default `target/examples/disaster_recovery`).

mod support;

use nines::{
    Backup, Costs, CrossSite, DisruptionReport, Distribution, Failover, FailureMode, OptionReport, Replication, Scope,
    Service, Simulation, Site, Sla, StandbyFailures, Tier, TierBuilder,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The backup interval [h]: nightly.
const NIGHTLY: f64 = 24.0;
/// The share of backups that restore.
const BACKUP_SUCCESS: f64 = 0.95;

/// A Tier III data centre: an outage every two years lasting 3.2 h on average, a fire
/// or flood once a century that takes a month to come back from.
fn site(name: &str, fixed_cost: f64) -> Result<Site> {
    Ok(Site::builder(name)
        .with_fixed_cost(fixed_cost)
        .with_failure(FailureMode::new(
            "power or cooling outage",
            "exp(mean=2y)".parse()?,
            "lognormal(mean=3.2h, p95=10h)".parse()?,
        ))
        .with_failure(
            FailureMode::new(
                "fire or flood",
                "exp(mean=100y)".parse()?,
                "lognormal(median=30d, sigma=0.5)".parse()?,
            )
            .with_destroys_data(true),
        )
        .build()?)
}

/// The database's failures and nightly backups (kept offsite), the same in every option.
fn database(fixed_cost: f64) -> Result<TierBuilder> {
    Ok(Tier::builder("database")
        .with_cost_per_replica(60_000.0)
        .with_fixed_cost(fixed_cost)
        .with_backup(nightly()?)
        .with_failure(FailureMode::new(
            "host failure",
            "exp(mean=4000h)".parse::<Distribution>()?,
            "lognormal(median=4h, sigma=0.8)".parse()?,
        ))
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

/// Nightly backups, one in twenty bad, kept out of reach of both sites.
fn nightly() -> Result<Backup> {
    Ok(Backup::new(NIGHTLY, "lognormal(median=3h, sigma=0.5)".parse()?).with_success(BACKUP_SUCCESS))
}

/// Failover to a standby in the same building, drilled monthly.
fn local_failover() -> Result<Failover> {
    Ok(Failover::new()
        .with_detection("1m".parse()?)
        .with_switchover("3m".parse()?)
        .with_success(0.97)
        .with_manual_recovery("lognormal(median=45m, sigma=0.6)".parse()?)
        .with_standby_failures(StandbyFailures::Latent)
        .with_test_every(720.0))
}

/// Failover to the DR site: a couple of hours to declare a disaster, half an hour to
/// bring the database up there, one switchover in four failing; the DR server drifts
/// silently until a DR test (yearly, or never) or a disaster finds it.
fn to_dr_site(tested: bool) -> Result<Failover> {
    let cross_site = CrossSite::new()
        .with_detection("lognormal(median=2h, sigma=0.5)".parse()?)
        .with_switchover("30m".parse()?)
        .with_success(0.75)
        .with_manual_recovery("lognormal(median=4h, sigma=0.5)".parse()?)
        .with_standby_failures(StandbyFailures::Latent);
    let cross_site = if tested {
        cross_site.with_test_every(nines::HOURS_PER_YEAR)
    } else {
        cross_site
    };
    Ok(local_failover()?.with_cross_site(cross_site))
}

/// What a class of disruption did in an option.
fn class<'a>(option: &'a OptionReport, class: &str) -> Result<&'a DisruptionReport> {
    option
        .disruptions
        .iter()
        .find(|d| d.class == class)
        .ok_or_else(|| format!("{}: no {class}", option.name).into())
}

/// Site disasters seen over the whole run (the horizon is one year).
fn count(disruption: &DisruptionReport, replications: u64) -> f64 {
    disruption.events_per_year * replications as f64
}

/// The standard error of a share `p` of `n` things.
fn share_se(p: f64, n: f64) -> f64 {
    (p * (1.0 - p) / n).sqrt()
}

fn main() -> Result<()> {
    let dir = support::output_dir("disaster_recovery")?;
    // Both data centres are offered to every option: a site no replica and no backup
    // uses is neither simulated nor paid for.
    let sites = || -> Result<Vec<Site>> { Ok(vec![site("main", 0.0)?, site("dr", 150_000.0)?]) };
    let lagging = Replication::new().with_cross_site_lag("exp(mean=5m)".parse()?);
    let options = [
        Service::with_sites(
            "one data centre, backups on site",
            sites()?,
            vec![
                database(25_000.0)?
                    .with_replicas(2)
                    .with_sites(["main"])
                    .with_failover(local_failover()?)
                    .with_backup(nightly()?.with_site("main"))
                    .build()?,
            ],
        )?,
        Service::with_sites(
            "one data centre, backups offsite",
            sites()?,
            vec![
                database(30_000.0)?
                    .with_replicas(2)
                    .with_sites(["main"])
                    .with_failover(local_failover()?)
                    .build()?,
            ],
        )?,
        // The primary and its local standby in "main", a third server in "dr"
        // (round-robin: main, dr, main), replicated asynchronously.
        Service::with_sites(
            "warm DR site, tested yearly",
            sites()?,
            vec![
                database(50_000.0)?
                    .with_replicas(3)
                    .with_sites(["main", "dr"])
                    .with_replication(lagging.clone())
                    .with_failover(to_dr_site(true)?)
                    .build()?,
            ],
        )?,
        Service::with_sites(
            "warm DR site, never tested",
            sites()?,
            vec![
                database(40_000.0)?
                    .with_replicas(3)
                    .with_sites(["main", "dr"])
                    .with_replication(lagging)
                    .with_failover(to_dr_site(false)?)
                    .build()?,
            ],
        )?,
        // One server serving in each data centre, replicated synchronously (the default).
        Service::with_sites(
            "two data centres, stretched active-active",
            sites()?,
            vec![
                database(40_000.0)?
                    .with_replicas(2)
                    .with_sites(["main", "dr"])
                    .build()?,
            ],
        )?,
    ];
    // The example costs of scenarios/ehr-dr.toml, where their sources are given.
    let replications = 100_000;
    let simulation = Simulation::new()
        .with_replications(replications)
        .with_seed(2026)
        .with_costs(
            Costs::new("USD")
                .with_downtime_per_hour(190_000.0)
                .with_per_outage(10_000.0)
                .with_data_loss_per_hour(250_000.0)
                .with_unrecoverable_loss(10_930_000.0),
        )
        .with_sla(Sla::Availability(0.9995))
        .with_rto(4.0)
        .with_rpo(0.25);
    let report = simulation.run_options("EHR database with disaster recovery", &options)?;
    print!("{}", report.comparison_table());
    let rto = 4.0;

    let option = |name: &str| report.option(name).ok_or(format!("no option {name}"));
    let on_site = option("one data centre, backups on site")?;
    let offsite = option("one data centre, backups offsite")?;
    let tested = option("warm DR site, tested yearly")?;
    let untested = option("warm DR site, never tested")?;
    let stretched = option("two data centres, stretched active-active")?;
    let disaster = |o| class(o, "site disaster");

    // One data centre: HA inside the building does nothing for the building. A fire
    // takes the database down for weeks, until the site is rebuilt; hardly any such
    // outage is back within the RTO.
    let one_dc = disaster(offsite)?;
    assert!(one_dc.outage_hours.p50 > 14.0 * 24.0, "{:?}", one_dc.outage_hours);
    assert!(one_dc.within_rto.unwrap_or(1.0) < 0.01, "{:?}", one_dc.within_rto);
    // A DR site brings it back in hours: most of those outages are over within a day
    // (a switchover that fails, or a dead DR server, adds hours to some).
    let dr = disaster(tested)?;
    assert!(dr.outage_hours.p50 < 3.0 * rto, "{:?}", dr.outage_hours);
    assert!(dr.outage_hours.mean < 24.0, "{:?}", dr.outage_hours);

    // Backups kept in the burning building burn with it: every disaster is a loss for
    // good, and those are the losses for good of the option (a corruption with every
    // backup bad adds a few).
    assert_eq!(disaster(on_site)?.lost_for_good, 1.0);
    let gone = on_site.unrecoverable_events_per_year;
    let disasters = disaster(on_site)?.events_per_year;
    assert!(
        (gone.mean - disasters).abs() <= 4.0 * gone.std_error + 0.002,
        "lost for good {gone:?} a year against {disasters} disasters"
    );
    // Kept offsite, none is: the data lost per disaster is the time since the last good
    // backup, about half the interval (a uniform 0 to 24 h, plus 24 h per bad backup
    // tried first). Its standard deviation, from the same model, gives the tolerance.
    assert_eq!(one_dc.lost_for_good, 0.0);
    let bad = 1.0 - BACKUP_SUCCESS;
    let expected = NIGHTLY / 2.0 + NIGHTLY * bad / BACKUP_SUCCESS;
    let sd = (NIGHTLY * NIGHTLY / 12.0 + NIGHTLY * NIGHTLY * bad / BACKUP_SUCCESS.powi(2)).sqrt();
    let lost = one_dc.data_loss_hours.mean;
    let z = (lost - expected) / (sd / count(one_dc, replications).sqrt());
    assert!(
        z.abs() < 4.0,
        "data lost per disaster {lost} h, expected {expected} h (z = {z:.2})"
    );

    // A DR site nobody tests has drifted more often when a disaster needs it: fewer
    // site disasters are back within the RTO than with a yearly DR test.
    let never = disaster(untested)?;
    let (p1, p0) = (dr.within_rto.unwrap_or(0.0), never.within_rto.unwrap_or(1.0));
    let se = (share_se(p1, dr.outages as f64).powi(2) + share_se(p0, never.outages as f64).powi(2)).sqrt();
    assert!(
        p1 - p0 > 4.0 * se,
        "within RTO: tested {p1}, never tested {p0} (se {se})"
    );
    assert!(tested.failover.cross_site.latent_found_per_year > 0.0);
    assert_eq!(untested.failover.cross_site.latent_found_per_year, 0.0);

    // The stretched synchronous pair: the other site's server serves on, with every
    // write. A site outage costs no data, a disaster (almost) none: only when the other
    // server is itself down does a disaster force a restore.
    let site_outage = class(stretched, "site outage")?;
    assert_eq!(site_outage.data_loss_hours.max, 0.0);
    let pair = disaster(stretched)?;
    let over_rpo = 1.0 - pair.within_rpo.unwrap_or(0.0);
    assert!(
        over_rpo < 0.01,
        "{over_rpo} of the stretched pair's disasters lose more than the RPO"
    );
    assert_eq!(pair.lost_for_good, 0.0);
    assert!(pair.data_loss_hours.mean < dr.data_loss_hours.mean / 10.0);
    // And it is down least: a lost site rarely takes it down at all, and its downtime
    // is clearly below every other option's.
    let site_losses = |o| -> Result<(f64, f64)> {
        let (outage, disaster) = (class(o, "site outage")?, disaster(o)?);
        let outages = (outage.outages + disaster.outages) as f64 / replications as f64;
        Ok((outages, outage.events_per_year + disaster.events_per_year))
    };
    let (outages, losses) = site_losses(stretched)?;
    assert!(
        outages < 0.01 * losses,
        "{outages} outages a year from {losses} site losses"
    );
    let se = |o: &OptionReport| o.unavailability.std_error * nines::HOURS_PER_YEAR;
    for other in [on_site, offsite, tested, untested] {
        let gap = other.downtime_hours_per_year.mean - stretched.downtime_hours_per_year.mean;
        assert!(
            gap > 4.0 * (se(other).powi(2) + se(stretched).powi(2)).sqrt(),
            "{}",
            other.name
        );
    }
    assert_eq!(
        report.recommendation.as_ref().map(|r| r.option.as_str()),
        Some(stretched.name.as_str())
    );

    let hours = |o: &OptionReport| o.downtime_hours_per_year.mean;
    println!(
        "\nOne data centre: a fire or flood keeps the database down {:.0} days (median), {:.1} % of those outages within the \
         {rto} h RTO;\n\
         with backups on site each one loses the records for good ({:.4} losses for good a year); offsite, \
         each loses {:.1} h of writes.\n\
         A warm DR site brings it back in {:.1} h (median); {:.0} % of disasters within the RTO tested yearly, {:.0} % never tested.\n\
         The stretched pair: {:.1} h down a year against {:.1} h (DR site) and {:.1} h (one data centre); \
         {:.2} % of its site losses take it down.",
        one_dc.outage_hours.p50 / 24.0,
        100.0 * one_dc.within_rto.unwrap_or(0.0),
        gone.mean,
        lost,
        dr.outage_hours.p50,
        100.0 * p1,
        100.0 * p0,
        hours(stretched),
        hours(tested),
        hours(offsite),
        100.0 * outages / losses,
    );
    // Among the charts, the recovery chart: each kind of disruption's outages against
    // the RTO.
    assert!(nines::chart::recovery(&report)?.is_some());
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
