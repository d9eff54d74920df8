//! The validated model the engine runs: a service of tiers in series, each tier a group
//! of replicas with failure modes.
//!
//! Model types are built once through validation (builders returning `Result`) and are
//! immutable afterwards; the engine never sees an invalid model.

mod dependency;
mod maintenance;
mod protection;
mod site;

pub use dependency::{Dependency, DependencyBuilder};
pub use maintenance::{Maintenance, Rollout};
pub use protection::{Backup, CrossSite, Failover, Replication, StandbyFailures};
pub use site::{Site, SiteBuilder};

use crate::HOURS_PER_YEAR;
use crate::cost::Costs;
use crate::dist::Distribution;

/// What a failure mode hits.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", expecting = "a scope: \"replica\" or \"tier\"")]
pub enum Scope {
    /// One replica at a time: each replica has its own clock for this mode, and a
    /// failure takes down only that replica for the mode's repair time (a crash, a hang,
    /// a disk loss).
    #[default]
    Replica,
    /// Every replica of the tier at once (a common cause): the tier has one clock for
    /// this mode, and a failure takes the whole tier down for the repair time (a bad
    /// configuration push, an expired certificate, a cascading overload).
    Tier,
}

impl Scope {
    /// The name used in scenario files: `replica` or `tier`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Replica => "replica",
            Scope::Tier => "tier",
        }
    }
}

/// One way a replica (or a whole tier) fails: how long until it happens, how long the
/// repair takes, and what it hits.
///
/// The time to failure runs from the last renewal: for a replica-scope mode, from the
/// moment the replica was new or last repaired (repairs are as good as new, and all of
/// a replica's modes restart together); for a tier-scope mode, from the start or from
/// the end of this mode's last tier outage.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureMode {
    name: String,
    every: Distribution,
    repair: Distribution,
    scope: Scope,
    destroys_data: bool,
}

impl FailureMode {
    /// A replica-scope failure mode that does not destroy data, with the time to
    /// failure `every` \[h\] and the repair time `repair` \[h\]. It is validated when the
    /// tier that holds it is built.
    pub fn new(name: impl Into<String>, every: Distribution, repair: Distribution) -> Self {
        FailureMode {
            name: name.into(),
            every,
            repair,
            scope: Scope::Replica,
            destroys_data: false,
        }
    }

    /// Sets what the failure hits (default [`Scope::Replica`]).
    pub fn with_scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    /// Marks the failure as destroying data. A replica-scope mode (a lost disk or
    /// host) destroys the failing replica's copy: nothing is lost if another replica is
    /// up with the data (the replica is rebuilt from it in its repair time), otherwise
    /// the tier's data is gone. A tier-scope mode (corruption, ransomware, a bad
    /// migration) destroys every copy at once. Destroyed data comes back only from a
    /// [`Backup`].
    pub fn with_destroys_data(mut self, destroys_data: bool) -> Self {
        self.destroys_data = destroys_data;
        self
    }

    /// The mode's name, as shown in reports.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Time to failure \[h\], from the last renewal.
    pub fn every(&self) -> &Distribution {
        &self.every
    }

    /// Repair time \[h\].
    pub fn repair(&self) -> &Distribution {
        &self.repair
    }

    /// What the failure hits.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// Whether the failure destroys data.
    pub fn destroys_data(&self) -> bool {
        self.destroys_data
    }
}

/// A group of identical replicas playing one role (load balancer, application,
/// database, storage), up while at least `required` of its `replicas` are serving and
/// no tier-scope failure is being repaired (active-active, k-of-n).
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    name: String,
    replicas: u32,
    required: u32,
    repair_crews: Option<u32>,
    failures: Vec<FailureMode>,
    failover: Option<Failover>,
    backup: Option<Backup>,
    maintenance: Option<Maintenance>,
    replication: Replication,
    /// Sites to place the replicas in, round-robin.
    sites: Vec<String>,
    /// One site per replica.
    placement: Vec<String>,
    /// The dependencies every replica stands on, by name.
    depends_on: Vec<String>,
    /// The dependencies each replica stands on besides those, one list per replica.
    replica_depends_on: Vec<Vec<String>>,
    cost_per_replica: f64,
    fixed_cost: f64,
}

impl Tier {
    /// The most replicas a tier may have: 10,000. The engine keeps a state per replica
    /// and per failure mode; past this a run needs gigabytes (a billion replicas asked
    /// for 96 GB) and a model of that many identical replicas is better written as
    /// several tiers or a larger `required`.
    pub const MAX_REPLICAS: u32 = 10_000;

    /// Starts building a tier with one replica, one required, unlimited repair crews
    /// and no failure modes.
    pub fn builder(name: impl Into<String>) -> TierBuilder {
        TierBuilder {
            tier: Tier {
                name: name.into(),
                replicas: 1,
                required: 1,
                repair_crews: None,
                failures: Vec::new(),
                failover: None,
                backup: None,
                maintenance: None,
                replication: Replication::new(),
                sites: Vec::new(),
                placement: Vec::new(),
                depends_on: Vec::new(),
                replica_depends_on: Vec::new(),
                cost_per_replica: 0.0,
                fixed_cost: 0.0,
            },
        }
    }

    /// The tier's name, unique within its service.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of replicas (n).
    pub fn replicas(&self) -> u32 {
        self.replicas
    }

    /// Number of replicas that must be serving for the tier to be up (k).
    pub fn required(&self) -> u32 {
        self.required
    }

    /// Number of repair crews: failed replicas queue for them first come, first
    /// served. `None` means every failed replica is repaired at once, in parallel.
    pub fn repair_crews(&self) -> Option<u32> {
        self.repair_crews
    }

    /// The tier's failure modes (competing risks).
    pub fn failures(&self) -> &[FailureMode] {
        &self.failures
    }

    /// The failover settings, if the tier is active-passive; `None` for active-active.
    pub fn failover(&self) -> Option<&Failover> {
        self.failover.as_ref()
    }

    /// The backup policy, if the tier has one.
    pub fn backup(&self) -> Option<&Backup> {
        self.backup.as_ref()
    }

    /// The planned maintenance, if the tier has any.
    pub fn maintenance(&self) -> Option<&Maintenance> {
        self.maintenance.as_ref()
    }

    /// The events its failure modes bring per year: per mode, a failure and its
    /// repair per mean time to failure, per replica (or once for a tier-scope mode).
    fn failure_events(&self, owner: &'static str) -> impl Iterator<Item = EventSource> + '_ {
        self.failures.iter().map(move |mode| {
            let clocks = match mode.scope {
                Scope::Replica => f64::from(self.replicas),
                Scope::Tier => 1.0,
            };
            EventSource {
                owner,
                tier: self.name.clone(),
                mode: Some(mode.name.clone()),
                key: "every",
                per_year: 2.0 * clocks * HOURS_PER_YEAR / mode.every.mean(),
            }
        })
    }

    /// The events its maintenance brings per year: a round, and each replica's start
    /// and end.
    fn maintenance_events(&self, owner: &'static str) -> Option<EventSource> {
        self.maintenance.as_ref().map(|m| EventSource {
            owner,
            tier: self.name.clone(),
            mode: None,
            key: "maintenance.every",
            per_year: (1.0 + 2.0 * f64::from(self.replicas)) * HOURS_PER_YEAR / m.every(),
        })
    }

    /// What one replica costs per year (hardware, licences, hosting), in the
    /// scenario's currency.
    pub fn cost_per_replica(&self) -> f64 {
        self.cost_per_replica
    }

    /// What the tier costs per year whatever its replica count (backup storage,
    /// failover tooling, drills), in the scenario's currency.
    pub fn fixed_cost(&self) -> f64 {
        self.fixed_cost
    }

    /// How writes reach the standbys and the other sites (default synchronous).
    pub fn replication(&self) -> &Replication {
        &self.replication
    }

    /// The site replica `replica` (0-based) stands in: its `placement`, else its
    /// tier's `sites` round-robin; `None` for a tier placed nowhere, which stands in a
    /// site that never fails.
    pub fn replica_site(&self, replica: u32) -> Option<&str> {
        if let Some(site) = self.placement.get(replica as usize) {
            return Some(site);
        }
        if self.sites.is_empty() {
            return None;
        }
        Some(&self.sites[replica as usize % self.sites.len()])
    }

    /// The dependencies every replica of the tier stands on, by name.
    pub fn depends_on(&self) -> &[String] {
        &self.depends_on
    }

    /// The dependencies each replica stands on besides [`Tier::depends_on`], one list
    /// per replica (empty when not given).
    pub fn replica_depends_on(&self) -> &[Vec<String>] {
        &self.replica_depends_on
    }

    /// The dependencies replica `replica` (0-based) stands on directly: the tier's,
    /// then its own, each once.
    pub fn replica_dependencies(&self, replica: u32) -> Vec<&str> {
        let own = self.replica_depends_on.get(replica as usize).into_iter().flatten();
        let mut names: Vec<&str> = Vec::new();
        for name in self.depends_on.iter().chain(own) {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }

    /// The sites the tier's replicas stand in, each once, in order of first use.
    pub fn sites_used(&self) -> Vec<&str> {
        let mut used: Vec<&str> = Vec::new();
        for replica in 0..self.replicas {
            if let Some(site) = self.replica_site(replica)
                && !used.contains(&site)
            {
                used.push(site);
            }
        }
        used
    }

    /// The tier's infrastructure cost per year: replicas × cost per replica + fixed
    /// cost.
    pub fn infrastructure_cost(&self) -> f64 {
        f64::from(self.replicas) * self.cost_per_replica + self.fixed_cost
    }
}

/// Builds a [`Tier`]; see [`Tier::builder`].
#[derive(Debug, Clone)]
pub struct TierBuilder {
    tier: Tier,
}

impl TierBuilder {
    /// Sets the number of replicas (default 1, at most [`Tier::MAX_REPLICAS`]).
    pub fn with_replicas(mut self, replicas: u32) -> Self {
        self.tier.replicas = replicas;
        self
    }

    /// Sets how many replicas must be serving for the tier to be up (default 1).
    pub fn with_required(mut self, required: u32) -> Self {
        self.tier.required = required;
        self
    }

    /// Limits repairs to `crews` at a time, first come, first served (default:
    /// unlimited).
    pub fn with_repair_crews(mut self, crews: u32) -> Self {
        self.tier.repair_crews = Some(crews);
        self
    }

    /// Adds a failure mode.
    pub fn with_failure(mut self, mode: FailureMode) -> Self {
        self.tier.failures.push(mode);
        self
    }

    /// Makes the tier active-passive: `required` replicas serve and the others wait as
    /// standbys (default: active-active, every replica serves).
    pub fn with_failover(mut self, failover: Failover) -> Self {
        self.tier.failover = Some(failover);
        self
    }

    /// Gives the tier a backup policy (default: none, so destroyed data is lost for
    /// good).
    pub fn with_backup(mut self, backup: Backup) -> Self {
        self.tier.backup = Some(backup);
        self
    }

    /// Gives the tier planned maintenance (default: none).
    pub fn with_maintenance(mut self, maintenance: Maintenance) -> Self {
        self.tier.maintenance = Some(maintenance);
        self
    }

    /// Sets how writes reach the standbys and the other sites (default synchronous).
    pub fn with_replication(mut self, replication: Replication) -> Self {
        self.tier.replication = replication;
        self
    }

    /// Places the replicas in these sites, round-robin: replica `i` in
    /// `sites[i % sites.len()]` (default: one site that never fails).
    pub fn with_sites<S: Into<String>>(mut self, sites: impl IntoIterator<Item = S>) -> Self {
        self.tier.sites = sites.into_iter().map(Into::into).collect();
        self
    }

    /// Places each replica in a site of its own choosing: one site name per replica, in
    /// order (instead of [`TierBuilder::with_sites`]).
    pub fn with_placement<S: Into<String>>(mut self, placement: impl IntoIterator<Item = S>) -> Self {
        self.tier.placement = placement.into_iter().map(Into::into).collect();
        self
    }

    /// Stands every replica on these dependencies of the service, by name: a replica
    /// serves only while each is up.
    pub fn with_depends_on<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.tier.depends_on = names.into_iter().map(Into::into).collect();
        self
    }

    /// Stands each replica on dependencies of its own (one list per replica, in
    /// order), besides those of [`TierBuilder::with_depends_on`]: two servers on two power
    /// feeds are `[["feed A"], ["feed B"]]`.
    pub fn with_replica_depends_on<L, S>(mut self, lists: impl IntoIterator<Item = L>) -> Self
    where
        L: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tier.replica_depends_on = lists
            .into_iter()
            .map(|list| list.into_iter().map(Into::into).collect())
            .collect();
        self
    }

    /// Sets what one replica costs per year (default 0, at most [`Costs::MAX`]).
    pub fn with_cost_per_replica(mut self, cost: f64) -> Self {
        self.tier.cost_per_replica = cost;
        self
    }

    /// Sets what the tier costs per year whatever its replica count (default 0, at most
    /// [`Costs::MAX`]).
    pub fn with_fixed_cost(mut self, cost: f64) -> Self {
        self.tier.fixed_cost = cost;
        self
    }

    /// Validates and builds the tier.
    ///
    /// # Errors
    /// [`ModelError`] if the name is empty, there are no replicas or more than
    /// [`Tier::MAX_REPLICAS`], `required` is 0 or more than `replicas`, `repair_crews`
    /// is 0, a cost is negative or above [`Costs::MAX`], two failure modes share a
    /// name, a failure mode's mean time to failure is 0 (it would fail endlessly at
    /// one instant), a failover tier has no standby, or the failover or backup
    /// settings are invalid (a drill whose mean `test_duration` is as long as
    /// `test_every`, for one). How often things happen is bounded for the whole
    /// service, by [`Service::new`].
    pub fn build(self) -> Result<Tier, ModelError> {
        let tier = self.tier;
        let name = || tier.name.clone();
        if tier.name.trim().is_empty() {
            return Err(ModelError::EmptyName { what: "tier" });
        }
        if tier.replicas == 0 {
            return Err(ModelError::NoReplicas { tier: name() });
        }
        if tier.replicas > Tier::MAX_REPLICAS {
            return Err(ModelError::TooManyReplicas {
                tier: name(),
                replicas: tier.replicas,
            });
        }
        if tier.required == 0 || tier.required > tier.replicas {
            return Err(ModelError::RequiredOutOfRange {
                tier: name(),
                required: tier.required,
                replicas: tier.replicas,
            });
        }
        for (key, value) in [
            ("cost_per_replica", tier.cost_per_replica),
            ("fixed_cost", tier.fixed_cost),
        ] {
            if !(0.0..=Costs::MAX).contains(&value) {
                return Err(ModelError::InvalidCost {
                    tier: name(),
                    key,
                    value,
                });
            }
        }
        if tier.repair_crews == Some(0) {
            return Err(ModelError::NoRepairCrews { tier: name() });
        }
        for (index, mode) in tier.failures.iter().enumerate() {
            if mode.name.trim().is_empty() {
                return Err(ModelError::EmptyName { what: "failure mode" });
            }
            if tier.failures[..index].iter().any(|m| m.name == mode.name) {
                return Err(ModelError::DuplicateFailureMode {
                    tier: name(),
                    mode: mode.name.clone(),
                });
            }
            if mode.every.mean() <= 0.0 {
                return Err(ModelError::InstantFailure {
                    tier: name(),
                    mode: mode.name.clone(),
                });
            }
        }
        if !tier.sites.is_empty() && !tier.placement.is_empty() {
            return Err(ModelError::SitesAndPlacement { tier: name() });
        }
        if !tier.placement.is_empty() && tier.placement.len() != tier.replicas as usize {
            return Err(ModelError::PlacementLength {
                tier: name(),
                sites: tier.placement.len(),
                replicas: tier.replicas,
            });
        }
        if !tier.replica_depends_on.is_empty() && tier.replica_depends_on.len() != tier.replicas as usize {
            return Err(ModelError::ReplicaDependsOnLength {
                tier: name(),
                lists: tier.replica_depends_on.len(),
                replicas: tier.replicas,
            });
        }
        if let Some(failover) = &tier.failover
            && failover.cross_site().is_some()
            && tier.sites_used().len() < 2
        {
            return Err(ModelError::CrossSiteOnOneSite { tier: name() });
        }
        if let Some(failover) = &tier.failover {
            if tier.replicas <= tier.required {
                return Err(ModelError::NoStandby {
                    tier: name(),
                    replicas: tier.replicas,
                    required: tier.required,
                });
            }
            failover.validate(&tier.name)?;
        }
        if let Some(backup) = &tier.backup {
            backup.validate(&tier.name)?;
        }
        if let Some(maintenance) = &tier.maintenance {
            maintenance.validate(&tier.name, tier.replicas, tier.required, tier.failover.is_some())?;
        }
        Ok(tier)
    }
}

/// A service: tiers in series, up when every tier is up, and the sites their replicas
/// stand in.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    name: String,
    sites: Vec<Site>,
    dependencies: Vec<Dependency>,
    tiers: Vec<Tier>,
}

impl Service {
    /// The most events a service may expect per simulated year:
    /// [`Service::expected_events_per_year`] at most 1,000,000. Every event costs the
    /// engine time in each replication; past this the default run (10,000 simulated
    /// years) would take hours (a failure every second is 31.5 million a year).
    pub const MAX_EVENTS_PER_YEAR: f64 = 1e6;

    /// Validates and builds a service from its tiers, in the order a request crosses
    /// them.
    ///
    /// # Errors
    /// [`ModelError`] if the name is empty, there is no tier, two tiers share a name,
    /// or the service expects more than [`Service::MAX_EVENTS_PER_YEAR`] events per
    /// simulated year ([`ModelError::TooManyEvents`], naming the busiest source).
    pub fn new(name: impl Into<String>, tiers: Vec<Tier>) -> Result<Service, ModelError> {
        Service::with_sites(name, Vec::new(), tiers)
    }

    /// Validates and builds a service whose tiers place their replicas (and keep their
    /// backups) in `sites`.
    ///
    /// # Errors
    /// As [`Service::new`], and [`ModelError`] if two sites share a name, or a tier
    /// places a replica or keeps its backups in a site that is not among `sites`.
    pub fn with_sites(name: impl Into<String>, sites: Vec<Site>, tiers: Vec<Tier>) -> Result<Service, ModelError> {
        Service::with_dependencies(name, sites, Vec::new(), tiers)
    }

    /// Validates and builds a service whose tiers stand on shared `dependencies` (and
    /// place their replicas in `sites`).
    ///
    /// # Errors
    /// As [`Service::with_sites`], and [`ModelError`] if a dependency's name is that of
    /// another dependency or of a tier, a tier or dependency names a dependency the
    /// service does not have ([`ModelError::UnknownDependency`]), dependencies stand on
    /// each other in a cycle ([`ModelError::DependencyCycle`], naming it), or a
    /// dependency stands in a site that is not among `sites`.
    pub fn with_dependencies(
        name: impl Into<String>,
        sites: Vec<Site>,
        dependencies: Vec<Dependency>,
        tiers: Vec<Tier>,
    ) -> Result<Service, ModelError> {
        let name = name.into();
        check_dependencies(&sites, &dependencies, &tiers)?;
        for (index, site) in sites.iter().enumerate() {
            if sites[..index].iter().any(|s| s.name() == site.name()) {
                return Err(ModelError::DuplicateSite {
                    site: site.name().to_owned(),
                });
            }
        }
        let known: Vec<String> = sites.iter().map(|s| s.name().to_owned()).collect();
        let unknown = |tier: &Tier, key: String, site: &str| ModelError::UnknownSite {
            tier: tier.name.clone(),
            key,
            site: site.to_owned(),
            known: known.clone(),
        };
        for tier in &tiers {
            let (key, names) = if tier.placement.is_empty() {
                ("sites", &tier.sites)
            } else {
                ("placement", &tier.placement)
            };
            if let Some((i, site)) = names.iter().enumerate().find(|(_, s)| !known.contains(s)) {
                return Err(unknown(tier, format!("{key}[{i}]"), site));
            }
            if let Some(site) = tier.backup.as_ref().and_then(Backup::site)
                && !known.iter().any(|k| k == site)
            {
                return Err(unknown(tier, "backup.site".to_owned(), site));
            }
        }
        if name.trim().is_empty() {
            return Err(ModelError::EmptyName { what: "service" });
        }
        if tiers.is_empty() {
            return Err(ModelError::NoTiers { service: name });
        }
        for (index, tier) in tiers.iter().enumerate() {
            if tiers[..index].iter().any(|t| t.name == tier.name) {
                return Err(ModelError::DuplicateTier {
                    tier: tier.name.clone(),
                });
            }
        }
        let service = Service {
            name,
            sites,
            dependencies,
            tiers,
        };
        let sources = service.event_sources();
        let events_per_year: f64 = sources.iter().map(|s| s.per_year).sum();
        if events_per_year.is_nan() || events_per_year > Service::MAX_EVENTS_PER_YEAR {
            let busiest = sources
                .into_iter()
                .max_by(|a, b| a.per_year.total_cmp(&b.per_year))
                .expect("a service over the bound has an event source");
            return Err(ModelError::TooManyEvents {
                events_per_year,
                owner: busiest.owner,
                tier: busiest.tier,
                mode: busiest.mode,
                key: busiest.key,
            });
        }
        Ok(service)
    }

    /// The events the service expects per simulated year, roughly what a replication
    /// of one year costs the engine: for each failure mode, one failure per mean time
    /// to failure (per replica for a replica-scope mode, once for the tier for a
    /// tier-scope one) and its repair; a drill per `test_every`, a backup per backup
    /// `every` and a maintenance round per `maintenance.every` (with each replica's
    /// start and end). Only what is simulated counts: the failure modes and
    /// maintenance of the dependencies the service uses
    /// ([`Service::dependencies_used`]) and the failure modes of the sites it uses
    /// ([`Service::sites_used`]); the others are not simulated and add nothing. An
    /// estimate from the means (ageing and downtime change the real count), used to
    /// bound a model before it runs.
    pub fn expected_events_per_year(&self) -> f64 {
        self.event_sources().iter().map(|s| s.per_year).sum()
    }

    /// Where the expected events of [`Service::expected_events_per_year`] come from:
    /// the tiers, and the dependencies and sites the simulation keeps (those in use).
    fn event_sources(&self) -> Vec<EventSource> {
        let mut sources = Vec::new();
        for tier in &self.tiers {
            sources.extend(tier.failure_events("tier"));
            if let Some(every) = tier.failover.as_ref().and_then(Failover::test_every) {
                sources.push(EventSource {
                    owner: "tier",
                    tier: tier.name.clone(),
                    mode: None,
                    key: "failover.test_every",
                    per_year: HOURS_PER_YEAR / every,
                });
            }
            if let Some(backup) = &tier.backup {
                sources.push(EventSource {
                    owner: "tier",
                    tier: tier.name.clone(),
                    mode: None,
                    key: "backup.every",
                    per_year: HOURS_PER_YEAR / backup.every(),
                });
            }
            if let Some(source) = tier.maintenance_events("tier") {
                sources.push(source);
            }
            if let Some(every) = tier
                .failover
                .as_ref()
                .and_then(Failover::cross_site)
                .and_then(CrossSite::test_every)
            {
                sources.push(EventSource {
                    owner: "tier",
                    tier: tier.name.clone(),
                    mode: None,
                    key: "failover.cross_site.test_every",
                    per_year: HOURS_PER_YEAR / every,
                });
            }
        }
        // As the simulation plan does: a dependency nothing stands on, and a site
        // nothing stands in, change nothing and are not simulated.
        for dependency in self.dependencies_used() {
            let tier = dependency.as_tier();
            sources.extend(tier.failure_events("dependency"));
            if let Some(source) = tier.maintenance_events("dependency") {
                sources.push(source);
            }
        }
        for site in self.sites_used() {
            for mode in site.failures() {
                sources.push(EventSource {
                    owner: "site",
                    tier: site.name().to_owned(),
                    mode: Some(mode.name.clone()),
                    key: "every",
                    per_year: 2.0 * HOURS_PER_YEAR / mode.every.mean(),
                });
            }
        }
        sources
    }

    /// The service's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The sites, in the order given.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// The sites the service uses: those a tier places a replica in or keeps its
    /// backups in.
    pub fn sites_used(&self) -> impl Iterator<Item = &Site> {
        let dependencies: Vec<&Dependency> = self.dependencies_used().collect();
        self.sites.iter().filter(move |site| {
            self.tiers.iter().any(|t| {
                t.sites_used().contains(&site.name()) || t.backup.as_ref().and_then(Backup::site) == Some(site.name())
            }) || dependencies.iter().any(|d| d.site() == Some(site.name()))
        })
    }

    /// The dependencies the service uses: those a tier stands on, directly or through
    /// other dependencies. The others change nothing: they are neither simulated nor
    /// paid for.
    pub fn dependencies_used(&self) -> impl Iterator<Item = &Dependency> {
        let used = self.standing_on(
            self.tiers
                .iter()
                .flat_map(|t| (0..t.replicas).flat_map(move |r| t.replica_dependencies(r)))
                .collect(),
        );
        self.dependencies
            .iter()
            .filter(move |d| used.iter().any(|u| u.name() == d.name()))
    }

    /// The dependencies named, and those they stand on, transitively, each once.
    fn standing_on<'a>(&'a self, mut todo: Vec<&'a str>) -> Vec<&'a Dependency> {
        let mut found: Vec<&Dependency> = Vec::new();
        while let Some(name) = todo.pop() {
            if found.iter().any(|d| d.name() == name) {
                continue;
            }
            if let Some(d) = self.dependencies.iter().find(|d| d.name() == name) {
                found.push(d);
                todo.extend(d.depends_on().iter().map(String::as_str));
            }
        }
        found
    }

    /// The service's infrastructure cost per year: its tiers', the dependencies' it
    /// uses and the fixed costs of the sites it uses.
    pub fn infrastructure_cost(&self) -> f64 {
        self.tiers.iter().map(Tier::infrastructure_cost).sum::<f64>()
            + self
                .dependencies_used()
                .map(Dependency::infrastructure_cost)
                .sum::<f64>()
            + self.sites_used().map(Site::fixed_cost).sum::<f64>()
    }

    /// The shared dependencies, in the order given.
    pub fn dependencies(&self) -> &[Dependency] {
        &self.dependencies
    }

    /// The components that can fail: each tier, dependency and used site with a
    /// failure mode, in that order.
    pub(crate) fn components(&self) -> Vec<Component> {
        let tiers = self.tiers.iter().filter(|t| !t.failures.is_empty()).map(|t| Component {
            kind: ComponentKind::Tier,
            name: t.name.clone(),
        });
        let dependencies = self
            .dependencies_used()
            .filter(|d| !d.failures().is_empty())
            .map(|d| Component {
                kind: ComponentKind::Dependency,
                name: d.name().to_owned(),
            });
        let sites = self
            .sites_used()
            .filter(|s| !s.failures().is_empty())
            .map(|s| Component {
                kind: ComponentKind::Site,
                name: s.name().to_owned(),
            });
        tiers.chain(dependencies).chain(sites).collect()
    }

    /// The same service with `component` perfect: without its failure modes (its
    /// drills and backups stay).
    pub(crate) fn perfected(&self, component: &Component) -> Service {
        let mut service = self.clone();
        match component.kind {
            ComponentKind::Tier => {
                for tier in service.tiers.iter_mut().filter(|t| t.name == component.name) {
                    tier.failures.clear();
                }
            }
            ComponentKind::Dependency => {
                for dependency in service.dependencies.iter_mut().filter(|d| d.name() == component.name) {
                    dependency.perfect();
                }
            }
            ComponentKind::Site => {
                for site in service.sites.iter_mut().filter(|s| s.name() == component.name) {
                    *site = site.perfected();
                }
            }
        }
        service
    }

    /// Whether one failure of `component` alone takes the service down: a tier that
    /// needs every replica or has a tier-wide mode; a dependency like that under every
    /// replica of a tier; a site holding every replica of a tier (or such a
    /// dependency).
    pub(crate) fn single_point_of_failure(&self, component: &Component) -> bool {
        let fragile = |tier: &Tier| {
            (tier.failover.is_none() && tier.required == tier.replicas)
                || tier.failures.iter().any(|m| m.scope == Scope::Tier)
        };
        // What each replica of a tier stands on, transitively, and its site.
        struct Beneath<'a> {
            dependencies: Vec<&'a str>,
            sites: Vec<&'a str>,
        }
        fn beneath<'a>(service: &'a Service, tier: &'a Tier, replica: u32) -> Beneath<'a> {
            let under = service.standing_on(tier.replica_dependencies(replica));
            Beneath {
                dependencies: under.iter().map(|d| d.name()).collect(),
                sites: tier
                    .replica_site(replica)
                    .into_iter()
                    .chain(under.iter().filter_map(|d| d.site()))
                    .collect(),
            }
        }
        let under_every_replica =
            |tier: &Tier, holds: &dyn Fn(&Beneath) -> bool| (0..tier.replicas).all(|r| holds(&beneath(self, tier, r)));
        match component.kind {
            ComponentKind::Tier => self.tiers.iter().any(|t| t.name == component.name && fragile(t)),
            ComponentKind::Dependency => {
                let Some(dependency) = self.dependencies.iter().find(|d| d.name() == component.name) else {
                    return false;
                };
                fragile(dependency.as_tier())
                    && self
                        .tiers
                        .iter()
                        .any(|t| under_every_replica(t, &|b| b.dependencies.contains(&component.name.as_str())))
            }
            ComponentKind::Site => self
                .tiers
                .iter()
                .any(|t| under_every_replica(t, &|b| b.sites.contains(&component.name.as_str()))),
        }
    }

    /// The tiers, in series.
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }
}

/// The dependencies' names, sites and references, and that they stand on each other
/// without a cycle.
fn check_dependencies(sites: &[Site], dependencies: &[Dependency], tiers: &[Tier]) -> Result<(), ModelError> {
    for (index, dependency) in dependencies.iter().enumerate() {
        let name = dependency.name();
        if dependencies[..index].iter().any(|d| d.name() == name) || tiers.iter().any(|t| t.name == name) {
            return Err(ModelError::DuplicateDependency {
                dependency: name.to_owned(),
            });
        }
        if let Some(site) = dependency.site()
            && !sites.iter().any(|s| s.name() == site)
        {
            let known: Vec<&str> = sites.iter().map(Site::name).collect();
            return Err(ModelError::InvalidDependency {
                dependency: name.to_owned(),
                mode: None,
                key: "site".to_owned(),
                reason: format!(
                    "dependency \"{name}\" stands in site \"{site}\", which is not a site of the service ({}): add a [[site]] named \"{site}\", or use one of those",
                    if known.is_empty() {
                        "it has none".to_owned()
                    } else {
                        format!("{known:?}")
                    }
                ),
            });
        }
    }
    let known: Vec<String> = dependencies.iter().map(|d| d.name().to_owned()).collect();
    let unknown = |owner: &'static str, of: &str, key: String, name: &str| ModelError::UnknownDependency {
        owner,
        name: of.to_owned(),
        key,
        dependency: name.to_owned(),
        known: known.clone(),
    };
    for tier in tiers {
        if let Some((i, name)) = tier.depends_on.iter().enumerate().find(|(_, n)| !known.contains(n)) {
            return Err(unknown("tier", &tier.name, format!("depends_on[{i}]"), name));
        }
        for (r, list) in tier.replica_depends_on.iter().enumerate() {
            if let Some((i, name)) = list.iter().enumerate().find(|(_, n)| !known.contains(n)) {
                return Err(unknown(
                    "tier",
                    &tier.name,
                    format!("replica_depends_on[{r}][{i}]"),
                    name,
                ));
            }
        }
    }
    for dependency in dependencies {
        let names = dependency.depends_on();
        if let Some((i, name)) = names.iter().enumerate().find(|(_, n)| !known.contains(n)) {
            return Err(unknown(
                "dependency",
                dependency.name(),
                format!("depends_on[{i}]"),
                name,
            ));
        }
    }
    // A cycle: depth-first from each dependency, along what it stands on.
    let index = |name: &str| known.iter().position(|k| k == name).expect("checked above");
    // 0: not visited, 1: on the current path, 2: done.
    let mut state = vec![0u8; dependencies.len()];
    fn visit(
        at: usize,
        dependencies: &[Dependency],
        index: &dyn Fn(&str) -> usize,
        state: &mut [u8],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        state[at] = 1;
        path.push(at);
        for name in dependencies[at].depends_on() {
            let next = index(name);
            match state[next] {
                1 => {
                    let start = path.iter().position(|&p| p == next).expect("on the path");
                    let mut cycle = path[start..].to_vec();
                    cycle.push(next);
                    return Some(cycle);
                }
                0 => {
                    if let Some(cycle) = visit(next, dependencies, index, state, path) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state[at] = 2;
        None
    }
    for start in 0..dependencies.len() {
        if state[start] == 0
            && let Some(cycle) = visit(start, dependencies, &index, &mut state, &mut Vec::new())
        {
            return Err(ModelError::DependencyCycle {
                cycle: cycle.into_iter().map(|i| known[i].clone()).collect(),
            });
        }
    }
    Ok(())
}

/// A part of a service that can fail.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Component {
    pub(crate) kind: ComponentKind,
    pub(crate) name: String,
}

/// What kind of part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ComponentKind {
    Tier,
    Dependency,
    Site,
}

impl ComponentKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Tier => "tier",
            ComponentKind::Dependency => "dependency",
            ComponentKind::Site => "site",
        }
    }
}

/// One source of events, for [`Service::expected_events_per_year`].
struct EventSource {
    /// `tier`, `dependency` or `site`.
    owner: &'static str,
    tier: String,
    mode: Option<String>,
    key: &'static str,
    per_year: f64,
}

/// Why a model is invalid. Each message names the tier or mode and says how to fix it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// A service, tier or failure mode has an empty name.
    #[error("the {what} has an empty name: give it a name that appears in reports")]
    EmptyName {
        /// What lacks a name.
        what: &'static str,
    },
    /// A service without tiers.
    #[error("service \"{service}\" has no tier: add at least one [[tier]] with its failure modes")]
    NoTiers {
        /// The service.
        service: String,
    },
    /// Two tiers with one name.
    #[error("two tiers are named \"{tier}\": tier names must be unique within a service")]
    DuplicateTier {
        /// The repeated name.
        tier: String,
    },
    /// A tier with zero replicas.
    #[error("tier \"{tier}\" has 0 replicas: a tier needs at least 1")]
    NoReplicas {
        /// The tier.
        tier: String,
    },
    /// A tier with more than [`Tier::MAX_REPLICAS`] replicas.
    #[error(
        "tier \"{tier}\" has {replicas} replicas, more than the bound of {max} per tier \
         (each replica is simulated one by one; this many would need gigabytes): model \
         at most {max} replicas, e.g. as several tiers",
        max = Tier::MAX_REPLICAS
    )]
    TooManyReplicas {
        /// The tier.
        tier: String,
        /// The `replicas` given.
        replicas: u32,
    },
    /// The service expects more than [`Service::MAX_EVENTS_PER_YEAR`] events per
    /// simulated year.
    #[error(
        "the service expects {events_per_year:.3e} events per simulated year, more than \
         the bound of {max:.0e} that keeps a run within minutes; the most come from {}: \
         make `{key}` longer (a mean time to failure, drill or backup interval of seconds \
         is not what the model means)",
        source_name(owner, tier, mode.as_deref(), key),
        max = Service::MAX_EVENTS_PER_YEAR
    )]
    TooManyEvents {
        /// The service's expected events per simulated year.
        events_per_year: f64,
        /// Whether the busiest source is a `tier`'s, a `dependency`'s or a `site`'s.
        owner: &'static str,
        /// The tier (or site) of the busiest source.
        tier: String,
        /// The failure mode of the busiest source, if it is one.
        mode: Option<String>,
        /// The key of the busiest source: `every`, `failover.test_every` or
        /// `backup.every`.
        key: &'static str,
    },
    /// `required` is 0 or more than `replicas`.
    #[error(
        "tier \"{tier}\" requires {required} of {}: `required` must be between 1 and `replicas` ({replicas})",
        crate::report::count(u64::from(*.replicas), "replica", "replicas")
    )]
    RequiredOutOfRange {
        /// The tier.
        tier: String,
        /// The `required` given (k).
        required: u32,
        /// The `replicas` given (n).
        replicas: u32,
    },
    /// `repair_crews = 0`.
    #[error(
        "tier \"{tier}\" has 0 repair crews: nothing would ever be repaired; give at least 1, or leave `repair_crews` out for unlimited parallel repairs"
    )]
    NoRepairCrews {
        /// The tier.
        tier: String,
    },
    /// Two failure modes of one tier with one name.
    #[error("tier \"{tier}\" has two failure modes named \"{mode}\": give each a distinct name")]
    DuplicateFailureMode {
        /// The tier.
        tier: String,
        /// The repeated name.
        mode: String,
    },
    /// A failure mode whose mean time to failure is 0.
    #[error(
        "failure mode \"{mode}\" of tier \"{tier}\" has a mean time to failure of 0: it would fail endlessly at one instant; give `every` a positive mean"
    )]
    InstantFailure {
        /// The tier.
        tier: String,
        /// The mode.
        mode: String,
    },
    /// A failover tier without a standby.
    #[error(
        "failover tier \"{tier}\" has {} and requires {required}: it needs at least one standby, so give it `replicas` of at least {}",
        crate::report::count(u64::from(*.replicas), "replica", "replicas"),
        required + 1
    )]
    NoStandby {
        /// The tier.
        tier: String,
        /// The `replicas` given.
        replicas: u32,
        /// The `required` given.
        required: u32,
    },
    /// A cost that is negative, NaN or above [`Costs::MAX`].
    #[error(
        "`{key}` of tier \"{tier}\" is {}: a cost per year must be a number from 0 to {} \
         (a million billion), which keeps every sum of costs finite",
        crate::dist::num(.value),
        crate::dist::num(&Costs::MAX)
    )]
    InvalidCost {
        /// The tier.
        tier: String,
        /// The key at fault.
        key: &'static str,
        /// The value given.
        value: f64,
    },
    /// An invalid failover setting.
    #[error("failover setting `{key}` of tier \"{tier}\" {reason}")]
    InvalidFailover {
        /// The tier.
        tier: String,
        /// The key at fault.
        key: &'static str,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// An invalid backup setting.
    #[error("backup setting `{key}` of tier \"{tier}\" {reason}")]
    InvalidBackup {
        /// The tier.
        tier: String,
        /// The key at fault.
        key: &'static str,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// An invalid maintenance setting.
    #[error("maintenance setting `{key}` of tier \"{tier}\" {reason}")]
    InvalidMaintenance {
        /// The tier.
        tier: String,
        /// The key at fault.
        key: &'static str,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// An invalid site setting.
    #[error("`{key}` of site \"{site}\" {reason}")]
    InvalidSite {
        /// The site.
        site: String,
        /// The key at fault, within the site.
        key: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// Two sites with one name.
    #[error("two sites are named \"{site}\": site names must be unique within a service")]
    DuplicateSite {
        /// The repeated name.
        site: String,
    },
    /// A tier names a site the service does not have.
    #[error("tier \"{tier}\" names site \"{site}\", which is not a site of the service ({}): add a [[site]] named \"{site}\", or use one of those", if known.is_empty() { "it has none".to_owned() } else { format!("{known:?}") })]
    UnknownSite {
        /// The tier.
        tier: String,
        /// The key at fault, within the tier (`sites[1]`, `placement[0]`, `backup.site`).
        key: String,
        /// The unknown name.
        site: String,
        /// The service's sites.
        known: Vec<String>,
    },
    /// A tier with both `sites` and `placement`.
    #[error(
        "tier \"{tier}\" has both `sites` and `placement`: give `sites` to place its replicas round-robin, or `placement` for one site per replica, not both"
    )]
    SitesAndPlacement {
        /// The tier.
        tier: String,
    },
    /// A `placement` whose length is not `replicas`.
    #[error(
        "tier \"{tier}\" places {} but has {replicas}: `placement` names one site per replica, so give it {} (or use `sites` to place them round-robin)",
        crate::report::count(*.sites as u64, "replica", "replicas"),
        crate::report::count(u64::from(*.replicas), "name", "names")
    )]
    PlacementLength {
        /// The tier.
        tier: String,
        /// The names given.
        sites: usize,
        /// The `replicas` given.
        replicas: u32,
    },
    /// A dependency the model refuses: what a tier's builder refuses, a failure mode
    /// that destroys data, a site the service does not have.
    #[error("{reason}")]
    InvalidDependency {
        /// The dependency.
        dependency: String,
        /// The failure mode at fault, if one is.
        mode: Option<String>,
        /// The key at fault, within the dependency (or its failure mode).
        key: String,
        /// What is wrong and how to fix it, in full.
        reason: String,
    },
    /// A dependency named like another dependency or a tier.
    #[error(
        "two tiers or dependencies are named \"{dependency}\": names must be unique among a service's tiers and dependencies"
    )]
    DuplicateDependency {
        /// The repeated name.
        dependency: String,
    },
    /// A tier or dependency stands on a dependency the service does not have.
    #[error("{owner} \"{name}\" stands on dependency \"{dependency}\", which is not a dependency of the service ({}): add a [[dependency]] named \"{dependency}\", or use one of those", if known.is_empty() { "it has none".to_owned() } else { format!("{known:?}") })]
    UnknownDependency {
        /// `tier` or `dependency`.
        owner: &'static str,
        /// The tier or dependency.
        name: String,
        /// The key at fault, within it (`depends_on[0]`, `replica_depends_on[1][0]`).
        key: String,
        /// The unknown name.
        dependency: String,
        /// The service's dependencies.
        known: Vec<String>,
    },
    /// Dependencies that stand on each other in a cycle.
    #[error("dependencies stand on each other in a cycle: {}: a dependency cannot stand, even indirectly, on itself; remove one of these `depends_on`", cycle.join(" → "))]
    DependencyCycle {
        /// The cycle, its first dependency repeated at the end.
        cycle: Vec<String>,
    },
    /// A `replica_depends_on` whose length is not `replicas`.
    #[error(
        "`replica_depends_on` of tier \"{tier}\" gives one list of dependencies per replica, so it needs {replicas} (the tier's `replicas`), not {lists}; use `depends_on` for what every replica stands on"
    )]
    ReplicaDependsOnLength {
        /// The tier.
        tier: String,
        /// The lists given.
        lists: usize,
        /// The `replicas` given.
        replicas: u32,
    },
    /// Cross-site failover settings on a tier whose replicas stand in one site.
    #[error(
        "tier \"{tier}\" has `failover.cross_site` settings but its replicas stand in one site: place them in two or more (`sites = [\"main\", \"dr\"]`), or remove the cross-site table"
    )]
    CrossSiteOnOneSite {
        /// The tier.
        tier: String,
    },
}

/// `failure mode "crash" of tier "db"`, or `` `backup.every` of tier "db" ``.
fn source_name(owner: &str, tier: &str, mode: Option<&str>, key: &str) -> String {
    match mode {
        Some(mode) => format!("failure mode \"{mode}\" of {owner} \"{tier}\""),
        None => format!("`{key}` of {owner} \"{tier}\""),
    }
}

impl ModelError {
    /// The failure mode the error is about (if any) and the key at fault, so a
    /// scenario file can point at the place.
    pub(crate) fn location(&self) -> (Option<&str>, String) {
        let (mode, key): (Option<&str>, &str) = match self {
            ModelError::EmptyName { what } => (None, what),
            ModelError::NoTiers { .. } => (None, "tier"),
            ModelError::DuplicateTier { .. } => (None, "name"),
            ModelError::NoReplicas { .. } | ModelError::TooManyReplicas { .. } => (None, "replicas"),
            ModelError::TooManyEvents { mode, key, .. } => (mode.as_deref(), key),
            ModelError::RequiredOutOfRange { .. } => (None, "required"),
            ModelError::NoRepairCrews { .. } => (None, "repair_crews"),
            ModelError::DuplicateFailureMode { mode, .. } => (Some(mode), "name"),
            ModelError::InstantFailure { mode, .. } => (Some(mode), "every"),
            ModelError::NoStandby { .. } => (None, "replicas"),
            ModelError::InvalidCost { key, .. } => (None, key),
            ModelError::InvalidFailover { key, .. } => return (None, format!("failover.{key}")),
            ModelError::InvalidBackup { key, .. } => return (None, format!("backup.{key}")),
            ModelError::InvalidMaintenance { key, .. } => return (None, format!("maintenance.{key}")),
            ModelError::InvalidSite { key, .. } | ModelError::UnknownSite { key, .. } => return (None, key.clone()),
            ModelError::DuplicateSite { .. } => (None, "name"),
            ModelError::SitesAndPlacement { .. } | ModelError::PlacementLength { .. } => (None, "placement"),
            ModelError::CrossSiteOnOneSite { .. } => (None, "failover.cross_site"),
            ModelError::InvalidDependency { mode, key, .. } => return (mode.as_deref(), key.clone()),
            ModelError::DuplicateDependency { .. } => (None, "name"),
            ModelError::UnknownDependency { key, .. } => return (None, key.clone()),
            ModelError::DependencyCycle { .. } => (None, "depends_on"),
            ModelError::ReplicaDependsOnLength { .. } => (None, "replica_depends_on"),
        };
        (mode, key.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exp(mean: f64) -> Distribution {
        Distribution::exponential(mean).expect("valid mean")
    }

    fn crash() -> FailureMode {
        FailureMode::new("crash", exp(1000.0), exp(10.0))
    }

    #[test]
    fn builds_a_valid_tier_and_service() {
        let tier = Tier::builder("db")
            .with_replicas(3)
            .with_required(2)
            .with_repair_crews(1)
            .with_failure(crash())
            .build()
            .expect("valid tier");
        assert_eq!((tier.replicas(), tier.required(), tier.repair_crews()), (3, 2, Some(1)));
        let service = Service::new("svc", vec![tier]).expect("valid service");
        assert_eq!(service.tiers().len(), 1);
    }

    #[test]
    fn rejects_k_greater_than_n() {
        let err = Tier::builder("db")
            .with_replicas(2)
            .with_required(3)
            .build()
            .unwrap_err();
        assert_eq!(
            err,
            ModelError::RequiredOutOfRange {
                tier: "db".into(),
                required: 3,
                replicas: 2
            }
        );
        assert!(err.to_string().contains("between 1 and `replicas` (2)"), "{err}");
    }

    #[test]
    fn rejects_each_invalid_tier() {
        let cases = [
            (Tier::builder("db").with_replicas(0), "0 replicas"),
            (Tier::builder("db").with_required(0), "requires 0 of 1 replica:"),
            (
                Tier::builder("db").with_replicas(2).with_required(3),
                "requires 3 of 2 replicas:",
            ),
            (Tier::builder("db").with_repair_crews(0), "0 repair crews"),
            (Tier::builder(" "), "empty name"),
            (
                Tier::builder("db").with_failure(crash()).with_failure(crash()),
                "two failure modes named \"crash\"",
            ),
            (
                Tier::builder("db").with_failure(FailureMode::new(
                    "x",
                    Distribution::fixed(0.0).expect("valid"),
                    exp(1.0),
                )),
                "mean time to failure of 0",
            ),
            (
                Tier::builder("db").with_failover(Failover::new()),
                "has 1 replica and requires 1: it needs at least one standby",
            ),
            (
                Tier::builder("db")
                    .with_replicas(2)
                    .with_failover(Failover::new().with_success(1.5)),
                "`success` of tier \"db\" is 1.5",
            ),
            (
                Tier::builder("db")
                    .with_replicas(2)
                    .with_failover(Failover::new().with_success(0.9)),
                "`manual_recovery` of tier \"db\" is missing",
            ),
            (
                Tier::builder("db")
                    .with_replicas(2)
                    .with_failover(Failover::new().with_dormant_factor(f64::NAN)),
                "`dormant_factor`",
            ),
            (
                Tier::builder("db")
                    .with_replicas(2)
                    .with_failover(Failover::new().with_test_every(0.0)),
                "`test_every`",
            ),
            (
                Tier::builder("db").with_backup(Backup::new(-1.0, exp(1.0))),
                "backup setting `every`",
            ),
            (
                Tier::builder("db").with_replicas(u32::MAX).with_required(1),
                "4294967295 replicas, more than the bound of 10000 per tier",
            ),
            (
                Tier::builder("db").with_replicas(10_001),
                "10001 replicas, more than the bound of 10000",
            ),
            (
                Tier::builder("db").with_cost_per_replica(1.5e308),
                "`cost_per_replica` of tier \"db\" is 1.5e308: a cost per year must be a number from 0 to 1e15",
            ),
            (
                Tier::builder("db").with_fixed_cost(f64::INFINITY),
                "`fixed_cost` of tier \"db\" is inf",
            ),
            (
                Tier::builder("db")
                    .with_replicas(2)
                    .with_failover(Failover::new().with_test_every(24.0).with_test_duration(exp(48.0))),
                "`test_duration` of tier \"db\" has a mean of 48 h, as long as or longer than `test_every` = 24 h",
            ),
            (
                Tier::builder("db").with_backup(Backup::new(24.0, exp(1.0)).with_success(-0.1)),
                "backup setting `success`",
            ),
        ];
        for (builder, expected) in cases {
            let err = builder.build().unwrap_err().to_string();
            assert!(err.contains(expected), "{err:?} should contain {expected:?}");
        }
    }

    #[test]
    fn the_largest_tier_builds() {
        let tier = Tier::builder("disks")
            .with_replicas(Tier::MAX_REPLICAS)
            .with_cost_per_replica(crate::Costs::MAX)
            .with_fixed_cost(crate::Costs::MAX)
            .build()
            .expect("at the bounds");
        assert!(tier.infrastructure_cost().is_finite());
    }

    #[test]
    fn events_per_year_are_bounded_for_the_whole_service() {
        // Two replicas failing every 1000 h on average, with repairs: 35.04 events a
        // year; a drill a week and a backup a day.
        let db = Tier::builder("db")
            .with_replicas(2)
            .with_failure(crash())
            .with_failover(Failover::new().with_test_every(168.0))
            .with_backup(Backup::new(24.0, exp(1.0)))
            .build()
            .expect("valid");
        let service = Service::new("svc", vec![db]).expect("valid");
        let expected = 2.0 * 2.0 * 8760.0 / 1000.0 + 8760.0 / 168.0 + 8760.0 / 24.0;
        assert!((service.expected_events_per_year() - expected).abs() < 1e-9);

        // Failures every second, drills every second, backups every second: each is
        // refused, naming its source and the bound.
        let second = 1.0 / 3600.0;
        let cases = [
            (
                Tier::builder("db").with_failure(FailureMode::new("flap", exp(second), exp(second))),
                "6.307e7 events per simulated year, more than the bound of 1e6 that keeps a run within minutes; the most come from failure mode \"flap\" of tier \"db\": make `every` longer",
            ),
            (
                Tier::builder("db")
                    .with_replicas(2)
                    .with_failover(Failover::new().with_test_every(second)),
                "expects 3.154e7 events per simulated year, more than the bound of 1e6 that keeps a run within minutes; the most come from `failover.test_every` of tier \"db\"",
            ),
            (
                Tier::builder("db").with_backup(Backup::new(second, exp(1.0))),
                "the most come from `backup.every` of tier \"db\"",
            ),
            (
                // Many replicas, each failing rarely: the sum counts.
                Tier::builder("db")
                    .with_replicas(10_000)
                    .with_failure(FailureMode::new("crash", exp(100.0), exp(1.0))),
                "expects 1.752e6 events per simulated year, more than the bound of 1e6",
            ),
        ];
        for (builder, expected) in cases {
            let err = Service::new("svc", vec![builder.build().expect("a valid tier")]).unwrap_err();
            assert!(matches!(err, ModelError::TooManyEvents { .. }), "{err:?}");
            let message = err.to_string();
            assert!(message.contains(expected), "{message:?} should contain {expected:?}");
        }
    }

    #[test]
    fn events_per_year_count_only_the_dependencies_and_sites_in_use() {
        // A dependency and a site that fail every second (and a dependency with
        // maintenance every minute), which nothing stands on or in: the plan does not
        // simulate them, so they add nothing and the service is not refused.
        let second = 1.0 / 3600.0;
        let flap = || FailureMode::new("flap", exp(second), exp(second));
        let dependencies = || {
            vec![
                Dependency::builder("dns").with_failure(flap()).build().expect("valid"),
                Dependency::builder("power")
                    .with_replicas(2)
                    .with_failure(crash())
                    .with_maintenance(Maintenance::new(1.0 / 60.0, exp(second / 10.0)))
                    .build()
                    .expect("valid"),
                Dependency::builder("storage")
                    .with_replicas(3)
                    .with_failure(crash())
                    .with_depends_on(["power"])
                    .build()
                    .expect("valid"),
            ]
        };
        let sites = || {
            vec![
                Site::builder("main").with_failure(crash()).build().expect("valid"),
                Site::builder("flood plain")
                    .with_failure(flap())
                    .build()
                    .expect("valid"),
            ]
        };
        let web = |depends_on: &[&str]| {
            Tier::builder("web")
                .with_replicas(2)
                .with_failure(crash())
                .with_sites(["main"])
                .with_depends_on(depends_on.iter().copied())
                .build()
                .expect("valid")
        };
        let crash_events = |replicas: f64| 2.0 * replicas * 8760.0 / 1000.0;
        let alone = Service::with_dependencies("svc", sites(), dependencies(), vec![web(&[])]).expect("valid");
        let expected = crash_events(2.0) + crash_events(1.0);
        assert!(
            (alone.expected_events_per_year() - expected).abs() < 1e-9,
            "{} events per year, expected {expected}: unused dependencies and sites count",
            alone.expected_events_per_year()
        );

        // A used dependency counts, and so does what it stands on, transitively (here
        // with the maintenance every minute, which refuses the service).
        let on_storage =
            Service::with_dependencies("svc", sites(), dependencies(), vec![web(&["storage"])]).unwrap_err();
        assert!(
            matches!(&on_storage, ModelError::TooManyEvents { owner: "dependency", tier, .. } if tier == "power"),
            "{on_storage:?}"
        );
        let mut calm = dependencies();
        calm[1] = Dependency::builder("power")
            .with_replicas(2)
            .with_failure(crash())
            .build()
            .expect("valid");
        let on_storage = Service::with_dependencies("svc", sites(), calm, vec![web(&["storage"])]).expect("valid");
        let expected = crash_events(2.0) + crash_events(1.0) + crash_events(3.0) + crash_events(2.0);
        assert!((on_storage.expected_events_per_year() - expected).abs() < 1e-9);

        // A used dependency that fails every second is refused, naming it.
        let err = Service::with_dependencies("svc", sites(), dependencies(), vec![web(&["dns"])]).unwrap_err();
        assert!(
            err.to_string().contains("failure mode \"flap\" of dependency \"dns\""),
            "{err}"
        );

        // A dependency standing in a site brings the site into use.
        let mut placed = dependencies();
        placed[0] = Dependency::builder("dns")
            .with_failure(crash())
            .with_site("flood plain")
            .build()
            .expect("valid");
        let err = Service::with_dependencies("svc", sites(), placed, vec![web(&["dns"])]).unwrap_err();
        assert!(
            err.to_string()
                .contains("failure mode \"flap\" of site \"flood plain\""),
            "{err}"
        );
    }

    #[test]
    fn rejects_invalid_services() {
        let tier = || Tier::builder("db").build().expect("valid");
        assert!(matches!(Service::new("s", vec![]), Err(ModelError::NoTiers { .. })));
        assert!(matches!(
            Service::new("s", vec![tier(), tier()]),
            Err(ModelError::DuplicateTier { .. })
        ));
        assert!(matches!(
            Service::new("", vec![tier()]),
            Err(ModelError::EmptyName { .. })
        ));
    }
}
