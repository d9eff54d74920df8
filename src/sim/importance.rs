//! Where the single points of failure are and what fixing each is worth: the model run
//! again with one component perfect, on the same random numbers, history by history.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::books::Window;
use super::engine::{Engine, Observer};
use super::plan::Plan;
use super::tally::Economics;
use super::{CHUNK, SimError, Simulation, WAVE};
use crate::HOURS_PER_YEAR;
use crate::model::Service;
use crate::report::Rate;
use crate::stats::Moments;

/// What one component's failures cost a service: the downtime (and money) a year it
/// would save if it never failed.
///
/// The difference is estimated history by history: each history is simulated once as
/// the model is and once with the component perfect (its failure modes removed; its
/// drills and backups stay), on the same random numbers, so most of the randomness
/// cancels in the difference. `unpaired_std_error` is what the standard error would be
/// from two independent runs, for comparison.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Importance {
    /// The component's name.
    pub component: String,
    /// `tier`, `dependency` or `site`.
    pub kind: String,
    /// Whether one failure of it alone takes the service down: a tier that needs
    /// every replica (and has no standby) or has a tier-wide failure mode; such a
    /// dependency under every replica of a tier; a site holding every replica of a
    /// tier (or what they stand on).
    pub single_point_of_failure: bool,
    /// The service's downtime per year \[h\] as the model is.
    pub downtime_hours_per_year: f64,
    /// The downtime per year \[h\] it would save if it never failed, with the
    /// standard error of the paired difference.
    pub downtime_removed_hours_per_year: Rate,
    /// The standard error the same difference would have from two independent runs.
    pub unpaired_std_error: f64,
    /// What that is worth per year (downtime, outages, data lost and losses for good
    /// at the run's rates), with its paired standard error; `None` without costs.
    pub cost_removed_per_year: Option<Rate>,
}

impl Importance {
    /// One line for people: `core switch (dependency): single point of failure, 41 %
    /// of the downtime; if it never failed, 3 h 06 min less a year (± 12 min), worth
    /// 590,000 USD (± 40,000 USD)`. The ± are 95 % half-widths of the paired
    /// differences; `currency` labels the money.
    pub fn describe(&self, currency: &str) -> String {
        const Z: f64 = 1.959_963_984_540_054;
        let removed = self.downtime_removed_hours_per_year;
        let share = if self.downtime_hours_per_year > 0.0 {
            format!(
                "{:.0} % of the downtime",
                100.0 * removed.mean / self.downtime_hours_per_year
            )
        } else {
            "no downtime".to_owned()
        };
        let what = if self.single_point_of_failure {
            format!("single point of failure, {share}")
        } else {
            share
        };
        let hours = crate::report::human_hours;
        let mut line = format!(
            "{} ({}): {what}; if it never failed, {} less a year (± {})",
            self.component,
            self.kind,
            hours(removed.mean),
            hours(Z * removed.std_error)
        );
        if let Some(cost) = self.cost_removed_per_year {
            line.push_str(&format!(
                ", worth {} (± {})",
                crate::report::format_money(cost.mean, currency),
                crate::report::format_money(Z * cost.std_error, currency)
            ));
        }
        line
    }
}

/// A history's yearly downtime and cost, averaged over its measured windows.
#[derive(Debug, Default)]
struct Years<'e> {
    economics: Option<&'e Economics>,
    scale: f64,
    windows: u64,
    downtime: f64,
    cost: f64,
}

impl Observer for Years<'_> {
    fn window(&mut self, window: &Window) {
        self.windows += 1;
        self.downtime += window.downtime * self.scale;
        if let Some(economics) = self.economics {
            self.cost += economics.yearly_cost(window, self.scale);
        }
    }
}

/// One history of `engine`: its mean yearly downtime and cost.
fn history(engine: &mut Engine, index: u64, economics: &Economics, scale: f64) -> (f64, f64) {
    let mut years = Years {
        economics: economics.priced.then_some(economics),
        scale,
        ..Years::default()
    };
    engine.run(index, &mut years);
    let n = years.windows.max(1) as f64;
    (years.downtime / n, years.cost / n)
}

/// What a chunk of histories adds up: the model's downtime, the perfected one's, and
/// the paired differences of downtime and cost.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    base: Moments,
    perfect: Moments,
    downtime: Moments,
    cost: Moments,
}

impl Sums {
    fn merge(&mut self, other: &Sums) {
        self.base.merge(&other.base);
        self.perfect.merge(&other.perfect);
        self.downtime.merge(&other.downtime);
        self.cost.merge(&other.cost);
    }
}

impl Simulation {
    /// Every component that can fail (each tier, dependency and used site with a
    /// failure mode), with what it would save if it never failed: see [`Importance`].
    /// Ranked by downtime removed, most first. The run uses this simulation's
    /// settings (replications, seed, start, warm-up, costs; not a precision target:
    /// every run has the replication count): the model as it is is simulated once, and
    /// once more per component with that component perfect.
    ///
    /// # Errors
    /// [`SimError`] if the settings are invalid or the thread pool cannot be started.
    pub fn importance(&self, service: &Service) -> Result<Vec<Importance>, SimError> {
        self.validate()?;
        let plan = Plan::new(service);
        // The model's layout for every run, so histories pair one to one.
        let layout = self.layout(std::slice::from_ref(&plan));
        let economics = self.economics(service, &plan);
        let scale = HOURS_PER_YEAR / self.horizon;
        let schedule = layout.schedule;
        let histories = layout.histories();
        let per_chunk = CHUNK / schedule.windows;
        let chunks = histories.div_ceil(per_chunk);
        let components = service.components();
        let perfected: Vec<Plan> = components.iter().map(|c| Plan::new(&service.perfected(c))).collect();
        let run_all = || {
            // Per component, what all histories add up; each history of the model is
            // simulated once and paired with each perfected one.
            let mut totals = vec![Sums::default(); components.len()];
            // In waves of chunks, merged in chunk order: the same bits on any thread
            // count, and memory bounded whatever the replication count.
            for wave_start in (0..chunks).step_by(WAVE as usize) {
                let parts: Vec<Vec<Sums>> = (wave_start..(wave_start + WAVE).min(chunks))
                    .into_par_iter()
                    .map(|chunk| {
                        let mut sums = vec![Sums::default(); perfected.len()];
                        let mut base = Engine::new(&plan, schedule, self.seed);
                        let mut perfect: Vec<Engine> =
                            perfected.iter().map(|p| Engine::new(p, schedule, self.seed)).collect();
                        let first = chunk * per_chunk;
                        for index in first..(first + per_chunk).min(histories) {
                            let (down, cost) = history(&mut base, index, &economics, scale);
                            for (sums, engine) in sums.iter_mut().zip(&mut perfect) {
                                let (down_p, cost_p) = history(engine, index, &economics, scale);
                                sums.base.push(down);
                                sums.perfect.push(down_p);
                                sums.downtime.push(down - down_p);
                                sums.cost.push(cost - cost_p);
                            }
                        }
                        sums
                    })
                    .collect();
                for part in &parts {
                    for (total, sums) in totals.iter_mut().zip(part) {
                        total.merge(sums);
                    }
                }
            }
            totals
        };
        let totals = self.in_pool(run_all)?;
        let mut ranked: Vec<Importance> = components
            .into_iter()
            .zip(totals)
            .map(|(component, total)| Importance {
                single_point_of_failure: service.single_point_of_failure(&component),
                component: component.name,
                kind: component.kind.as_str().to_owned(),
                downtime_hours_per_year: total.base.mean(),
                downtime_removed_hours_per_year: Rate {
                    mean: total.downtime.mean(),
                    std_error: total.downtime.std_error(),
                },
                unpaired_std_error: total.base.std_error().hypot(total.perfect.std_error()),
                cost_removed_per_year: economics.priced.then(|| Rate {
                    mean: total.cost.mean(),
                    std_error: total.cost.std_error(),
                }),
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.downtime_removed_hours_per_year
                .mean
                .total_cmp(&a.downtime_removed_hours_per_year.mean)
        });
        Ok(ranked)
    }
}
