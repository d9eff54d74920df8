//! The state machine, event by event: fixed durations make every time exact, and the
//! trace of what happened is compared with what the semantics say must happen.

use super::*;
use crate::dist::Distribution;
use crate::model::{Backup, CrossSite, Failover, FailureMode, Replication, Service, Site, StandbyFailures, Tier};
use Happening::*;

fn fixed(hours: f64) -> Distribution {
    Distribution::fixed(hours).expect("valid duration")
}

/// Everything a history reports.
#[derive(Debug, Default)]
struct Recorder {
    happenings: Vec<(f64, Happening)>,
    windows: Vec<Window>,
    outages: Vec<(f64, f64, bool)>,
    disruptions: Vec<(Class, Option<f64>)>,
}

impl Observer for Recorder {
    fn outage(&mut self, start: f64, end: f64, cut: bool, _class: Class, _planned: bool) {
        self.outages.push((start, end, cut));
    }

    fn window(&mut self, window: &Window) {
        self.windows.push(window.clone());
    }

    fn disruption(&mut self, class: Class, hours: Option<f64>) {
        self.disruptions.push((class, hours));
    }

    fn happening(&mut self, at: f64, what: Happening) {
        if !matches!(what, WindowOpens | WindowCloses) {
            self.happenings.push((at, what));
        }
    }
}

/// Runs history 0 of a one-tier service from an as-new start over `horizon` hours.
fn run(tier: Tier, horizon: f64) -> Recorder {
    run_service(Service::new("test", vec![tier]).expect("valid service"), horizon)
}

/// Runs history 0 of `service` from an as-new start over `horizon` hours.
fn run_service(service: Service, horizon: f64) -> Recorder {
    let plan = Plan::new(&service);
    let schedule = Schedule {
        as_new: true,
        warm_up: 0.0,
        horizon,
        windows: 1,
    };
    let mut engine = Engine::new(&plan, schedule, 1);
    let mut recorder = Recorder::default();
    engine.run(0, &mut recorder);
    // One tier in the request path (the plan's other tiers are dependencies).
    assert_eq!(engine.plan().tiers.iter().filter(|t| !t.dependency).count(), 1);
    assert_eq!(recorder.windows.len(), 1, "one window");
    recorder
}

#[test]
fn a_failover_that_finds_its_standby_dead_waits_for_a_repair() {
    // Both replicas fail at 100 h (a hot standby ages like the primary); the standby's
    // failure is latent. The demand takes 1 h to detect, then 2 h to switch over to
    // the dead standby, which is found and sent to repair; with no standby left the
    // tier waits for the first repair (the primary's, at 110 h).
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_failover(
            Failover::new()
                .with_detection(fixed(1.0))
                .with_switchover(fixed(2.0))
                .with_standby_failures(StandbyFailures::Latent),
        )
        .with_failure(FailureMode::new("crash", fixed(100.0), fixed(10.0)))
        .build()
        .expect("valid tier");
    let trace = run(tier, 150.0);
    assert_eq!(
        trace.happenings,
        [
            (100.0, Fails { replica: 0, mode: 0 }),
            (100.0, Demand { tier: 0 }),
            (100.0, TierDown { tier: 0 }),
            (100.0, FailsSilently { replica: 1, mode: 0 }),
            (101.0, Switchover { tier: 0, standby: 1 }),
            (103.0, FoundDead { tier: 0, standby: 1 }),
            (103.0, NoStandby { tier: 0 }),
            (110.0, Repaired { replica: 0 }),
            (110.0, TierUp { tier: 0 }),
            (113.0, Repaired { replica: 1 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!((window.downtime, window.outages), (10.0, 1));
    assert_eq!(
        (
            window.demands,
            window.failed_demands,
            window.dead_standby,
            window.no_standby,
            window.switchovers
        ),
        (1, 1, 1, 1, 0)
    );
    assert_eq!(window.tiers[0].failures, 2);
    assert_eq!(trace.outages, [(100.0, 110.0, false)]);
}

#[test]
fn a_restore_walks_back_through_bad_backups_and_skips_them_later() {
    // Backups every 10 h, none restorable but the as-new one at 0. The disk dies at
    // 50 h: backups 5, 4, 3, 2, 1 are tried and found bad, then 0 loads: six attempts
    // of 2 h, 50 h of data lost, up again at 62 h. Backup 6 (at 60 h) was taken during
    // the restore, with no data. The next loss, at 112 h, tries 11 down to 7, skips 6
    // to 1 without trying them, and loads 0 again.
    let tier = Tier::builder("db")
        .with_failure(FailureMode::new("disk", fixed(50.0), fixed(1.0)).with_destroys_data(true))
        .with_backup(Backup::new(10.0, fixed(2.0)).with_success(0.0))
        .build()
        .expect("valid tier");
    let trace = run(tier, 130.0);
    assert_eq!(
        trace.happenings,
        [
            (50.0, Fails { replica: 0, mode: 0 }),
            (
                50.0,
                Restore {
                    tier: 0,
                    backup: 0,
                    tried: 6,
                    lost: 50.0
                }
            ),
            (50.0, TierDown { tier: 0 }),
            (62.0, Restored { tier: 0 }),
            (62.0, TierUp { tier: 0 }),
            (112.0, Fails { replica: 0, mode: 0 }),
            (
                112.0,
                Restore {
                    tier: 0,
                    backup: 0,
                    tried: 6,
                    lost: 112.0
                }
            ),
            (112.0, TierDown { tier: 0 }),
            (124.0, Restored { tier: 0 }),
            (124.0, TierUp { tier: 0 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!(
        (
            window.restores,
            window.bad_backups,
            window.data_lost,
            window.unrecoverable
        ),
        (2, 10, 162.0, 0)
    );
    assert_eq!(window.downtime, 24.0);
}

#[test]
fn a_restore_loads_the_newest_good_backup() {
    let tier = Tier::builder("db")
        .with_failure(FailureMode::new("disk", fixed(50.0), fixed(1.0)).with_destroys_data(true))
        .with_backup(Backup::new(15.0, fixed(2.0)))
        .build()
        .expect("valid tier");
    let trace = run(tier, 60.0);
    assert_eq!(
        trace.happenings[1],
        (
            50.0,
            Restore {
                tier: 0,
                backup: 3,
                tried: 1,
                lost: 5.0
            }
        )
    );
    assert_eq!(trace.windows[0].data_lost, 5.0);
}

#[test]
fn repairs_queue_for_crews_first_come_first_served() {
    // Three replicas fail together at 100 h; one crew repairs them in turn.
    let tier = Tier::builder("app")
        .with_replicas(3)
        .with_repair_crews(1)
        .with_failure(FailureMode::new("crash", fixed(100.0), fixed(10.0)))
        .build()
        .expect("valid tier");
    let trace = run(tier, 200.0);
    assert_eq!(
        trace.happenings,
        [
            (100.0, Fails { replica: 0, mode: 0 }),
            (100.0, Fails { replica: 1, mode: 0 }),
            (100.0, Queued { replica: 1 }),
            (100.0, Fails { replica: 2, mode: 0 }),
            (100.0, Queued { replica: 2 }),
            (100.0, TierDown { tier: 0 }),
            (110.0, Repaired { replica: 0 }),
            (110.0, TierUp { tier: 0 }),
            (120.0, Repaired { replica: 1 }),
            (130.0, Repaired { replica: 2 }),
        ]
    );
    assert_eq!(trace.windows[0].downtime, 10.0);
    assert_eq!(trace.windows[0].tiers[0].failures, 3);
}

#[test]
fn after_a_loss_for_good_the_tier_waits_for_the_rebuild() {
    // A failover pair whose only mode destroys data (every 100 h, rebuilt in 60 h); the
    // standby ages at half speed. At 100 h the primary's disk dies: it is rebuilt from
    // the standby, which takes over at once, half-aged. At 150 h the new primary's disk
    // dies while the old one is still rebuilding: no copy is left, the data is lost
    // for good. The old primary is back at 160 h, but holds nothing: the tier stays
    // down until the rebuild ends at 210 h.
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_failover(Failover::new().with_dormant_factor(0.5))
        .with_failure(FailureMode::new("disk", fixed(100.0), fixed(60.0)).with_destroys_data(true))
        .build()
        .expect("valid tier");
    let trace = run(tier, 250.0);
    assert_eq!(
        trace.happenings,
        [
            (100.0, Fails { replica: 0, mode: 0 }),
            (100.0, Demand { tier: 0 }),
            (100.0, TierDown { tier: 0 }),
            (100.0, Switchover { tier: 0, standby: 1 }),
            (
                100.0,
                TakesOver {
                    tier: 0,
                    replica: 1,
                    lost: 0.0
                }
            ),
            (100.0, TierUp { tier: 0 }),
            (150.0, Fails { replica: 1, mode: 0 }),
            (150.0, LostForGood { tier: 0 }),
            (150.0, Demand { tier: 0 }),
            (150.0, TierDown { tier: 0 }),
            (150.0, NoStandby { tier: 0 }),
            (160.0, Repaired { replica: 0 }),
            (210.0, Repaired { replica: 1 }),
            (210.0, Rebuilt { tier: 0 }),
            (210.0, TierUp { tier: 0 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!((window.downtime, window.outages, window.unrecoverable), (60.0, 1, 1));
    assert_eq!(window.data_lost, 0.0, "a loss for good is an event, not hours of data");
    assert_eq!((window.demands, window.switchovers, window.no_standby), (2, 1, 1));
}

#[test]
fn drills_find_latent_failures_and_take_the_tier_down_while_they_run() {
    // Both replicas fail at 50 h, the standby silently; the primary's demand takes 1 h
    // to detect, and the drill due at 50 h finds the dead standby first (and takes the
    // tier down for 1 h), so the switchover finds no standby. The next drill, at
    // 100 h, finds nothing but still takes 1 h.
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_failover(
            Failover::new()
                .with_detection(fixed(1.0))
                .with_standby_failures(StandbyFailures::Latent)
                .with_test_every(50.0)
                .with_test_duration(fixed(1.0)),
        )
        .with_failure(FailureMode::new("crash", fixed(50.0), fixed(5.0)))
        .build()
        .expect("valid tier");
    let trace = run(tier, 101.5);
    assert_eq!(
        trace.happenings,
        [
            (50.0, Fails { replica: 0, mode: 0 }),
            (50.0, Demand { tier: 0 }),
            (50.0, TierDown { tier: 0 }),
            (50.0, FailsSilently { replica: 1, mode: 0 }),
            (50.0, Drill { tier: 0, found: 1 }),
            (51.0, NoStandby { tier: 0 }),
            (51.0, DrillEnds { tier: 0 }),
            (55.0, Repaired { replica: 0 }),
            (55.0, TierUp { tier: 0 }),
            (55.0, Repaired { replica: 1 }),
            (100.0, Drill { tier: 0, found: 0 }),
            (100.0, TierDown { tier: 0 }),
            (101.0, DrillEnds { tier: 0 }),
            (101.0, TierUp { tier: 0 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!((window.downtime, window.outages, window.latent_found), (6.0, 2, 1));
    assert_eq!(
        (
            window.demands,
            window.failed_demands,
            window.no_standby,
            window.dead_standby
        ),
        (1, 1, 1, 0)
    );
}

#[test]
fn a_window_opening_during_an_outage_cuts_it() {
    // In service: a warm-up of 105 h, then two windows of 100 h. The replica is down
    // from 100 h to 110 h: the first window sees the outage from its start, cut.
    let tier = Tier::builder("db")
        .with_failure(FailureMode::new("crash", fixed(100.0), fixed(10.0)))
        .build()
        .expect("valid tier");
    let service = Service::new("test", vec![tier]).expect("valid service");
    let plan = Plan::new(&service);
    let schedule = Schedule {
        as_new: false,
        warm_up: 105.0,
        horizon: 100.0,
        windows: 2,
    };
    let mut engine = Engine::new(&plan, schedule, 1);
    let mut recorder = Recorder::default();
    engine.run(0, &mut recorder);
    assert_eq!(recorder.windows.len(), 2);
    // Down 100–110 h (the window opens at 105 h: cut), 210–220 h, 320–330 h (after).
    assert_eq!(recorder.outages, [(0.0, 5.0, true), (5.0, 15.0, false)]);
    assert_eq!((recorder.windows[0].downtime, recorder.windows[0].outages), (5.0, 1));
    assert_eq!((recorder.windows[1].downtime, recorder.windows[1].outages), (10.0, 1));
    assert_eq!(recorder.windows[0].events, 1, "the repair at 110 h");
    assert_eq!(recorder.windows[1].events, 2, "the failure at 210 h and its repair");
}

/// A site that goes down at `at` hours, for `down` hours (`disaster`: destroying what
/// it holds), and never again within the tests' horizons.
fn site(name: &str, at: f64, down: f64, disaster: bool) -> Site {
    Site::builder(name)
        .with_failure(FailureMode::new("down", fixed(at), fixed(down)).with_destroys_data(disaster))
        .build()
        .expect("valid site")
}

/// A failure mode that does not fire within the tests' horizons.
fn never() -> FailureMode {
    FailureMode::new("crash", fixed(1000.0), fixed(1.0))
}

#[test]
fn a_site_outage_fails_over_to_the_other_site_losing_a_cross_site_lag() {
    // The primary's site is down from 100 h to 110 h: no standby is left in it, so the
    // failover is cross-site (1 h to declare, 2 h to switch over) and the standby takes
    // over without the last half hour of writes. When the site is back, the old
    // primary stands by: there is no failback.
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_placement(["main", "dr"])
        .with_failover(
            Failover::new().with_cross_site(CrossSite::new().with_detection(fixed(1.0)).with_switchover(fixed(2.0))),
        )
        .with_replication(Replication::new().with_cross_site_lag(fixed(0.5)))
        .with_failure(never())
        .build()
        .expect("valid tier");
    let sites = vec![
        site("main", 100.0, 10.0, false),
        Site::builder("dr").build().expect("valid"),
    ];
    let service = Service::with_sites("test", sites, vec![tier]).expect("valid service");
    let trace = run_service(service, 150.0);
    assert_eq!(
        trace.happenings,
        [
            (
                100.0,
                SiteDown {
                    site_mode: 0,
                    disaster: false
                }
            ),
            (100.0, Demand { tier: 0 }),
            (100.0, TierDown { tier: 0 }),
            (101.0, Switchover { tier: 0, standby: 1 }),
            (
                103.0,
                TakesOver {
                    tier: 0,
                    replica: 1,
                    lost: 0.5
                }
            ),
            (103.0, TierUp { tier: 0 }),
            (110.0, SiteBack { site_mode: 0 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!((window.downtime, window.demands, window.switchovers), (3.0, 1, 1));
    assert_eq!((window.data_lost, window.data_lost_at_failover), (0.5, 0.5));
    assert_eq!(window.disruptions[Class::SiteOutage as usize], 1);
    assert_eq!(trace.disruptions, [(Class::SiteOutage, Some(0.5))]);
}

#[test]
fn a_disaster_is_restored_from_backups_kept_elsewhere() {
    // The only site burns at 50 h and is rebuilt by 70 h; the backups (every 15 h) are
    // kept elsewhere: the one of 45 h is restored (5 h of writes lost) by 52 h, and the
    // tier serves again when its site is back.
    let tier = Tier::builder("db")
        .with_placement(["main"])
        .with_backup(Backup::new(15.0, fixed(2.0)))
        .with_failure(never())
        .build()
        .expect("valid tier");
    let service = Service::with_sites("test", vec![site("main", 50.0, 20.0, true)], vec![tier]).expect("valid");
    let trace = run_service(service, 100.0);
    assert_eq!(
        trace.happenings,
        [
            (
                50.0,
                SiteDown {
                    site_mode: 0,
                    disaster: true
                }
            ),
            (
                50.0,
                Restore {
                    tier: 0,
                    backup: 3,
                    tried: 1,
                    lost: 5.0
                }
            ),
            (50.0, TierDown { tier: 0 }),
            (52.0, Restored { tier: 0 }),
            (70.0, SiteBack { site_mode: 0 }),
            (70.0, TierUp { tier: 0 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!((window.downtime, window.restores, window.data_lost), (20.0, 1, 5.0));
    assert_eq!(trace.disruptions, [(Class::SiteDisaster, Some(5.0))]);
}

#[test]
fn a_disaster_takes_the_backups_kept_on_site_with_it() {
    // The same, with the backups kept in the burning site: nothing brings the data
    // back; the tier is rebuilt empty when the site is.
    let tier = Tier::builder("db")
        .with_placement(["main"])
        .with_backup(Backup::new(15.0, fixed(2.0)).with_site("main"))
        .with_failure(never())
        .build()
        .expect("valid tier");
    let service = Service::with_sites("test", vec![site("main", 50.0, 20.0, true)], vec![tier]).expect("valid");
    let trace = run_service(service, 100.0);
    assert_eq!(
        trace.happenings,
        [
            (
                50.0,
                SiteDown {
                    site_mode: 0,
                    disaster: true
                }
            ),
            (50.0, LostForGood { tier: 0 }),
            (50.0, TierDown { tier: 0 }),
            (70.0, SiteBack { site_mode: 0 }),
            (70.0, Rebuilt { tier: 0 }),
            (70.0, TierUp { tier: 0 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!((window.downtime, window.restores, window.unrecoverable), (20.0, 0, 1));
    assert_eq!(trace.disruptions, [(Class::SiteDisaster, None)]);
}

#[test]
fn a_tier_that_found_no_standby_tries_again_when_its_site_is_back() {
    // Both replicas stand in the site that is down from 100 h to 110 h; they fail,
    // unnoticed, at 105 h. When the site is back, the waiting demand tries them: both
    // are found dead and repaired, and the first back serves at 115 h.
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_sites(["main"])
        .with_failover(Failover::new().with_standby_failures(StandbyFailures::Latent))
        .with_failure(FailureMode::new("crash", fixed(105.0), fixed(5.0)))
        .build()
        .expect("valid tier");
    let service = Service::with_sites("test", vec![site("main", 100.0, 10.0, false)], vec![tier]).expect("valid");
    let trace = run_service(service, 112.0 + 5.0);
    let down = SiteDown {
        site_mode: 0,
        disaster: false,
    };
    assert_eq!(
        trace.happenings,
        [
            (100.0, down),
            (100.0, Demand { tier: 0 }),
            (100.0, TierDown { tier: 0 }),
            (100.0, NoStandby { tier: 0 }),
            (105.0, FailsSilently { replica: 0, mode: 0 }),
            (105.0, FailsSilently { replica: 1, mode: 0 }),
            (110.0, SiteBack { site_mode: 0 }),
            (110.0, Switchover { tier: 0, standby: 0 }),
            (110.0, FoundDead { tier: 0, standby: 0 }),
            (110.0, Switchover { tier: 0, standby: 1 }),
            (110.0, FoundDead { tier: 0, standby: 1 }),
            (110.0, NoStandby { tier: 0 }),
            (115.0, Repaired { replica: 0 }),
            (115.0, TierUp { tier: 0 }),
            (115.0, Repaired { replica: 1 }),
        ]
    );
    assert_eq!(trace.windows[0].downtime, 15.0);
}

#[test]
fn a_disaster_destroys_no_data_of_a_tier_that_holds_none() {
    // A load balancer pair in the burning site: its servers burn and come back with
    // the site, but it loses no data, for good or otherwise.
    let tier = Tier::builder("lb")
        .with_replicas(2)
        .with_sites(["main"])
        .with_failure(never())
        .build()
        .expect("valid tier");
    let service = Service::with_sites("test", vec![site("main", 50.0, 20.0, true)], vec![tier]).expect("valid");
    let trace = run_service(service, 100.0);
    let window = &trace.windows[0];
    assert_eq!((window.downtime, window.unrecoverable, window.restores), (20.0, 0, 0));
    assert_eq!(trace.disruptions, [(Class::SiteDisaster, Some(0.0))]);
}

#[test]
fn a_site_nothing_stands_in_changes_nothing() {
    // Its failures are not even simulated: no disruption, no event.
    let tier = Tier::builder("db")
        .with_sites(["main"])
        .with_failure(never())
        .build()
        .expect("valid tier");
    let sites = vec![
        Site::builder("main").build().expect("valid"),
        site("elsewhere", 50.0, 20.0, true),
    ];
    let trace = run_service(Service::with_sites("test", sites, vec![tier]).expect("valid"), 100.0);
    assert!(trace.happenings.is_empty(), "{:?}", trace.happenings);
    assert!(trace.disruptions.is_empty());
}

#[test]
fn with_cross_site_settings_local_drills_leave_the_dr_standby_untested() {
    // Both replicas fail at 30 h, the standby in the DR site unnoticed; the primary's
    // demand takes an hour to declare. The local drill at 30.5 h finds the dead DR
    // standby when the tier has no cross-site settings, and leaves it alone when it
    // has (only DR tests test it).
    let drill = |cross: bool| {
        let mut failover = Failover::new()
            .with_detection(fixed(1.0))
            .with_standby_failures(StandbyFailures::Latent)
            .with_test_every(30.5);
        if cross {
            failover = failover.with_cross_site(CrossSite::new());
        }
        let tier = Tier::builder("db")
            .with_replicas(2)
            .with_placement(["main", "dr"])
            .with_failover(failover)
            .with_failure(FailureMode::new("crash", fixed(30.0), fixed(10.0)))
            .build()
            .expect("valid tier");
        let sites = vec![
            Site::builder("main").build().expect("valid"),
            Site::builder("dr").build().expect("valid"),
        ];
        let trace = run_service(Service::with_sites("test", sites, vec![tier]).expect("valid"), 31.0);
        trace
            .happenings
            .iter()
            .find_map(|(at, what)| match what {
                Drill { found, .. } => Some((*at, *found)),
                _ => None,
            })
            .expect("a drill")
    };
    assert_eq!(drill(false), (30.5, 1));
    assert_eq!(drill(true), (30.5, 0));
}

/// Every shipped scenario, every option, from both starts: the invariants that
/// `Engine::check` asserts after every event (compiled into the unit tests even in a
/// release build) hold through thousands of histories.
#[test]
fn the_invariants_hold_in_every_shipped_scenario() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the scenarios directory")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "shipped scenarios: {files:?}");
    let mut scenarios: Vec<(String, crate::Scenario)> = files
        .iter()
        .map(|file| {
            let scenario = crate::Scenario::load(file).expect("a shipped scenario loads");
            (file.display().to_string(), scenario)
        })
        .collect();
    scenarios.push(("shared dependencies".to_owned(), shared_dependencies()));
    for (file, scenario) in scenarios {
        for start in [crate::Start::New, crate::Start::Steady] {
            crate::Simulation::new()
                .with_replications(5_000)
                .with_seed(11)
                .with_start(start)
                .run_options(scenario.name(), scenario.options())
                .unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    }
}

/// Dependencies in every role the engine knows: a chain of them, one in a site that
/// fails, a redundant one, a failover tier whose replicas stand on different ones.
fn shared_dependencies() -> crate::Scenario {
    let text = r#"
name = "shared dependencies"
[[site]]
name = "main"
[[site.failure]]
name = "power cut"
every = "exp(mean=2000h)"
repair = "exp(mean=20h)"
[[dependency]]
name = "switch"
site = "main"
depends_on = ["feeds"]
[[dependency.failure]]
name = "dies"
every = "exp(mean=1500h)"
repair = "exp(mean=10h)"
[[dependency]]
name = "feeds"
replicas = 2
required = 1
repair_crews = 1
[[dependency.failure]]
name = "trips"
every = "exp(mean=300h)"
repair = "exp(mean=30h)"
[[dependency.failure]]
name = "both"
scope = "tier"
every = "exp(mean=5000h)"
repair = "exp(mean=5h)"
[[dependency]]
name = "other rack"
[[dependency.failure]]
name = "dies"
every = "exp(mean=800h)"
repair = "exp(mean=40h)"
[[tier]]
name = "app"
replicas = 2
depends_on = ["switch"]
[[tier.failure]]
name = "crash"
every = "exp(mean=700h)"
repair = "exp(mean=7h)"
[[tier]]
name = "db"
replicas = 3
strategy = "failover"
placement = ["main", "main", "main"]
replica_depends_on = [["switch"], ["other rack"], ["switch", "other rack"]]
[tier.failover]
detection = "exp(mean=0.1h)"
switchover = "exp(mean=0.2h)"
success = 0.9
manual_recovery = "exp(mean=2h)"
standby_failures = "latent"
test_every = "300h"
[tier.backup]
every = "24h"
restore = "exp(mean=3h)"
[[tier.failure]]
name = "crash"
every = "exp(mean=900h)"
repair = "exp(mean=9h)"
[[tier.failure]]
name = "disk"
every = "exp(mean=3000h)"
repair = "exp(mean=9h)"
destroys_data = true
"#;
    crate::Scenario::parse(text, crate::Format::Toml, "shared dependencies").expect("a valid scenario")
}

#[test]
fn a_dependency_failure_stops_the_replicas_on_it_and_a_failover_tier_switches_over() {
    // Two database servers on two power feeds; feed A (under the primary) fails at
    // 100 h for 10 h. The primary stops serving without failing: a demand, 1 h to
    // detect, 2 h to switch over to the standby on feed B. When feed A is back, the
    // old primary stands by.
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_replica_depends_on([["feed A"], ["feed B"]])
        .with_failover(Failover::new().with_detection(fixed(1.0)).with_switchover(fixed(2.0)))
        .with_failure(never())
        .build()
        .expect("valid tier");
    let feed = |name: &str, at: f64| {
        crate::model::Dependency::builder(name)
            .with_failure(FailureMode::new("trips", fixed(at), fixed(10.0)))
            .build()
            .expect("valid dependency")
    };
    let service = Service::with_dependencies(
        "test",
        Vec::new(),
        vec![feed("feed A", 100.0), feed("feed B", 1000.0)],
        vec![tier],
    )
    .expect("valid service");
    let trace = run_service(service, 150.0);
    assert_eq!(
        trace.happenings,
        [
            (100.0, Fails { replica: 2, mode: 0 }),
            (100.0, TierDown { tier: 1 }),
            (100.0, Demand { tier: 0 }),
            (100.0, TierDown { tier: 0 }),
            (101.0, Switchover { tier: 0, standby: 1 }),
            (
                103.0,
                TakesOver {
                    tier: 0,
                    replica: 1,
                    lost: 0.0
                }
            ),
            (103.0, TierUp { tier: 0 }),
            (110.0, Repaired { replica: 2 }),
            (110.0, TierUp { tier: 1 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!((window.downtime, window.demands, window.switchovers), (3.0, 1, 1));
    assert_eq!(window.disruptions[Class::DependencyFailure as usize], 1);
    assert_eq!(trace.disruptions, [(Class::DependencyFailure, Some(0.0))]);
}

#[test]
fn rolling_maintenance_of_a_failover_tier_switches_over_once_and_pauses_ageing() {
    // 1 of 2 with failover, standbys ageing at half speed; crashes after 120 h of
    // life, repaired in 10 h; a round at 100 h, 5 h per replica, planned switchovers
    // of 30 min. The standby (replica 1, 70 h of life left) goes first, then the
    // serving replica 0 (15 h left): the tier switches over to 1 (planned: no
    // detection, nothing lost), once. Replica 1 crashes at 175.25 h, not at 172.75 h:
    // its age stood still in maintenance. That demand is unplanned.
    let maintenance = crate::model::Maintenance::new(100.0, fixed(5.0)).with_switchover(fixed(0.5));
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_failover(
            Failover::new()
                .with_detection(fixed(1.0))
                .with_switchover(fixed(2.0))
                .with_dormant_factor(0.5),
        )
        .with_failure(FailureMode::new("crash", fixed(120.0), fixed(10.0)))
        .with_maintenance(maintenance)
        .build()
        .expect("valid tier");
    let trace = run(tier, 180.0);
    assert_eq!(
        trace.happenings,
        [
            (
                100.0,
                MaintenanceRound {
                    tier: 0,
                    skipped: false
                }
            ),
            (100.0, Maintained { replica: 1 }),
            (105.0, MaintenanceDone { replica: 1 }),
            (105.0, Maintained { replica: 0 }),
            (105.0, Switchover { tier: 0, standby: 1 }),
            (105.0, TierDown { tier: 0 }),
            (
                105.5,
                TakesOver {
                    tier: 0,
                    replica: 1,
                    lost: 0.0
                }
            ),
            (105.5, TierUp { tier: 0 }),
            (110.0, MaintenanceDone { replica: 0 }),
            (140.0, Fails { replica: 0, mode: 0 }),
            (150.0, Repaired { replica: 0 }),
            (175.25, Fails { replica: 1, mode: 0 }),
            (175.25, Demand { tier: 0 }),
            (175.25, TierDown { tier: 0 }),
            (176.25, Switchover { tier: 0, standby: 0 }),
            (
                178.25,
                TakesOver {
                    tier: 0,
                    replica: 0,
                    lost: 0.0
                }
            ),
            (178.25, TierUp { tier: 0 }),
        ]
    );
    let window = &trace.windows[0];
    assert_eq!(window.downtime, 3.5);
    assert_eq!(window.planned, 0.5);
    assert_eq!((window.outages, window.unplanned_outages), (2, 1));
    assert_eq!((window.demands, window.switchovers), (1, 1));
    assert_eq!(window.disruptions[Class::Maintenance as usize], 1);
}
