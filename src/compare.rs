//! Comparing options: the ranking, the recommendation, each option's paired
//! difference from the recommended one, and the warnings a comparison's prices call
//! for. (The prices themselves and the pricing of a simulated window are in `cost`;
//! the per-history outcomes the differences come from are accumulated in
//! `sim::paired`.)
//!
//! Options are ranked by expected total cost per year (by mean downtime when nothing is
//! priced). The recommendation is the cheapest option that meets the SLA on average,
//! else the cheapest. Every option is then set against the recommended one history by
//! history (the options ran on the same simulated years), and when the numbers cannot
//! separate the recommended option from its runner-up (the option the rule would pick
//! without it), the recommendation says so and how many replications would.

use crate::cost::Costs;
use crate::report::{
    Difference, Estimate, OptionReport, Recommendation, Report, SlaVerdict, Versus, Z_975, format_money, human_hours,
};
use crate::stats::Moments;

/// What a comparison reads of the runner's accumulators (the runner's `Comparison`
/// implements it): per option, the moments of each history's cost beyond the
/// infrastructure (then its downtime and data-loss parts); per two options, those of
/// their differences, history by history.
pub(crate) trait Paired {
    /// Option `k`'s cost beyond its infrastructure, downtime cost and data-loss cost
    /// per year, per history.
    fn costs(&self, k: usize) -> &[Moments; 3];
    /// Option `i`'s downtime, data lost and cost beyond the infrastructure per year
    /// minus option `j`'s, history by history, and whether these are the moments of
    /// `j − i` instead (to be mirrored); `None` when the pairs are not kept.
    fn difference(&self, i: usize, j: usize) -> Option<(&[Moments; 3], bool)>;
}

/// What a pricing warning needs of an option: its name, and the tiers whose data a
/// failure can destroy with no backup to bring it back.
pub(crate) struct Exposure<'a> {
    pub(crate) name: &'a str,
    pub(crate) unprotected: &'a [String],
}

/// The standard normal's 80 % quantile: with its 97.5 % one, a difference is told
/// apart at the 5 % level, with 80 % power, by `n · ((z₉₇.₅ + z₈₀)·se/d)²`
/// replications.
const Z_80: f64 = 0.841_621_233_572_914_3;

/// The warning of a run whose costs price neither downtime nor lost data: its costs
/// are the infrastructure alone.
const INFRASTRUCTURE_ONLY: &str = "the ranking and the recommendation use infrastructure cost only: nothing prices \
     downtime or lost data ([costs] is missing or sets no rate); add a [costs] table, e.g. currency = \"USD\", \
     downtime_per_hour = 5000, per_outage = 1000, data_loss_per_hour = 10000, unrecoverable_loss = 1000000 (what \
     an hour down, an outage, an hour of lost writes and a loss for good cost you)";

/// The warnings of a run's costs: costs that price neither downtime nor lost data
/// (the ranking is then on infrastructure alone), and options that can lose data for
/// good while nothing prices such a loss.
pub(crate) fn pricing_warnings(
    costs: Option<&Costs>,
    options: &[Exposure<'_>],
    reports: &[OptionReport],
) -> Vec<String> {
    let mut warnings = Vec::new();
    // A scenario file with tier costs and no `[costs]` runs with costs of no rate.
    if let Some(costs) = costs
        && !costs.prices_anything()
    {
        warnings.push(INFRASTRUCTURE_ONLY.to_owned());
    }
    if let Some(costs) = costs
        && costs.unrecoverable_loss().is_none()
    {
        for (facts, report) in options.iter().zip(reports) {
            let unprotected = facts
                .unprotected
                .iter()
                .map(|name| format!("\"{name}\""))
                .collect::<Vec<_>>();
            let seen = report.unrecoverable_events_per_year.mean;
            if unprotected.is_empty() && seen == 0.0 {
                continue;
            }
            let why = if unprotected.is_empty() {
                "loses data for good".to_owned()
            } else {
                format!("can lose data for good (tier {} has no backup)", unprotected.join(", "))
            };
            let unpriced = if costs.prices_anything() {
                "because [costs] has no `unrecoverable_loss`"
            } else {
                "like everything else here (no [costs] rate)"
            };
            warnings.push(format!(
                "option \"{}\" {why}: {seen:.3} losses for good a year, unpriced {unpriced}; its cost leaves that risk out",
                facts.name
            ));
        }
    }
    warnings
}

/// What options are ranked by: expected total cost, else mean downtime.
fn ranking_key(option: &OptionReport) -> f64 {
    option
        .cost
        .as_ref()
        .map_or(option.downtime_hours_per_year.mean, |c| c.total.mean)
}

/// Ranks the options of `report` (when it has costs or an SLA: `judged`), picks the
/// recommended one, and sets every other option against it with `comparison`.
pub(crate) fn judge(report: &mut Report, judged: bool, comparison: &dyn Paired) {
    if !judged || report.options.is_empty() {
        return;
    }
    let options = &report.options;
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.sort_by(|&a, &b| ranking_key(&options[a]).total_cmp(&ranking_key(&options[b])));
    report.ranking = order.iter().map(|&i| options[i].name.clone()).collect();
    let (chosen, mut recommendation) = recommend(options, &order);
    let against: Vec<Option<Versus>> = (0..options.len())
        .map(|k| versus(options, k, chosen, comparison))
        .collect();
    if let Some(runner_up) = runner_up(options, &order, chosen)
        && let Some(versus) = &against[runner_up]
    {
        recommendation
            .reason
            .push_str(&separation(&options[runner_up], versus, report.windows_per_history));
    }
    for (option, versus) in report.options.iter_mut().zip(against) {
        option.versus_recommended = versus;
    }
    report.recommendation = Some(recommendation);
}

/// The rule: among the options ranked cheapest first (`order`), the first that meets
/// the SLA on average, else the first. Returns its index and why.
fn recommend(options: &[OptionReport], order: &[usize]) -> (usize, Recommendation) {
    let cheapest = &options[order[0]];
    let money = |o: &OptionReport| {
        o.cost
            .as_ref()
            .map(|c| format!("an expected {} a year", format_money(c.total.mean, &c.currency)))
            .unwrap_or_else(|| format!("{} of downtime a year", human_hours(o.downtime_hours_per_year.mean)))
    };
    // Without costs the ranking is by downtime: the first is the least down.
    let (first, this) = if cheapest.cost.is_some() {
        ("the cheapest option", "the cheapest")
    } else {
        ("the option with the least downtime", "the one with the least downtime")
    };
    let Some(budget) = cheapest.sla.map(|s| s.budget_hours) else {
        return (
            order[0],
            Recommendation {
                option: cheapest.name.clone(),
                reason: format!("{first}, at {}", money(cheapest)),
            },
        );
    };
    let budget = human_hours(budget);
    match order.iter().copied().find(|&k| options[k].sla.is_some_and(|s| s.met)) {
        Some(k) => {
            let chosen = &options[k];
            let sla = chosen.sla.expect("chosen for its SLA");
            let years = match sla.breach_probability.mean {
                0.0 => "in every simulated year".to_owned(),
                p => format!("though {:.1} % of years go over", 100.0 * p),
            };
            let how = match sla.verdict {
                SlaVerdict::TooCloseToCall => format!(
                    "on its expected downtime, but too close to call (the budget is within its 95 % interval; more replications would tell), {years}"
                ),
                _ => format!("on average (its 95 % interval is within the budget), {years}"),
            };
            let reason = if k == order[0] {
                format!(
                    "{first}, at {}, and it meets the SLA of {budget} of downtime a year {how}",
                    money(chosen)
                )
            } else {
                format!(
                    "the cheapest option that meets the SLA of {budget} of downtime a year, at {}, {how}; cheaper options miss it",
                    money(chosen)
                )
            };
            (
                k,
                Recommendation {
                    option: chosen.name.clone(),
                    reason,
                },
            )
        }
        None => (
            order[0],
            Recommendation {
                option: cheapest.name.clone(),
                reason: format!(
                    "no option meets the SLA of {budget} of downtime a year; this is {this}, at {}",
                    money(cheapest)
                ),
            },
        ),
    }
}

/// The option the rule would recommend without the `chosen` one: the next in
/// `order` among those that meet the SLA when the chosen one does, else the next.
fn runner_up(options: &[OptionReport], order: &[usize], chosen: usize) -> Option<usize> {
    let meets = |k: usize| options[k].sla.is_some_and(|s| s.met);
    let eligible = |k: usize| !meets(chosen) || meets(k);
    order.iter().copied().find(|&k| k != chosen && eligible(k))
}

/// Option `k` against option `chosen`, history by history; `None` for the chosen one
/// itself, or when the pairs were not kept.
fn versus(options: &[OptionReport], k: usize, chosen: usize, comparison: &dyn Paired) -> Option<Versus> {
    let (moments, negate) = comparison.difference(k, chosen)?;
    let (this, that) = (&options[k], &options[chosen]);
    let difference = |m: &Moments, se_this: f64, se_that: f64| {
        let estimate = Estimate::unbounded(m);
        Difference {
            estimate: if negate { estimate.negated() } else { estimate },
            unpaired_std_error: se_this.hypot(se_that),
        }
    };
    // The standard error of the downtime per year is the unavailability's in hours of a
    // year.
    let downtime_se = |o: &OptionReport| o.unavailability.std_error * crate::HOURS_PER_YEAR;
    let cost_se = |i: usize| comparison.costs(i)[0].std_error();
    Some(Versus {
        recommended: that.name.clone(),
        histories: moments[0].count(),
        // The pairs hold the differences of the costs beyond the infrastructure; the
        // infrastructures' difference is known exactly.
        cost_per_year: this.cost.as_ref().zip(that.cost.as_ref()).map(|(a, b)| {
            let mut d = difference(&moments[2], cost_se(k), cost_se(chosen));
            d.estimate = d.estimate.shifted(a.infrastructure - b.infrastructure);
            d
        }),
        downtime_hours_per_year: difference(&moments[0], downtime_se(this), downtime_se(that)),
        data_loss_hours_per_year: difference(
            &moments[1],
            this.data_loss_hours_per_year.std_error,
            that.data_loss_hours_per_year.std_error,
        ),
    })
}

/// What the recommendation adds when the numbers cannot tell the recommended option
/// from its `runner_up` on what the options are ranked by (cost, else downtime): how
/// far apart they are, and how many replications (measured windows, of which a
/// history holds `windows_per_history`) would separate them. Empty when they are told
/// apart.
fn separation(runner_up: &OptionReport, versus: &Versus, windows_per_history: u64) -> String {
    // The replications both ran: with a precision target, fewer than the cap.
    let replications = versus.histories * windows_per_history;
    let name = &runner_up.name;
    let (difference, what, amount): (&Difference, &str, Box<dyn Fn(f64) -> String>) =
        match (&versus.cost_per_year, &runner_up.cost) {
            (Some(d), Some(c)) => (d, "costs", Box::new(|x| format_money(x, &c.currency))),
            _ => (&versus.downtime_hours_per_year, "is down", Box::new(human_hours)),
        };
    let e = &difference.estimate;
    let direction = if e.mean >= 0.0 { "more" } else { "less" };
    let gap = format!(
        "which {what} {} ± {} {direction} a year on the same simulated years",
        amount(e.mean.abs()),
        amount(Z_975 * e.std_error)
    );
    if !difference.inconclusive() {
        return String::new();
    }
    if e.std_error == 0.0 {
        return format!(
            "; the numbers cannot separate it from {name}, which fares exactly the same in every simulated year: no replication count would tell them apart"
        );
    }
    let more = if e.mean == 0.0 {
        "more replications may tell them apart".to_owned()
    } else {
        let needed = replications as f64 * ((Z_975 + Z_80) * e.std_error / e.mean).powi(2);
        if needed <= crate::report::MAX_REPLICATIONS as f64 {
            format!(
                "about {} replications would tell them apart (with 80 % probability, if the gap is what it seems)",
                format_money(round_up(needed), "")
            )
        } else {
            "more than 10 billion replications would be needed to tell them apart: for this decision they are equal"
                .to_owned()
        }
    };
    format!("; the numbers cannot separate it from {name}, {gap}, within the noise: {more}")
}

/// `n` rounded up to two significant digits.
fn round_up(n: f64) -> f64 {
    if n < 100.0 {
        return n.ceil();
    }
    let unit = 10f64.powi(n.log10().floor() as i32 - 1);
    (n / unit).ceil() * unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_up_to_two_digits() {
        assert_eq!(round_up(3.2), 4.0);
        assert_eq!(round_up(1234.0), 1300.0);
        assert_eq!(round_up(99_001.0), 100_000.0);
        assert_eq!(round_up(150_000.0), 150_000.0);
    }
}
