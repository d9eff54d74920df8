//! The discrete-event simulation of one replication.
//!
//! A replication starts with every replica new and up, and runs events in time order
//! until the horizon: a replica fails (the first of its modes' clocks to run out), a
//! repair ends (the replica is as good as new and its clocks restart), a tier-scope
//! failure hits a tier, a tier-scope repair ends. After each event the tier's state is
//! re-evaluated; when a tier goes down or comes back, the service's books are updated.
//! Nothing after the horizon is scheduled, so the cost of a replication is linear in
//! its events, and a [`Workspace`] is reused across replications, so memory does not
//! grow with their number.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use super::rng::{Purpose, Stream, stream};
use super::tally::Tally;
use crate::dist::Distribution;
use crate::model::{Scope, Service};

/// A tier as the engine sees it: replica-scope and tier-scope modes split apart.
#[derive(Debug)]
struct TierPlan {
    replicas: u32,
    required: u32,
    crews: Option<u32>,
    replica_modes: Vec<ModePlan>,
    tier_modes: Vec<ModePlan>,
}

#[derive(Debug)]
struct ModePlan {
    every: Distribution,
    repair: Distribution,
}

/// A service compiled for the engine.
#[derive(Debug)]
pub(crate) struct Plan {
    tiers: Vec<TierPlan>,
}

impl Plan {
    pub(crate) fn new(service: &Service) -> Plan {
        let tiers = service
            .tiers()
            .iter()
            .map(|tier| {
                let modes = |scope| {
                    tier.failures()
                        .iter()
                        .filter(|mode| mode.scope() == scope)
                        .map(|mode| ModePlan {
                            every: mode.every().clone(),
                            repair: mode.repair().clone(),
                        })
                        .collect()
                };
                TierPlan {
                    replicas: tier.replicas(),
                    required: tier.required(),
                    crews: tier.repair_crews(),
                    replica_modes: modes(Scope::Replica),
                    tier_modes: modes(Scope::Tier),
                }
            })
            .collect();
        Plan { tiers }
    }

    pub(crate) fn tier_count(&self) -> usize {
        self.tiers.len()
    }
}

#[derive(Debug, Clone, Copy)]
enum What {
    ReplicaFails { tier: u32, replica: u32, mode: u32 },
    ReplicaRepaired { tier: u32, replica: u32 },
    TierFails { tier: u32, mode: u32 },
    TierRepaired { tier: u32, mode: u32 },
}

#[derive(Debug, Clone, Copy)]
struct Event {
    time: f64,
    seq: u64,
    what: What,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Event {
    /// Reversed, so that the max-heap pops the earliest event; ties go to the event
    /// scheduled first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.time.total_cmp(&self.time).then_with(|| other.seq.cmp(&self.seq))
    }
}

#[derive(Debug)]
struct Replica {
    failures: Stream,
    repairs: Stream,
}

#[derive(Debug)]
struct TierState {
    replicas: Vec<Replica>,
    failures: Stream,
    repairs: Stream,
    serving: u32,
    tier_outages: u32,
    busy_crews: u32,
    waiting: VecDeque<(u32, u32)>,
    down: bool,
    down_since: f64,
    down_time: f64,
    share: f64,
    failure_count: u64,
}

/// Buffers reused from one replication to the next.
#[derive(Debug)]
pub(crate) struct Workspace<'p> {
    plan: &'p Plan,
    horizon: f64,
    seed: u64,
    queue: BinaryHeap<Event>,
    seq: u64,
    tiers: Vec<TierState>,
    down_tiers: u32,
    last_change: f64,
    outage_start: f64,
    downtime: f64,
    outages: u64,
}

impl<'p> Workspace<'p> {
    pub(crate) fn new(plan: &'p Plan, horizon: f64, seed: u64) -> Self {
        let tiers = plan
            .tiers
            .iter()
            .enumerate()
            .map(|(t, tier)| TierState {
                replicas: (0..tier.replicas)
                    .map(|r| Replica {
                        failures: stream(seed, 0, t as u32, r, Purpose::ReplicaFailures),
                        repairs: stream(seed, 0, t as u32, r, Purpose::ReplicaRepairs),
                    })
                    .collect(),
                failures: stream(seed, 0, t as u32, 0, Purpose::TierFailures),
                repairs: stream(seed, 0, t as u32, 0, Purpose::TierRepairs),
                serving: 0,
                tier_outages: 0,
                busy_crews: 0,
                waiting: VecDeque::new(),
                down: false,
                down_since: 0.0,
                down_time: 0.0,
                share: 0.0,
                failure_count: 0,
            })
            .collect();
        Workspace {
            plan,
            horizon,
            seed,
            queue: BinaryHeap::new(),
            seq: 0,
            tiers,
            down_tiers: 0,
            last_change: 0.0,
            outage_start: 0.0,
            downtime: 0.0,
            outages: 0,
        }
    }

    fn schedule(&mut self, time: f64, what: What) {
        if time < self.horizon {
            self.seq += 1;
            self.queue.push(Event {
                time,
                seq: self.seq,
                what,
            });
        }
    }

    /// Resets every buffer and stream for replication `index`.
    fn reset(&mut self, index: u64) {
        self.queue.clear();
        self.seq = 0;
        self.down_tiers = 0;
        self.last_change = 0.0;
        self.outage_start = 0.0;
        self.downtime = 0.0;
        self.outages = 0;
        for (t, (state, plan)) in self.tiers.iter_mut().zip(&self.plan.tiers).enumerate() {
            let t = t as u32;
            for (r, replica) in state.replicas.iter_mut().enumerate() {
                replica.failures = stream(self.seed, index, t, r as u32, Purpose::ReplicaFailures);
                replica.repairs = stream(self.seed, index, t, r as u32, Purpose::ReplicaRepairs);
            }
            if !plan.tier_modes.is_empty() {
                state.failures = stream(self.seed, index, t, 0, Purpose::TierFailures);
                state.repairs = stream(self.seed, index, t, 0, Purpose::TierRepairs);
            }
            state.serving = plan.replicas;
            state.tier_outages = 0;
            state.busy_crews = 0;
            state.waiting.clear();
            state.down = false;
            state.down_since = 0.0;
            state.down_time = 0.0;
            state.share = 0.0;
            state.failure_count = 0;
        }
    }

    /// Draws a replica's next failure: the first of its modes' clocks to run out.
    fn renew_replica(&mut self, now: f64, tier: u32, replica: u32) {
        let modes = &self.plan.tiers[tier as usize].replica_modes;
        let rng = &mut self.tiers[tier as usize].replicas[replica as usize].failures;
        let mut first = f64::INFINITY;
        let mut first_mode = 0;
        for (m, mode) in modes.iter().enumerate() {
            let time = mode.every.sample(rng);
            if time < first {
                first = time;
                first_mode = m as u32;
            }
        }
        if !modes.is_empty() {
            self.schedule(
                now + first,
                What::ReplicaFails {
                    tier,
                    replica,
                    mode: first_mode,
                },
            );
        }
    }

    fn start_repair(&mut self, now: f64, tier: u32, replica: u32, mode: u32) {
        let plan = &self.plan.tiers[tier as usize];
        let state = &mut self.tiers[tier as usize];
        if plan.crews.is_some_and(|crews| state.busy_crews >= crews) {
            state.waiting.push_back((replica, mode));
            return;
        }
        state.busy_crews += 1;
        let duration = plan.replica_modes[mode as usize]
            .repair
            .sample(&mut state.replicas[replica as usize].repairs);
        self.schedule(now + duration, What::ReplicaRepaired { tier, replica });
    }

    /// Runs replication `index` and adds its outcome to `tally`.
    pub(crate) fn run(&mut self, index: u64, tally: &mut Tally) {
        self.reset(index);
        for t in 0..self.plan.tiers.len() as u32 {
            for r in 0..self.plan.tiers[t as usize].replicas {
                self.renew_replica(0.0, t, r);
            }
            for m in 0..self.plan.tiers[t as usize].tier_modes.len() as u32 {
                let time = self.plan.tiers[t as usize].tier_modes[m as usize]
                    .every
                    .sample(&mut self.tiers[t as usize].failures);
                self.schedule(time, What::TierFails { tier: t, mode: m });
            }
        }
        let mut events = 0u64;
        while let Some(event) = self.queue.pop() {
            events += 1;
            let now = event.time;
            let tier = match event.what {
                What::ReplicaFails { tier, replica, mode } => {
                    let state = &mut self.tiers[tier as usize];
                    state.serving -= 1;
                    state.failure_count += 1;
                    self.start_repair(now, tier, replica, mode);
                    tier
                }
                What::ReplicaRepaired { tier, replica } => {
                    let state = &mut self.tiers[tier as usize];
                    state.serving += 1;
                    state.busy_crews -= 1;
                    let next = state.waiting.pop_front();
                    self.renew_replica(now, tier, replica);
                    if let Some((replica, mode)) = next {
                        self.start_repair(now, tier, replica, mode);
                    }
                    tier
                }
                What::TierFails { tier, mode } => {
                    let state = &mut self.tiers[tier as usize];
                    state.tier_outages += 1;
                    state.failure_count += 1;
                    let duration = self.plan.tiers[tier as usize].tier_modes[mode as usize]
                        .repair
                        .sample(&mut state.repairs);
                    self.schedule(now + duration, What::TierRepaired { tier, mode });
                    tier
                }
                What::TierRepaired { tier, mode } => {
                    let state = &mut self.tiers[tier as usize];
                    state.tier_outages -= 1;
                    let time = self.plan.tiers[tier as usize].tier_modes[mode as usize]
                        .every
                        .sample(&mut state.failures);
                    self.schedule(now + time, What::TierFails { tier, mode });
                    tier
                }
            };
            self.update_tier(now, tier as usize, tally);
        }
        self.finish(events, tally);
    }

    /// Re-evaluates whether a tier is up, and keeps the books if that changed.
    fn update_tier(&mut self, now: f64, tier: usize, tally: &mut Tally) {
        let plan = &self.plan.tiers[tier];
        let state = &self.tiers[tier];
        let down = state.tier_outages > 0 || state.serving < plan.required;
        if down == state.down {
            return;
        }
        self.split_shares(now);
        let state = &mut self.tiers[tier];
        state.down = down;
        if down {
            state.down_since = now;
            self.down_tiers += 1;
            if self.down_tiers == 1 {
                self.outage_start = now;
            }
        } else {
            state.down_time += now - state.down_since;
            self.down_tiers -= 1;
            if self.down_tiers == 0 {
                self.end_outage(now, false, tally);
            }
        }
    }

    /// Splits the service downtime since the last change equally among the tiers
    /// that were down.
    fn split_shares(&mut self, now: f64) {
        if self.down_tiers > 0 {
            let share = (now - self.last_change) / f64::from(self.down_tiers);
            for state in self.tiers.iter_mut().filter(|s| s.down) {
                state.share += share;
            }
        }
        self.last_change = now;
    }

    fn end_outage(&mut self, now: f64, cut: bool, tally: &mut Tally) {
        let duration = now - self.outage_start;
        if duration > 0.0 {
            self.outages += 1;
            self.downtime += duration;
            tally.record_outage(duration, cut);
        }
    }

    /// Closes the books at the horizon: an outage still running is cut there.
    fn finish(&mut self, events: u64, tally: &mut Tally) {
        let end = self.horizon;
        self.split_shares(end);
        for state in self.tiers.iter_mut().filter(|s| s.down) {
            state.down_time += end - state.down_since;
        }
        if self.down_tiers > 0 {
            self.end_outage(end, true, tally);
        }
        tally.record_replication(
            self.horizon,
            self.downtime,
            self.outages,
            events,
            self.tiers.iter().map(|s| (s.down_time, s.share, s.failure_count)),
        );
    }
}
