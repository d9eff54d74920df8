//! Shared dependencies: the power feeds, switches, storage arrays and identity
//! providers that tiers stand on, where single points of failure hide.

use super::{FailureMode, Maintenance, ModelError, Tier, TierBuilder};

/// A shared component that replicas stand on: a power feed, a network switch, a
/// storage array, an identity provider.
///
/// A dependency is built like a tier (k of n replicas, failure modes of either scope,
/// repair crews, costs) but is not in the request path: it matters only through what
/// stands on it. It is up while at least `required` of its replicas serve and no
/// tier-scope failure of it is being repaired; a replica of it serves while it is
/// healthy and everything it stands on (its site, the dependencies it names,
/// transitively) is up. While a dependency is down, every replica standing on it stops
/// serving without failing, keeps its data and its age, and serves again when the
/// dependency is back; a failover tier treats its serving replica stopping this way
/// like a failure (detection, then a switchover to a standby that does not stand on
/// the same dependency, if there is one).
///
/// A dependency holds no data: its failure modes cannot destroy data (a failure that
/// does is a failure mode of the tier whose data it destroys).
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// Its replicas, modes, crews, costs and site, as a tier's.
    tier: Tier,
}

impl Dependency {
    /// Starts building a dependency with one replica, one required, unlimited repair
    /// crews, no failure modes, in no site (one that never fails).
    pub fn builder(name: impl Into<String>) -> DependencyBuilder {
        DependencyBuilder {
            tier: Tier::builder(name),
            site: None,
            depends_on: Vec::new(),
        }
    }

    /// The dependency's name, unique among the tiers and dependencies of its service.
    pub fn name(&self) -> &str {
        self.tier.name()
    }

    /// How many replicas it has.
    pub fn replicas(&self) -> u32 {
        self.tier.replicas()
    }

    /// How many of them must serve for it to be up.
    pub fn required(&self) -> u32 {
        self.tier.required()
    }

    /// How many repairs may run at once (`None`: unlimited).
    pub fn repair_crews(&self) -> Option<u32> {
        self.tier.repair_crews()
    }

    /// Its failure modes (competing risks).
    pub fn failures(&self) -> &[FailureMode] {
        self.tier.failures()
    }

    /// The site it stands in, if any.
    pub fn site(&self) -> Option<&str> {
        self.tier.replica_site(0)
    }

    /// The dependencies it stands on, by name.
    pub fn depends_on(&self) -> &[String] {
        self.tier.depends_on()
    }

    /// Its infrastructure cost per year: replicas × cost per replica + fixed cost.
    pub fn infrastructure_cost(&self) -> f64 {
        self.tier.infrastructure_cost()
    }

    /// Makes it perfect: no failure modes.
    pub(crate) fn perfect(&mut self) {
        self.tier.failures.clear();
    }

    /// The dependency as the engine runs it: a tier outside the request path.
    pub(crate) fn as_tier(&self) -> &Tier {
        &self.tier
    }
}

/// Builds a [`Dependency`]; see [`Dependency::builder`].
#[derive(Debug, Clone)]
pub struct DependencyBuilder {
    tier: TierBuilder,
    site: Option<String>,
    depends_on: Vec<String>,
}

impl DependencyBuilder {
    /// Sets the number of replicas (default 1, at most [`Tier::MAX_REPLICAS`]).
    pub fn with_replicas(mut self, replicas: u32) -> Self {
        self.tier = self.tier.with_replicas(replicas);
        self
    }

    /// Sets how many replicas must serve for the dependency to be up (default 1).
    pub fn with_required(mut self, required: u32) -> Self {
        self.tier = self.tier.with_required(required);
        self
    }

    /// Limits repairs to `crews` at a time (default: unlimited).
    pub fn with_repair_crews(mut self, crews: u32) -> Self {
        self.tier = self.tier.with_repair_crews(crews);
        self
    }

    /// Adds a failure mode (replica scope: one replica; tier scope: the whole
    /// dependency).
    pub fn with_failure(mut self, mode: FailureMode) -> Self {
        self.tier = self.tier.with_failure(mode);
        self
    }

    /// Gives the dependency planned maintenance (default: none); see [`Maintenance`].
    pub fn with_maintenance(mut self, maintenance: Maintenance) -> Self {
        self.tier = self.tier.with_maintenance(maintenance);
        self
    }

    /// Places the dependency (every replica of it) in a site of the service.
    pub fn with_site(mut self, site: impl Into<String>) -> Self {
        self.site = Some(site.into());
        self
    }

    /// Stands the dependency on other dependencies of the service, by name.
    pub fn with_depends_on<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.depends_on = names.into_iter().map(Into::into).collect();
        self
    }

    /// Sets what one replica costs per year (default 0).
    pub fn with_cost_per_replica(mut self, cost: f64) -> Self {
        self.tier = self.tier.with_cost_per_replica(cost);
        self
    }

    /// Sets what the dependency costs per year whatever its replica count (default 0).
    pub fn with_fixed_cost(mut self, cost: f64) -> Self {
        self.tier = self.tier.with_fixed_cost(cost);
        self
    }

    /// Validates and builds the dependency.
    ///
    /// # Errors
    /// [`ModelError::InvalidDependency`] for what a tier's builder refuses (see
    /// [`TierBuilder::build`]), and for a failure mode that destroys data.
    pub fn build(self) -> Result<Dependency, ModelError> {
        let mut tier = self.tier.with_depends_on(self.depends_on);
        if let Some(site) = self.site {
            tier = tier.with_sites([site]);
        }
        let tier = tier.build().map_err(|e| match e {
            ModelError::EmptyName { .. } => e,
            e => {
                let (mode, key) = e.location();
                let name = match &e {
                    ModelError::InvalidCost { tier, .. }
                    | ModelError::NoReplicas { tier }
                    | ModelError::TooManyReplicas { tier, .. }
                    | ModelError::RequiredOutOfRange { tier, .. }
                    | ModelError::NoRepairCrews { tier }
                    | ModelError::DuplicateFailureMode { tier, .. }
                    | ModelError::InstantFailure { tier, .. }
                    | ModelError::InvalidMaintenance { tier, .. } => tier.clone(),
                    _ => String::new(),
                };
                // The tier's message, about a dependency.
                let reason = e
                    .to_string()
                    .replace(&format!("tier \"{name}\""), &format!("dependency \"{name}\""));
                ModelError::InvalidDependency {
                    dependency: name,
                    mode: mode.map(str::to_owned),
                    key,
                    reason,
                }
            }
        })?;
        if let Some(mode) = tier.failures().iter().find(|m| m.destroys_data()) {
            return Err(ModelError::InvalidDependency {
                dependency: tier.name().to_owned(),
                mode: Some(mode.name().to_owned()),
                key: "destroys_data".to_owned(),
                reason: format!(
                    "failure mode \"{}\" of dependency \"{}\" destroys data, but a dependency holds none: make it a failure mode of the tier whose data it destroys",
                    mode.name(),
                    tier.name()
                ),
            });
        }
        Ok(Dependency { tier })
    }
}
