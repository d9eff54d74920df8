//! Sites and disaster recovery against exact results: site outages as common causes,
//! replication lag at failovers, a DR standby that drifts and its DR tests, backups kept
//! in the site they protect. `|estimate − exact| ≤ 4·se`, fixed seeds, systems in
//! service unless a test says otherwise; `cargo test --release --test it sites --
//! --nocapture` prints every comparison with its z-score.

use nines::{
    Backup, CrossSite, Distribution, Failover, FailureMode, HOURS_PER_YEAR, Replication, Service, Simulation, Site,
    StandbyFailures, Tier,
};

use crate::ctmc::{evolve, generator};
use crate::validation::{assert_close, assert_within, exponential, in_service};

fn crash(mttf: f64, mttr: f64) -> FailureMode {
    FailureMode::new("crash", exponential(mttf), exponential(mttr))
}

fn site(name: &str, mtbf: f64, mttr: f64) -> Site {
    Site::builder(name)
        .with_failure(FailureMode::new("power", exponential(mtbf), exponential(mttr)))
        .build()
        .expect("valid site")
}

#[test]
fn active_replicas_on_two_sites_fail_with_their_sites() {
    // Two active replicas, one per site; replica and site failures exponential and
    // independent (a replica keeps ageing and can fail while its site is down). A
    // replica serves while it and its site are up, with probability a_r·a_s, so the
    // tier is up unless both units are down: A = 1 − (1 − a_r·a_s)².
    let (replica_up, replica_down) = (1000.0, 20.0);
    let (site_up, site_down) = (2000.0, 50.0);
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_sites(["east", "west"])
        .with_failure(crash(replica_up, replica_down))
        .build()
        .expect("valid tier");
    let sites = vec![site("east", site_up, site_down), site("west", site_up, site_down)];
    let service = Service::with_sites("two sites", sites, vec![tier]).expect("valid");
    let option = in_service(&service, 200_000, 71);
    let unit = (replica_up / (replica_up + replica_down)) * (site_up / (site_up + site_down));
    let exact = 1.0 - (1.0 - unit) * (1.0 - unit);
    let a = option.availability;
    assert_close("two sites, active-active: availability", a.mean, a.std_error, exact);
    // Outages per class: a site outage takes a unit down, and so does a replica failure.
    let classes: Vec<&str> = option.disruptions.iter().map(|d| d.class.as_str()).collect();
    assert_eq!(classes, ["replica failure", "site outage"]);
    let site_outages = &option.disruptions[1];
    let per_year = 2.0 * HOURS_PER_YEAR / (site_up + site_down);
    println!(
        "site outages per year: {:.4} (exact {per_year:.4})",
        site_outages.events_per_year
    );
    assert!((site_outages.events_per_year - per_year).abs() < 0.02 * per_year);
}

#[test]
fn a_failover_across_sites_loses_one_cross_site_lag() {
    // A failover pair with synchronous replication in a site and asynchronous across:
    // with both replicas in one site no write is ever lost; with one per site, every
    // failover crosses and loses one lag draw, E[lag] = 5 min.
    let lag = 5.0 / 60.0;
    let tier = |placement: [&str; 2]| {
        Tier::builder("db")
            .with_replicas(2)
            .with_placement(placement)
            .with_failover(Failover::new().with_detection(Distribution::fixed(1.0 / 60.0).expect("valid")))
            .with_replication(Replication::new().with_cross_site_lag(exponential(lag)))
            .with_failure(crash(500.0, 5.0))
            .build()
            .expect("valid tier")
    };
    let sites = || {
        vec![
            Site::builder("east").build().expect("valid"),
            Site::builder("west").build().expect("valid"),
        ]
    };
    let local = Service::with_sites("local", sites(), vec![tier(["east", "east"])]).expect("valid");
    let across = Service::with_sites("across", sites(), vec![tier(["east", "west"])]).expect("valid");
    let local = in_service(&local, 20_000, 72);
    assert!(local.failover.switchovers_per_year > 10.0);
    assert_eq!(
        local.data_loss_hours_per_year.at_failover.mean, 0.0,
        "synchronous in a site"
    );
    assert_eq!(
        local.failover.cross_site.switchovers_per_year, 0.0,
        "no failover crosses"
    );
    let across = in_service(&across, 20_000, 72);
    let at_failover = across.data_loss_hours_per_year.at_failover;
    // The lag draws are independent of how many failovers there are, so their total
    // has mean E[lag]·switchovers; the count's own noise is shared by both sides.
    let exact = lag * across.failover.switchovers_per_year;
    assert_close(
        "cross-site failovers: hours of writes lost per year",
        at_failover.mean,
        at_failover.std_error,
        exact,
    );
    assert_eq!(across.data_loss_hours_per_year.mean, at_failover.mean, "no restores");
    assert_eq!(
        across.failover.cross_site.switchovers_per_year, across.failover.switchovers_per_year,
        "every failover crosses"
    );
    let per_event = across.data_loss_hours_per_year.at_failover.mean / across.failover.switchovers_per_year;
    println!("data lost per cross-site failover: {per_event:.5} h (E[lag] {lag:.5} h)");
}

/// A failover pair whose standby stands in the other site and fails silently (a DR
/// site that drifts), found by a demand or by a DR test, with a cross-site detection
/// of rate `delta`: states 0 up with a healthy standby, 1 up with the standby dead
/// unnoticed, 2 up with the other replica in repair, 3 down with both in repair, 4
/// down while the loss is being declared (the standby healthy), 5 the same with the
/// standby dead.
fn dr_chain(lambda: f64, mu: f64, delta: f64) -> Vec<Vec<f64>> {
    generator(
        6,
        &[
            (0, 1, lambda),   // the standby drifts
            (0, 4, lambda),   // the primary fails: the loss is declared...
            (1, 5, lambda),   // ... with the standby already dead
            (2, 0, mu),       // the repair ends: a standby again
            (2, 3, lambda),   // the primary fails with no standby
            (3, 2, 2.0 * mu), // the first repair ends: it serves
            (4, 2, delta),    // declared: the standby takes over
            (4, 5, lambda),   // the standby drifts meanwhile
            (4, 0, mu),       // the primary is back first: the failover is called off
            (5, 3, delta),    // declared: the standby is found dead
            (5, 1, mu),       // the primary is back first, the standby still dead
        ],
    )
}

#[test]
fn a_drifting_dr_site_and_its_yearly_dr_test_match_the_periodic_chain() {
    // The DR test, once a year at a random phase, finds a dead standby (1 → 2, and 5 →
    // 3); the state just after a test has the periodic law π = π·e^{QT}·D.
    let (lambda, mu, delta) = (1.0 / 3000.0, 1.0 / 24.0, 1.0 / 2.0);
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_placement(["main", "dr"])
        .with_failover(
            Failover::new().with_cross_site(
                CrossSite::new()
                    .with_detection(exponential(1.0 / delta))
                    .with_standby_failures(StandbyFailures::Latent)
                    .with_test_every(HOURS_PER_YEAR),
            ),
        )
        .with_failure(crash(1.0 / lambda, 1.0 / mu))
        .build()
        .expect("valid tier");
    let sites = vec![
        Site::builder("main").build().expect("valid"),
        Site::builder("dr").build().expect("valid"),
    ];
    let service = Service::with_sites("dr", sites, vec![tier]).expect("valid");
    let q = dr_chain(lambda, mu, delta);
    let test = |p: &[f64]| {
        let moved = [p[0], 0.0, p[2] + p[1], p[3] + p[5], p[4], 0.0].map(|x| x.max(0.0));
        let total: f64 = moved.iter().sum();
        moved.iter().map(|x| x / total).collect::<Vec<f64>>()
    };
    let mut pi = vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    for _ in 0..200 {
        pi = test(&evolve(&q, &pi, HOURS_PER_YEAR).1);
    }
    let (occupancy, end) = evolve(&q, &pi, HOURS_PER_YEAR);
    let exact = 1.0 - (occupancy[3] + occupancy[4] + occupancy[5]) / HOURS_PER_YEAR;
    let option = in_service(&service, 200_000, 73);
    let a = option.availability;
    assert_close(
        "drifting DR site, yearly DR test: availability",
        a.mean,
        a.std_error,
        exact,
    );
    let found = option.failover.latent_found_per_year;
    let se = (found * (1.0 - found) / option.replications as f64).sqrt();
    assert_close(
        "drifting DR site: dead standbys found by DR tests per year",
        found,
        se,
        end[1] + end[5],
    );
    assert_eq!(
        option.failover.cross_site.latent_found_per_year, found,
        "all by DR tests"
    );
    // The cross-site detection is the one used: with the local one (instant) the
    // availability would be measurably higher.
    let declared = option
        .disruptions
        .iter()
        .find(|d| d.class == "replica failure")
        .expect("replica failures");
    println!(
        "outages started by replica failures: mean {:.3} h (declaring takes {:.1} h)",
        declared.outage_hours.mean,
        1.0 / delta
    );
    assert!(
        declared.outage_hours.p50 > 0.5,
        "the failover waits for the declaration"
    );
}

#[test]
fn a_disaster_loses_the_backups_kept_on_site() {
    // One database in one site whose fire (every 20 years, 30 days to rebuild) destroys
    // it. Backups kept on site burn with it: every disaster is a loss for good. Kept
    // elsewhere, every disaster is restored, losing on average half a backup interval
    // (the backups' phase is random; a backup taken during an earlier restore is
    // useless, which happens with probability about restore / (20 years): an allowance
    // of T times that).
    let every = 24.0;
    let fire = Site::builder("main")
        .with_failure(
            FailureMode::new(
                "fire",
                exponential(20.0 * HOURS_PER_YEAR),
                Distribution::fixed(720.0).expect("valid"),
            )
            .with_destroys_data(true),
        )
        .build()
        .expect("valid site");
    let tier = |backup: Backup| {
        // Nothing but the fire fails.
        Tier::builder("db")
            .with_placement(["main"])
            .with_backup(backup)
            .build()
            .expect("valid tier")
    };
    let restore = Distribution::fixed(4.0).expect("valid");
    let onsite = tier(Backup::new(every, restore.clone()).with_site("main"));
    let offsite = tier(Backup::new(every, restore));
    let onsite = Service::with_sites("on site", vec![fire.clone()], vec![onsite]).expect("valid");
    let offsite = Service::with_sites("off site", vec![fire], vec![offsite]).expect("valid");

    let option = in_service(&onsite, 100_000, 74);
    let disasters = &option.disruptions[0];
    assert_eq!(option.disruptions.len(), 1);
    assert_eq!(disasters.class, "site disaster");
    assert_eq!(disasters.lost_for_good, 1.0, "every disaster is a loss for good");
    assert_eq!(option.restore_events_per_year.mean, 0.0);
    // A fire's clock runs from the end of the last one: one per 20 years and 30 days.
    let fires = HOURS_PER_YEAR / (20.0 * HOURS_PER_YEAR + 720.0);
    let u = option.unrecoverable_events_per_year;
    assert!(
        (u.mean - disasters.events_per_year).abs() < 1e-12,
        "one loss per disaster"
    );
    assert_close("backups on site: losses for good per year", u.mean, u.std_error, fires);

    let option = in_service(&offsite, 100_000, 74);
    let disasters = &option.disruptions[0];
    assert_eq!(disasters.lost_for_good, 0.0, "every disaster is restored");
    assert_eq!(option.unrecoverable_events_per_year.mean, 0.0);
    let restores = option.restore_events_per_year;
    assert!(
        (restores.mean - disasters.events_per_year).abs() < 1e-12,
        "one restore per disaster"
    );
    assert_close(
        "backups off site: restores per year",
        restores.mean,
        restores.std_error,
        fires,
    );
    // Data lost per disaster: uniform on [0, T] given the random phase. Its standard
    // error from the losses themselves (T/√12 each).
    let lost = option.data_loss_hours_per_year;
    let per_restore = lost.mean / restores.mean;
    let n = restores.mean * option.replications as f64;
    let se = every / 12f64.sqrt() / n.sqrt();
    assert_within(
        "backups off site: hours lost per disaster",
        per_restore,
        se,
        every / 2.0,
        every * 4.0 / (20.0 * HOURS_PER_YEAR),
    );
}

#[test]
fn a_site_costs_the_options_that_use_it() {
    // A second site's yearly cost enters the infrastructure of the option that places a
    // replica or keeps backups there, and only of those.
    use nines::Costs;
    let sites = || {
        vec![
            Site::builder("main").with_fixed_cost(1_000.0).build().expect("valid"),
            Site::builder("dr").with_fixed_cost(250_000.0).build().expect("valid"),
        ]
    };
    let tier = |placement: [&str; 2], backup_site: Option<&str>| {
        let mut backup = Backup::new(24.0, exponential(2.0));
        if let Some(site) = backup_site {
            backup = backup.with_site(site);
        }
        Tier::builder("db")
            .with_replicas(2)
            .with_placement(placement)
            .with_cost_per_replica(10_000.0)
            .with_backup(backup)
            .with_failure(crash(4000.0, 4.0))
            .build()
            .expect("valid tier")
    };
    let options = [
        Service::with_sites("one site", sites(), vec![tier(["main", "main"], None)]).expect("valid"),
        Service::with_sites("backups at dr", sites(), vec![tier(["main", "main"], Some("dr"))]).expect("valid"),
        Service::with_sites("two sites", sites(), vec![tier(["main", "dr"], None)]).expect("valid"),
    ];
    let report = Simulation::new()
        .with_replications(1000)
        .with_costs(Costs::new("EUR"))
        .run_options("sites", &options)
        .expect("runs");
    let infrastructure: Vec<f64> = report
        .options
        .iter()
        .map(|o| o.cost.as_ref().expect("costs").infrastructure)
        .collect();
    assert_eq!(infrastructure, [21_000.0, 271_000.0, 271_000.0]);
    for (service, cost) in options.iter().zip(&infrastructure) {
        assert_eq!(service.infrastructure_cost(), *cost);
    }
}

#[test]
fn importance_of_a_site_holding_every_replica() {
    // Two active replicas, either enough, both in one site: the site is a single point
    // of failure. Everything exponential and independent, at steady state: the site
    // is down u_s of the time, all of it service downtime, and its own; the tier is
    // down of its own accord while both replicas have failed and the site is up,
    // (1 − u_s)·u_r²; perfecting the site removes the hours it is down while a replica
    // could serve, H·u_s·(1 − u_r²).
    let (replica_up, replica_down) = (1000.0, 20.0);
    let (site_up, site_down) = (2000.0, 50.0);
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_sites(["east", "east"])
        .with_failure(crash(replica_up, replica_down))
        .build()
        .expect("valid tier");
    let service = Service::with_sites("one site", vec![site("east", site_up, site_down)], vec![tier]).expect("valid");
    let importance = Simulation::new()
        .with_replications(40_000)
        .with_seed(12)
        .importance(&service)
        .expect("runs");
    let kinds: Vec<(&str, &str, bool)> = importance
        .iter()
        .map(|i| (i.component.as_str(), i.kind.as_str(), i.single_point_of_failure))
        .collect();
    assert_eq!(kinds, [("east", "site", true), ("db", "tier", false)]);
    let u_site = site_down / (site_up + site_down);
    let u_replica = replica_down / (replica_up + replica_down);
    let (east, db) = (&importance[0], &importance[1]);
    let u = east.unavailability;
    assert_close("the site: own unavailability", u.mean, u.std_error, u_site);
    let u = db.unavailability;
    let exact = (1.0 - u_site) * u_replica * u_replica;
    assert_close("the tier in it: own unavailability", u.mean, u.std_error, exact);
    let removed = east.downtime_removed_hours_per_year;
    let exact = HOURS_PER_YEAR * u_site * (1.0 - u_replica * u_replica);
    assert_close("the site: downtime removed", removed.mean, removed.std_error, exact);
    // The service's downtime is the site's and the tier's own, apart: the shares are
    // their own downtimes' parts of it.
    let share = east.share_of_downtime;
    let exact = u_site / (u_site + (1.0 - u_site) * u_replica * u_replica);
    assert_close("the site: share of the downtime", share.mean, share.std_error, exact);
    assert!((east.share_of_downtime.mean + db.share_of_downtime.mean - 1.0).abs() < 1e-9);
}
