//! The discrete-event simulation of one history: a state machine over the plan's
//! components that tells an [`Observer`] what happens.
//!
//! A history starts as new (every replica new and up, the first `required` of a
//! failover tier serving and the others standing by, standbys healthy, every site up,
//! a good backup at t = 0). It runs through the warm-up, which is simulated but not
//! measured, then through its measured windows, one after the other, and ends with the
//! last window. Events come from [`Timers`]: each replica, tier-wide mode, site mode
//! and failover or backup step has a slot of its own, holding at most one time (one
//! beyond the history's end is never reached), so a history's cost is linear in its
//! events.
//!
//! The state, and the one place each part of it changes:
//! - a replica is `Healthy`, `Latent` (a standby that failed unnoticed) or `Broken`
//!   (known failed: in repair, queued for a crew, being restored, or lost with its
//!   site); it is `Serving` or `Standby`; it is *blocked* while the site it stands in
//!   is down; it *serves* while healthy, serving and not blocked ([`Engine::change`]
//!   keeps each tier's count of serving replicas);
//! - a tier is down while a tier-wide failure is being repaired, a drill or DR test is
//!   under way, its data is being restored or rebuilt, or fewer than `required`
//!   replicas serve ([`Engine::refresh`], which tells the books);
//! - a failover tier handles a demand step by step ([`Switch`]): detection, then a
//!   switchover to the standby chosen (in the failed replica's site first), then the
//!   standby either takes over (losing one replication lag of writes), is found dead
//!   (and the next is chosen), or needs a manual recovery.
//!
//! Ageing: a replica draws, at every renewal, a life per failure mode (competing
//! risks, each mode from its own stream) and keeps the shortest. A serving replica
//! consumes life at rate 1, a standby at its tier's dormant factor; a change of role
//! re-arms its timer. A blocked replica keeps ageing.
//!
//! Every event that can start an outage is a *disruption* of a class (a replica
//! failure, a tier-wide failure, a site outage or disaster, a destruction of data, a
//! test); the data it costs is gathered until what it set in motion is over (a
//! failover's lag is known when a standby takes over) and then reported with it.

use std::collections::VecDeque;

use super::backups::Unusable;
use super::books::{Books, Window};
use super::plan::{CLOCK, FailoverPlan, Plan, Slot, Steps, TestPlan, TierPlan};
use super::rng::{HistorySeed, Stream};
use super::timers::Timers;

/// The kinds of disruption, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    ReplicaFailure,
    TierWideFailure,
    DependencyFailure,
    SiteOutage,
    SiteDisaster,
    DataDestruction,
    Test,
    Maintenance,
}

impl Class {
    pub(crate) const ALL: [Class; 8] = [
        Class::ReplicaFailure,
        Class::TierWideFailure,
        Class::DependencyFailure,
        Class::SiteOutage,
        Class::SiteDisaster,
        Class::DataDestruction,
        Class::Test,
        Class::Maintenance,
    ];

    /// The name reports use: the report's list of classes is in this order.
    pub(crate) fn name(self) -> &'static str {
        crate::report::DisruptionReport::CLASSES[self as usize]
    }
}

/// What a history reports as it runs.
pub(crate) trait Observer {
    /// A service outage inside a measured window, from `start` to `end` \[h\] since
    /// the window's start; `cut` if it began before the window or was still running
    /// at its end; started by a disruption of `class`; `planned` if planned work alone
    /// kept the service down throughout.
    fn outage(&mut self, _start: f64, _end: f64, _cut: bool, _class: Class, _planned: bool) {}
    /// A restore or a failover inside a measured window lost `hours` of data.
    fn data_loss(&mut self, _hours: f64) {}
    /// A disruption of a measured window is over: it lost `hours` of data (`None`:
    /// some of it for good).
    fn disruption(&mut self, _class: Class, _hours: Option<f64>) {}
    /// A measured window closed, with its totals.
    fn window(&mut self, _window: &Window) {}
    /// Anything at all happened (warm-up included), for traces and tests.
    fn happening(&mut self, _at: f64, _what: Happening) {}
}

/// Something that happened in a history. Replicas, tier-wide modes and site modes are
/// numbered as in the plan (across all tiers or sites); tiers by their position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Happening {
    WindowOpens,
    WindowCloses,
    /// A replica failed and it is known.
    Fails {
        replica: u32,
        mode: u32,
    },
    /// A standby failed and nobody noticed.
    FailsSilently {
        replica: u32,
        mode: u32,
    },
    /// A failed replica waits for a repair crew.
    Queued {
        replica: u32,
    },
    Repaired {
        replica: u32,
    },
    TierFails {
        tier_mode: u32,
    },
    TierRepaired {
        tier_mode: u32,
    },
    /// A site goes down (`disaster`: and destroys what it holds).
    SiteDown {
        site_mode: u32,
        disaster: bool,
    },
    SiteBack {
        site_mode: u32,
    },
    /// A restore begins from backup `backup`, after `tried` attempts (the good one
    /// included), losing `lost` hours of data.
    Restore {
        tier: u32,
        backup: i64,
        tried: u64,
        lost: f64,
    },
    Restored {
        tier: u32,
    },
    /// Data destroyed with nothing to bring it back.
    LostForGood {
        tier: u32,
    },
    /// The tier's data was rebuilt after a loss for good.
    Rebuilt {
        tier: u32,
    },
    Demand {
        tier: u32,
    },
    Switchover {
        tier: u32,
        standby: u32,
    },
    FoundDead {
        tier: u32,
        standby: u32,
    },
    SwitchFailed {
        tier: u32,
        standby: u32,
    },
    NoStandby {
        tier: u32,
    },
    /// A standby takes over, losing `lost` hours of writes not yet replicated to it.
    TakesOver {
        tier: u32,
        replica: u32,
        lost: f64,
    },
    /// An active-active tier loses the writes a lost site had not yet replicated.
    LagLost {
        tier: u32,
        lost: f64,
    },
    Drill {
        tier: u32,
        found: u32,
    },
    DrTest {
        tier: u32,
        found: u32,
    },
    DrillEnds {
        tier: u32,
    },
    /// A maintenance round begins (`skipped`: the last one is still going).
    MaintenanceRound {
        tier: u32,
        skipped: bool,
    },
    /// A replica goes into maintenance, or comes back from it.
    Maintained {
        replica: u32,
    },
    MaintenanceDone {
        replica: u32,
    },
    TierDown {
        tier: u32,
    },
    TierUp {
        tier: u32,
    },
}

impl Happening {
    /// A tier (or dependency) went down, or came back.
    fn tier(tier: u32, down: bool) -> Happening {
        if down {
            Happening::TierDown { tier }
        } else {
            Happening::TierUp { tier }
        }
    }
}

/// How a history is laid out in time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Schedule {
    /// As new at t = 0 (backups and drills from t = 0), or in service (their phase
    /// random).
    pub(crate) as_new: bool,
    /// Simulated, not measured \[h\].
    pub(crate) warm_up: f64,
    /// The length of each measured window \[h\].
    pub(crate) horizon: f64,
    /// Consecutive windows measured after the warm-up.
    pub(crate) windows: u64,
}

impl Schedule {
    /// When the history ends: after its last window \[h\].
    pub(crate) fn end(&self) -> f64 {
        self.boundary(self.windows)
    }

    /// The start of window `index` (its end is the start of the next).
    fn boundary(&self, index: u64) -> f64 {
        self.warm_up + index as f64 * self.horizon
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Health {
    Healthy,
    /// Failed while standing by, and nobody knows.
    Latent,
    /// Failed and known: in repair, queued for a crew, being restored, or lost with
    /// its site.
    Broken,
    /// In planned maintenance: it does not fail, and holds no copy to rebuild from.
    Maintained,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Serving,
    Standby,
}

#[derive(Debug, Clone)]
struct Replica {
    /// From the plan, kept here where the hot path reads it: the replica's tier, its
    /// site, its timer slot and its first stream.
    tier: u32,
    site: Option<u32>,
    slot: u32,
    streams: u32,
    health: Health,
    role: Role,
    /// How many of the things it stands on are down (its site).
    blockers: u32,
    /// Destroyed with its site: back, empty, when the site is.
    with_site: bool,
    /// It stopped serving for planned work (its maintenance, a dependency's) and its
    /// place is not filled yet: while the planned work alone keeps it out, the
    /// downtime that causes is planned.
    holds: bool,
    /// Its turn in the rolling round under way has come.
    done: bool,
    /// Life left before the pending failure, in serving-hours (healthy), or the mode
    /// being repaired (broken) or that failed silently (latent).
    life: f64,
    mode: u32,
    /// When `life` was last brought up to date.
    since: f64,
}

impl Replica {
    /// Whether it counts towards its tier's `required`.
    #[inline]
    fn serves(&self) -> bool {
        self.health == Health::Healthy && self.role == Role::Serving && self.blockers == 0
    }

    /// Whether a switchover could pick it: a standby not known to be failed, reachable.
    #[inline]
    fn candidate(&self) -> bool {
        self.role == Role::Standby && matches!(self.health, Health::Healthy | Health::Latent) && self.blockers == 0
    }
}

/// The speed at which `replica` (of `tier`) consumes its life in its role: a standby
/// at its tier's dormant factor, anything else at 1.
#[inline]
fn ageing_rate(replica: &Replica, tier: &TierPlan) -> f64 {
    match (replica.role, &tier.failover) {
        (Role::Standby, Some(failover)) => failover.dormant_factor,
        _ => 1.0,
    }
}

/// When a replica with `life` serving-hours left fails, ageing at `rate` from `now`
/// (never, at rate 0).
#[inline]
fn failure_time(now: f64, life: f64, rate: f64) -> f64 {
    // Serving replicas (rate 1) are the common case: no division on the hot path.
    if rate == 1.0 {
        now + life
    } else if rate > 0.0 {
        now + life / rate
    } else {
        f64::INFINITY
    }
}

/// A clock for a whole tier or site.
#[derive(Debug, Clone, Default)]
struct Clock {
    lives: Stream,
    repairs: Stream,
    /// Being repaired (or restored, or rebuilt): what it hits is down.
    repairing: bool,
}

/// What was destroyed, and is being restored or rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lost {
    /// The only copy, on this replica.
    Replica(u32),
    /// Every copy, by this tier-wide mode.
    TierMode(u32),
    /// Every copy, in this site.
    Site(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Data {
    Intact,
    /// From a backup.
    Restoring(Lost),
    /// From nothing, after a loss for good.
    Rebuilding(Lost),
}

/// Where a failover tier is in handling a demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switch {
    Idle,
    /// Noticing the failure.
    Detecting,
    /// Switching over to this standby.
    Switching(u32),
    /// The switchover to this standby failed; it is being brought up by hand.
    Manual(u32),
    /// No standby left: the first replica back will serve.
    Waiting,
}

/// The streams of one set of failover steps.
#[derive(Debug, Clone, Default)]
struct StepStreams {
    detection: Stream,
    switchover: Stream,
    success: Stream,
    manual_recovery: Stream,
}

#[derive(Debug, Clone)]
struct TierState {
    /// Replicas that serve.
    serving: u32,
    /// Tier-wide modes being repaired.
    outages: u32,
    /// A drill or DR test is under way.
    testing: bool,
    data: Data,
    /// When the data was destroyed (while it is not intact).
    lost_at: f64,
    busy_crews: u32,
    queue: VecDeque<u32>,
    switch: Switch,
    /// Whether the demand under way has had a failed attempt.
    demand_failed: bool,
    /// The site of the replica the demand under way replaces.
    demand_site: Option<u32>,
    /// The disruption that started the demand under way.
    demand_event: Option<usize>,
    unusable: Unusable,
    /// When backup 0 was taken (≤ 0).
    first_backup: f64,
    local: StepStreams,
    remote: StepStreams,
    drill_durations: Stream,
    dr_durations: Stream,
    lag: Stream,
    cross_site_lag: Stream,
    restores: Stream,
    /// Maintenance: whether a rolling round is under way, the replicas in
    /// maintenance, whether the switchover under way is a planned one, and the
    /// streams.
    round: bool,
    maintained: u32,
    planned_switch: bool,
    maintenance_durations: Stream,
    planned_switchovers: Stream,
    down: bool,
    /// Down, and not for planned work alone.
    unplanned: bool,
    /// Whether it can lose writes across sites (a failover tier, or one with a
    /// replica in a site that can go down): else its cross-site lag stream is never
    /// drawn from, and a history need not seed it.
    cross_site: bool,
}

/// Counts, in its tier's state among `tiers`, a replica of tier `tier` that served
/// (`before`) or not and serves (`after`) or not.
#[inline]
fn count_serving(tiers: &mut [TierState], tier: u32, before: bool, after: bool) {
    if before != after {
        let serving = &mut tiers[tier as usize].serving;
        if after {
            *serving += 1;
        } else {
            *serving -= 1;
        }
    }
}

#[derive(Debug, Clone)]
struct SiteState {
    /// Site modes being repaired: the site is down while any is.
    outages: u32,
}

/// A disruption whose consequences are not all known yet.
#[derive(Debug, Clone, Copy)]
struct Disruption {
    class: Class,
    /// Whether it happened in a measured window.
    measured: bool,
    /// Hours of data it lost so far.
    lost: f64,
    for_good: bool,
    /// Demands it started that have not ended.
    pending: u32,
    open: bool,
}

/// Runs histories of one plan, reusing its buffers from one history to the next.
#[derive(Debug)]
pub(crate) struct Engine<'p> {
    plan: &'p Plan,
    schedule: Schedule,
    end: f64,
    seed: u64,
    history: HistorySeed,
    timers: Timers,
    replicas: Vec<Replica>,
    replica_streams: Vec<Stream>,
    tier_modes: Vec<Clock>,
    site_modes: Vec<Clock>,
    tiers: Vec<TierState>,
    sites: Vec<SiteState>,
    books: Books,
    /// Window boundaries passed so far.
    boundaries: u64,
    /// The class of the event being handled, for a tier it takes down.
    cause: Class,
    /// The disruption of the event being handled (while `in_event`), kept here unless
    /// it outlives its event (it started a demand): then it is `parked` among the
    /// `disruptions` still going.
    current: Disruption,
    in_event: bool,
    parked: Option<usize>,
    disruptions: Vec<Disruption>,
}

impl<'p> Engine<'p> {
    pub(crate) fn new(plan: &'p Plan, schedule: Schedule, seed: u64) -> Self {
        let tier = TierState {
            serving: 0,
            outages: 0,
            testing: false,
            data: Data::Intact,
            lost_at: 0.0,
            busy_crews: 0,
            queue: VecDeque::new(),
            switch: Switch::Idle,
            demand_failed: false,
            demand_site: None,
            demand_event: None,
            unusable: Unusable::default(),
            first_backup: 0.0,
            local: StepStreams::default(),
            remote: StepStreams::default(),
            drill_durations: Stream::default(),
            dr_durations: Stream::default(),
            lag: Stream::default(),
            cross_site_lag: Stream::default(),
            restores: Stream::default(),
            round: false,
            maintained: 0,
            planned_switch: false,
            maintenance_durations: Stream::default(),
            planned_switchovers: Stream::default(),
            down: false,
            unplanned: false,
            cross_site: false,
        };
        let mut tiers = vec![tier; plan.tiers.len()];
        for (t, state) in tiers.iter_mut().enumerate() {
            state.cross_site =
                plan.tiers[t].failover.is_some() || plan.sites.iter().any(|site| site.tiers.contains(&(t as u32)));
        }
        Engine {
            plan,
            schedule,
            end: schedule.end(),
            seed,
            history: HistorySeed::new(seed, 0),
            timers: Timers::new(plan.slots.len()),
            replicas: plan
                .replicas
                .iter()
                .map(|replica| Replica {
                    tier: replica.tier,
                    site: replica.site,
                    slot: replica.slot,
                    streams: replica.streams,
                    health: Health::Healthy,
                    role: Role::Serving,
                    blockers: 0,
                    with_site: false,
                    holds: false,
                    done: false,
                    life: 0.0,
                    mode: 0,
                    since: 0.0,
                })
                .collect(),
            replica_streams: vec![Stream::default(); plan.replica_keys.len()],
            tier_modes: vec![Clock::default(); plan.tier_modes.len()],
            site_modes: vec![Clock::default(); plan.site_modes.len()],
            tiers,
            sites: vec![SiteState { outages: 0 }; plan.sites.len()],
            books: Books::new(plan.tiers.len(), plan.planned),
            boundaries: 0,
            cause: Class::ReplicaFailure,
            current: Disruption {
                class: Class::ReplicaFailure,
                measured: false,
                lost: 0.0,
                for_good: false,
                pending: 0,
                open: false,
            },
            in_event: false,
            parked: None,
            disruptions: Vec::new(),
        }
    }

    /// Runs history `index`, reporting to `observer`.
    pub(crate) fn run(&mut self, index: u64, observer: &mut impl Observer) {
        self.reset(index);
        loop {
            let (slot, now) = self.timers.next();
            debug_assert!(now.is_finite(), "the clock is set until the history ends");
            let tier = match self.plan.slots[slot as usize] {
                Slot::Clock => {
                    if self.clock(now, observer) {
                        continue;
                    }
                    self.close_all(observer);
                    return;
                }
                Slot::Replica(r) => {
                    let Replica { tier, health, .. } = self.replicas[r as usize];
                    match health {
                        Health::Healthy => {
                            self.begin(if self.plan.tiers[tier as usize].dependency {
                                Class::DependencyFailure
                            } else {
                                Class::ReplicaFailure
                            });
                            self.fails(now, r, observer);
                        }
                        Health::Broken => self.repaired(now, r, observer),
                        Health::Maintained => self.maintenance_done(now, r, observer),
                        Health::Latent => unreachable!("a latent replica has no timer"),
                    }
                    tier
                }
                Slot::TierMode(i) => {
                    if self.tier_modes[i as usize].repairing {
                        self.tier_mode_repaired(now, i, observer);
                    } else {
                        let tier = self.plan.tier_modes[i as usize].tier;
                        self.begin(if self.plan.tiers[tier as usize].dependency {
                            Class::DependencyFailure
                        } else {
                            Class::TierWideFailure
                        });
                        self.tier_mode_fails(now, i, observer);
                    }
                    self.plan.tier_modes[i as usize].tier
                }
                Slot::SiteMode(i) => {
                    let site = self.plan.site_modes[i as usize].site;
                    if self.site_modes[i as usize].repairing {
                        self.site_back(now, i, observer);
                    } else {
                        let disaster = self.plan.site_modes[i as usize].mode.destroys_data;
                        self.begin(if disaster {
                            Class::SiteDisaster
                        } else {
                            Class::SiteOutage
                        });
                        self.site_fails(now, i, observer);
                    }
                    self.books.window.events += 1;
                    for &t in &self.plan.sites[site as usize].tiers {
                        self.refresh(now, t, observer);
                        #[cfg(any(debug_assertions, test))]
                        self.check(t);
                    }
                    self.end_event(observer);
                    continue;
                }
                Slot::Switch(t) => {
                    self.switch_step(now, t, observer);
                    t
                }
                Slot::Drill(t) => {
                    self.begin(Class::Test);
                    self.test(now, t, false, observer);
                    t
                }
                Slot::DrTest(t) => {
                    self.begin(Class::Test);
                    self.test(now, t, true, observer);
                    t
                }
                Slot::TestEnd(t) => {
                    self.tiers[t as usize].testing = false;
                    self.at(self.failover_plan(t).test_end_slot, f64::INFINITY);
                    observer.happening(now, Happening::DrillEnds { tier: t });
                    t
                }
                Slot::Restore(t) => {
                    self.restore_done(now, t, observer);
                    t
                }
                Slot::Maintenance(t) => {
                    self.begin(Class::Maintenance);
                    self.maintenance_round(now, t, observer);
                    t
                }
            };
            self.books.window.events += 1;
            self.refresh(now, tier, observer);
            #[cfg(any(debug_assertions, test))]
            self.check(tier);
            self.end_event(observer);
        }
    }

    /// Back to an as-new start for history `index`: fresh streams, every replica new.
    fn reset(&mut self, index: u64) {
        let plan = self.plan;
        let history = HistorySeed::new(self.seed, index);
        self.history = history;
        self.timers.clear();
        self.books.reset();
        self.boundaries = 0;
        self.disruptions.clear();
        self.in_event = false;
        for (stream, &key) in self.replica_streams.iter_mut().zip(&plan.replica_keys) {
            *stream = history.stream(key);
        }
        for (state, mode) in self.tier_modes.iter_mut().zip(&plan.tier_modes) {
            state.lives = history.stream(mode.life_key);
            state.repairs = history.stream(mode.repair_key);
            state.repairing = false;
        }
        for (state, mode) in self.site_modes.iter_mut().zip(&plan.site_modes) {
            state.lives = history.stream(mode.life_key);
            state.repairs = history.stream(mode.repair_key);
            state.repairing = false;
        }
        for site in &mut self.sites {
            site.outages = 0;
        }
        let as_new = self.schedule.as_new;
        let steps = |steps: &Steps| StepStreams {
            detection: history.stream(steps.keys.detection),
            switchover: history.stream(steps.keys.switchover),
            success: history.stream(steps.keys.success),
            manual_recovery: history.stream(steps.keys.manual_recovery),
        };
        for (state, tier) in self.tiers.iter_mut().zip(&plan.tiers) {
            state.serving = 0;
            state.outages = 0;
            state.testing = false;
            state.data = Data::Intact;
            state.busy_crews = 0;
            state.queue.clear();
            state.switch = Switch::Idle;
            state.demand_event = None;
            state.unusable.clear();
            state.round = false;
            state.maintained = 0;
            state.planned_switch = false;
            state.down = false;
            state.unplanned = false;
            // A stream is drawn from only where it can be: one left unseeded is never
            // read.
            if state.cross_site {
                state.cross_site_lag = history.stream(tier.cross_site_lag_key);
            }
            if let Some(failover) = &tier.failover {
                state.lag = history.stream(tier.lag_key);
                state.local = steps(&failover.local);
                state.remote = steps(&failover.remote);
                if let Some(drills) = &failover.drills {
                    state.drill_durations = history.stream(drills.duration_key);
                }
                if let Some(dr) = &failover.dr_tests {
                    state.dr_durations = history.stream(dr.duration_key);
                }
            }
            if let Some(maintenance) = &tier.maintenance {
                state.maintenance_durations = history.stream(maintenance.duration_key);
                state.planned_switchovers = history.stream(maintenance.switchover_key);
            }
            if let Some(backup) = &tier.backup {
                state.restores = history.stream(backup.restore_key);
                state.first_backup = if as_new {
                    0.0
                } else {
                    (history.stream(backup.phase_key).uniform() - 1.0) * backup.every
                };
            }
        }
        for (t, tier) in plan.tiers.iter().enumerate() {
            for (n, r) in tier.replicas.clone().enumerate() {
                let replica = &mut self.replicas[r as usize];
                replica.health = Health::Broken;
                replica.blockers = 0;
                replica.with_site = false;
                replica.holds = false;
                replica.role = if tier.failover.is_some() && n as u32 >= tier.required {
                    Role::Standby
                } else {
                    Role::Serving
                };
                self.renew(0.0, r);
            }
            for i in tier.tier_modes.clone() {
                self.arm_tier_mode(0.0, i);
            }
            if let Some(failover) = &tier.failover {
                for test in failover.drills.iter().chain(&failover.dr_tests) {
                    let first = if as_new {
                        test.every
                    } else {
                        history.stream(test.phase_key).uniform() * test.every
                    };
                    self.at(test.slot, first);
                }
            }
            if let Some(maintenance) = &tier.maintenance {
                let first = if as_new {
                    maintenance.every
                } else {
                    history.stream(maintenance.phase_key).uniform() * maintenance.every
                };
                self.at(maintenance.slot, first);
            }
            debug_assert!(!self.tier_is_down(t), "every tier is up at the start");
        }
        for i in 0..plan.site_modes.len() as u32 {
            self.arm_site_mode(0.0, i);
        }
        self.timers.set(CLOCK, self.schedule.warm_up);
    }

    /// Sets a slot's timer. One at or after the history's end never fires: the
    /// clock's last boundary, in the lowest slot, comes first and ends the history.
    /// (No comparison with the end: the time goes straight to the timers, off the path
    /// from one event to the next.)
    #[inline]
    fn at(&mut self, slot: u32, time: f64) {
        self.timers.set(slot, time);
    }

    /// A window boundary: closes the window that ends, opens the next. False once the
    /// last window has closed.
    fn clock(&mut self, now: f64, observer: &mut impl Observer) -> bool {
        if self.boundaries > 0 {
            self.books.close(now, observer);
            observer.happening(now, Happening::WindowCloses);
        }
        let more = self.boundaries < self.schedule.windows;
        if more {
            self.books.open(now);
            observer.happening(now, Happening::WindowOpens);
            self.boundaries += 1;
            self.timers.set(CLOCK, self.schedule.boundary(self.boundaries));
        }
        more
    }

    /// A disruption of `class` begins: the event being handled.
    fn begin(&mut self, class: Class) {
        self.cause = class;
        let measured = self.books.measuring();
        if measured {
            self.books.window.disruptions[class as usize] += 1;
        }
        self.current = Disruption {
            class,
            measured,
            lost: 0.0,
            for_good: false,
            pending: 0,
            open: true,
        };
        self.parked = None;
        self.in_event = true;
    }

    /// The disruption of the event being handled, if it is one.
    fn current_mut(&mut self) -> Option<&mut Disruption> {
        if !self.in_event {
            return None;
        }
        Some(match self.parked {
            Some(id) => &mut self.disruptions[id],
            None => &mut self.current,
        })
    }

    /// The id of the disruption being handled, parked among those that outlive their
    /// event.
    fn park(&mut self) -> Option<usize> {
        if !self.in_event {
            return None;
        }
        if self.parked.is_none() {
            self.disruptions.push(self.current);
            self.parked = Some(self.disruptions.len() - 1);
        }
        self.parked
    }

    /// The event being handled is over: its disruption is reported if nothing it set
    /// in motion is still going.
    fn end_event(&mut self, observer: &mut impl Observer) {
        if !self.in_event {
            return;
        }
        self.in_event = false;
        match self.parked {
            Some(id) => self.settle(id, observer),
            None => {
                let disruption = self.current;
                if disruption.measured {
                    observer.disruption(disruption.class, (!disruption.for_good).then_some(disruption.lost));
                }
            }
        }
    }

    /// Reports disruption `id` if nothing it started is still going.
    fn settle(&mut self, id: usize, observer: &mut impl Observer) {
        let handled = self.in_event && self.parked == Some(id);
        let disruption = &mut self.disruptions[id];
        if disruption.open && disruption.pending == 0 && !handled {
            disruption.open = false;
            if disruption.measured {
                observer.disruption(disruption.class, (!disruption.for_good).then_some(disruption.lost));
            }
        }
    }

    /// The history is over: every disruption still going is reported as it stands.
    fn close_all(&mut self, observer: &mut impl Observer) {
        for disruption in &mut self.disruptions {
            if disruption.open && disruption.measured {
                observer.disruption(disruption.class, (!disruption.for_good).then_some(disruption.lost));
            }
            disruption.open = false;
        }
    }

    /// The event being handled reclassified: it destroyed data.
    fn destroys(&mut self) {
        let Some(disruption) = self.current_mut() else {
            return;
        };
        if matches!(disruption.class, Class::ReplicaFailure | Class::TierWideFailure) {
            let (class, measured) = (disruption.class, disruption.measured);
            disruption.class = Class::DataDestruction;
            if measured {
                let counts = &mut self.books.window.disruptions;
                counts[class as usize] -= 1;
                counts[Class::DataDestruction as usize] += 1;
            }
            self.cause = Class::DataDestruction;
        }
    }

    /// Data lost by the event being handled, or (`id`) by what a disruption set in
    /// motion.
    fn lose(&mut self, id: Option<usize>, hours: f64, observer: &mut impl Observer) {
        let disruption = match id {
            Some(id) => Some(&mut self.disruptions[id]),
            None => self.current_mut(),
        };
        if let Some(disruption) = disruption {
            disruption.lost += hours;
        }
        if self.books.measuring() {
            observer.data_loss(hours);
        }
    }

    fn failover_plan(&self, tier: u32) -> &'p FailoverPlan {
        self.plan.tiers[tier as usize]
            .failover
            .as_ref()
            .expect("failover steps happen only in failover tiers")
    }

    /// Changes a replica, keeping its tier's count of serving replicas.
    #[inline]
    fn change(&mut self, replica: u32, f: impl FnOnce(&mut Replica)) {
        let state = &mut self.replicas[replica as usize];
        let before = state.serves();
        f(state);
        let (after, tier) = (state.serves(), state.tier);
        count_serving(&mut self.tiers, tier, before, after);
    }

    /// The speed at which a replica consumes its life in its role.
    #[inline]
    fn ageing_rate(&self, replica: u32) -> f64 {
        let state = &self.replicas[replica as usize];
        ageing_rate(state, &self.plan.tiers[state.tier as usize])
    }

    /// Renews a replica as good as new: a life per mode, the shortest pending.
    #[inline(always)]
    fn renew(&mut self, now: f64, replica: u32) {
        let plan = self.plan;
        // One look-up of the replica, its tier's plan and its streams, held through.
        let state = &mut self.replicas[replica as usize];
        let tier = &plan.tiers[state.tier as usize];
        let streams = &mut self.replica_streams[state.streams as usize..];
        let mut first = f64::INFINITY;
        let mut first_mode = 0;
        match tier.modes.as_slice() {
            // One mode (the commonest tier): its life, without the loop.
            [mode] => {
                let life = mode.every.sample(&mut streams[0]);
                if life < first {
                    first = life;
                }
            }
            modes => {
                for (m, mode) in modes.iter().enumerate() {
                    let life = mode.every.sample(&mut streams[2 * m]);
                    if life < first {
                        first = life;
                        first_mode = m as u32;
                    }
                }
            }
        }
        let before = state.serves();
        state.health = Health::Healthy;
        state.life = first;
        state.mode = first_mode;
        state.since = now;
        let (after, slot, time) = (
            state.serves(),
            state.slot,
            failure_time(now, first, ageing_rate(state, tier)),
        );
        count_serving(&mut self.tiers, state.tier, before, after);
        self.at(slot, time);
    }

    /// Sets a healthy replica's timer to its pending failure at its ageing rate.
    #[inline(always)]
    fn arm_failure(&mut self, now: f64, replica: u32) {
        let state = &self.replicas[replica as usize];
        let rate = ageing_rate(state, &self.plan.tiers[state.tier as usize]);
        self.at(state.slot, failure_time(now, state.life, rate));
    }

    /// Changes a healthy replica's role, carrying the life it consumed over.
    fn set_role(&mut self, now: f64, replica: u32, role: Role) {
        let rate = self.ageing_rate(replica);
        self.change(replica, |r| {
            r.life = (r.life - (now - r.since) * rate).max(0.0);
            r.since = now;
            r.role = role;
        });
        self.arm_failure(now, replica);
    }

    /// Whether a replica stands in a site where no replica of its tier serves: a
    /// standby of a DR site. While nothing serves, the site that counts is that of the
    /// replica a demand under way replaces; with neither (or without sites), false.
    fn remote(&self, replica: u32) -> bool {
        let state = &self.replicas[replica as usize];
        let tier_index = state.tier as usize;
        let tier = &self.plan.tiers[tier_index];
        let mut serving = tier
            .replicas
            .clone()
            .map(|r| &self.replicas[r as usize])
            .filter(|r| r.serves())
            .peekable();
        if serving.peek().is_some() {
            return serving.all(|r| r.site != state.site);
        }
        let demand = &self.tiers[tier_index];
        demand.switch != Switch::Idle && demand.demand_site != state.site
    }

    /// A healthy replica's pending failure happens.
    fn fails(&mut self, now: f64, replica: u32, observer: &mut impl Observer) {
        let plan = self.plan;
        // One look-up of the replica: what the failure needs, copied out.
        let state = &self.replicas[replica as usize];
        let Replica {
            tier: tier_index,
            mode,
            role,
            site,
            slot,
            streams,
            ..
        } = *state;
        let was_serving = state.serves();
        let tier = &plan.tiers[tier_index as usize];
        self.books.failure(tier_index as usize);
        let silent = match &tier.failover {
            Some(failover) if role == Role::Standby => {
                if self.remote(replica) {
                    failover.remote_latent
                } else {
                    failover.latent
                }
            }
            _ => false,
        };
        if silent {
            // Nobody notices: it waits, dead, for a test or a demand.
            self.at(slot, f64::INFINITY);
            self.change(replica, |r| r.health = Health::Latent);
            observer.happening(now, Happening::FailsSilently { replica, mode });
            return;
        }
        observer.happening(now, Happening::Fails { replica, mode });
        // What `change` does, knowing whether it served before.
        self.replicas[replica as usize].health = Health::Broken;
        count_serving(&mut self.tiers, tier_index, was_serving, false);
        let lost = tier.modes[mode as usize].destroys_data
            && self.tiers[tier_index as usize].data == Data::Intact
            && !tier
                .replicas
                .clone()
                .any(|r| r != replica && self.replicas[r as usize].health == Health::Healthy);
        if lost {
            self.destroys();
            if tier.backup.is_some() {
                // The restore replaces the repair: no timer of its own.
                self.at(slot, f64::INFINITY);
                self.start_restore(now, tier_index, Lost::Replica(replica), observer);
            } else {
                self.lose_for_good(now, tier_index, Lost::Replica(replica), 0.0, observer);
            }
        } else {
            self.start_repair_of(now, replica, (tier_index, tier), (slot, streams, mode), 0.0, observer);
        }
        if was_serving && tier.failover.is_some() {
            self.demand(now, tier_index, site, None, observer);
        }
    }

    /// Starts the repair of a broken replica (of the mode it failed from), after
    /// `delay`, or queues it for a crew.
    #[inline(always)]
    fn start_repair(&mut self, now: f64, replica: u32, delay: f64, observer: &mut impl Observer) {
        let plan = self.plan;
        let Replica {
            tier: tier_index,
            slot,
            streams,
            mode,
            ..
        } = self.replicas[replica as usize];
        let tier = &plan.tiers[tier_index as usize];
        self.start_repair_of(now, replica, (tier_index, tier), (slot, streams, mode), delay, observer);
    }

    /// `start_repair`, given the replica's tier (its index and plan) and its timer
    /// slot, first stream and failed mode, as its caller read them.
    #[inline(always)]
    fn start_repair_of(
        &mut self,
        now: f64,
        replica: u32,
        (tier_index, tier): (u32, &'p TierPlan),
        (slot, streams, mode): (u32, u32, u32),
        delay: f64,
        observer: &mut impl Observer,
    ) {
        let state = &mut self.tiers[tier_index as usize];
        debug_assert_eq!(self.replicas[replica as usize].health, Health::Broken);
        if tier.crews.is_some_and(|crews| state.busy_crews >= crews) {
            state.queue.push_back(replica);
            observer.happening(now, Happening::Queued { replica });
            self.at(slot, f64::INFINITY);
            return;
        }
        state.busy_crews += 1;
        let stream = &mut self.replica_streams[streams as usize + 2 * mode as usize + 1];
        let duration = tier.modes[mode as usize].repair.sample(stream);
        // Without a delay, one addition less on the path to the next event (now + 0
        // is now).
        self.at(
            slot,
            if delay == 0.0 {
                now + duration
            } else {
                now + delay + duration
            },
        );
    }

    /// A replica's repair ends: its crew takes the next in the queue, and it is back.
    fn repaired(&mut self, now: f64, replica: u32, observer: &mut impl Observer) {
        let tier = self.replicas[replica as usize].tier;
        let state = &mut self.tiers[tier as usize];
        state.busy_crews -= 1;
        if let Some(next) = state.queue.pop_front() {
            self.start_repair(now, next, 0.0, observer);
        }
        observer.happening(now, Happening::Repaired { replica });
        if self.tiers[tier as usize].data == Data::Rebuilding(Lost::Replica(replica)) {
            self.data_back(now, tier);
            observer.happening(now, Happening::Rebuilt { tier });
        }
        self.replica_back(now, replica, observer);
    }

    /// A replica is healthy again: it serves at once if its tier lacks serving
    /// replicas (calling off a switchover no longer needed), else it stands by.
    #[inline]
    fn replica_back(&mut self, now: f64, replica: u32, observer: &mut impl Observer) {
        let state = &mut self.replicas[replica as usize];
        let tier_index = state.tier;
        let tier = &self.plan.tiers[tier_index as usize];
        state.role = if tier.failover.is_none()
            || (self.tiers[tier_index as usize].serving < tier.required && state.blockers == 0)
        {
            Role::Serving
        } else {
            Role::Standby
        };
        self.renew(now, replica);
        self.satisfied(tier_index, observer);
    }

    /// A healthy replica reachable again (its site or a dependency is back, and nothing
    /// else it stands on is down): it serves at once if its tier lacks serving
    /// replicas, else it stands by, with the age it has.
    fn rejoin(&mut self, now: f64, replica: u32, observer: &mut impl Observer) {
        let tier_index = self.replicas[replica as usize].tier as usize;
        let tier = &self.plan.tiers[tier_index];
        if tier.failover.is_some()
            && self.replicas[replica as usize].health == Health::Healthy
            && self.replicas[replica as usize].blockers == 0
            && self.tiers[tier_index].serving < tier.required
        {
            self.set_role(now, replica, Role::Serving);
            self.satisfied(tier_index as u32, observer);
        }
    }

    /// A demand no longer needed is called off. Inline, the check (mostly no demand
    /// is under way); the calling off is a call away.
    #[inline(always)]
    fn satisfied(&mut self, tier: u32, observer: &mut impl Observer) {
        if self.tiers[tier as usize].switch != Switch::Idle {
            self.call_off(tier, observer);
        }
    }

    #[inline(never)]
    fn call_off(&mut self, tier: u32, observer: &mut impl Observer) {
        if self.tiers[tier as usize].serving >= self.plan.tiers[tier as usize].required {
            self.cancel_switch(tier);
            self.filled(tier);
            // The replica that came back holds the writes: nothing lost.
            if let Some(id) = self.tiers[tier as usize].demand_event.take() {
                self.disruptions[id].pending -= 1;
                self.settle(id, observer);
            }
        }
    }

    fn arm_tier_mode(&mut self, now: f64, index: u32) {
        let plan = &self.plan.tier_modes[index as usize];
        let life = plan.mode.every.sample(&mut self.tier_modes[index as usize].lives);
        self.at(plan.slot, now + life);
    }

    fn tier_mode_fails(&mut self, now: f64, index: u32, observer: &mut impl Observer) {
        let plan = &self.plan.tier_modes[index as usize];
        let tier = plan.tier;
        self.books.failure(tier as usize);
        observer.happening(now, Happening::TierFails { tier_mode: index });
        self.tier_modes[index as usize].repairing = true;
        self.tiers[tier as usize].outages += 1;
        if plan.mode.destroys_data && self.tiers[tier as usize].data == Data::Intact {
            self.destroys();
            if self.plan.tiers[tier as usize].backup.is_some() {
                // The restore replaces the repair: no timer of its own.
                self.at(plan.slot, f64::INFINITY);
                self.start_restore(now, tier, Lost::TierMode(index), observer);
            } else {
                self.lose_for_good(now, tier, Lost::TierMode(index), 0.0, observer);
            }
            return;
        }
        self.start_tier_mode_repair(now, index, 0.0);
    }

    fn start_tier_mode_repair(&mut self, now: f64, index: u32, delay: f64) {
        let plan = &self.plan.tier_modes[index as usize];
        let duration = plan.mode.repair.sample(&mut self.tier_modes[index as usize].repairs);
        self.at(
            plan.slot,
            if delay == 0.0 {
                now + duration
            } else {
                now + delay + duration
            },
        );
    }

    fn tier_mode_repaired(&mut self, now: f64, index: u32, observer: &mut impl Observer) {
        let tier = self.plan.tier_modes[index as usize].tier;
        if self.tiers[tier as usize].data == Data::Rebuilding(Lost::TierMode(index)) {
            self.data_back(now, tier);
            observer.happening(now, Happening::Rebuilt { tier });
        }
        self.tier_mode_back(now, index, observer);
    }

    /// A tier-wide failure is over: the mode's clock restarts.
    fn tier_mode_back(&mut self, now: f64, index: u32, observer: &mut impl Observer) {
        let tier = self.plan.tier_modes[index as usize].tier;
        self.tier_modes[index as usize].repairing = false;
        self.tiers[tier as usize].outages -= 1;
        observer.happening(now, Happening::TierRepaired { tier_mode: index });
        self.arm_tier_mode(now, index);
    }

    fn arm_site_mode(&mut self, now: f64, index: u32) {
        let plan = &self.plan.site_modes[index as usize];
        let life = plan.mode.every.sample(&mut self.site_modes[index as usize].lives);
        self.at(plan.slot, now + life);
    }

    /// A site goes down (another of its modes may already have it down): its replicas
    /// stop serving; a disaster also destroys every copy and backup kept there.
    fn site_fails(&mut self, now: f64, index: u32, observer: &mut impl Observer) {
        let plan = &self.plan.site_modes[index as usize];
        let site = plan.site;
        let disaster = plan.mode.destroys_data;
        observer.happening(
            now,
            Happening::SiteDown {
                site_mode: index,
                disaster,
            },
        );
        self.site_modes[index as usize].repairing = true;
        let repair = plan.mode.repair.sample(&mut self.site_modes[index as usize].repairs);
        self.at(plan.slot, now + repair);
        self.sites[site as usize].outages += 1;
        if self.sites[site as usize].outages == 1 {
            self.block(now, site, observer);
        }
        if disaster {
            self.disaster(now, site, observer);
        }
    }

    /// The replicas of a site that went down stop serving. A failover tier whose
    /// serving replica stood there starts a demand; an active-active tier that goes on
    /// serving elsewhere loses the writes the site had not yet replicated.
    fn block(&mut self, now: f64, site: u32, observer: &mut impl Observer) {
        let plan = self.plan;
        for &t in &plan.sites[site as usize].tiers {
            let tier = &plan.tiers[t as usize];
            let mut stopped = false;
            for &r in &plan.sites[site as usize].replicas {
                if self.replicas[r as usize].tier != t {
                    continue;
                }
                stopped |= self.stop(now, r);
            }
            if !stopped {
                continue;
            }
            if tier.failover.is_some() {
                self.demand(now, t, Some(site), None, observer);
            } else if self.tiers[t as usize].serving > 0 && self.tiers[t as usize].data == Data::Intact {
                let lag = tier.cross_site_lag.sample(&mut self.tiers[t as usize].cross_site_lag);
                if lag > 0.0 {
                    self.books.window.data_lost_at_failover += lag;
                    self.books.window.data_lost += lag;
                    self.lose(None, lag, observer);
                    observer.happening(now, Happening::LagLost { tier: t, lost: lag });
                }
            }
        }
    }

    /// Something replica `r` stands on (its site, a dependency) went down: it stops
    /// serving without failing; in a failover tier it stands by from now on. Whether it
    /// was serving.
    fn stop(&mut self, now: f64, r: u32) -> bool {
        let was_serving = self.replicas[r as usize].serves();
        self.change(r, |r| {
            r.blockers += 1;
            r.holds |= was_serving;
        });
        let failover = self.plan.tiers[self.replicas[r as usize].tier as usize]
            .failover
            .is_some();
        if failover && self.replicas[r as usize].role == Role::Serving {
            if was_serving {
                self.set_role(now, r, Role::Standby);
            } else {
                // Failed while serving: it stands by once repaired, whatever stops it
                // meanwhile (its timer is its repair's).
                self.replicas[r as usize].role = Role::Standby;
            }
        }
        was_serving
    }

    /// A disaster at a site destroys its replicas' copies and the backups kept there;
    /// a tier left with no copy anywhere restores from a surviving backup, or has lost
    /// its data for good.
    fn disaster(&mut self, now: f64, site: u32, observer: &mut impl Observer) {
        let plan = self.plan;
        for &r in &plan.sites[site as usize].replicas {
            if self.replicas[r as usize].health == Health::Maintained {
                self.tiers[self.replicas[r as usize].tier as usize].maintained -= 1;
            }
            if self.replicas[r as usize].health != Health::Broken {
                self.at(self.replicas[r as usize].slot, f64::INFINITY);
                self.change(r, |r| {
                    r.health = Health::Broken;
                    r.with_site = true;
                    r.holds = false;
                });
            }
        }
        // A rolling round waiting for a replica the disaster took goes on.
        for &t in &plan.sites[site as usize].tiers {
            let state = &self.tiers[t as usize];
            if state.round && state.maintained == 0 {
                self.next_in_round(now, t, observer);
            }
        }
        for (t, tier) in plan.tiers.iter().enumerate() {
            if tier.backup.as_ref().is_some_and(|b| b.site == Some(site)) {
                let newest = self.newest_backup(t as u32, now);
                self.tiers[t].unusable.mark(0, newest);
            }
        }
        for &t in &plan.sites[site as usize].tiers {
            let tier = &plan.tiers[t as usize];
            if !tier.holds_data {
                continue;
            }
            let copy = tier
                .replicas
                .clone()
                .any(|r| self.replicas[r as usize].health == Health::Healthy);
            if self.tiers[t as usize].data == Data::Intact && !copy {
                if tier.backup.is_some() {
                    self.start_restore(now, t, Lost::Site(site), observer);
                } else {
                    self.lose_for_good(now, t, Lost::Site(site), 0.0, observer);
                }
            }
        }
    }

    /// A site mode's outage ends; when none is left, the site is back: its replicas
    /// serve again (those a disaster destroyed come back empty and take the data from
    /// another replica, or from the rebuild).
    fn site_back(&mut self, now: f64, index: u32, observer: &mut impl Observer) {
        let plan = self.plan;
        let site = plan.site_modes[index as usize].site;
        observer.happening(now, Happening::SiteBack { site_mode: index });
        self.site_modes[index as usize].repairing = false;
        self.arm_site_mode(now, index);
        self.sites[site as usize].outages -= 1;
        if self.sites[site as usize].outages > 0 {
            return;
        }
        for &t in &plan.sites[site as usize].tiers {
            if self.tiers[t as usize].data == Data::Rebuilding(Lost::Site(site)) {
                self.data_back(now, t);
                observer.happening(now, Happening::Rebuilt { tier: t });
            }
        }
        for &r in &plan.sites[site as usize].replicas {
            self.unblock(r);
            if self.replicas[r as usize].with_site {
                self.replicas[r as usize].with_site = false;
                self.replica_back(now, r, observer);
            } else {
                self.rejoin(now, r, observer);
            }
        }
        for &t in &plan.sites[site as usize].tiers {
            self.retry(now, t, observer);
        }
    }

    /// A failover tier that found no standby while something its replicas stand on
    /// was down tries again: its replicas are reachable now (and may have died
    /// unnoticed meanwhile).
    fn retry(&mut self, now: f64, t: u32, observer: &mut impl Observer) {
        let reachable = self.plan.tiers[t as usize]
            .replicas
            .clone()
            .any(|r| self.replicas[r as usize].candidate());
        if self.tiers[t as usize].switch == Switch::Waiting && reachable {
            self.next_standby(now, t, observer);
        }
    }

    /// Data destroyed with no backup that loads: a loss for good. The tier is down
    /// until the destroying mode's repair (a rebuild from nothing) ends, `delay` after
    /// now (the time spent trying backups), or, for a site's disaster, until the site
    /// is back.
    fn lose_for_good(&mut self, now: f64, tier: u32, lost: Lost, delay: f64, observer: &mut impl Observer) {
        self.books.window.unrecoverable += 1;
        if let Some(disruption) = self.current_mut() {
            disruption.for_good = true;
        }
        observer.happening(now, Happening::LostForGood { tier });
        let state = &mut self.tiers[tier as usize];
        state.data = Data::Rebuilding(lost);
        state.lost_at = now;
        match lost {
            Lost::Replica(replica) => self.start_repair(now, replica, delay, observer),
            Lost::TierMode(index) => self.start_tier_mode_repair(now, index, delay),
            Lost::Site(_) => {}
        }
    }

    /// The newest backup taken at or before `time`.
    fn newest_backup(&self, tier: u32, time: f64) -> i64 {
        let every = self.plan.tiers[tier as usize].backup.as_ref().map_or(1.0, |b| b.every);
        ((time - self.tiers[tier as usize].first_backup) / every).floor() as i64
    }

    /// Restores destroyed data: walks back from the newest backup until one loads
    /// (each attempt taking a restore time); the tier is down until the restore ends.
    /// If none loads, the data is lost for good.
    fn start_restore(&mut self, now: f64, tier: u32, lost: Lost, observer: &mut impl Observer) {
        let plan = self.plan.tiers[tier as usize]
            .backup
            .as_ref()
            .expect("restores happen only in tiers with backups");
        let newest = self.newest_backup(tier, now);
        let history = self.history;
        let floor = self.schedule.as_new.then_some(0);
        let budget = self.end - now;
        let state = &mut self.tiers[tier as usize];
        let restores = &mut state.restores;
        let walk = state.unusable.walk(
            newest,
            floor,
            plan.success,
            |j| history.uniform_at(plan.restorable_key, j) < plan.success,
            || plan.restore.sample(restores),
            budget,
        );
        let found = u64::from(walk.found.is_some());
        self.books.window.bad_backups += walk.tried - found;
        let Some(backup) = walk.found else {
            self.lose_for_good(now, tier, lost, walk.duration, observer);
            return;
        };
        let taken = state.first_backup + backup as f64 * plan.every;
        let hours = (now - taken).max(0.0);
        state.data = Data::Restoring(lost);
        state.lost_at = now;
        self.books.window.restores += 1;
        self.books.window.data_lost += hours;
        self.lose(None, hours, observer);
        observer.happening(
            now,
            Happening::Restore {
                tier,
                backup,
                tried: walk.tried,
                lost: hours,
            },
        );
        self.at(plan.slot, now + walk.duration);
    }

    fn restore_done(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let Data::Restoring(lost) = self.tiers[tier as usize].data else {
            unreachable!("a restore ended that never started");
        };
        self.at(
            self.plan.tiers[tier as usize].backup.as_ref().expect("restoring").slot,
            f64::INFINITY,
        );
        self.data_back(now, tier);
        observer.happening(now, Happening::Restored { tier });
        match lost {
            Lost::Replica(replica) => self.replica_back(now, replica, observer),
            Lost::TierMode(index) => self.tier_mode_back(now, index, observer),
            Lost::Site(_) => {}
        }
    }

    /// The tier holds its data again. Backups taken while it held none are useless.
    fn data_back(&mut self, now: f64, tier: u32) {
        if self.plan.tiers[tier as usize].backup.is_some() {
            let from = self.newest_backup(tier, self.tiers[tier as usize].lost_at) + 1;
            let to = self.newest_backup(tier, now);
            self.tiers[tier as usize].unusable.mark(from, to);
        }
        self.tiers[tier as usize].data = Data::Intact;
    }

    /// A serving replica in `site` stopped: a failover tier lacking one starts a
    /// demand, unless one is under way. Its detection is the local one if a standby is
    /// left in that site, else the cross-site one.
    fn demand(&mut self, now: f64, tier: u32, site: Option<u32>, event: Option<usize>, observer: &mut impl Observer) {
        let Some(failover) = &self.plan.tiers[tier as usize].failover else {
            return;
        };
        let required = self.plan.tiers[tier as usize].required;
        if self.tiers[tier as usize].switch != Switch::Idle || self.tiers[tier as usize].serving >= required {
            return;
        }
        let local = self.plan.tiers[tier as usize].replicas.clone().any(|r| {
            let replica = &self.replicas[r as usize];
            replica.candidate() && replica.site == site
        });
        self.books.window.demands += 1;
        // The demand belongs to the disruption that started it (or, for a second
        // vacancy, to the first's).
        let event = event.or_else(|| self.park());
        if let Some(id) = event {
            self.disruptions[id].pending += 1;
        }
        let state = &mut self.tiers[tier as usize];
        state.demand_failed = false;
        state.demand_site = site;
        state.demand_event = event;
        state.switch = Switch::Detecting;
        let (steps, streams) = if local {
            (&failover.local, &mut state.local)
        } else {
            (&failover.remote, &mut state.remote)
        };
        let detection = steps.detection.sample(&mut streams.detection);
        observer.happening(now, Happening::Demand { tier });
        self.at(failover.switch_slot, now + detection);
    }

    fn switch_step(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        match self.tiers[tier as usize].switch {
            Switch::Detecting => self.next_standby(now, tier, observer),
            Switch::Switching(standby) => self.attempt(now, tier, standby, observer),
            Switch::Manual(standby) => self.manual_recovery_done(now, tier, standby, observer),
            Switch::Idle | Switch::Waiting => unreachable!("no switchover step is pending"),
        }
    }

    /// Whether a switchover to `standby` crosses sites, and so its steps and streams.
    fn steps(&mut self, tier: u32, standby: u32) -> (&'p Steps, bool) {
        let failover = self.failover_plan(tier);
        let remote = self.replicas[standby as usize].site != self.tiers[tier as usize].demand_site;
        (if remote { &failover.remote } else { &failover.local }, remote)
    }

    fn streams(&mut self, tier: u32, remote: bool) -> &mut StepStreams {
        let state = &mut self.tiers[tier as usize];
        if remote { &mut state.remote } else { &mut state.local }
    }

    /// Chooses the standby to try (the first that looks healthy in the failed
    /// replica's site, else the first in another) and switches over to it; with none
    /// left, the tier waits for a replica to come back.
    fn next_standby(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let failover = self.failover_plan(tier);
        let site = self.tiers[tier as usize].demand_site;
        let replicas = self.plan.tiers[tier as usize].replicas.clone();
        let candidate = |local: bool| {
            replicas.clone().find(|&r| {
                let replica = &self.replicas[r as usize];
                replica.candidate() && (replica.site == site) == local
            })
        };
        let Some(standby) = candidate(true).or_else(|| candidate(false)) else {
            if !self.tiers[tier as usize].planned_switch {
                self.books.window.no_standby += 1;
            }
            self.attempt_failed(tier);
            self.tiers[tier as usize].switch = Switch::Waiting;
            self.at(failover.switch_slot, f64::INFINITY);
            observer.happening(now, Happening::NoStandby { tier });
            return;
        };
        self.tiers[tier as usize].switch = Switch::Switching(standby);
        let duration = if self.tiers[tier as usize].planned_switch {
            let maintenance = self.plan.tiers[tier as usize]
                .maintenance
                .as_ref()
                .expect("planned switchovers happen only in maintained tiers");
            maintenance
                .switchover
                .sample(&mut self.tiers[tier as usize].planned_switchovers)
        } else {
            let (steps, remote) = self.steps(tier, standby);
            steps.switchover.sample(&mut self.streams(tier, remote).switchover)
        };
        observer.happening(now, Happening::Switchover { tier, standby });
        self.at(failover.switch_slot, now + duration);
    }

    /// A switchover reaches its standby: it takes over (with probability `success`),
    /// needs a manual recovery, or is found dead.
    fn attempt(&mut self, now: f64, tier: u32, standby: u32, observer: &mut impl Observer) {
        let failover = self.failover_plan(tier);
        if !self.replicas[standby as usize].candidate() || self.replicas[standby as usize].health != Health::Healthy {
            self.found_dead(now, tier, standby, observer);
            self.next_standby(now, tier, observer);
            return;
        }
        if self.tiers[tier as usize].planned_switch {
            self.promote(now, tier, standby, observer);
            return;
        }
        let (steps, remote) = self.steps(tier, standby);
        if self.streams(tier, remote).success.uniform() < steps.success {
            self.promote(now, tier, standby, observer);
            return;
        }
        self.books.window.switch_failures += 1;
        self.books.window.cross_switch_failures += u64::from(remote);
        self.attempt_failed(tier);
        self.tiers[tier as usize].switch = Switch::Manual(standby);
        let manual = steps
            .manual_recovery
            .as_ref()
            .expect("validated: manual_recovery is set when success < 1");
        let duration = manual.sample(&mut self.streams(tier, remote).manual_recovery);
        observer.happening(now, Happening::SwitchFailed { tier, standby });
        self.at(failover.switch_slot, now + duration);
    }

    /// The standby a switchover reached is dead: a latent failure is found and goes
    /// to repair.
    fn found_dead(&mut self, now: f64, tier: u32, standby: u32, observer: &mut impl Observer) {
        self.books.window.dead_standby += 1;
        let remote = self.replicas[standby as usize].site != self.tiers[tier as usize].demand_site;
        self.books.window.cross_dead_standby += u64::from(remote);
        self.attempt_failed(tier);
        observer.happening(now, Happening::FoundDead { tier, standby });
        if self.replicas[standby as usize].health == Health::Latent {
            self.reveal(now, standby, observer);
        }
    }

    fn manual_recovery_done(&mut self, now: f64, tier: u32, standby: u32, observer: &mut impl Observer) {
        let replica = &self.replicas[standby as usize];
        if replica.candidate() && replica.health == Health::Healthy {
            self.promote(now, tier, standby, observer);
            return;
        }
        // The standby died while being brought up by hand: try the next one.
        if replica.health == Health::Latent {
            self.found_dead(now, tier, standby, observer);
        }
        self.next_standby(now, tier, observer);
    }

    /// A standby takes over, without the writes not yet replicated to it (one lag,
    /// across sites if it stands in another site than the replica it replaces);
    /// another demand starts if the tier still lacks one.
    fn promote(&mut self, now: f64, tier: u32, standby: u32, observer: &mut impl Observer) {
        let planned = self.tiers[tier as usize].planned_switch;
        let (_, remote) = self.steps(tier, standby);
        if !planned {
            self.books.window.switchovers += 1;
            self.books.window.cross_switchovers += u64::from(remote);
        }
        let plan = &self.plan.tiers[tier as usize];
        let state = &mut self.tiers[tier as usize];
        // A planned switchover waits for the standby to catch up: nothing lost.
        let lost = if planned {
            0.0
        } else if remote {
            plan.cross_site_lag.sample(&mut state.cross_site_lag)
        } else {
            plan.lag.sample(&mut state.lag)
        };
        let event = state.demand_event.take();
        let site = state.demand_site;
        if lost > 0.0 {
            self.books.window.data_lost_at_failover += lost;
            self.books.window.data_lost += lost;
            self.lose(event, lost, observer);
        }
        self.cancel_switch(tier);
        self.filled(tier);
        self.set_role(now, standby, Role::Serving);
        observer.happening(
            now,
            Happening::TakesOver {
                tier,
                replica: standby,
                lost,
            },
        );
        match event {
            Some(id) => {
                self.disruptions[id].pending -= 1;
                // A second vacancy is part of the same disruption.
                self.demand(now, tier, site, Some(id), observer);
                self.settle(id, observer);
            }
            None => self.demand(now, tier, site, None, observer),
        }
    }

    fn cancel_switch(&mut self, tier: u32) {
        self.tiers[tier as usize].switch = Switch::Idle;
        self.tiers[tier as usize].planned_switch = false;
        self.at(self.failover_plan(tier).switch_slot, f64::INFINITY);
    }

    /// Counts a demand's first failed attempt.
    fn attempt_failed(&mut self, tier: u32) {
        let state = &mut self.tiers[tier as usize];
        if !state.demand_failed && !state.planned_switch {
            state.demand_failed = true;
            self.books.window.failed_demands += 1;
        }
    }

    /// A latent failure is found: the replica goes to repair.
    fn reveal(&mut self, now: f64, replica: u32, observer: &mut impl Observer) {
        self.change(replica, |r| r.health = Health::Broken);
        self.start_repair(now, replica, 0.0, observer);
    }

    /// A failover test: a drill (of the standbys in a site where a replica serves, or
    /// of all of them without DR tests) or a DR test (of the others). The latent
    /// failures it tests are found; the tier is down for the test's duration, if tests
    /// take time.
    fn test(&mut self, now: f64, tier: u32, dr: bool, observer: &mut impl Observer) {
        let failover = self.failover_plan(tier);
        let test: &TestPlan = if dr {
            failover.dr_tests.as_ref()
        } else {
            failover.drills.as_ref()
        }
        .expect("tests happen only in tested tiers");
        let split = failover.cross_site;
        let mut found = 0;
        for replica in self.plan.tiers[tier as usize].replicas.clone() {
            let state = &self.replicas[replica as usize];
            let tested = !split || self.remote(replica) == dr;
            if tested && state.role == Role::Standby && state.health == Health::Latent {
                found += 1;
                self.reveal(now, replica, observer);
            }
        }
        self.books.window.latent_found += u64::from(found);
        if dr {
            self.books.window.dr_latent_found += u64::from(found);
        }
        if let Some(duration) = &test.duration {
            let state = &mut self.tiers[tier as usize];
            let stream = if dr {
                &mut state.dr_durations
            } else {
                &mut state.drill_durations
            };
            let mut end = now + duration.sample(stream);
            if state.testing {
                end = end.max(self.timers.get(failover.test_end_slot));
            }
            state.testing = true;
            self.at(failover.test_end_slot, end);
        }
        let what = if dr {
            Happening::DrTest { tier, found }
        } else {
            Happening::Drill { tier, found }
        };
        observer.happening(now, what);
        self.at(test.slot, now + test.every);
    }

    /// A maintenance round is due: rolling, the first replica goes into maintenance
    /// (the next when it is done); all at once, every replica. A round still going
    /// makes this one skipped.
    #[cold]
    #[inline(never)]
    fn maintenance_round(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let plan = self.plan.tiers[tier as usize]
            .maintenance
            .as_ref()
            .expect("rounds happen only in maintained tiers");
        self.at(plan.slot, now + plan.every);
        let state = &self.tiers[tier as usize];
        let skipped = state.round || state.maintained > 0;
        observer.happening(now, Happening::MaintenanceRound { tier, skipped });
        if skipped {
            return;
        }
        if plan.one_by_one {
            self.tiers[tier as usize].round = true;
            for r in self.plan.tiers[tier as usize].replicas.clone() {
                self.replicas[r as usize].done = false;
            }
            self.next_in_round(now, tier, observer);
        } else {
            for r in self.plan.tiers[tier as usize].replicas.clone() {
                self.take_out(now, r, false, observer);
            }
        }
    }

    /// The next replica of a rolling round goes into maintenance: the standbys (and
    /// replicas that do not serve) first, then the serving ones, so that a failover
    /// tier switches over once. One that is failed is skipped (its repair renews it),
    /// one that failed unnoticed is found dead, one the tier cannot spare (it is down,
    /// or would go down) is skipped this round. The round is over when every replica
    /// has had its turn.
    fn next_in_round(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let replicas = self.plan.tiers[tier as usize].replicas.clone();
        while self.tiers[tier as usize].round {
            let waiting = |serving: bool| {
                replicas.clone().find(|&r| {
                    let replica = &self.replicas[r as usize];
                    !replica.done && replica.serves() == serving
                })
            };
            let Some(r) = waiting(false).or_else(|| waiting(true)) else {
                self.tiers[tier as usize].round = false;
                return;
            };
            self.replicas[r as usize].done = true;
            match self.replicas[r as usize].health {
                Health::Healthy if self.can_spare(tier, r) => {
                    self.take_out(now, r, true, observer);
                    return;
                }
                Health::Healthy => {}
                Health::Latent => {
                    self.books.window.latent_found += 1;
                    self.reveal(now, r, observer);
                }
                Health::Broken | Health::Maintained => {}
            }
        }
    }

    /// Whether a rolling round can take replica `r` out without taking its tier down:
    /// the tier is up, and if `r` serves, enough others serve (active-active) or a
    /// standby not known to be failed can take over (failover).
    fn can_spare(&self, tier: u32, r: u32) -> bool {
        let state = &self.tiers[tier as usize];
        let plan = &self.plan.tiers[tier as usize];
        if state.down || state.switch != Switch::Idle {
            return false;
        }
        if !self.replicas[r as usize].serves() {
            return true;
        }
        match plan.failover {
            None => state.serving > plan.required,
            Some(_) => plan
                .replicas
                .clone()
                .any(|other| other != r && self.replicas[other as usize].candidate()),
        }
    }

    /// Takes a replica out for maintenance (if it is healthy or dead unnoticed: found
    /// dead then): its age stands still until it is back. A failover tier whose
    /// serving replica it was switches over to a standby first (`switch_over`,
    /// rolling), a planned switchover; all at once, it waits for a replica to be back.
    fn take_out(&mut self, now: f64, replica: u32, switch_over: bool, observer: &mut impl Observer) {
        match self.replicas[replica as usize].health {
            Health::Healthy => {}
            Health::Latent => {
                self.books.window.latent_found += 1;
                self.reveal(now, replica, observer);
                return;
            }
            Health::Broken | Health::Maintained => return,
        }
        let tier_index = self.replicas[replica as usize].tier;
        let tier = &self.plan.tiers[tier_index as usize];
        let plan = tier
            .maintenance
            .as_ref()
            .expect("maintenance happens only in maintained tiers");
        let rate = self.ageing_rate(replica);
        let was_serving = self.replicas[replica as usize].serves();
        let failover = tier.failover.is_some();
        self.change(replica, |r| {
            r.life = (r.life - (now - r.since) * rate).max(0.0);
            r.since = now;
            r.health = Health::Maintained;
            r.holds = was_serving;
            if failover {
                r.role = Role::Standby;
            }
        });
        let state = &mut self.tiers[tier_index as usize];
        state.maintained += 1;
        let duration = plan.duration.sample(&mut state.maintenance_durations);
        self.at(self.replicas[replica as usize].slot, now + duration);
        observer.happening(now, Happening::Maintained { replica });
        if was_serving && switch_over && failover {
            self.planned_switchover(now, tier_index, self.replicas[replica as usize].site, observer);
        }
    }

    /// A planned switchover: no detection, no failed switch, nothing lost; a standby
    /// found dead goes to repair and the next is tried, as in a demand.
    fn planned_switchover(&mut self, now: f64, tier: u32, site: Option<u32>, observer: &mut impl Observer) {
        let required = self.plan.tiers[tier as usize].required;
        let state = &mut self.tiers[tier as usize];
        if state.switch != Switch::Idle || state.serving >= required {
            return;
        }
        state.planned_switch = true;
        state.demand_failed = false;
        state.demand_site = site;
        state.demand_event = None;
        self.next_standby(now, tier, observer);
    }

    /// A replica's maintenance is over: it is healthy again with the age it had, and
    /// serves if its tier lacks serving replicas (calling off a switchover no longer
    /// needed), else stands by; a rolling round goes on with the next.
    #[cold]
    #[inline(never)]
    fn maintenance_done(&mut self, now: f64, replica: u32, observer: &mut impl Observer) {
        self.cause = Class::Maintenance;
        let tier_index = self.replicas[replica as usize].tier;
        let tier = &self.plan.tiers[tier_index as usize];
        let lacking = self.tiers[tier_index as usize].serving < tier.required;
        let blocked = self.replicas[replica as usize].blockers > 0;
        let role = if tier.failover.is_none() || (lacking && !blocked) {
            Role::Serving
        } else {
            Role::Standby
        };
        self.change(replica, |r| {
            r.health = Health::Healthy;
            r.holds = false;
            r.since = now;
            r.role = role;
        });
        self.tiers[tier_index as usize].maintained -= 1;
        self.arm_failure(now, replica);
        observer.happening(now, Happening::MaintenanceDone { replica });
        self.satisfied(tier_index, observer);
        if self.tiers[tier_index as usize].round {
            self.next_in_round(now, tier_index, observer);
        }
    }

    /// The vacancies of a tier are filled: the replicas that held them no longer do.
    #[inline(never)]
    fn filled(&mut self, tier: u32) {
        for r in self.plan.tiers[tier as usize].replicas.clone() {
            self.replicas[r as usize].holds = false;
        }
    }

    /// One thing replica `r` stands on is back.
    fn unblock(&mut self, r: u32) {
        self.change(r, |r| {
            r.blockers -= 1;
            if r.blockers == 0 && r.health == Health::Healthy {
                r.holds = false;
            }
        });
    }

    /// Whether a down tier would be down without the planned work under way (its
    /// maintenance or tests, a dependency's maintenance): then its downtime is
    /// unplanned. Replicas out for planned work alone count as serving.
    #[cold]
    #[inline(never)]
    fn unplanned_down(&self, tier: usize) -> bool {
        let state = &self.tiers[tier];
        let plan = &self.plan.tiers[tier];
        if state.outages > 0 || state.data != Data::Intact {
            return true;
        }
        if state.serving >= plan.required {
            // Down for a test alone.
            return false;
        }
        let held = plan.replicas.clone().filter(|&r| self.held(r)).count() as u32;
        state.serving + held < plan.required
    }

    /// Whether a replica is kept from serving by planned work alone: its maintenance,
    /// or a dependency down for planned work alone.
    fn held(&self, r: u32) -> bool {
        let replica = &self.replicas[r as usize];
        replica.holds
            && matches!(replica.health, Health::Healthy | Health::Maintained)
            && replica.site.is_none_or(|s| self.sites[s as usize].outages == 0)
            && self.plan.replicas[r as usize]
                .stands_on
                .iter()
                .all(|&d| !self.tiers[d as usize].unplanned)
    }

    fn tier_is_down(&self, tier: usize) -> bool {
        let state = &self.tiers[tier];
        state.outages > 0
            || state.testing
            || state.data != Data::Intact
            || state.serving < self.plan.tiers[tier].required
    }

    /// Re-evaluates whether a tier is down, and tells the books if that changed.
    #[inline]
    fn refresh(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let down = self.tier_is_down(tier as usize);
        if self.plan.planned {
            self.refresh_planned(now, tier, down, observer);
        } else if down != self.tiers[tier as usize].down {
            self.tier_flipped(now, tier, down, down, observer);
        }
    }

    /// `refresh` in a model with planned downtime: whether the tier is down for
    /// planned work alone is followed too.
    #[inline(never)]
    fn refresh_planned(&mut self, now: f64, tier: u32, down: bool, observer: &mut impl Observer) {
        let unplanned = down && self.unplanned_down(tier as usize);
        let state = &self.tiers[tier as usize];
        if down != state.down || unplanned != state.unplanned {
            self.tier_flipped(now, tier, down, unplanned, observer);
        }
    }

    /// A tier went down or came back, or its downtime became unplanned or planned:
    /// the books are told, or what stands on it if it is a dependency.
    #[inline(always)]
    fn tier_flipped(&mut self, now: f64, tier: u32, down: bool, unplanned: bool, observer: &mut impl Observer) {
        let state = &mut self.tiers[tier as usize];
        let flipped = down != state.down;
        state.down = down;
        state.unplanned = unplanned;
        if self.plan.tiers[tier as usize].dependency {
            self.dependency_flipped(now, tier, flipped, down, observer);
            return;
        }
        // A tier that goes down goes down with the event being handled.
        self.books
            .tier_changed(now, tier as usize, down, unplanned, self.cause, observer);
        if flipped {
            observer.happening(now, Happening::tier(tier, down));
        }
    }

    /// A dependency went down or came back, or (not `flipped`) it is still down but
    /// now for planned work alone or no longer (apart from `refresh`, which is on
    /// every event's path and stays small).
    #[cold]
    #[inline(never)]
    fn dependency_flipped(&mut self, now: f64, tier: u32, flipped: bool, down: bool, observer: &mut impl Observer) {
        if flipped {
            observer.happening(now, Happening::tier(tier, down));
            self.dependency_changed(now, tier, down, observer);
            return;
        }
        let mut touched: Vec<u32> = Vec::new();
        for &r in &self.plan.tiers[tier as usize].dependents {
            let t = self.replicas[r as usize].tier;
            if !touched.contains(&t) {
                touched.push(t);
            }
        }
        for t in touched {
            self.refresh(now, t, observer);
        }
    }

    /// A dependency went down (or came back): the replicas standing on it stop
    /// serving (or may serve again), as for their site; then the tiers (and
    /// dependencies) they belong to are re-evaluated, which carries the change on to
    /// what stands on those.
    fn dependency_changed(&mut self, now: f64, dependency: u32, down: bool, observer: &mut impl Observer) {
        let plan = self.plan;
        let dependents = &plan.tiers[dependency as usize].dependents;
        let mut touched: Vec<u32> = Vec::new();
        for &r in dependents {
            let t = self.replicas[r as usize].tier;
            if !touched.contains(&t) {
                touched.push(t);
            }
            if down {
                if self.stop(now, r) {
                    let site = self.replicas[r as usize].site;
                    self.demand(now, t, site, None, observer);
                }
            } else {
                self.unblock(r);
                self.rejoin(now, r, observer);
            }
        }
        if !down {
            for &t in &touched {
                self.retry(now, t, observer);
            }
        }
        for t in touched {
            self.refresh(now, t, observer);
            #[cfg(any(debug_assertions, test))]
            self.check(t);
        }
    }

    /// The invariants of a tier's state, after every event.
    #[cfg(any(debug_assertions, test))]
    fn check(&self, tier: u32) {
        let plan = &self.plan.tiers[tier as usize];
        let state = &self.tiers[tier as usize];
        let replicas = || plan.replicas.clone().map(|r| &self.replicas[r as usize]);
        let serving = replicas().filter(|r| r.serves()).count() as u32;
        assert_eq!(state.serving, serving, "tier {tier}: serving count");
        let broken = replicas().filter(|r| r.health == Health::Broken).count();
        let restoring = usize::from(matches!(state.data, Data::Restoring(Lost::Replica(_))));
        let with_site = replicas().filter(|r| r.with_site).count();
        assert_eq!(
            broken,
            state.busy_crews as usize + state.queue.len() + restoring + with_site,
            "tier {tier}: every broken replica is in repair, queued, being restored or lost with its site"
        );
        for r in plan.replicas.clone() {
            let replica = &self.replicas[r as usize];
            let down = self.plan.replicas[r as usize]
                .stands_on
                .iter()
                .filter(|&&d| self.tiers[d as usize].down)
                .count() as u32;
            assert_eq!(
                replica.blockers,
                replica
                    .site
                    .map_or(0, |s| u32::from(self.sites[s as usize].outages > 0))
                    + down,
                "replica {r}: blocked exactly while its site or a dependency it stands on is down"
            );
            let waits = replica.health == Health::Latent
                || replica.with_site
                || state.queue.contains(&r)
                || state.data == Data::Restoring(Lost::Replica(r));
            if waits {
                assert_eq!(
                    self.timers.get(replica.slot),
                    f64::INFINITY,
                    "replica {r}: a waiting replica has no timer"
                );
            }
        }
        if let Some(crews) = plan.crews {
            assert!(state.busy_crews <= crews, "tier {tier}: more repairs than crews");
            assert!(
                state.queue.is_empty() || state.busy_crews == crews,
                "tier {tier}: a crew idles"
            );
        }
        match &plan.failover {
            None => assert!(
                replicas().all(|r| r.role == Role::Serving && r.health != Health::Latent),
                "tier {tier}: active-active replicas all serve and fail visibly"
            ),
            Some(failover) => {
                assert!(serving <= plan.required, "tier {tier}: more serving than required");
                assert!(
                    replicas().all(|r| r.blockers == 0 || r.role == Role::Standby),
                    "tier {tier}: a blocked replica stands by"
                );
                if state.switch == Switch::Idle || state.switch == Switch::Waiting {
                    assert_eq!(
                        self.timers.get(failover.switch_slot),
                        f64::INFINITY,
                        "tier {tier}: switch timer"
                    );
                }
                if state.switch != Switch::Idle {
                    assert!(
                        serving < plan.required,
                        "tier {tier}: a demand under way with no vacancy"
                    );
                }
            }
        }
        let repairing = plan
            .tier_modes
            .clone()
            .filter(|&i| self.tier_modes[i as usize].repairing)
            .count() as u32;
        assert_eq!(state.outages, repairing, "tier {tier}: tier-wide outages");
        let maintained = replicas().filter(|r| r.health == Health::Maintained).count() as u32;
        assert_eq!(state.maintained, maintained, "tier {tier}: replicas in maintenance");
        assert!(
            plan.maintenance.is_some() || (maintained == 0 && !state.round),
            "tier {tier}: maintenance without a plan for it"
        );
        assert!(
            !state.planned_switch || state.switch != Switch::Idle,
            "tier {tier}: a planned switchover with no switchover"
        );
        assert!(
            state.unplanned == (state.down && (!self.plan.planned || self.unplanned_down(tier as usize))),
            "tier {tier}: unplanned flag"
        );
        assert_eq!(state.down, self.tier_is_down(tier as usize), "tier {tier}: down flag");
    }

    /// The plan this engine runs.
    #[cfg(test)]
    pub(crate) fn plan(&self) -> &Plan {
        self.plan
    }
}

#[cfg(test)]
mod tests;
