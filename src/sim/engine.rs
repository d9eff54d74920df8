//! The discrete-event simulation of one history: a state machine over the plan's
//! components that tells an [`Observer`] what happens.
//!
//! A history starts as new (every replica new and up, the first `required` of a
//! failover tier serving and the others standing by, standbys healthy, a good backup
//! at t = 0). It runs through the warm-up, which is simulated but not measured, then
//! through its measured windows, one after the other, and ends with the last window.
//! Events come from [`Timers`]: each replica, tier-wide mode and failover or backup
//! step has a slot of its own, so nothing beyond the history's end is ever scheduled,
//! and a history's cost is linear in its events.
//!
//! The state, and the one place each part of it changes:
//! - a replica is `Healthy`, `Latent` (a standby that failed unnoticed) or `Broken`
//!   (known failed: in repair, queued for a crew, or being restored); it is `Serving`
//!   or `Standby`; it *serves* while healthy, serving and not blocked by anything it
//!   stands on ([`Engine::change`] keeps each tier's count of serving replicas);
//! - a tier is down while a tier-wide failure is being repaired, a drill is under
//!   way, its data is being restored or rebuilt, or fewer than `required` replicas
//!   serve ([`Engine::refresh`], which tells the books);
//! - a failover tier handles a demand step by step ([`Switch`]): detection, then a
//!   switchover to the standby chosen, then the standby either takes over, is found
//!   dead (and the next is chosen), or needs a manual recovery.
//!
//! Ageing: a replica draws, at every renewal, a life per failure mode (competing
//! risks, each mode from its own stream) and keeps the shortest. A serving replica
//! consumes life at rate 1, a standby at its tier's dormant factor; a change of role
//! re-arms its timer.

use std::collections::VecDeque;

use super::backups::Unusable;
use super::books::{Books, Window};
use super::plan::{CLOCK, Plan, Slot};
use super::rng::{HistorySeed, Stream};
use super::timers::Timers;

/// What a history reports as it runs.
pub(crate) trait Observer {
    /// A service outage inside a measured window, from `start` to `end` \[h\] since
    /// the window's start; `cut` if it began before the window or was still running
    /// at its end.
    fn outage(&mut self, _start: f64, _end: f64, _cut: bool) {}
    /// A restore inside a measured window lost `hours` of data.
    fn data_loss(&mut self, _hours: f64) {}
    /// A measured window closed, with its totals.
    fn window(&mut self, _window: &Window) {}
    /// Anything at all happened (warm-up included), for traces and tests.
    fn happening(&mut self, _at: f64, _what: Happening) {}
}

/// Something that happened in a history. Replicas and tier-wide modes are numbered as
/// in the plan (across all tiers); tiers by their position.
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
    TakesOver {
        tier: u32,
        replica: u32,
    },
    Drill {
        tier: u32,
        found: u32,
    },
    DrillEnds {
        tier: u32,
    },
    TierDown {
        tier: u32,
    },
    TierUp {
        tier: u32,
    },
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
    /// Failed and known: in repair, queued for a crew, or being restored.
    Broken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Serving,
    Standby,
}

#[derive(Debug, Clone)]
struct Replica {
    /// From the plan, kept here where the hot path reads it: the replica's tier, its
    /// timer slot and its first stream.
    tier: u32,
    slot: u32,
    streams: u32,
    health: Health,
    role: Role,
    /// How many of the things it stands on are down (sites, dependencies).
    blockers: u32,
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
}

#[derive(Debug, Clone, Default)]
struct TierMode {
    lives: Stream,
    repairs: Stream,
    /// Being repaired (or restored, or rebuilt): the tier is down.
    repairing: bool,
}

/// What was destroyed, and is being restored or rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lost {
    /// The only copy, on this replica.
    Replica(u32),
    /// Every copy, by this tier-wide mode.
    TierMode(u32),
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

#[derive(Debug, Clone)]
struct TierState {
    /// Replicas that serve.
    serving: u32,
    /// Tier-wide modes being repaired.
    outages: u32,
    drilling: bool,
    data: Data,
    /// When the data was destroyed (while it is not intact).
    lost_at: f64,
    busy_crews: u32,
    queue: VecDeque<u32>,
    switch: Switch,
    /// Whether the demand under way has had a failed attempt.
    demand_failed: bool,
    unusable: Unusable,
    /// When backup 0 was taken (≤ 0).
    first_backup: f64,
    detection: Stream,
    switchover: Stream,
    success: Stream,
    manual_recovery: Stream,
    drills: Stream,
    restores: Stream,
    down: bool,
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
    tier_modes: Vec<TierMode>,
    tiers: Vec<TierState>,
    books: Books,
    /// Window boundaries passed so far.
    boundaries: u64,
}

impl<'p> Engine<'p> {
    pub(crate) fn new(plan: &'p Plan, schedule: Schedule, seed: u64) -> Self {
        let tier = TierState {
            serving: 0,
            outages: 0,
            drilling: false,
            data: Data::Intact,
            lost_at: 0.0,
            busy_crews: 0,
            queue: VecDeque::new(),
            switch: Switch::Idle,
            demand_failed: false,
            unusable: Unusable::default(),
            first_backup: 0.0,
            detection: Stream::default(),
            switchover: Stream::default(),
            success: Stream::default(),
            manual_recovery: Stream::default(),
            drills: Stream::default(),
            restores: Stream::default(),
            down: false,
        };
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
                    slot: replica.slot,
                    streams: replica.streams,
                    health: Health::Healthy,
                    role: Role::Serving,
                    blockers: 0,
                    life: 0.0,
                    mode: 0,
                    since: 0.0,
                })
                .collect(),
            replica_streams: vec![Stream::default(); plan.replica_keys.len()],
            tier_modes: vec![TierMode::default(); plan.tier_modes.len()],
            tiers: vec![tier; plan.tiers.len()],
            books: Books::new(plan.tiers.len()),
            boundaries: 0,
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
                    return;
                }
                Slot::Replica(r) => {
                    match self.replicas[r as usize].health {
                        Health::Healthy => self.fails(now, r, observer),
                        Health::Broken => self.repaired(now, r, observer),
                        Health::Latent => unreachable!("a latent replica has no timer"),
                    }
                    self.replicas[r as usize].tier
                }
                Slot::TierMode(i) => {
                    if self.tier_modes[i as usize].repairing {
                        self.tier_mode_repaired(now, i, observer);
                    } else {
                        self.tier_mode_fails(now, i, observer);
                    }
                    self.plan.tier_modes[i as usize].tier
                }
                Slot::Switch(t) => {
                    self.switch_step(now, t, observer);
                    t
                }
                Slot::Drill(t) => {
                    self.drill(now, t, observer);
                    t
                }
                Slot::DrillEnd(t) => {
                    self.tiers[t as usize].drilling = false;
                    self.at(self.failover_plan(t).drill_end_slot, f64::INFINITY);
                    observer.happening(now, Happening::DrillEnds { tier: t });
                    t
                }
                Slot::Restore(t) => {
                    self.restore_done(now, t, observer);
                    t
                }
            };
            self.books.window.events += 1;
            self.refresh(now, tier, observer);
            #[cfg(debug_assertions)]
            self.check(tier);
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
        for (stream, &key) in self.replica_streams.iter_mut().zip(&plan.replica_keys) {
            *stream = history.stream(key);
        }
        for (state, mode) in self.tier_modes.iter_mut().zip(&plan.tier_modes) {
            state.lives = history.stream(mode.life_key);
            state.repairs = history.stream(mode.repair_key);
            state.repairing = false;
        }
        let as_new = self.schedule.as_new;
        for (state, tier) in self.tiers.iter_mut().zip(&plan.tiers) {
            state.serving = 0;
            state.outages = 0;
            state.drilling = false;
            state.data = Data::Intact;
            state.busy_crews = 0;
            state.queue.clear();
            state.switch = Switch::Idle;
            state.unusable.clear();
            state.down = false;
            if let Some(failover) = &tier.failover {
                let keys = &failover.keys;
                state.detection = history.stream(keys.detection);
                state.switchover = history.stream(keys.switchover);
                state.success = history.stream(keys.success);
                state.manual_recovery = history.stream(keys.manual_recovery);
                state.drills = history.stream(keys.drill_duration);
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
            if let Some(failover) = &tier.failover
                && let Some(every) = failover.test_every
            {
                let first = if as_new {
                    every
                } else {
                    history.stream(failover.keys.drill_phase).uniform() * every
                };
                self.at(failover.drill_slot, first);
            }
            debug_assert!(!self.tier_is_down(t), "every tier is up at the start");
        }
        self.timers.set(CLOCK, self.schedule.warm_up);
    }

    /// Sets a slot's timer, or clears it if `time` is not before the history's end.
    #[inline]
    fn at(&mut self, slot: u32, time: f64) {
        self.timers
            .set(slot, if time < self.end { time } else { f64::INFINITY });
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

    fn failover_plan(&self, tier: u32) -> &'p super::plan::FailoverPlan {
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
        let after = state.serves();
        if before != after {
            let tier = &mut self.tiers[self.replicas[replica as usize].tier as usize];
            if after {
                tier.serving += 1;
            } else {
                tier.serving -= 1;
            }
        }
    }

    /// The speed at which a replica consumes its life in its role.
    #[inline]
    fn ageing_rate(&self, replica: u32) -> f64 {
        let tier = &self.plan.tiers[self.replicas[replica as usize].tier as usize];
        match (self.replicas[replica as usize].role, &tier.failover) {
            (Role::Standby, Some(failover)) => failover.dormant_factor,
            _ => 1.0,
        }
    }

    /// Renews a replica as good as new: a life per mode, the shortest pending.
    fn renew(&mut self, now: f64, replica: u32) {
        let plan = self.plan;
        let state = &self.replicas[replica as usize];
        let streams = &mut self.replica_streams[state.streams as usize..];
        let mut first = f64::INFINITY;
        let mut first_mode = 0;
        for (m, mode) in plan.tiers[state.tier as usize].modes.iter().enumerate() {
            let life = mode.every.sample(&mut streams[2 * m]);
            if life < first {
                first = life;
                first_mode = m as u32;
            }
        }
        self.change(replica, |r| {
            r.health = Health::Healthy;
            r.life = first;
            r.mode = first_mode;
            r.since = now;
        });
        self.arm_failure(now, replica);
    }

    /// Sets a healthy replica's timer to its pending failure at its ageing rate.
    fn arm_failure(&mut self, now: f64, replica: u32) {
        let rate = self.ageing_rate(replica);
        let life = self.replicas[replica as usize].life;
        // Serving replicas (rate 1) are the common case: no division on the hot path.
        let time = if rate == 1.0 {
            now + life
        } else if rate > 0.0 {
            now + life / rate
        } else {
            f64::INFINITY
        };
        self.at(self.replicas[replica as usize].slot, time);
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

    /// A healthy replica's pending failure happens.
    fn fails(&mut self, now: f64, replica: u32, observer: &mut impl Observer) {
        let plan = self.plan;
        let tier_index = self.replicas[replica as usize].tier;
        let tier = &plan.tiers[tier_index as usize];
        let state = &self.replicas[replica as usize];
        let (mode, role, was_serving) = (state.mode, state.role, state.serves());
        self.books.failure(tier_index as usize);
        if role == Role::Standby && tier.failover.as_ref().is_some_and(|f| f.latent) {
            // Nobody notices: it waits, dead, for a drill or a demand.
            self.at(self.replicas[replica as usize].slot, f64::INFINITY);
            self.change(replica, |r| r.health = Health::Latent);
            observer.happening(now, Happening::FailsSilently { replica, mode });
            return;
        }
        observer.happening(now, Happening::Fails { replica, mode });
        self.change(replica, |r| r.health = Health::Broken);
        let lost = tier.modes[mode as usize].destroys_data
            && self.tiers[tier_index as usize].data == Data::Intact
            && !tier
                .replicas
                .clone()
                .any(|r| r != replica && self.replicas[r as usize].health == Health::Healthy);
        if lost {
            if tier.backup.is_some() {
                // The restore replaces the repair: no timer of its own.
                self.at(self.replicas[replica as usize].slot, f64::INFINITY);
                self.start_restore(now, tier_index, Lost::Replica(replica), observer);
            } else {
                self.lose_for_good(now, tier_index, Lost::Replica(replica), 0.0, observer);
            }
        } else {
            self.start_repair(now, replica, 0.0, observer);
        }
        if was_serving && tier.failover.is_some() {
            self.demand(now, tier_index, observer);
        }
    }

    /// Starts the repair of a broken replica (of the mode it failed from), after
    /// `delay`, or queues it for a crew.
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
        self.at(slot, now + delay + duration);
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
        self.replica_back(now, replica);
    }

    /// A replica is healthy again: it serves at once if its tier lacks serving
    /// replicas (calling off a switchover no longer needed), else it stands by.
    fn replica_back(&mut self, now: f64, replica: u32) {
        let tier_index = self.replicas[replica as usize].tier as usize;
        let tier = &self.plan.tiers[tier_index];
        let state = &self.tiers[tier_index];
        let lacking = state.serving < tier.required;
        self.replicas[replica as usize].role = if tier.failover.is_none() || lacking {
            Role::Serving
        } else {
            Role::Standby
        };
        self.renew(now, replica);
        let state = &self.tiers[tier_index];
        if state.switch != Switch::Idle && state.serving >= tier.required {
            self.cancel_switch(tier_index as u32);
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
        self.at(plan.slot, now + delay + duration);
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

    /// Data destroyed with no backup that loads: a loss for good. The tier is down
    /// until the destroying mode's repair (a rebuild from nothing) ends, `delay` after
    /// now (the time spent trying backups).
    fn lose_for_good(&mut self, now: f64, tier: u32, lost: Lost, delay: f64, observer: &mut impl Observer) {
        self.books.window.unrecoverable += 1;
        observer.happening(now, Happening::LostForGood { tier });
        let state = &mut self.tiers[tier as usize];
        state.data = Data::Rebuilding(lost);
        state.lost_at = now;
        match lost {
            Lost::Replica(replica) => self.start_repair(now, replica, delay, observer),
            Lost::TierMode(index) => self.start_tier_mode_repair(now, index, delay),
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
        if self.books.measuring() {
            observer.data_loss(hours);
        }
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
            Lost::Replica(replica) => self.replica_back(now, replica),
            Lost::TierMode(index) => self.tier_mode_back(now, index, observer),
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

    /// A serving replica stopped: a failover tier lacking one starts a demand, unless
    /// one is under way.
    fn demand(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let Some(failover) = &self.plan.tiers[tier as usize].failover else {
            return;
        };
        let required = self.plan.tiers[tier as usize].required;
        let state = &mut self.tiers[tier as usize];
        if state.switch != Switch::Idle || state.serving >= required {
            return;
        }
        self.books.window.demands += 1;
        state.demand_failed = false;
        state.switch = Switch::Detecting;
        let detection = failover.detection.sample(&mut state.detection);
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

    /// Chooses the standby to try (the first that looks healthy) and switches over to
    /// it; with none left, the tier waits for a replica to come back.
    fn next_standby(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let failover = self.failover_plan(tier);
        let candidate = self.plan.tiers[tier as usize].replicas.clone().find(|&r| {
            let replica = &self.replicas[r as usize];
            replica.role == Role::Standby && replica.health != Health::Broken && replica.blockers == 0
        });
        let Some(standby) = candidate else {
            self.books.window.no_standby += 1;
            self.attempt_failed(tier);
            self.tiers[tier as usize].switch = Switch::Waiting;
            self.at(failover.switch_slot, f64::INFINITY);
            observer.happening(now, Happening::NoStandby { tier });
            return;
        };
        let state = &mut self.tiers[tier as usize];
        state.switch = Switch::Switching(standby);
        let duration = failover.switchover.sample(&mut state.switchover);
        observer.happening(now, Happening::Switchover { tier, standby });
        self.at(failover.switch_slot, now + duration);
    }

    /// A switchover reaches its standby: it takes over (with probability `success`),
    /// needs a manual recovery, or is found dead.
    fn attempt(&mut self, now: f64, tier: u32, standby: u32, observer: &mut impl Observer) {
        let failover = self.failover_plan(tier);
        let replica = &self.replicas[standby as usize];
        if !(replica.health == Health::Healthy && replica.role == Role::Standby && replica.blockers == 0) {
            self.found_dead(now, tier, standby, observer);
            self.next_standby(now, tier, observer);
            return;
        }
        let state = &mut self.tiers[tier as usize];
        if state.success.uniform() < failover.success {
            self.promote(now, tier, standby, observer);
            return;
        }
        self.books.window.switch_failures += 1;
        self.attempt_failed(tier);
        let state = &mut self.tiers[tier as usize];
        state.switch = Switch::Manual(standby);
        let manual = failover
            .manual_recovery
            .as_ref()
            .expect("validated: manual_recovery is set when success < 1");
        let duration = manual.sample(&mut state.manual_recovery);
        observer.happening(now, Happening::SwitchFailed { tier, standby });
        self.at(failover.switch_slot, now + duration);
    }

    /// The standby a switchover reached is dead: a latent failure is found and goes
    /// to repair.
    fn found_dead(&mut self, now: f64, tier: u32, standby: u32, observer: &mut impl Observer) {
        self.books.window.dead_standby += 1;
        self.attempt_failed(tier);
        observer.happening(now, Happening::FoundDead { tier, standby });
        if self.replicas[standby as usize].health == Health::Latent {
            self.reveal(now, standby, observer);
        }
    }

    fn manual_recovery_done(&mut self, now: f64, tier: u32, standby: u32, observer: &mut impl Observer) {
        let replica = &self.replicas[standby as usize];
        if replica.health == Health::Healthy && replica.role == Role::Standby && replica.blockers == 0 {
            self.promote(now, tier, standby, observer);
            return;
        }
        // The standby died while being brought up by hand: try the next one.
        if replica.health == Health::Latent {
            self.found_dead(now, tier, standby, observer);
        }
        self.next_standby(now, tier, observer);
    }

    /// A standby takes over; another demand starts if the tier still lacks one.
    fn promote(&mut self, now: f64, tier: u32, standby: u32, observer: &mut impl Observer) {
        self.books.window.switchovers += 1;
        self.cancel_switch(tier);
        self.set_role(now, standby, Role::Serving);
        observer.happening(now, Happening::TakesOver { tier, replica: standby });
        self.demand(now, tier, observer);
    }

    fn cancel_switch(&mut self, tier: u32) {
        self.tiers[tier as usize].switch = Switch::Idle;
        self.at(self.failover_plan(tier).switch_slot, f64::INFINITY);
    }

    /// Counts a demand's first failed attempt.
    fn attempt_failed(&mut self, tier: u32) {
        let state = &mut self.tiers[tier as usize];
        if !state.demand_failed {
            state.demand_failed = true;
            self.books.window.failed_demands += 1;
        }
    }

    /// A latent failure is found: the replica goes to repair.
    fn reveal(&mut self, now: f64, replica: u32, observer: &mut impl Observer) {
        self.change(replica, |r| r.health = Health::Broken);
        self.start_repair(now, replica, 0.0, observer);
    }

    /// A failover drill: every latent standby failure is found; the tier is down for
    /// the drill's duration, if drills take time.
    fn drill(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let failover = self.failover_plan(tier);
        let mut found = 0;
        for replica in self.plan.tiers[tier as usize].replicas.clone() {
            let state = &self.replicas[replica as usize];
            if state.role == Role::Standby && state.health == Health::Latent {
                found += 1;
                self.reveal(now, replica, observer);
            }
        }
        self.books.window.latent_found += u64::from(found);
        if let Some(duration) = &failover.test_duration {
            let state = &mut self.tiers[tier as usize];
            let mut end = now + duration.sample(&mut state.drills);
            if state.drilling {
                end = end.max(self.timers.get(failover.drill_end_slot));
            }
            state.drilling = true;
            self.at(failover.drill_end_slot, end);
        }
        observer.happening(now, Happening::Drill { tier, found });
        let every = failover.test_every.expect("drills happen only in drilled tiers");
        self.at(failover.drill_slot, now + every);
    }

    fn tier_is_down(&self, tier: usize) -> bool {
        let state = &self.tiers[tier];
        state.outages > 0
            || state.drilling
            || state.data != Data::Intact
            || state.serving < self.plan.tiers[tier].required
    }

    /// Re-evaluates whether a tier is down, and tells the books if that changed.
    fn refresh(&mut self, now: f64, tier: u32, observer: &mut impl Observer) {
        let down = self.tier_is_down(tier as usize);
        if down != self.tiers[tier as usize].down {
            self.tiers[tier as usize].down = down;
            self.books.tier_changed(now, tier as usize, down, observer);
            let what = if down {
                Happening::TierDown { tier }
            } else {
                Happening::TierUp { tier }
            };
            observer.happening(now, what);
        }
    }

    /// The invariants of a tier's state, after every event.
    #[cfg(debug_assertions)]
    fn check(&self, tier: u32) {
        let plan = &self.plan.tiers[tier as usize];
        let state = &self.tiers[tier as usize];
        let replicas = || plan.replicas.clone().map(|r| &self.replicas[r as usize]);
        let serving = replicas().filter(|r| r.serves()).count() as u32;
        assert_eq!(state.serving, serving, "tier {tier}: serving count");
        let broken = replicas().filter(|r| r.health == Health::Broken).count();
        let restoring = usize::from(matches!(state.data, Data::Restoring(Lost::Replica(_))));
        assert_eq!(
            broken,
            state.busy_crews as usize + state.queue.len() + restoring,
            "tier {tier}: every broken replica is in repair, queued or being restored"
        );
        for r in plan.replicas.clone() {
            let waits = self.replicas[r as usize].health == Health::Latent
                || state.queue.contains(&r)
                || state.data == Data::Restoring(Lost::Replica(r));
            if waits {
                let slot = self.replicas[r as usize].slot;
                assert_eq!(
                    self.timers.get(slot),
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
