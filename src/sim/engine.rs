//! The discrete-event simulation of one replication.
//!
//! A replication starts with every replica new and healthy (the first `required` of a
//! failover tier serving, the others standing by), standbys healthy, and a good backup
//! at t = 0. It runs events in time order until the horizon: a replica fails, a repair
//! or a restore ends, a tier-wide failure hits or ends, a switchover attempt or a
//! manual recovery ends, a drill starts or ends. After each event the tier's state is
//! re-evaluated; when a tier goes down or comes back, the service's books are updated.
//! Nothing after the horizon is scheduled, so the cost of a replication is linear in
//! its events, and a [`Workspace`] is reused across replications, so memory does not
//! grow with their number.
//!
//! Ageing: each replica draws, at every renewal, a life per failure mode (competing
//! risks) and keeps the shortest. A serving replica consumes life at rate 1, a standby
//! at the tier's dormant factor; a change of role reschedules the pending failure
//! (older events are recognised as stale by an epoch counter).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use rand::RngExt;

use super::rng::{Purpose, Stream, stream, uniform_at};
use super::tally::{Economics, Outcome, Tally};
use crate::dist::Distribution;
use crate::model::{Scope, Service, StandbyFailures};

#[derive(Debug)]
struct ModePlan {
    every: Distribution,
    repair: Distribution,
    destroys_data: bool,
}

#[derive(Debug)]
struct FailoverPlan {
    detection: Distribution,
    switchover: Distribution,
    success: f64,
    manual_recovery: Option<Distribution>,
    dormant_factor: f64,
    latent: bool,
    test_every: Option<f64>,
    test_duration: Option<Distribution>,
}

#[derive(Debug)]
struct BackupPlan {
    every: f64,
    restore: Distribution,
    success: f64,
}

/// A tier as the engine sees it: replica-scope and tier-scope modes split apart.
#[derive(Debug)]
struct TierPlan {
    replicas: u32,
    required: u32,
    crews: Option<u32>,
    replica_modes: Vec<ModePlan>,
    tier_modes: Vec<ModePlan>,
    failover: Option<FailoverPlan>,
    backup: Option<BackupPlan>,
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
                            destroys_data: mode.destroys_data(),
                        })
                        .collect()
                };
                TierPlan {
                    replicas: tier.replicas(),
                    required: tier.required(),
                    crews: tier.repair_crews(),
                    replica_modes: modes(Scope::Replica),
                    tier_modes: modes(Scope::Tier),
                    failover: tier.failover().map(|f| FailoverPlan {
                        detection: f.detection().clone(),
                        switchover: f.switchover().clone(),
                        success: f.success(),
                        manual_recovery: f.manual_recovery().cloned(),
                        dormant_factor: f.dormant_factor(),
                        latent: f.standby_failures() == StandbyFailures::Latent,
                        test_every: f.test_every(),
                        test_duration: f.test_duration().cloned(),
                    }),
                    backup: tier.backup().map(|b| BackupPlan {
                        every: b.every(),
                        restore: b.restore().clone(),
                        success: b.success(),
                    }),
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
    ReplicaFails { tier: u32, replica: u32, epoch: u32 },
    ReplicaRepaired { tier: u32, replica: u32 },
    TierFails { tier: u32, mode: u32 },
    TierRepaired { tier: u32, mode: u32 },
    SwitchAttempt { tier: u32, epoch: u32 },
    ManualRecoveryDone { tier: u32, epoch: u32 },
    Drill { tier: u32 },
    DrillDone { tier: u32 },
    RestoreDone { tier: u32 },
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Health {
    /// Working (serving or standing by).
    Healthy,
    /// Failed while standing by, and nobody knows.
    Latent,
    /// Failed and known: queued for, or in, repair or restore.
    Broken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Serving,
    Standby,
}

#[derive(Debug)]
struct Replica {
    failures: Stream,
    repairs: Stream,
    health: Health,
    role: Role,
    /// Life left before the pending failure, in serving-hours.
    life: f64,
    /// The mode whose failure is pending.
    mode: u32,
    /// When `life` was last brought up to date.
    since: f64,
    /// Bumped whenever the pending failure is rescheduled.
    epoch: u32,
}

/// Where a failover tier is in handling a demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switch {
    /// Nothing to do, or nothing being done.
    Idle,
    /// Detecting the failure or switching over; an attempt is scheduled.
    Switching,
    /// A switchover to this standby failed; it is being brought up by hand.
    Manual(u32),
    /// No standby left: the first repaired replica will serve.
    Waiting,
}

/// What a running restore brings back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Restoring {
    No,
    /// A replica that held the only copy.
    Replica(u32),
    /// The whole tier, after a tier-scope mode destroyed every copy.
    TierMode(u32),
}

#[derive(Debug)]
struct TierState {
    replicas: Vec<Replica>,
    failures: Stream,
    repairs: Stream,
    switching: Stream,
    restores: Stream,
    /// Healthy replicas that are serving.
    serving: u32,
    tier_outages: u32,
    drills: u32,
    busy_crews: u32,
    waiting: VecDeque<(u32, u32)>,
    switch: Switch,
    /// Bumped when a switchover is called off, so its pending events are ignored.
    switch_epoch: u32,
    /// Whether the demand being handled has had a failed attempt yet.
    demand_failed: bool,
    restoring: Restoring,
    /// Backups that a restore found unrestorable: later restores skip them.
    known_bad: Vec<u64>,
    /// Start of the data that no backup holds: t = 0, or the last unrecoverable loss.
    data_since: f64,
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
    economics: &'p Economics,
    horizon: f64,
    seed: u64,
    replication: u64,
    queue: BinaryHeap<Event>,
    seq: u64,
    tiers: Vec<TierState>,
    down_tiers: u32,
    last_change: f64,
    outage_start: f64,
    outcome: Outcome,
    /// The outages of the current replication, kept only when tracing.
    trace: Option<Vec<[f64; 2]>>,
}

impl<'p> Workspace<'p> {
    pub(crate) fn new(plan: &'p Plan, economics: &'p Economics, horizon: f64, seed: u64) -> Self {
        let tiers = plan
            .tiers
            .iter()
            .enumerate()
            .map(|(t, tier)| {
                let t = t as u32;
                TierState {
                    replicas: (0..tier.replicas)
                        .map(|r| Replica {
                            failures: stream(seed, 0, t, r, Purpose::ReplicaFailures),
                            repairs: stream(seed, 0, t, r, Purpose::ReplicaRepairs),
                            health: Health::Healthy,
                            role: Role::Serving,
                            life: 0.0,
                            mode: 0,
                            since: 0.0,
                            epoch: 0,
                        })
                        .collect(),
                    failures: stream(seed, 0, t, 0, Purpose::TierFailures),
                    repairs: stream(seed, 0, t, 0, Purpose::TierRepairs),
                    switching: stream(seed, 0, t, 0, Purpose::Switching),
                    restores: stream(seed, 0, t, 0, Purpose::Restores),
                    serving: 0,
                    tier_outages: 0,
                    drills: 0,
                    busy_crews: 0,
                    waiting: VecDeque::new(),
                    switch: Switch::Idle,
                    switch_epoch: 0,
                    demand_failed: false,
                    restoring: Restoring::No,
                    known_bad: Vec::new(),
                    data_since: 0.0,
                    down: false,
                    down_since: 0.0,
                    down_time: 0.0,
                    share: 0.0,
                    failure_count: 0,
                }
            })
            .collect();
        Workspace {
            plan,
            economics,
            horizon,
            seed,
            replication: 0,
            queue: BinaryHeap::new(),
            seq: 0,
            tiers,
            down_tiers: 0,
            last_change: 0.0,
            outage_start: 0.0,
            outcome: Outcome::default(),
            trace: None,
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
        self.replication = index;
        self.queue.clear();
        self.seq = 0;
        self.down_tiers = 0;
        self.last_change = 0.0;
        self.outage_start = 0.0;
        self.outcome = Outcome::default();
        if let Some(trace) = &mut self.trace {
            trace.clear();
        }
        for (t, (state, plan)) in self.tiers.iter_mut().zip(&self.plan.tiers).enumerate() {
            let t = t as u32;
            for (r, replica) in state.replicas.iter_mut().enumerate() {
                let r = r as u32;
                replica.failures = stream(self.seed, index, t, r, Purpose::ReplicaFailures);
                replica.repairs = stream(self.seed, index, t, r, Purpose::ReplicaRepairs);
                replica.health = Health::Healthy;
                replica.role = if plan.failover.is_some() && r >= plan.required {
                    Role::Standby
                } else {
                    Role::Serving
                };
                replica.epoch = 0;
            }
            if !plan.tier_modes.is_empty() {
                state.failures = stream(self.seed, index, t, 0, Purpose::TierFailures);
                state.repairs = stream(self.seed, index, t, 0, Purpose::TierRepairs);
            }
            if plan.failover.is_some() {
                state.switching = stream(self.seed, index, t, 0, Purpose::Switching);
            }
            if plan.backup.is_some() {
                state.restores = stream(self.seed, index, t, 0, Purpose::Restores);
            }
            state.serving = plan.replicas.min(if plan.failover.is_some() {
                plan.required
            } else {
                plan.replicas
            });
            state.tier_outages = 0;
            state.drills = 0;
            state.busy_crews = 0;
            state.waiting.clear();
            state.switch = Switch::Idle;
            state.demand_failed = false;
            state.restoring = Restoring::No;
            state.known_bad.clear();
            state.data_since = 0.0;
            state.down = false;
            state.down_since = 0.0;
            state.down_time = 0.0;
            state.share = 0.0;
            state.failure_count = 0;
        }
    }

    /// The speed at which a replica in `role` consumes its life.
    fn ageing_rate(&self, tier: u32, role: Role) -> f64 {
        match (role, &self.plan.tiers[tier as usize].failover) {
            (Role::Standby, Some(failover)) => failover.dormant_factor,
            _ => 1.0,
        }
    }

    /// Renews a replica as good as new: draws a life per mode and keeps the shortest.
    fn renew_replica(&mut self, now: f64, tier: u32, replica: u32) {
        let modes = &self.plan.tiers[tier as usize].replica_modes;
        let state = &mut self.tiers[tier as usize].replicas[replica as usize];
        let mut first = f64::INFINITY;
        let mut first_mode = 0;
        for (m, mode) in modes.iter().enumerate() {
            let life = mode.every.sample(&mut state.failures);
            if life < first {
                first = life;
                first_mode = m as u32;
            }
        }
        state.health = Health::Healthy;
        state.life = first;
        state.mode = first_mode;
        state.since = now;
        self.schedule_failure(now, tier, replica);
    }

    /// Schedules a healthy replica's pending failure at its current ageing rate.
    fn schedule_failure(&mut self, now: f64, tier: u32, replica: u32) {
        let rate = self.ageing_rate(tier, self.tiers[tier as usize].replicas[replica as usize].role);
        let state = &mut self.tiers[tier as usize].replicas[replica as usize];
        state.epoch = state.epoch.wrapping_add(1);
        let epoch = state.epoch;
        if rate > 0.0 && state.life.is_finite() {
            let time = now + state.life / rate;
            self.schedule(time, What::ReplicaFails { tier, replica, epoch });
        }
    }

    /// Changes a healthy replica's role, carrying its consumed life over.
    fn set_role(&mut self, now: f64, tier: u32, replica: u32, role: Role) {
        let old_rate = self.ageing_rate(tier, self.tiers[tier as usize].replicas[replica as usize].role);
        let state = &mut self.tiers[tier as usize].replicas[replica as usize];
        state.life = (state.life - (now - state.since) * old_rate).max(0.0);
        state.since = now;
        state.role = role;
        self.schedule_failure(now, tier, replica);
    }

    /// Queues a known failed replica for repair, or starts the repair at once.
    fn start_repair(&mut self, now: f64, tier: u32, replica: u32, mode: u32) {
        let plan = &self.plan.tiers[tier as usize];
        let state = &mut self.tiers[tier as usize];
        state.replicas[replica as usize].health = Health::Broken;
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

    /// Keeps the start and end of every outage of each replication from now on.
    pub(crate) fn trace_outages(&mut self) {
        self.trace = Some(Vec::new());
    }

    /// The outages of the last replication run, if tracing.
    pub(crate) fn outages(&self) -> &[[f64; 2]] {
        self.trace.as_deref().unwrap_or(&[])
    }

    /// The service-level totals of the last replication run.
    pub(crate) fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// Runs replication `index` and adds its outcome to `tally`.
    pub(crate) fn run(&mut self, index: u64, tally: &mut Tally) {
        self.reset(index);
        for t in 0..self.plan.tiers.len() as u32 {
            let plan = &self.plan.tiers[t as usize];
            for r in 0..plan.replicas {
                self.renew_replica(0.0, t, r);
            }
            for m in 0..plan.tier_modes.len() as u32 {
                self.schedule_tier_failure(0.0, t, m);
            }
            if let Some(every) = plan.failover.as_ref().and_then(|f| f.test_every) {
                self.schedule(every, What::Drill { tier: t });
            }
        }
        while let Some(event) = self.queue.pop() {
            let now = event.time;
            let tier = match event.what {
                What::ReplicaFails { tier, replica, epoch } => {
                    if self.tiers[tier as usize].replicas[replica as usize].epoch != epoch {
                        continue; // rescheduled since
                    }
                    self.replica_fails(now, tier, replica, tally);
                    tier
                }
                What::ReplicaRepaired { tier, replica } => {
                    let state = &mut self.tiers[tier as usize];
                    state.busy_crews -= 1;
                    let next = state.waiting.pop_front();
                    self.replica_back(now, tier, replica);
                    if let Some((replica, mode)) = next {
                        self.start_repair(now, tier, replica, mode);
                    }
                    tier
                }
                What::TierFails { tier, mode } => {
                    self.tier_fails(now, tier, mode, tally);
                    tier
                }
                What::TierRepaired { tier, mode } => {
                    self.tiers[tier as usize].tier_outages -= 1;
                    self.schedule_tier_failure(now, tier, mode);
                    tier
                }
                What::SwitchAttempt { tier, epoch } => {
                    if self.tiers[tier as usize].switch_epoch != epoch {
                        continue; // called off: a repaired replica took over
                    }
                    self.switch_attempt(now, tier);
                    tier
                }
                What::ManualRecoveryDone { tier, epoch } => {
                    if self.tiers[tier as usize].switch_epoch != epoch {
                        continue;
                    }
                    self.manual_recovery_done(now, tier);
                    tier
                }
                What::Drill { tier } => {
                    self.drill(now, tier);
                    tier
                }
                What::DrillDone { tier } => {
                    self.tiers[tier as usize].drills -= 1;
                    tier
                }
                What::RestoreDone { tier } => {
                    self.restore_done(now, tier);
                    tier
                }
            };
            self.outcome.events += 1;
            self.update_tier(now, tier as usize, tally);
        }
        self.finish(tally);
    }

    fn schedule_tier_failure(&mut self, now: f64, tier: u32, mode: u32) {
        let state = &mut self.tiers[tier as usize];
        let life = self.plan.tiers[tier as usize].tier_modes[mode as usize]
            .every
            .sample(&mut state.failures);
        self.schedule(now + life, What::TierFails { tier, mode });
    }

    fn replica_fails(&mut self, now: f64, tier: u32, replica: u32, tally: &mut Tally) {
        let plan = &self.plan.tiers[tier as usize];
        let state = &mut self.tiers[tier as usize];
        let mode = state.replicas[replica as usize].mode;
        state.failure_count += 1;
        let role = state.replicas[replica as usize].role;
        if role == Role::Standby && plan.failover.as_ref().is_some_and(|f| f.latent) {
            // Nobody notices; the replica stops ageing until a drill or a demand finds it.
            state.replicas[replica as usize].health = Health::Latent;
            return;
        }
        if role == Role::Serving {
            state.serving -= 1;
        }
        let destroys_data = plan.replica_modes[mode as usize].destroys_data;
        let other_copy = state
            .replicas
            .iter()
            .enumerate()
            .any(|(r, other)| r != replica as usize && other.health == Health::Healthy);
        if destroys_data && !other_copy && state.restoring == Restoring::No {
            state.replicas[replica as usize].health = Health::Broken;
            if plan.backup.is_some() {
                self.start_restore(now, tier, Restoring::Replica(replica), tally);
            } else {
                self.lose_everything(now, tier, tally);
                self.start_repair(now, tier, replica, mode);
            }
        } else {
            self.start_repair(now, tier, replica, mode);
        }
        if role == Role::Serving {
            self.demand(now, tier);
        }
    }

    /// A replica is healthy again (repaired or restored): it serves at once if its
    /// tier lacks serving replicas (calling off a switchover that is no longer needed),
    /// else it stands by.
    fn replica_back(&mut self, now: f64, tier: u32, replica: u32) {
        let plan = &self.plan.tiers[tier as usize];
        let state = &mut self.tiers[tier as usize];
        let role = if plan.failover.is_none() || state.serving < plan.required {
            Role::Serving
        } else {
            Role::Standby
        };
        state.replicas[replica as usize].role = role;
        if role == Role::Serving {
            state.serving += 1;
            if state.switch != Switch::Idle && state.serving >= plan.required {
                state.switch = Switch::Idle;
                state.switch_epoch = state.switch_epoch.wrapping_add(1);
            }
        }
        self.renew_replica(now, tier, replica);
    }

    fn tier_fails(&mut self, now: f64, tier: u32, mode: u32, tally: &mut Tally) {
        let plan = &self.plan.tiers[tier as usize];
        let state = &mut self.tiers[tier as usize];
        state.failure_count += 1;
        state.tier_outages += 1;
        let mode_plan = &plan.tier_modes[mode as usize];
        if mode_plan.destroys_data && state.restoring == Restoring::No {
            if plan.backup.is_some() {
                self.start_restore(now, tier, Restoring::TierMode(mode), tally);
                return;
            }
            self.lose_everything(now, tier, tally);
        }
        let state = &mut self.tiers[tier as usize];
        let duration = mode_plan.repair.sample(&mut state.repairs);
        self.schedule(now + duration, What::TierRepaired { tier, mode });
    }

    /// Data destroyed with no backup: everything since `data_since` is gone for good;
    /// the tier is rebuilt empty in the failure's repair time.
    fn lose_everything(&mut self, now: f64, tier: u32, tally: &mut Tally) {
        let state = &mut self.tiers[tier as usize];
        let lost = now - state.data_since;
        state.data_since = now;
        self.outcome.unrecoverable_events += 1;
        self.outcome.data_lost += lost;
        tally.record_data_loss(lost);
    }

    /// Restores destroyed data: tries the newest backup taken at or before `now`, then
    /// older ones, until one loads, each attempt taking a restore time; backups an
    /// earlier restore found bad are skipped. The tier is down until the restore ends.
    fn start_restore(&mut self, now: f64, tier: u32, what: Restoring, tally: &mut Tally) {
        let plan = self.plan.tiers[tier as usize]
            .backup
            .as_ref()
            .expect("restores happen only on tiers with backups");
        let state = &mut self.tiers[tier as usize];
        let mut index = (now / plan.every).floor() as u64;
        let mut duration = 0.0;
        loop {
            if index > 0 && state.known_bad.contains(&index) {
                index -= 1;
                continue;
            }
            duration += plan.restore.sample(&mut state.restores);
            let good = index == 0 || uniform_at(self.seed, self.replication, tier, index) < plan.success;
            if good {
                break;
            }
            self.outcome.bad_backups += 1;
            state.known_bad.push(index);
            index -= 1;
        }
        let lost = now - index as f64 * plan.every;
        state.restoring = what;
        self.outcome.restore_events += 1;
        self.outcome.data_lost += lost;
        tally.record_data_loss(lost);
        self.schedule(now + duration, What::RestoreDone { tier });
    }

    fn restore_done(&mut self, now: f64, tier: u32) {
        let state = &mut self.tiers[tier as usize];
        let what = std::mem::replace(&mut state.restoring, Restoring::No);
        match what {
            Restoring::Replica(replica) => self.replica_back(now, tier, replica),
            Restoring::TierMode(mode) => {
                state.tier_outages -= 1;
                self.schedule_tier_failure(now, tier, mode);
            }
            Restoring::No => unreachable!("a restore ended that never started"),
        }
    }

    /// A serving replica of a failover tier failed: start handling the demand unless
    /// one is already being handled.
    fn demand(&mut self, now: f64, tier: u32) {
        let Some(failover) = &self.plan.tiers[tier as usize].failover else {
            return;
        };
        let state = &mut self.tiers[tier as usize];
        if state.switch != Switch::Idle || state.serving >= self.plan.tiers[tier as usize].required {
            return;
        }
        self.outcome.demands += 1;
        state.demand_failed = false;
        state.switch = Switch::Switching;
        let delay = failover.detection.sample(&mut state.switching) + failover.switchover.sample(&mut state.switching);
        let epoch = state.switch_epoch;
        self.schedule(now + delay, What::SwitchAttempt { tier, epoch });
    }

    /// Counts a demand's first failed attempt.
    fn attempt_failed(&mut self, tier: u32) {
        let state = &mut self.tiers[tier as usize];
        if !state.demand_failed {
            state.demand_failed = true;
            self.outcome.failed_demands += 1;
        }
    }

    /// Tries the first standby that is not known to be broken.
    fn switch_attempt(&mut self, now: f64, tier: u32) {
        let failover = self.plan.tiers[tier as usize].failover.as_ref().expect("failover tier");
        let state = &mut self.tiers[tier as usize];
        let candidate = state
            .replicas
            .iter()
            .position(|r| r.role == Role::Standby && r.health != Health::Broken);
        let Some(candidate) = candidate else {
            self.outcome.no_standby += 1;
            state.switch = Switch::Waiting;
            self.attempt_failed(tier);
            return;
        };
        let candidate = candidate as u32;
        match state.replicas[candidate as usize].health {
            Health::Latent => {
                self.outcome.dead_standby += 1;
                self.attempt_failed(tier);
                self.reveal(now, tier, candidate);
                let state = &mut self.tiers[tier as usize];
                let delay = failover.switchover.sample(&mut state.switching);
                let epoch = state.switch_epoch;
                self.schedule(now + delay, What::SwitchAttempt { tier, epoch });
            }
            Health::Healthy => {
                if state.switching.random::<f64>() < failover.success {
                    self.promote(now, tier, candidate);
                } else {
                    self.outcome.switch_failures += 1;
                    self.attempt_failed(tier);
                    let state = &mut self.tiers[tier as usize];
                    state.switch = Switch::Manual(candidate);
                    let manual = failover
                        .manual_recovery
                        .as_ref()
                        .expect("validated: manual_recovery is set when success < 1");
                    let delay = manual.sample(&mut state.switching);
                    let epoch = state.switch_epoch;
                    self.schedule(now + delay, What::ManualRecoveryDone { tier, epoch });
                }
            }
            Health::Broken => unreachable!("broken standbys are never candidates"),
        }
    }

    fn manual_recovery_done(&mut self, now: f64, tier: u32) {
        let Switch::Manual(candidate) = self.tiers[tier as usize].switch else {
            unreachable!("manual recovery without a failed switchover");
        };
        let health = self.tiers[tier as usize].replicas[candidate as usize].health;
        let role = self.tiers[tier as usize].replicas[candidate as usize].role;
        if health == Health::Healthy && role == Role::Standby {
            self.promote(now, tier, candidate);
            return;
        }
        // The standby died while being brought up: try the next one.
        if health == Health::Latent {
            self.outcome.dead_standby += 1;
            self.reveal(now, tier, candidate);
        }
        let failover = self.plan.tiers[tier as usize].failover.as_ref().expect("failover tier");
        let state = &mut self.tiers[tier as usize];
        state.switch = Switch::Switching;
        let delay = failover.switchover.sample(&mut state.switching);
        let epoch = state.switch_epoch;
        self.schedule(now + delay, What::SwitchAttempt { tier, epoch });
    }

    /// A standby takes over; another demand starts if the tier still lacks replicas.
    fn promote(&mut self, now: f64, tier: u32, replica: u32) {
        self.outcome.switchovers += 1;
        self.set_role(now, tier, replica, Role::Serving);
        let state = &mut self.tiers[tier as usize];
        state.serving += 1;
        state.switch = Switch::Idle;
        self.demand(now, tier);
    }

    /// A latent standby failure is found: the replica goes to repair.
    fn reveal(&mut self, now: f64, tier: u32, replica: u32) {
        let mode = self.tiers[tier as usize].replicas[replica as usize].mode;
        self.start_repair(now, tier, replica, mode);
    }

    fn drill(&mut self, now: f64, tier: u32) {
        let failover = self.plan.tiers[tier as usize].failover.as_ref().expect("failover tier");
        let latent: Vec<u32> = (0..self.tiers[tier as usize].replicas.len() as u32)
            .filter(|&r| {
                let replica = &self.tiers[tier as usize].replicas[r as usize];
                replica.role == Role::Standby && replica.health == Health::Latent
            })
            .collect();
        for replica in latent {
            self.outcome.latent_found += 1;
            self.reveal(now, tier, replica);
        }
        if let Some(duration) = &failover.test_duration {
            let state = &mut self.tiers[tier as usize];
            state.drills += 1;
            let length = duration.sample(&mut state.switching);
            self.schedule(now + length, What::DrillDone { tier });
        }
        if let Some(every) = failover.test_every {
            self.schedule(now + every, What::Drill { tier });
        }
    }

    /// Re-evaluates whether a tier is up, and keeps the books if that changed.
    fn update_tier(&mut self, now: f64, tier: usize, tally: &mut Tally) {
        let plan = &self.plan.tiers[tier];
        let state = &self.tiers[tier];
        let down = state.tier_outages > 0
            || state.drills > 0
            || state.restoring != Restoring::No
            || state.serving < plan.required;
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
            self.outcome.outages += 1;
            self.outcome.downtime += duration;
            tally.record_outage(duration, cut);
            if let Some(trace) = &mut self.trace {
                trace.push([self.outage_start, now]);
            }
        }
    }

    /// Closes the books at the horizon: an outage still running is cut there.
    fn finish(&mut self, tally: &mut Tally) {
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
            &self.outcome,
            self.economics,
            self.tiers.iter().map(|s| (s.down_time, s.share, s.failure_count)),
        );
    }
}
