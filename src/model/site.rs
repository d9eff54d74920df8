//! Sites: the data centres, zones or regions replicas stand in, and what a site's
//! failures do to everything in it.

use super::{FailureMode, ModelError};
use crate::cost::Costs;

/// A place replicas stand in: a data centre, an availability zone, a region.
///
/// A site has failure modes like a tier's: each a time to failure (`every`, its clock
/// running from the end of the mode's last outage) and a `repair`, the time until the
/// site is back. While a site is down, every replica placed in it stops serving without
/// failing: it keeps its data and its age, and serves again when the site returns. A
/// mode that `destroys_data` is a disaster (a fire, a flood): it also destroys every
/// copy kept at the site, replicas and backups; the site's replicas come back, empty,
/// when the site does.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    name: String,
    failures: Vec<FailureMode>,
    fixed_cost: f64,
}

impl Site {
    /// Starts building a site that never fails and costs nothing.
    pub fn builder(name: impl Into<String>) -> SiteBuilder {
        SiteBuilder {
            site: Site {
                name: name.into(),
                failures: Vec::new(),
                fixed_cost: 0.0,
            },
        }
    }

    /// The site's name, unique within its service.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The site's failure modes (competing risks).
    pub fn failures(&self) -> &[FailureMode] {
        &self.failures
    }

    /// The same site, never failing.
    pub(crate) fn perfected(&self) -> Site {
        Site {
            failures: Vec::new(),
            ..self.clone()
        }
    }

    /// What the site costs per year (a second data centre, its network), in the
    /// scenario's currency; it enters the infrastructure of every option that uses it.
    pub fn fixed_cost(&self) -> f64 {
        self.fixed_cost
    }
}

/// Builds a [`Site`]; see [`Site::builder`].
#[derive(Debug, Clone)]
pub struct SiteBuilder {
    site: Site,
}

impl SiteBuilder {
    /// Adds a failure mode: `every` is the time to the site's failure, `repair` the time
    /// until it is back; with `destroys_data`, a disaster that destroys what the site
    /// holds. The mode's scope does not matter: it hits the whole site.
    pub fn with_failure(mut self, mode: FailureMode) -> Self {
        self.site.failures.push(mode);
        self
    }

    /// Sets what the site costs per year (default 0).
    pub fn with_fixed_cost(mut self, cost: f64) -> Self {
        self.site.fixed_cost = cost;
        self
    }

    /// Validates and builds the site.
    ///
    /// # Errors
    /// [`ModelError::InvalidSite`] if the name is empty, two failure modes share a name,
    /// a mode's mean time to failure is 0, or the cost is negative or above
    /// [`Costs::MAX`].
    pub fn build(self) -> Result<Site, ModelError> {
        let site = self.site;
        let invalid = |key: String, reason: String| ModelError::InvalidSite {
            site: site.name.clone(),
            key,
            reason,
        };
        if site.name.trim().is_empty() {
            return Err(ModelError::EmptyName { what: "site" });
        }
        if !(0.0..=Costs::MAX).contains(&site.fixed_cost) {
            return Err(invalid(
                "fixed_cost".to_owned(),
                format!(
                    "is {}: a cost per year must be a number from 0 to {}",
                    crate::dist::num(&site.fixed_cost),
                    crate::dist::num(&Costs::MAX)
                ),
            ));
        }
        for (index, mode) in site.failures.iter().enumerate() {
            if mode.name().trim().is_empty() {
                return Err(invalid(
                    format!("failure[{index}].name"),
                    "is empty: give the failure mode a name that appears in reports".to_owned(),
                ));
            }
            if site.failures[..index].iter().any(|m| m.name() == mode.name()) {
                return Err(invalid(
                    format!("failure[{index}].name"),
                    format!(
                        "\"{}\" is the name of another failure mode of the site: give each a distinct name",
                        mode.name()
                    ),
                ));
            }
            if mode.every().mean() <= 0.0 {
                return Err(invalid(
                    format!("failure[{index}].every"),
                    "has a mean of 0: the site would fail endlessly at one instant; give it a positive mean".to_owned(),
                ));
            }
        }
        Ok(site)
    }
}
