//! Planned maintenance: patching and other work that takes replicas out of service on
//! a schedule.

use super::ModelError;
use crate::dist::Distribution;

/// How a tier's replicas are taken out for maintenance.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(
    rename_all = "kebab-case",
    expecting = "how maintenance is done: \"rolling\" or \"all-at-once\""
)]
pub enum Rollout {
    /// One replica at a time, the next when the previous is done, standbys first: the
    /// tier stays up while `required` others serve. A failover tier, when the turn of
    /// its serving replica comes, first switches over to a standby just maintained (a
    /// planned switchover: one a round). A replica the tier cannot spare when its turn
    /// comes (the tier is down, or would go down: too few others serve, no standby is
    /// left to switch to) is skipped this round. A tier with no replica to spare
    /// (`replicas` = `required`) cannot stay up and is maintained all at once.
    #[default]
    Rolling,
    /// Every replica at once: the tier is down until `required` of them are back.
    AllAtOnce,
}

impl Rollout {
    /// The name used in scenario files: `rolling` or `all-at-once`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rollout::Rolling => "rolling",
            Rollout::AllAtOnce => "all-at-once",
        }
    }
}

/// Planned maintenance of a tier (or a dependency): every `every` hours a round takes
/// its replicas out of service, each for a `duration` of its own, [`Rollout::Rolling`]
/// (the default) or [`Rollout::AllAtOnce`].
///
/// A replica in maintenance does not fail from its failure modes (it is being worked
/// on; its age stands still) and is not a copy the tier can rebuild from; it comes back
/// healthy, with the age it had. A replica that is failed when its turn comes is
/// skipped (its repair renews it), and a standby that failed unnoticed is found dead
/// and goes to repair. Rounds follow a fixed schedule (in a system in service, of
/// random phase; from an as-new start, the first at `every`); a round still going when
/// the next is due makes that one skipped.
///
/// The downtime maintenance causes is *planned*: reported apart from the unplanned,
/// and left out of the SLA and the downtime cost when the SLA says so.
///
/// ```
/// use nines::Distribution;
/// use nines::{Maintenance, Rollout};
///
/// // Monthly patching, 2 hours per server, one server at a time.
/// let patching = Maintenance::new(30.0 * 24.0, Distribution::fixed(2.0)?);
/// assert_eq!(patching.rollout(), Rollout::Rolling);
/// let offline = patching.with_rollout(Rollout::AllAtOnce);
/// assert_eq!(offline.rollout(), Rollout::AllAtOnce);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Maintenance {
    every: f64,
    duration: Distribution,
    rollout: Rollout,
    switchover: Option<Distribution>,
}

impl Maintenance {
    /// A round every `every` hours, each replica out for a `duration` \[h\], rolling.
    /// Validated when the tier is built.
    pub fn new(every: f64, duration: Distribution) -> Self {
        Maintenance {
            every,
            duration,
            rollout: Rollout::Rolling,
            switchover: None,
        }
    }

    /// Sets how the replicas are taken out (default [`Rollout::Rolling`]).
    pub fn with_rollout(mut self, rollout: Rollout) -> Self {
        self.rollout = rollout;
        self
    }

    /// Sets how long a planned switchover takes, for a failover tier maintained
    /// rolling (default: the tier's failover `switchover`). A planned switchover skips
    /// detection and does not fail, but a standby it finds dead goes to repair and the
    /// next is tried.
    pub fn with_switchover(mut self, switchover: Distribution) -> Self {
        self.switchover = Some(switchover);
        self
    }

    /// Interval between rounds \[h\].
    pub fn every(&self) -> f64 {
        self.every
    }

    /// How long each replica is out \[h\].
    pub fn duration(&self) -> &Distribution {
        &self.duration
    }

    /// How the replicas are taken out.
    pub fn rollout(&self) -> Rollout {
        self.rollout
    }

    /// The planned switchover time, if set apart from the failover's.
    pub fn switchover(&self) -> Option<&Distribution> {
        self.switchover.as_ref()
    }

    /// Checks the settings for a tier of `replicas` replicas, `required` of them
    /// needed, failover or not.
    pub(super) fn validate(&self, tier: &str, replicas: u32, required: u32, failover: bool) -> Result<(), ModelError> {
        let invalid = |key: &'static str, reason: String| ModelError::InvalidMaintenance {
            tier: tier.to_owned(),
            key,
            reason,
        };
        let hours = crate::report::human_hours;
        if !(self.every.is_finite() && self.every > 0.0) {
            return Err(invalid(
                "every",
                format!(
                    "is {} h; maintenance needs a positive interval, e.g. \"30d\"",
                    self.every
                ),
            ));
        }
        let duration = self.duration.mean();
        if duration >= self.every {
            return Err(invalid(
                "duration",
                format!(
                    "({} on average) is not shorter than `every` ({}): shorten it or space the rounds further apart",
                    hours(duration),
                    hours(self.every)
                ),
            ));
        }
        let one_by_one = self.rollout == Rollout::Rolling && replicas > required;
        if one_by_one && f64::from(replicas) * duration >= self.every {
            return Err(invalid(
                "duration",
                format!(
                    "({} on average) times {replicas} replicas, one at a time, is not shorter than `every` ({}): \
                     a round would still be going when the next is due; shorten it, space the rounds further \
                     apart, or use how = \"all-at-once\"",
                    hours(duration),
                    hours(self.every)
                ),
            ));
        }
        if self.switchover.is_some() && !failover {
            return Err(invalid(
                "switchover",
                "is set but the tier has no failover (a planned switchover hands over to a standby): remove it"
                    .to_owned(),
            ));
        }
        Ok(())
    }
}
