//! A service compiled for the engine: a flat plan of components, each with its failure
//! modes, its random streams (keyed by names) and its timer slots.
//!
//! The components are the replicas of every tier, the tier-wide failure modes and the
//! sites; a failover tier adds its switchover, drill and DR-test timers, a tier with
//! backups its restore timer. A replica stands in at most one site (none: a site that
//! never fails); dependencies, when the model has them, are components of the same
//! kind: failure modes, streams and a slot each, with the replicas that stand on them.

use std::ops::Range;

use super::rng::Key;
use crate::dist::Distribution;
use crate::model::{Rollout, Scope, Service, StandbyFailures, Tier};

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

/// The steps of a failover: within the failed replica's site, or to another.
#[derive(Debug)]
pub(crate) struct Steps {
    pub(crate) detection: Distribution,
    pub(crate) switchover: Distribution,
    pub(crate) success: f64,
    pub(crate) manual_recovery: Option<Distribution>,
    pub(crate) keys: StepKeys,
}

#[derive(Debug)]
pub(crate) struct StepKeys {
    pub(crate) detection: Key,
    pub(crate) switchover: Key,
    pub(crate) success: Key,
    pub(crate) manual_recovery: Key,
}

impl StepKeys {
    fn new(tier: &str, prefix: &str) -> StepKeys {
        let key = |what: &str| Key::of(&["failover", tier, &format!("{prefix}{what}")]);
        StepKeys {
            detection: key("detection"),
            switchover: key("switchover"),
            success: key("success"),
            manual_recovery: key("manual recovery"),
        }
    }
}

/// Failover tests: local drills, or DR tests of the standbys in other sites.
#[derive(Debug)]
pub(crate) struct TestPlan {
    pub(crate) every: f64,
    pub(crate) duration: Option<Distribution>,
    pub(crate) duration_key: Key,
    pub(crate) phase_key: Key,
    /// The next test.
    pub(crate) slot: u32,
}

/// A failover tier's settings, streams and slots.
#[derive(Debug)]
pub(crate) struct FailoverPlan {
    pub(crate) local: Steps,
    /// To a standby in another site than the replica it replaces.
    pub(crate) remote: Steps,
    pub(crate) dormant_factor: f64,
    /// Whether standbys fail unnoticed: in a site where a replica serves, and in one
    /// where none does.
    pub(crate) latent: bool,
    pub(crate) remote_latent: bool,
    /// Whether the tier has cross-site settings: then local drills test only the
    /// standbys in a site where a replica serves, and DR tests (if any) the others.
    pub(crate) cross_site: bool,
    /// Local drills and DR tests.
    pub(crate) drills: Option<TestPlan>,
    pub(crate) dr_tests: Option<TestPlan>,
    /// The next step of a demand: detection, switchover or manual recovery ends.
    pub(crate) switch_slot: u32,
    /// The end of the drill or DR test under way.
    pub(crate) test_end_slot: u32,
}

/// A tier's backup policy, streams and slot.
#[derive(Debug)]
pub(crate) struct BackupPlan {
    pub(crate) every: f64,
    pub(crate) restore: Distribution,
    pub(crate) success: f64,
    /// Where the backups are kept (a disaster there destroys them).
    pub(crate) site: Option<u32>,
    pub(crate) restore_key: Key,
    /// Keys whether each backup is restorable (by its index).
    pub(crate) restorable_key: Key,
    pub(crate) phase_key: Key,
    /// The end of the restore under way.
    pub(crate) slot: u32,
}

/// A tier's planned maintenance, its streams and slot.
#[derive(Debug)]
pub(crate) struct MaintenancePlan {
    pub(crate) every: f64,
    pub(crate) duration: Distribution,
    /// One replica at a time (rolling with a replica to spare), or all at once.
    pub(crate) one_by_one: bool,
    /// A planned switchover's time (failover tiers).
    pub(crate) switchover: Distribution,
    pub(crate) duration_key: Key,
    pub(crate) switchover_key: Key,
    pub(crate) phase_key: Key,
    /// The next round.
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
    pub(crate) maintenance: Option<MaintenancePlan>,
    /// Replication lags within a site and across, and their streams.
    pub(crate) lag: Distribution,
    pub(crate) cross_site_lag: Distribution,
    pub(crate) lag_key: Key,
    pub(crate) cross_site_lag_key: Key,
    /// Whether the tier holds data: it has backups, or a failure mode that destroys
    /// data. A tier that holds none (a load balancer, stateless servers) loses nothing
    /// in a disaster but its servers.
    pub(crate) holds_data: bool,
    /// Whether it is a shared dependency (outside the request path: it matters only
    /// through the replicas that stand on it).
    pub(crate) dependency: bool,
    /// The replicas (of tiers and of other dependencies) that stand on it directly.
    pub(crate) dependents: Vec<u32>,
}

/// One replica.
#[derive(Debug)]
pub(crate) struct ReplicaPlan {
    pub(crate) tier: u32,
    /// The site it stands in, if any.
    pub(crate) site: Option<u32>,
    /// Its first stream in the engine's replica streams: per mode of its tier, the
    /// mode's lives then its repairs.
    pub(crate) streams: u32,
    pub(crate) slot: u32,
    /// The dependencies (plan tiers) it stands on directly.
    pub(crate) stands_on: Vec<u32>,
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

/// A site: the replicas in it, the tiers they belong to, its modes.
#[derive(Debug)]
pub(crate) struct SitePlan {
    pub(crate) replicas: Vec<u32>,
    pub(crate) tiers: Vec<u32>,
    pub(crate) modes: Range<u32>,
}

/// One failure mode of a site: a clock for the whole site.
#[derive(Debug)]
pub(crate) struct SiteModePlan {
    pub(crate) site: u32,
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
    /// A site mode's next failure, or the site's return.
    SiteMode(u32),
    /// A failover tier's next switchover step.
    Switch(u32),
    /// A failover tier's next local drill.
    Drill(u32),
    /// A failover tier's next DR test.
    DrTest(u32),
    /// The end of a failover tier's drill or DR test.
    TestEnd(u32),
    /// The end of a tier's restore.
    Restore(u32),
    /// A tier's next maintenance round.
    Maintenance(u32),
}

/// The clock's slot: the lowest, so a window opens or closes before anything else
/// that happens at the same instant.
pub(crate) const CLOCK: u32 = 0;

/// A service compiled for the engine.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The tiers in the request path, then the dependencies (`TierPlan::dependency`).
    pub(crate) tiers: Vec<TierPlan>,
    pub(crate) replicas: Vec<ReplicaPlan>,
    /// Per replica, per mode of its tier: (lives, repairs), from `ReplicaPlan::streams`.
    pub(crate) replica_keys: Vec<Key>,
    pub(crate) tier_modes: Vec<TierModePlan>,
    pub(crate) sites: Vec<SitePlan>,
    pub(crate) site_modes: Vec<SiteModePlan>,
    pub(crate) slots: Vec<Slot>,
    /// Whether anything is planned to take a tier down (maintenance, tests that take
    /// time): then downtime is told apart as planned or not.
    pub(crate) planned: bool,
}

impl Plan {
    pub(crate) fn new(service: &Service) -> Plan {
        let site_index = |name: &str| {
            service
                .sites()
                .iter()
                .position(|s| s.name() == name)
                .expect("validated: every site a tier names exists") as u32
        };
        let mut plan = Plan {
            tiers: Vec::with_capacity(service.tiers().len()),
            replicas: Vec::new(),
            replica_keys: Vec::new(),
            tier_modes: Vec::new(),
            sites: service
                .sites()
                .iter()
                .map(|_| SitePlan {
                    replicas: Vec::new(),
                    tiers: Vec::new(),
                    modes: 0..0,
                })
                .collect(),
            site_modes: Vec::new(),
            slots: vec![Slot::Clock],
            planned: false,
        };
        // The tiers, then the dependencies, compiled alike: a dependency's streams are
        // keyed apart from a tier's.
        let all: Vec<(&Tier, bool)> = service
            .tiers()
            .iter()
            .map(|t| (t, false))
            .chain(service.dependencies().iter().map(|d| (d.as_tier(), true)))
            .collect();
        // A dependency nothing stands on changes nothing: its failures are not
        // simulated (nor reported as disruptions), like an unused site's.
        let used: Vec<&str> = service.dependencies_used().map(|d| d.name()).collect();
        fn simulated(tier: &Tier, used: bool) -> &[crate::model::FailureMode] {
            if used { tier.failures() } else { &[] }
        }
        let modes = |tier, dependency: bool| simulated(tier, !dependency || used.contains(&tier.name()));
        let kind = |dependency: bool, what: &str| {
            if dependency {
                format!("dependency {what}")
            } else {
                what.to_owned()
            }
        };
        // Replica slots first, then tier-wide modes, sites, then each tier's own timers.
        for (t, &(tier, dependency)) in all.iter().enumerate() {
            let first = plan.replicas.len() as u32;
            let replica_key = kind(dependency, "replica");
            for r in 0..tier.replicas() {
                let streams = plan.replica_keys.len() as u32;
                let number = r.to_string();
                for mode in modes(tier, dependency).iter().filter(|m| m.scope() == Scope::Replica) {
                    for purpose in ["life", "repair"] {
                        plan.replica_keys
                            .push(Key::of(&[&replica_key, tier.name(), &number, mode.name(), purpose]));
                    }
                }
                let site = tier.replica_site(r).map(site_index);
                let index = first + r;
                if let Some(site) = site {
                    let site = &mut plan.sites[site as usize];
                    site.replicas.push(index);
                    if !site.tiers.contains(&(t as u32)) {
                        site.tiers.push(t as u32);
                    }
                }
                plan.replicas.push(ReplicaPlan {
                    tier: t as u32,
                    site,
                    streams,
                    slot: plan.slots.len() as u32,
                    stands_on: Vec::new(),
                });
                plan.slots.push(Slot::Replica(index));
            }
            let replication = tier.replication();
            plan.tiers.push(TierPlan {
                replicas: first..first + tier.replicas(),
                required: tier.required(),
                crews: tier.repair_crews(),
                modes: modes(tier, dependency)
                    .iter()
                    .filter(|m| m.scope() == Scope::Replica)
                    .map(ModePlan::new)
                    .collect(),
                tier_modes: 0..0,
                failover: None,
                backup: None,
                maintenance: None,
                lag: replication.lag().clone(),
                cross_site_lag: replication.cross_site_lag().clone(),
                lag_key: Key::of(&["replication", tier.name(), "lag"]),
                cross_site_lag_key: Key::of(&["replication", tier.name(), "cross-site lag"]),
                holds_data: tier.backup().is_some() || tier.failures().iter().any(|m| m.destroys_data()),
                dependency,
                dependents: Vec::new(),
            });
        }
        // Who stands on what: each replica on its tier's dependencies and its own.
        let dependency_index = |name: &str| {
            service.tiers().len()
                + service
                    .dependencies()
                    .iter()
                    .position(|d| d.name() == name)
                    .expect("validated: every dependency named exists")
        };
        for (t, &(tier, _)) in all.iter().enumerate() {
            for r in 0..tier.replicas() {
                let replica = plan.tiers[t].replicas.start + r;
                for name in tier.replica_dependencies(r) {
                    let d = dependency_index(name);
                    plan.tiers[d].dependents.push(replica);
                    plan.replicas[replica as usize].stands_on.push(d as u32);
                }
            }
        }
        for (t, &(tier, dependency)) in all.iter().enumerate() {
            let first = plan.tier_modes.len() as u32;
            let mode_key = kind(dependency, "tier mode");
            for mode in modes(tier, dependency).iter().filter(|m| m.scope() == Scope::Tier) {
                let index = plan.tier_modes.len() as u32;
                plan.tier_modes.push(TierModePlan {
                    tier: t as u32,
                    mode: ModePlan::new(mode),
                    life_key: Key::of(&[&mode_key, tier.name(), mode.name(), "life"]),
                    repair_key: Key::of(&[&mode_key, tier.name(), mode.name(), "repair"]),
                    slot: plan.slots.len() as u32,
                });
                plan.slots.push(Slot::TierMode(index));
            }
            plan.tiers[t].tier_modes = first..plan.tier_modes.len() as u32;
        }
        let used: Vec<&str> = service.sites_used().map(|s| s.name()).collect();
        for (s, site) in service.sites().iter().enumerate() {
            let first = plan.site_modes.len() as u32;
            // A site no replica stands in and no backup is kept in changes nothing:
            // its failures are not simulated (nor reported as disruptions).
            let modes = if used.contains(&site.name()) {
                site.failures()
            } else {
                &[]
            };
            for mode in modes {
                let index = plan.site_modes.len() as u32;
                plan.site_modes.push(SiteModePlan {
                    site: s as u32,
                    mode: ModePlan::new(mode),
                    life_key: Key::of(&["site", site.name(), mode.name(), "life"]),
                    repair_key: Key::of(&["site", site.name(), mode.name(), "repair"]),
                    slot: plan.slots.len() as u32,
                });
                plan.slots.push(Slot::SiteMode(index));
            }
            plan.sites[s].modes = first..plan.site_modes.len() as u32;
        }
        for (t, tier) in service.tiers().iter().enumerate() {
            let name = tier.name();
            let index = t as u32;
            let mut slot = |what: Slot| {
                plan.slots.push(what);
                plan.slots.len() as u32 - 1
            };
            let failover = tier.failover().map(|f| {
                let cross = f.cross_site();
                let local = Steps {
                    detection: f.detection().clone(),
                    switchover: f.switchover().clone(),
                    success: f.success(),
                    manual_recovery: f.manual_recovery().cloned(),
                    keys: StepKeys::new(name, ""),
                };
                let remote = Steps {
                    detection: cross.and_then(|c| c.detection()).unwrap_or(f.detection()).clone(),
                    switchover: cross.and_then(|c| c.switchover()).unwrap_or(f.switchover()).clone(),
                    success: cross.and_then(|c| c.success()).unwrap_or(f.success()),
                    manual_recovery: cross.and_then(|c| c.manual_recovery()).or(f.manual_recovery()).cloned(),
                    keys: StepKeys::new(name, "cross-site "),
                };
                let latent = f.standby_failures() == StandbyFailures::Latent;
                let remote_latent = cross
                    .and_then(|c| c.standby_failures())
                    .map_or(latent, |kind| kind == StandbyFailures::Latent);
                let drills = f.test_every().map(|every| TestPlan {
                    every,
                    duration: f.test_duration().cloned(),
                    duration_key: Key::of(&["failover", name, "drill duration"]),
                    phase_key: Key::of(&["failover", name, "drill phase"]),
                    slot: slot(Slot::Drill(index)),
                });
                let dr_tests = cross.and_then(|c| c.test_every()).map(|every| TestPlan {
                    every,
                    duration: cross.and_then(|c| c.test_duration()).cloned(),
                    duration_key: Key::of(&["failover", name, "DR test duration"]),
                    phase_key: Key::of(&["failover", name, "DR test phase"]),
                    slot: slot(Slot::DrTest(index)),
                });
                FailoverPlan {
                    local,
                    remote,
                    dormant_factor: f.dormant_factor(),
                    latent,
                    remote_latent,
                    cross_site: cross.is_some(),
                    drills,
                    dr_tests,
                    switch_slot: slot(Slot::Switch(index)),
                    test_end_slot: slot(Slot::TestEnd(index)),
                }
            });
            let backup = tier.backup().map(|b| BackupPlan {
                every: b.every(),
                restore: b.restore().clone(),
                success: b.success(),
                site: b.site().map(site_index),
                restore_key: Key::of(&["backup", name, "restore"]),
                restorable_key: Key::of(&["backup", name, "restorable"]),
                phase_key: Key::of(&["backup", name, "phase"]),
                slot: slot(Slot::Restore(index)),
            });
            plan.tiers[t].failover = failover;
            plan.tiers[t].backup = backup;
        }
        // Maintenance, of tiers and of the dependencies in use.
        for (t, &(tier, dependency)) in all.iter().enumerate() {
            let Some(m) = tier.maintenance() else {
                continue;
            };
            if dependency && !service.dependencies_used().any(|d| d.name() == tier.name()) {
                continue;
            }
            let key = |what: &str| Key::of(&[&kind(dependency, "maintenance"), tier.name(), what]);
            let switchover = m
                .switchover()
                .or(tier.failover().map(|f| f.switchover()))
                .cloned()
                .unwrap_or_else(|| Distribution::fixed(0.0).expect("0 is a valid duration"));
            plan.slots.push(Slot::Maintenance(t as u32));
            plan.tiers[t].maintenance = Some(MaintenancePlan {
                every: m.every(),
                duration: m.duration().clone(),
                one_by_one: m.rollout() == Rollout::Rolling && tier.replicas() > tier.required(),
                switchover,
                duration_key: key("duration"),
                switchover_key: key("planned switchover"),
                phase_key: key("phase"),
                slot: plan.slots.len() as u32 - 1,
            });
        }
        plan.planned = plan.tiers.iter().any(|t| {
            t.maintenance.is_some()
                || t.failover
                    .as_ref()
                    .is_some_and(|f| f.drills.iter().chain(&f.dr_tests).any(|test| test.duration.is_some()))
        });
        plan
    }

    /// How long the model remembers its as-new start \[h\]; the default warm-up is a
    /// multiple of it (see [`crate::sim::Simulation::with_warm_up`] for the rule in words).
    pub(crate) fn memory(&self) -> f64 {
        let mut memory: f64 = 0.0;
        let mut remember = |hours: f64| memory = memory.max(hours);
        let mode = |mode: &ModePlan, remember: &mut dyn FnMut(f64)| {
            if !mode.every.is_memoryless() {
                remember(mode.every.mean());
            }
            remember(mode.repair.mean());
        };
        for tier in &self.tiers {
            for m in &tier.modes {
                mode(m, &mut remember);
            }
            remember(tier.lag.mean().max(tier.cross_site_lag.mean()));
            if let Some(failover) = &tier.failover {
                for steps in [&failover.local, &failover.remote] {
                    for d in [&steps.detection, &steps.switchover]
                        .into_iter()
                        .chain(&steps.manual_recovery)
                    {
                        remember(d.mean());
                    }
                }
                for test in failover.drills.iter().chain(&failover.dr_tests) {
                    if let Some(duration) = &test.duration {
                        remember(duration.mean());
                    }
                }
                let ageing = tier.modes.iter().any(|m| !m.every.is_memoryless());
                let latent = failover.latent || failover.remote_latent;
                if latent || failover.dormant_factor < 1.0 || ageing {
                    // How long a standby can stay dead or young: until the serving
                    // replica fails and calls on it, or a test finds it (only the
                    // latent failures of hot standbys are renewed by tests, and only if
                    // every standby is tested).
                    let rate: f64 = tier.modes.iter().map(|m| 1.0 / m.every.mean()).sum();
                    let demand = if rate > 0.0 { 1.0 / rate } else { 0.0 };
                    let hot = failover.dormant_factor >= 1.0 && !ageing;
                    let tested = match (&failover.drills, &failover.dr_tests) {
                        (Some(drills), None) if !failover.cross_site => Some(drills.every),
                        (Some(drills), Some(dr)) => Some(drills.every.max(dr.every)),
                        _ => None,
                    };
                    remember(match tested {
                        Some(every) if hot => demand.min(every),
                        _ => demand,
                    });
                }
            }
            if let Some(backup) = &tier.backup {
                remember(backup.restore.mean());
            }
            if let Some(maintenance) = &tier.maintenance {
                remember(maintenance.duration.mean().max(maintenance.switchover.mean()));
            }
        }
        for tier_mode in &self.tier_modes {
            mode(&tier_mode.mode, &mut remember);
        }
        for site_mode in &self.site_modes {
            mode(&site_mode.mode, &mut remember);
        }
        memory
    }
}
