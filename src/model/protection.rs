//! What a tier does about failures beyond repairing them: failover to standbys (in its
//! site or another), replication to them, and backups that bring destroyed data back.

use super::ModelError;
use crate::dist::Distribution;

/// How the standbys of a failover tier fail while they wait.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", expecting = "\"detected\" or \"latent\"")]
pub enum StandbyFailures {
    /// Monitoring notices a standby's failure: its repair starts at once.
    #[default]
    Detected,
    /// Nobody notices: the standby stays dead until a failover drill or a real demand
    /// tries it.
    Latent,
}

impl StandbyFailures {
    /// The name used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            StandbyFailures::Detected => "detected",
            StandbyFailures::Latent => "latent",
        }
    }
}

/// Active-passive redundancy: `required` replicas serve, the others wait as standbys.
///
/// When a serving replica fails, the tier is down: after `detection`, the first
/// standby that looks healthy is chosen and the switchover to it takes `switchover`.
/// A standby found dead (a latent failure) goes to repair and the next one is tried,
/// with another `switchover`. A healthy standby takes over with probability
/// `success`; otherwise the tier stays down for `manual_recovery`, after which that
/// standby serves. With no standby left, the tier waits for a repair. A repaired
/// replica serves at once if its tier lacks a serving replica (calling off a
/// switchover or manual recovery under way), and otherwise rejoins as a standby: there
/// is no failback.
///
/// A standby ages at `dormant_factor` times the rate of a serving replica (1 hot, 0
/// cold, in between warm): its clocks advance at that speed while it waits. Drills
/// every `test_every` reveal latent standby failures (which then go to repair); a drill
/// takes the tier down for `test_duration` if that is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Failover {
    detection: Distribution,
    switchover: Distribution,
    success: f64,
    manual_recovery: Option<Distribution>,
    dormant_factor: f64,
    standby_failures: StandbyFailures,
    test_every: Option<f64>,
    test_duration: Option<Distribution>,
    cross_site: Option<CrossSite>,
}

impl Default for Failover {
    fn default() -> Self {
        Failover::new()
    }
}

impl Failover {
    /// Instant, perfect failover to hot standbys whose failures are detected: no
    /// detection or switchover time, `success` 1, `dormant_factor` 1, no drills.
    pub fn new() -> Self {
        let zero = Distribution::fixed(0.0).expect("0 is a valid fixed duration");
        Failover {
            detection: zero.clone(),
            switchover: zero,
            success: 1.0,
            manual_recovery: None,
            dormant_factor: 1.0,
            standby_failures: StandbyFailures::Detected,
            test_every: None,
            test_duration: None,
            cross_site: None,
        }
    }

    /// Time to notice that a serving replica failed \[h\] (default 0).
    pub fn with_detection(mut self, detection: Distribution) -> Self {
        self.detection = detection;
        self
    }

    /// Time one switchover attempt takes \[h\] (default 0).
    pub fn with_switchover(mut self, switchover: Distribution) -> Self {
        self.switchover = switchover;
        self
    }

    /// Probability that a switchover to a healthy standby works (default 1).
    pub fn with_success(mut self, success: f64) -> Self {
        self.success = success;
        self
    }

    /// How long the tier stays down after a failed switchover \[h\], before the standby
    /// is brought up by hand. Required when `success` < 1.
    pub fn with_manual_recovery(mut self, manual_recovery: Distribution) -> Self {
        self.manual_recovery = Some(manual_recovery);
        self
    }

    /// How fast a standby ages relative to a serving replica: 1 hot (default), 0 cold.
    pub fn with_dormant_factor(mut self, dormant_factor: f64) -> Self {
        self.dormant_factor = dormant_factor;
        self
    }

    /// Whether standby failures are noticed (default [`StandbyFailures::Detected`]).
    pub fn with_standby_failures(mut self, standby_failures: StandbyFailures) -> Self {
        self.standby_failures = standby_failures;
        self
    }

    /// Runs a failover drill at every multiple of `hours` \[h\] (default: never).
    pub fn with_test_every(mut self, hours: f64) -> Self {
        self.test_every = Some(hours);
        self
    }

    /// Takes the tier down for this long during each drill \[h\] (default: drills take
    /// no time). Its mean must be shorter than `test_every`.
    pub fn with_test_duration(mut self, duration: Distribution) -> Self {
        self.test_duration = Some(duration);
        self
    }

    /// Sets what a failover to a standby in another site than the replica it replaces
    /// does differently (disaster recovery); each setting it leaves out is the local
    /// one. The tier needs replicas in more than one site.
    pub fn with_cross_site(mut self, cross_site: CrossSite) -> Self {
        self.cross_site = Some(cross_site);
        self
    }

    /// The cross-site settings, if any.
    pub fn cross_site(&self) -> Option<&CrossSite> {
        self.cross_site.as_ref()
    }

    /// Time to notice a failure \[h\].
    pub fn detection(&self) -> &Distribution {
        &self.detection
    }

    /// Time of one switchover attempt \[h\].
    pub fn switchover(&self) -> &Distribution {
        &self.switchover
    }

    /// Probability that a switchover to a healthy standby works.
    pub fn success(&self) -> f64 {
        self.success
    }

    /// Downtime after a failed switchover \[h\].
    pub fn manual_recovery(&self) -> Option<&Distribution> {
        self.manual_recovery.as_ref()
    }

    /// Ageing speed of a standby relative to a serving replica.
    pub fn dormant_factor(&self) -> f64 {
        self.dormant_factor
    }

    /// Whether standby failures are noticed.
    pub fn standby_failures(&self) -> StandbyFailures {
        self.standby_failures
    }

    /// Interval between drills \[h\], if any.
    pub fn test_every(&self) -> Option<f64> {
        self.test_every
    }

    /// Downtime of one drill \[h\], if drills take time.
    pub fn test_duration(&self) -> Option<&Distribution> {
        self.test_duration.as_ref()
    }

    pub(super) fn validate(&self, tier: &str) -> Result<(), ModelError> {
        let invalid = |key: &'static str, reason: String| ModelError::InvalidFailover {
            tier: tier.to_owned(),
            key,
            reason,
        };
        if !(0.0..=1.0).contains(&self.success) {
            return Err(invalid(
                "success",
                format!("is {}; it must be a probability between 0 and 1", self.success),
            ));
        }
        if self.success < 1.0 && self.manual_recovery.is_none() {
            return Err(invalid(
                "manual_recovery",
                format!(
                    "is missing: with success = {} a switchover can fail, so say how long the tier stays down until the standby is brought up by hand",
                    self.success
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.dormant_factor) {
            return Err(invalid(
                "dormant_factor",
                format!(
                    "is {}; it must be between 0 (cold standby) and 1 (hot standby)",
                    self.dormant_factor
                ),
            ));
        }
        if let Some(every) = self.test_every
            && !(every.is_finite() && every > 0.0)
        {
            return Err(invalid(
                "test_every",
                format!("is {every} h; drills need a positive interval (leave it out for no drills)"),
            ));
        }
        if let (Some(every), Some(duration)) = (self.test_every, &self.test_duration)
            && duration.mean() >= every
        {
            return Err(invalid(
                "test_duration",
                format!(
                    "has a mean of {} h, as long as or longer than `test_every` = {every} h: the tier \
                     would be down in drills nearly all the time; make `test_duration` shorter \
                     than `test_every` (a drill of minutes or hours every week or month)",
                    duration.mean()
                ),
            ));
        }
        if let Some(cross) = &self.cross_site {
            cross.validate(tier, self)?;
        }
        Ok(())
    }
}

/// How a failover tier fails over to a standby in another site (disaster recovery):
/// each setting left out is the tier's local one.
///
/// Used whenever the standby taken over stands in another site than the replica it
/// replaces: `detection` (noticing the loss and declaring a disaster, often a
/// person's decision) when no standby is left in the failed replica's site, then
/// `switchover`, `success` and `manual_recovery` for the cross-site switchover.
/// `standby_failures` is how standbys in a site where no replica serves fail (a DR
/// site drifts silently: expired certificates, stale configuration), and DR tests
/// every `test_every` find their latent failures and take the tier down for
/// `test_duration`. With cross-site settings, local drills test only the standbys in
/// a site where a replica serves: without DR tests, the others are never tested.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CrossSite {
    detection: Option<Distribution>,
    switchover: Option<Distribution>,
    success: Option<f64>,
    manual_recovery: Option<Distribution>,
    standby_failures: Option<StandbyFailures>,
    test_every: Option<f64>,
    test_duration: Option<Distribution>,
}

impl CrossSite {
    /// Every setting as the local one.
    pub fn new() -> Self {
        CrossSite::default()
    }

    /// Time to notice the loss and declare a disaster \[h\].
    pub fn with_detection(mut self, detection: Distribution) -> Self {
        self.detection = Some(detection);
        self
    }

    /// Time of one cross-site switchover attempt \[h\].
    pub fn with_switchover(mut self, switchover: Distribution) -> Self {
        self.switchover = Some(switchover);
        self
    }

    /// Probability that a cross-site switchover to a healthy standby works.
    pub fn with_success(mut self, success: f64) -> Self {
        self.success = Some(success);
        self
    }

    /// Downtime after a failed cross-site switchover \[h\].
    pub fn with_manual_recovery(mut self, manual_recovery: Distribution) -> Self {
        self.manual_recovery = Some(manual_recovery);
        self
    }

    /// Whether failures of standbys in a site where no replica serves are noticed.
    pub fn with_standby_failures(mut self, standby_failures: StandbyFailures) -> Self {
        self.standby_failures = Some(standby_failures);
        self
    }

    /// Runs a DR test at every multiple of `hours` \[h\].
    pub fn with_test_every(mut self, hours: f64) -> Self {
        self.test_every = Some(hours);
        self
    }

    /// Takes the tier down for this long during each DR test \[h\].
    pub fn with_test_duration(mut self, duration: Distribution) -> Self {
        self.test_duration = Some(duration);
        self
    }

    /// The cross-site detection, if set.
    pub fn detection(&self) -> Option<&Distribution> {
        self.detection.as_ref()
    }

    /// The cross-site switchover, if set.
    pub fn switchover(&self) -> Option<&Distribution> {
        self.switchover.as_ref()
    }

    /// The cross-site success, if set.
    pub fn success(&self) -> Option<f64> {
        self.success
    }

    /// The cross-site manual recovery, if set.
    pub fn manual_recovery(&self) -> Option<&Distribution> {
        self.manual_recovery.as_ref()
    }

    /// How remote standbys fail, if set.
    pub fn standby_failures(&self) -> Option<StandbyFailures> {
        self.standby_failures
    }

    /// The DR test interval, if any.
    pub fn test_every(&self) -> Option<f64> {
        self.test_every
    }

    /// The DR test duration, if DR tests take time.
    pub fn test_duration(&self) -> Option<&Distribution> {
        self.test_duration.as_ref()
    }

    fn validate(&self, tier: &str, local: &Failover) -> Result<(), ModelError> {
        let invalid = |key: &'static str, reason: String| ModelError::InvalidFailover {
            tier: tier.to_owned(),
            key,
            reason,
        };
        if let Some(success) = self.success {
            if !(0.0..=1.0).contains(&success) {
                return Err(invalid(
                    "cross_site.success",
                    format!("is {success}; it must be a probability between 0 and 1"),
                ));
            }
            if success < 1.0 && self.manual_recovery.is_none() && local.manual_recovery.is_none() {
                return Err(invalid(
                    "cross_site.manual_recovery",
                    format!(
                        "is missing: with success = {success} a cross-site switchover can fail, so say how long the tier stays down until the standby is brought up by hand"
                    ),
                ));
            }
        }
        if let Some(every) = self.test_every
            && !(every.is_finite() && every > 0.0)
        {
            return Err(invalid(
                "cross_site.test_every",
                format!("is {every} h; DR tests need a positive interval (leave it out for no DR tests)"),
            ));
        }
        if let (Some(every), Some(duration)) = (self.test_every, &self.test_duration)
            && duration.mean() >= every
        {
            return Err(invalid(
                "cross_site.test_duration",
                format!(
                    "has a mean of {} h, as long as or longer than `test_every` = {every} h: make `test_duration` shorter than `test_every`",
                    duration.mean()
                ),
            ));
        }
        Ok(())
    }
}

/// How the serving replica's writes reach the others: synchronously (no data lost at a
/// failover) or with a lag.
///
/// A failover to a standby loses one `lag` draw of writes (the `cross_site_lag` one if
/// the standby stands in another site than the replica it replaces); in an
/// active-active tier, the loss of a site loses one `cross_site_lag` draw of the writes
/// it had not yet replicated. These are data lost at failovers: hours of writes, like
/// a restore's, counted apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Replication {
    lag: Distribution,
    cross_site_lag: Option<Distribution>,
}

impl Default for Replication {
    fn default() -> Self {
        Replication::new()
    }
}

impl Replication {
    /// Synchronous replication: no lag, within a site or across.
    pub fn new() -> Self {
        Replication {
            lag: Distribution::fixed(0.0).expect("0 is a valid fixed duration"),
            cross_site_lag: None,
        }
    }

    /// Sets the lag of the replication to a standby \[h\] (default 0: synchronous).
    pub fn with_lag(mut self, lag: Distribution) -> Self {
        self.lag = lag;
        self
    }

    /// Sets the lag of the replication to another site \[h\] (default: `lag`).
    pub fn with_cross_site_lag(mut self, lag: Distribution) -> Self {
        self.cross_site_lag = Some(lag);
        self
    }

    /// The lag within a site \[h\].
    pub fn lag(&self) -> &Distribution {
        &self.lag
    }

    /// The lag across sites \[h\].
    pub fn cross_site_lag(&self) -> &Distribution {
        self.cross_site_lag.as_ref().unwrap_or(&self.lag)
    }
}

/// Point-in-time copies of a tier's data, the only way back from destroyed data.
///
/// A backup is taken every `every` hours while the tier holds its data (in a system
/// in service, on a schedule of random phase; from an as-new start, a good one at
/// t = 0 and then at every multiple of `every`). When the tier's data is destroyed, the
/// tier is down while it is restored: the newest usable backup taken at or before the
/// destruction is tried, then the one before it, each attempt taking a `restore` time,
/// until one loads; each backup is restorable with probability `success`, found out
/// only when it is tried (a backup found bad is never tried again, and one taken while
/// the tier held no data is never used). The data lost is the time from the backup
/// that loaded to the destruction. When none loads, the data is lost for good.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    every: f64,
    restore: Distribution,
    success: f64,
    site: Option<String>,
}

impl Backup {
    /// Backups every `every` hours, each restore attempt taking `restore` \[h\], every
    /// backup restorable. Validated when the tier is built.
    pub fn new(every: f64, restore: Distribution) -> Self {
        Backup {
            every,
            restore,
            success: 1.0,
            site: None,
        }
    }

    /// Sets the probability that a backup is restorable (default 1).
    pub fn with_success(mut self, success: f64) -> Self {
        self.success = success;
        self
    }

    /// Keeps the backups at `site` (default: off every site, out of reach of site
    /// failures): a disaster there destroys them.
    pub fn with_site(mut self, site: impl Into<String>) -> Self {
        self.site = Some(site.into());
        self
    }

    /// Where the backups are kept, if at a site.
    pub fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    /// Interval between backups \[h\].
    pub fn every(&self) -> f64 {
        self.every
    }

    /// Duration of one restore attempt \[h\].
    pub fn restore(&self) -> &Distribution {
        &self.restore
    }

    /// Probability that a backup is restorable.
    pub fn success(&self) -> f64 {
        self.success
    }

    pub(super) fn validate(&self, tier: &str) -> Result<(), ModelError> {
        let invalid = |key: &'static str, reason: String| ModelError::InvalidBackup {
            tier: tier.to_owned(),
            key,
            reason,
        };
        if !(self.every.is_finite() && self.every > 0.0) {
            return Err(invalid(
                "every",
                format!("is {} h; backups need a positive interval, e.g. \"1d\"", self.every),
            ));
        }
        if !(0.0..=1.0).contains(&self.success) {
            return Err(invalid(
                "success",
                format!("is {}; it must be a probability between 0 and 1", self.success),
            ));
        }
        Ok(())
    }
}
