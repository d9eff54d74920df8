//! What downtime and lost data cost, and what the service promises: the inputs that
//! turn a simulation into a comparison of options ([`Costs`], [`Sla`]), and the
//! pricing of each simulated window by them. The comparison itself (ranking,
//! recommendation, paired differences) is in `compare`.

use serde::{Deserialize, Serialize};

/// The price of failure, per year of operation, in one currency.
///
/// The expected yearly cost of an option is its infrastructure (each tier's replicas ×
/// cost per replica + fixed cost) plus the expected downtime cost (hours down ×
/// `downtime_per_hour` + outages × `per_outage`) plus the expected data-loss cost
/// (hours of data lost by restores × `data_loss_per_hour` + losses for good ×
/// `unrecoverable_loss`).
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    currency: String,
    downtime_per_hour: f64,
    per_outage: f64,
    data_loss_per_hour: f64,
    unrecoverable_loss: Option<f64>,
}

impl Costs {
    /// The largest cost or rate anywhere in a model: 1e15 (a million billion) a year,
    /// an hour or an outage. Bounded so that no sum of costs can overflow to infinity
    /// (10,000 replicas at 1e15 each is 1e19; a year of downtime at 1e15 an hour is
    /// 8.8e18).
    pub const MAX: f64 = 1e15;

    /// Costs in `currency` (a label such as `"USD"`), all rates 0.
    pub fn new(currency: impl Into<String>) -> Self {
        Costs {
            currency: currency.into(),
            downtime_per_hour: 0.0,
            per_outage: 0.0,
            data_loss_per_hour: 0.0,
            unrecoverable_loss: None,
        }
    }

    /// Sets the cost of one hour of service downtime.
    pub fn with_downtime_per_hour(mut self, cost: f64) -> Self {
        self.downtime_per_hour = cost;
        self
    }

    /// Sets the cost of each outage, whatever its length (incident handling, the
    /// switch to paper and back).
    pub fn with_per_outage(mut self, cost: f64) -> Self {
        self.per_outage = cost;
        self
    }

    /// Sets the cost of one hour of lost data (the writes to re-enter or lose).
    pub fn with_data_loss_per_hour(mut self, cost: f64) -> Self {
        self.data_loss_per_hour = cost;
        self
    }

    /// Sets the cost of each loss for good: data destroyed with no backup to bring it
    /// back (re-creating it, fines, liability). Without it, losses for good are
    /// counted but not priced, and reports warn that this risk is left out.
    pub fn with_unrecoverable_loss(mut self, cost: f64) -> Self {
        self.unrecoverable_loss = Some(cost);
        self
    }

    /// Whether any rate is set: with none, an option's cost is its infrastructure
    /// alone.
    pub(crate) fn prices_anything(&self) -> bool {
        self.downtime_per_hour != 0.0
            || self.per_outage != 0.0
            || self.data_loss_per_hour != 0.0
            || self.unrecoverable_loss.is_some()
    }

    /// The currency label.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// Cost of one hour of downtime.
    pub fn downtime_per_hour(&self) -> f64 {
        self.downtime_per_hour
    }

    /// Cost of each outage.
    pub fn per_outage(&self) -> f64 {
        self.per_outage
    }

    /// Cost of one hour of lost data.
    pub fn data_loss_per_hour(&self) -> f64 {
        self.data_loss_per_hour
    }

    /// Cost of each loss for good, if given.
    pub fn unrecoverable_loss(&self) -> Option<f64> {
        self.unrecoverable_loss
    }

    /// Checks that every rate is a number from 0 to [`Costs::MAX`].
    ///
    /// # Errors
    /// [`CostError::InvalidRate`] naming the first rate at fault.
    pub fn validate(&self) -> Result<(), CostError> {
        for (key, value) in [
            ("downtime_per_hour", self.downtime_per_hour),
            ("per_outage", self.per_outage),
            ("data_loss_per_hour", self.data_loss_per_hour),
            ("unrecoverable_loss", self.unrecoverable_loss.unwrap_or(0.0)),
        ] {
            if !(0.0..=Costs::MAX).contains(&value) {
                return Err(CostError::InvalidRate { key, value });
            }
        }
        Ok(())
    }
}

/// A service-level objective: the downtime a year may have.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sla {
    /// A minimum availability, e.g. 0.9995.
    Availability(f64),
    /// A maximum downtime per year \[h\].
    DowntimePerYear(f64),
}

impl Sla {
    /// The yearly downtime budget \[h\]: (1 − availability) × 8760, or the downtime
    /// given.
    pub fn budget_hours(&self) -> f64 {
        match *self {
            Sla::Availability(availability) => (1.0 - availability) * crate::HOURS_PER_YEAR,
            Sla::DowntimePerYear(hours) => hours,
        }
    }

    /// Checks that the availability is in [0, 1) or the downtime is finite and ≥ 0.
    ///
    /// # Errors
    /// [`CostError::Availability`] or [`CostError::Budget`].
    pub fn validate(&self) -> Result<(), CostError> {
        match *self {
            Sla::Availability(a) if !(0.0..1.0).contains(&a) => Err(CostError::Availability(a)),
            Sla::DowntimePerYear(h) if !(h.is_finite() && h >= 0.0) => Err(CostError::Budget(h)),
            _ => Ok(()),
        }
    }
}

/// Why costs or an SLA are invalid.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CostError {
    /// A rate that is negative, NaN or above [`Costs::MAX`].
    #[error(
        "cost `{key}` is {}: it must be a number from 0 to {} (a million billion), which \
         keeps every sum of costs finite",
        crate::dist::num(.value),
        crate::dist::num(&Costs::MAX)
    )]
    InvalidRate {
        /// The key at fault.
        key: &'static str,
        /// The value given.
        value: f64,
    },
    /// An availability target outside [0, 1).
    #[error(
        "SLA availability {0} is not a fraction below 1: write e.g. 0.9995 for 99.95 % (a target of 1 allows no downtime at all; use `downtime_per_year = 0` if you mean it)"
    )]
    Availability(f64),
    /// A negative or non-finite downtime budget.
    #[error("SLA downtime per year {0} h is invalid: it must be a finite duration of at least 0, e.g. \"4h\"")]
    Budget(f64),
}

/// The totals of one simulated window that its price depends on (the simulator's
/// window implements it).
pub(crate) trait Priced {
    /// Service downtime \[h\], and the part of it that was planned.
    fn downtime(&self) -> f64;
    fn planned(&self) -> f64;
    /// Service outages, and the unplanned ones.
    fn outages(&self) -> u64;
    fn unplanned_outages(&self) -> u64;
    /// Hours of data lost, and losses for good.
    fn data_lost(&self) -> f64;
    fn unrecoverable(&self) -> u64;
}

/// What an option costs and promises, for per-year cost and SLA figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Economics {
    /// Infrastructure per year.
    pub(crate) infrastructure: f64,
    pub(crate) downtime_per_hour: f64,
    pub(crate) per_outage: f64,
    pub(crate) data_loss_per_hour: f64,
    pub(crate) per_unrecoverable: f64,
    /// The SLA's yearly downtime budget \[h\], if there is an SLA.
    pub(crate) budget: Option<f64>,
    /// The recovery time and recovery point objectives \[h\], if given.
    pub(crate) rto: Option<f64>,
    pub(crate) rpo: Option<f64>,
    /// Whether the run has costs (else the yearly totals are not kept).
    pub(crate) priced: bool,
    /// Whether the SLA and the downtime cost leave planned downtime out.
    pub(crate) exclude_planned: bool,
    /// Whether the model has planned downtime at all (else planned and unplanned
    /// figures are not kept apart: the unplanned are the whole).
    pub(crate) planned: bool,
}

impl Economics {
    /// The cost of one measured window, per year: infrastructure, and its downtime,
    /// outages, data lost and losses for good at the rates (`scale` turns the
    /// window's totals into yearly ones).
    #[inline]
    pub(crate) fn yearly_cost(&self, window: &impl Priced, scale: f64) -> f64 {
        let [downtime, data_loss] = self.yearly_costs(window, scale);
        self.infrastructure + downtime + data_loss
    }

    /// The two parts of a window's yearly cost that depend on what happened: the
    /// downtime cost (hours and outages) and the data-loss cost (hours of data and
    /// losses for good).
    #[inline]
    pub(crate) fn yearly_costs(&self, window: &impl Priced, scale: f64) -> [f64; 2] {
        let (downtime, outages) = self.counted(window);
        [
            downtime * scale * self.downtime_per_hour + outages as f64 * scale * self.per_outage,
            window.data_lost() * scale * self.data_loss_per_hour
                + window.unrecoverable() as f64 * scale * self.per_unrecoverable,
        ]
    }

    /// The downtime \[h\] and outages of a window that the SLA and the downtime cost
    /// count: all of them, or the unplanned alone.
    #[inline]
    pub(crate) fn counted(&self, window: &impl Priced) -> (f64, u64) {
        if self.exclude_planned {
            (window.downtime() - window.planned(), window.unplanned_outages())
        } else {
            (window.downtime(), window.outages())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_follows_from_availability_or_downtime() {
        assert!((Sla::Availability(0.9995).budget_hours() - 4.38).abs() < 1e-9);
        assert_eq!(Sla::DowntimePerYear(4.0).budget_hours(), 4.0);
    }

    #[test]
    fn invalid_inputs_are_named() {
        let err = Costs::new("USD").with_per_outage(-1.0).validate().unwrap_err();
        assert!(err.to_string().contains("`per_outage` is -1:"), "{err}");
        assert!(Costs::new("USD").with_downtime_per_hour(f64::NAN).validate().is_err());
        let err = Costs::new("USD").with_unrecoverable_loss(-5.0).validate().unwrap_err();
        assert!(err.to_string().contains("`unrecoverable_loss` is -5"), "{err}");
        assert!(
            Costs::new("USD")
                .with_unrecoverable_loss(f64::INFINITY)
                .validate()
                .is_err()
        );
        let err = Costs::new("USD")
            .with_data_loss_per_hour(1.5e308)
            .validate()
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("`data_loss_per_hour` is 1.5e308: it must be a number from 0 to 1e15"),
            "{err}"
        );
        assert!(Costs::new("USD").with_per_outage(Costs::MAX).validate().is_ok());
        assert!(Sla::Availability(1.0).validate().is_err());
        assert!(
            Sla::Availability(99.95)
                .validate()
                .unwrap_err()
                .to_string()
                .contains("0.9995")
        );
        assert!(Sla::DowntimePerYear(-1.0).validate().is_err());
        assert!(Sla::Availability(0.999).validate().is_ok());
    }
}
