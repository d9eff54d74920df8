//! A service compiled for the engine: a flat plan of components, each with its failure
//! modes, its random streams (keyed by names) and its timer slots.
//!
//! The components are the replicas of every tier and the tier-wide failure modes; a
//! failover tier adds its switchover and drill timers, a tier with backups its restore
//! timer. Sites and dependencies, when the model has them, are components of the same
//! kind: failure modes, streams and a slot each, with the replicas that stand on them.

use std::ops::Range;

use super::rng::Key;
use crate::dist::Distribution;
use crate::model::{Scope, Service, StandbyFailures};

/// One failure mode as the engine runs it.
#[derive(Debug)]
pub(crate) struct ModePlan {
    pub(crate) every: Distribution,
    pub(crate) repair: Distribution,
    pub(crate) destroys_data: bool,
}

impl ModePlan {
    fn new(mode: &crate::model::FailureMode) -> ModePlan {
        ModePlan {
            every: mode.every().clone(),
            repair: mode.repair().clone(),
            destroys_data: mode.destroys_data(),
        }
    }
}

/// A failover tier's settings, streams and slots.
#[derive(Debug)]
pub(crate) struct FailoverPlan {
    pub(crate) detection: Distribution,
    pub(crate) switchover: Distribution,
    pub(crate) success: f64,
    pub(crate) manual_recovery: Option<Distribution>,
    pub(crate) dormant_factor: f64,
    pub(crate) latent: bool,
    pub(crate) test_every: Option<f64>,
    pub(crate) test_duration: Option<Distribution>,
    pub(crate) keys: FailoverKeys,
    /// The next step of a demand: detection, switchover or manual recovery ends.
    pub(crate) switch_slot: u32,
    /// The next drill.
    pub(crate) drill_slot: u32,
    /// The end of the drill under way.
    pub(crate) drill_end_slot: u32,
}

#[derive(Debug)]
pub(crate) struct FailoverKeys {
    pub(crate) detection: Key,
    pub(crate) switchover: Key,
    pub(crate) success: Key,
    pub(crate) manual_recovery: Key,
    pub(crate) drill_duration: Key,
    pub(crate) drill_phase: Key,
}

/// A tier's backup policy, streams and slot.
#[derive(Debug)]
pub(crate) struct BackupPlan {
    pub(crate) every: f64,
    pub(crate) restore: Distribution,
    pub(crate) success: f64,
    pub(crate) restore_key: Key,
    /// Keys whether each backup is restorable (by its index).
    pub(crate) restorable_key: Key,
    pub(crate) phase_key: Key,
    /// The end of the restore under way.
    pub(crate) slot: u32,
}

/// A tier: its replicas (a range of the plan's replicas), their modes, its tier-wide
/// modes (a range of the plan's), and what it does about failures.
#[derive(Debug)]
pub(crate) struct TierPlan {
    pub(crate) replicas: Range<u32>,
    pub(crate) required: u32,
    pub(crate) crews: Option<u32>,
    /// The replica-scope modes, the same for every replica of the tier.
    pub(crate) modes: Vec<ModePlan>,
    pub(crate) tier_modes: Range<u32>,
    pub(crate) failover: Option<FailoverPlan>,
    pub(crate) backup: Option<BackupPlan>,
}

/// One replica.
#[derive(Debug)]
pub(crate) struct ReplicaPlan {
    pub(crate) tier: u32,
    /// Its first stream in the engine's replica streams: per mode of its tier, the
    /// mode's lives then its repairs.
    pub(crate) streams: u32,
    pub(crate) slot: u32,
}

/// One tier-wide failure mode: a clock for the whole tier.
#[derive(Debug)]
pub(crate) struct TierModePlan {
    pub(crate) tier: u32,
    pub(crate) mode: ModePlan,
    pub(crate) life_key: Key,
    pub(crate) repair_key: Key,
    pub(crate) slot: u32,
}

/// What a timer slot is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// The measurement clock: windows open and close.
    Clock,
    /// A replica's next failure, or the end of its repair.
    Replica(u32),
    /// A tier-wide mode's next failure, or the end of its repair.
    TierMode(u32),
    /// A failover tier's next switchover step.
    Switch(u32),
    /// A failover tier's next drill.
    Drill(u32),
    /// The end of a failover tier's drill.
    DrillEnd(u32),
    /// The end of a tier's restore.
    Restore(u32),
}

/// The clock's slot: the lowest, so a window opens or closes before anything else
/// that happens at the same instant.
pub(crate) const CLOCK: u32 = 0;

/// A service compiled for the engine.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) tiers: Vec<TierPlan>,
    pub(crate) replicas: Vec<ReplicaPlan>,
    /// Per replica, per mode of its tier: (lives, repairs), from `ReplicaPlan::streams`.
    pub(crate) replica_keys: Vec<Key>,
    pub(crate) tier_modes: Vec<TierModePlan>,
    pub(crate) slots: Vec<Slot>,
}

impl Plan {
    pub(crate) fn new(service: &Service) -> Plan {
        let mut plan = Plan {
            tiers: Vec::with_capacity(service.tiers().len()),
            replicas: Vec::new(),
            replica_keys: Vec::new(),
            tier_modes: Vec::new(),
            slots: vec![Slot::Clock],
        };
        // Replica slots first, then tier-wide modes, then each tier's own timers.
        for (t, tier) in service.tiers().iter().enumerate() {
            let first = plan.replicas.len() as u32;
            for r in 0..tier.replicas() {
                let streams = plan.replica_keys.len() as u32;
                let number = r.to_string();
                for mode in tier.failures().iter().filter(|m| m.scope() == Scope::Replica) {
                    for purpose in ["life", "repair"] {
                        plan.replica_keys
                            .push(Key::of(&["replica", tier.name(), &number, mode.name(), purpose]));
                    }
                }
                plan.replicas.push(ReplicaPlan {
                    tier: t as u32,
                    streams,
                    slot: plan.slots.len() as u32,
                });
                plan.slots.push(Slot::Replica(first + r));
            }
            plan.tiers.push(TierPlan {
                replicas: first..first + tier.replicas(),
                required: tier.required(),
                crews: tier.repair_crews(),
                modes: tier
                    .failures()
                    .iter()
                    .filter(|m| m.scope() == Scope::Replica)
                    .map(ModePlan::new)
                    .collect(),
                tier_modes: 0..0,
                failover: None,
                backup: None,
            });
        }
        for (t, tier) in service.tiers().iter().enumerate() {
            let first = plan.tier_modes.len() as u32;
            for mode in tier.failures().iter().filter(|m| m.scope() == Scope::Tier) {
                let index = plan.tier_modes.len() as u32;
                plan.tier_modes.push(TierModePlan {
                    tier: t as u32,
                    mode: ModePlan::new(mode),
                    life_key: Key::of(&["tier mode", tier.name(), mode.name(), "life"]),
                    repair_key: Key::of(&["tier mode", tier.name(), mode.name(), "repair"]),
                    slot: plan.slots.len() as u32,
                });
                plan.slots.push(Slot::TierMode(index));
            }
            plan.tiers[t].tier_modes = first..plan.tier_modes.len() as u32;
        }
        for (t, tier) in service.tiers().iter().enumerate() {
            let name = tier.name();
            let index = t as u32;
            let mut slot = |what: Slot| {
                plan.slots.push(what);
                plan.slots.len() as u32 - 1
            };
            let failover = tier.failover().map(|f| FailoverPlan {
                detection: f.detection().clone(),
                switchover: f.switchover().clone(),
                success: f.success(),
                manual_recovery: f.manual_recovery().cloned(),
                dormant_factor: f.dormant_factor(),
                latent: f.standby_failures() == StandbyFailures::Latent,
                test_every: f.test_every(),
                test_duration: f.test_duration().cloned(),
                keys: FailoverKeys {
                    detection: Key::of(&["failover", name, "detection"]),
                    switchover: Key::of(&["failover", name, "switchover"]),
                    success: Key::of(&["failover", name, "success"]),
                    manual_recovery: Key::of(&["failover", name, "manual recovery"]),
                    drill_duration: Key::of(&["failover", name, "drill duration"]),
                    drill_phase: Key::of(&["failover", name, "drill phase"]),
                },
                switch_slot: slot(Slot::Switch(index)),
                drill_slot: slot(Slot::Drill(index)),
                drill_end_slot: slot(Slot::DrillEnd(index)),
            });
            let backup = tier.backup().map(|b| BackupPlan {
                every: b.every(),
                restore: b.restore().clone(),
                success: b.success(),
                restore_key: Key::of(&["backup", name, "restore"]),
                restorable_key: Key::of(&["backup", name, "restorable"]),
                phase_key: Key::of(&["backup", name, "phase"]),
                slot: slot(Slot::Restore(index)),
            });
            plan.tiers[t].failover = failover;
            plan.tiers[t].backup = backup;
        }
        plan
    }

    /// How long the model remembers its as-new start \[h\]; the default warm-up is a
    /// multiple of it (see [`crate::sim::Simulation::warm_up`] for the rule in words).
    pub(crate) fn memory(&self) -> f64 {
        let mut memory: f64 = 0.0;
        let mut remember = |hours: f64| memory = memory.max(hours);
        let durations = |mode: &ModePlan| mode.repair.mean();
        for tier in &self.tiers {
            for mode in &tier.modes {
                if !mode.every.is_memoryless() {
                    remember(mode.every.mean());
                }
                remember(durations(mode));
            }
            if let Some(failover) = &tier.failover {
                for d in [&failover.detection, &failover.switchover]
                    .into_iter()
                    .chain(&failover.manual_recovery)
                    .chain(&failover.test_duration)
                {
                    remember(d.mean());
                }
                let ageing = tier.modes.iter().any(|m| !m.every.is_memoryless());
                if failover.latent || failover.dormant_factor < 1.0 || ageing {
                    // How long a standby can stay dead or young: until the serving
                    // replica fails and calls on it, or a drill finds it (only the
                    // latent failures of hot standbys are renewed by drills).
                    let rate: f64 = tier.modes.iter().map(|m| 1.0 / m.every.mean()).sum();
                    let demand = if rate > 0.0 { 1.0 / rate } else { 0.0 };
                    let drilled = failover.dormant_factor >= 1.0 && !ageing;
                    remember(match failover.test_every {
                        Some(every) if drilled => demand.min(every),
                        _ => demand,
                    });
                }
            }
            if let Some(backup) = &tier.backup {
                remember(backup.restore.mean());
            }
        }
        for tier_mode in &self.tier_modes {
            if !tier_mode.mode.every.is_memoryless() {
                remember(tier_mode.mode.every.mean());
            }
            remember(tier_mode.mode.repair.mean());
        }
        memory
    }
}
