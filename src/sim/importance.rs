//! Where the single points of failure are and what fixing each is worth: the model run
//! again with one component perfect, on the same random numbers, history by history.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::books::Window;
use super::engine::{Engine, Happening, Observer};
use super::plan::Plan;
use super::{CHUNK, SimError, Simulation, WAVE};
use crate::HOURS_PER_YEAR;
use crate::cost::Economics;
use crate::model::{ComponentKind, Service};
use crate::report::Estimate;
use crate::stats::Moments;

/// One component of a service (a tier, a dependency or a site): how often it is down,
/// how much of the service's downtime falls to it, and what its failures cost the
/// service, the downtime (and money) a year it would save if it never failed.
///
/// `unavailability` and `share_of_downtime` come from the model as it is.
/// `downtime_removed_hours_per_year` is a difference, estimated history by history:
/// each history is simulated once as the model is and once with the component perfect
/// (its failure modes removed; its maintenance, drills and backups stay), on the same
/// random numbers, so most of the randomness cancels in the difference.
/// `unpaired_std_error` is what its standard error would be from two independent runs,
/// for comparison.
///
/// The share and the removed downtime answer different questions. The share splits
/// the downtime that happened among the components that were down (see
/// [`share_of_downtime`](Importance::share_of_downtime)); the removed downtime is what
/// would not have happened: a component that fails only while another is down too
/// has a share but removes little, and one under a redundant tier removes more than
/// its share when it takes every replica down at once.
///
/// ```
/// use nines::{Distribution, FailureMode, Service, Simulation, Tier};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let crash = |mttf: f64| -> Result<FailureMode, nines::DistError> {
///     Ok(FailureMode::new("crash", Distribution::exponential(mttf)?, Distribution::exponential(10.0)?))
/// };
/// // Two servers in series: a web server and a database that fails twice as often.
/// let service = Service::new(
///     "shop",
///     vec![
///         Tier::builder("web").with_failure(crash(2000.0)?).build()?,
///         Tier::builder("database").with_failure(crash(1000.0)?).build()?,
///     ],
/// )?;
/// let ranked = Simulation::new().with_replications(4000).with_seed(7).importance(&service)?;
/// assert_eq!(ranked[0].component, "database");
/// assert!(ranked[0].single_point_of_failure);
/// // Its own unavailability, 10 / 1010 at steady state; its share of the downtime.
/// let database = &ranked[0];
/// assert!((database.unavailability.mean - 10.0 / 1010.0).abs() < 4.0 * database.unavailability.std_error);
/// assert!(database.share_of_downtime.mean > ranked[1].share_of_downtime.mean);
/// // The shares of components in series add up to the whole downtime.
/// assert!((ranked.iter().map(|i| i.share_of_downtime.mean).sum::<f64>() - 1.0).abs() < 1e-9);
/// println!("{}", database.describe(""));
/// # Ok(())
/// # }
/// ```
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
    /// Its own unavailability: the fraction of measured time it was down of its own
    /// accord, with its standard error and 95 % interval. A tier or a dependency is
    /// down while fewer than `required` replicas serve, a tier-wide failure is
    /// repaired, a drill runs or its data is restored (planned downtime, maintenance
    /// and drills, included); a site while any of its failure modes is under repair. *Of its own accord*: not while something it stands on
    /// (a dependency, a site of its replicas) is down too; a tier stopped by the
    /// switch under it is the switch's downtime, not its own. The tiers' table of a
    /// report ([`TierReport::unavailability`](crate::TierReport::unavailability))
    /// counts a tier down for any reason.
    pub unavailability: Estimate,
    /// Its share of the service's downtime, from 0 to 1: each moment the service was
    /// down is split equally among the components down of their own accord then (see
    /// `unavailability`). The shares of every component add up to 1, unless the
    /// service was down with none of them down (a drill or the maintenance of a tier
    /// that cannot fail, which is then no component). The tiers' table of a report
    /// splits among tiers only
    /// ([`TierReport::downtime_share`](crate::TierReport::downtime_share)). A ratio of
    /// two means over the same histories: its standard error is the ratio estimator's
    /// (the delta method), its interval the normal one, within [0, 1].
    pub share_of_downtime: Estimate,
    /// The service's downtime per year \[h\] as the model is.
    pub downtime_hours_per_year: f64,
    /// The downtime per year \[h\] it would save if it never failed, with the
    /// standard error of the paired difference.
    pub downtime_removed_hours_per_year: Estimate,
    /// The standard error the same difference would have from two independent runs.
    pub unpaired_std_error: f64,
    /// What that is worth per year (downtime, outages, data lost and losses for good
    /// at the run's rates), with its paired standard error; `None` without costs.
    pub cost_removed_per_year: Option<Estimate>,
}

impl Importance {
    /// One line for people, e.g. `core switch (dependency): single point of failure,
    /// down 3 h 10 min a year itself, 41 % of the downtime; if it never failed, 3 h 06 min
    /// ± 12 min less a year, 590,000 ± 40,000 USD`: its own downtime a year (its
    /// unavailability times a year), its share of the service's downtime, and the
    /// downtime and money a year removed if it never failed, ± the 95 % half-widths of
    /// the paired differences; `currency` labels the money.
    pub fn describe(&self, currency: &str) -> String {
        const Z: f64 = crate::report::Z_975;
        let removed = self.downtime_removed_hours_per_year;
        let hours = crate::report::human_hours;
        let money = crate::report::format_money;
        let spof = if self.single_point_of_failure {
            "single point of failure, "
        } else {
            ""
        };
        let mut line = format!(
            "{} ({}): {spof}down {} a year itself, {:.0} % of the downtime; if it never failed, {} ± {} less a year",
            self.component,
            self.kind,
            hours(self.unavailability.mean * HOURS_PER_YEAR),
            100.0 * self.share_of_downtime.mean,
            hours(removed.mean),
            hours(Z * removed.std_error)
        );
        if let Some(cost) = self.cost_removed_per_year {
            line.push_str(&format!(
                ", {} ± {}",
                money(cost.mean, ""),
                money(Z * cost.std_error, currency)
            ));
        }
        line
    }
}

/// A history's yearly downtime and cost, averaged over its measured windows, and (for
/// the model as it is) who was down.
#[derive(Debug, Default)]
struct Years<'e> {
    economics: Option<&'e Economics>,
    scale: f64,
    windows: u64,
    downtime: f64,
    cost: f64,
    downs: Option<&'e mut Downs>,
}

impl Observer for Years<'_> {
    fn window(&mut self, window: &Window) {
        self.windows += 1;
        self.downtime += window.downtime * self.scale;
        if let Some(economics) = self.economics {
            self.cost += economics.yearly_cost(window, self.scale);
        }
    }

    fn happening(&mut self, at: f64, what: Happening) {
        if let Some(downs) = self.downs.as_deref_mut() {
            downs.happening(at, what);
        }
    }
}

/// Which components are down through a history of the model as it is, and for how
/// long inside its measured windows: each plan tier (the request path, then the
/// dependencies) by its index, then each site.
#[derive(Debug, Clone)]
struct Downs {
    /// Request-path tiers in the plan.
    request_path: usize,
    /// Per site mode, its site's component index.
    site_of_mode: Vec<usize>,
    /// Per component, the components it stands on directly (its replicas' sites and
    /// dependencies).
    beneath: Vec<Vec<usize>>,
    down: Vec<bool>,
    /// Per site, its modes under repair.
    site_modes_down: Vec<u32>,
    /// Request-path tiers down: the service is down while there is one.
    request_down: usize,
    measuring: bool,
    since: f64,
    /// Per component, in this history's windows: hours down of its own accord, and
    /// hours of service downtime that fell to it.
    down_hours: Vec<f64>,
    share_hours: Vec<f64>,
}

impl Downs {
    fn new(plan: &Plan) -> Downs {
        let tiers = plan.tiers.len();
        let mut beneath: Vec<Vec<usize>> = vec![Vec::new(); tiers + plan.sites.len()];
        for (t, tier) in plan.tiers.iter().enumerate() {
            for replica in &plan.replicas[tier.replicas.start as usize..tier.replicas.end as usize] {
                let under = replica
                    .stands_on
                    .iter()
                    .map(|&d| d as usize)
                    .chain(replica.site.map(|s| tiers + s as usize));
                for c in under {
                    if !beneath[t].contains(&c) {
                        beneath[t].push(c);
                    }
                }
            }
        }
        let n = beneath.len();
        Downs {
            request_path: plan.tiers.iter().filter(|t| !t.dependency).count(),
            site_of_mode: plan.site_modes.iter().map(|m| tiers + m.site as usize).collect(),
            beneath,
            down: vec![false; n],
            site_modes_down: vec![0; plan.sites.len()],
            request_down: 0,
            measuring: false,
            since: 0.0,
            down_hours: vec![0.0; n],
            share_hours: vec![0.0; n],
        }
    }

    /// Back to a history's start: everything up, nothing counted.
    fn reset(&mut self) {
        self.down.fill(false);
        self.site_modes_down.fill(0);
        self.request_down = 0;
        self.measuring = false;
        self.down_hours.fill(0.0);
        self.share_hours.fill(0.0);
    }

    /// Counts the time since the last change, as things stood.
    fn advance(&mut self, now: f64) {
        let elapsed = now - self.since;
        self.since = now;
        if !self.measuring || elapsed <= 0.0 {
            return;
        }
        // Down of its own accord: down, with nothing under it down.
        let falls = |c: usize| self.down[c] && !self.beneath[c].iter().any(|&b| self.down[b]);
        let mut count = 0u32;
        for c in 0..self.down.len() {
            if falls(c) {
                self.down_hours[c] += elapsed;
                count += 1;
            }
        }
        // The service's downtime falls to those, in equal parts.
        if self.request_down == 0 || count == 0 {
            return;
        }
        let share = elapsed / f64::from(count);
        for c in 0..self.down.len() {
            if falls(c) {
                self.share_hours[c] += share;
            }
        }
    }

    fn set(&mut self, component: usize, down: bool) {
        if component < self.request_path && self.down[component] != down {
            if down {
                self.request_down += 1;
            } else {
                self.request_down -= 1;
            }
        }
        self.down[component] = down;
    }

    fn happening(&mut self, at: f64, what: Happening) {
        match what {
            Happening::WindowOpens => {
                self.measuring = true;
                self.since = at;
            }
            Happening::WindowCloses => {
                self.advance(at);
                self.measuring = false;
            }
            Happening::TierDown { tier } | Happening::TierUp { tier } => {
                self.advance(at);
                self.set(tier as usize, matches!(what, Happening::TierDown { .. }));
            }
            Happening::SiteDown { site_mode, .. } => {
                self.advance(at);
                let site = self.site_of_mode[site_mode as usize];
                let first = self.down.len() - self.site_modes_down.len();
                self.site_modes_down[site - first] += 1;
                self.set(site, true);
            }
            Happening::SiteBack { site_mode } => {
                self.advance(at);
                let site = self.site_of_mode[site_mode as usize];
                let first = self.down.len() - self.site_modes_down.len();
                self.site_modes_down[site - first] -= 1;
                self.set(site, self.site_modes_down[site - first] > 0);
            }
            _ => {}
        }
    }
}

/// One history of `engine`: its mean yearly downtime and cost; `downs` (reset first)
/// follows who was down.
fn history(
    engine: &mut Engine,
    index: u64,
    economics: &Economics,
    scale: f64,
    downs: Option<&mut Downs>,
) -> (f64, f64, u64) {
    let mut years = Years {
        economics: economics.priced.then_some(economics),
        scale,
        downs,
        ..Years::default()
    };
    if let Some(downs) = years.downs.as_deref_mut() {
        downs.reset();
    }
    engine.run(index, &mut years);
    let n = years.windows.max(1) as f64;
    (years.downtime / n, years.cost / n, years.windows)
}

/// What a chunk of histories adds up: the model's downtime, the perfected one's, and
/// the paired differences of downtime and cost; and, from the model as it is, the
/// component's unavailability and the hours of service downtime a year that fell to
/// it, per history.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    base: Moments,
    perfect: Moments,
    downtime: Moments,
    cost: Moments,
    unavailability: Moments,
    share: Moments,
    /// The share plus the model's downtime, per history: for their covariance.
    share_and_downtime: Moments,
}

impl Sums {
    fn merge(&mut self, other: &Sums) {
        self.base.merge(&other.base);
        self.perfect.merge(&other.perfect);
        self.downtime.merge(&other.downtime);
        self.cost.merge(&other.cost);
        self.unavailability.merge(&other.unavailability);
        self.share.merge(&other.share);
        self.share_and_downtime.merge(&other.share_and_downtime);
    }

    /// The share of the downtime, `R = S̄ / D̄` (a ratio of means over the same
    /// histories), with the ratio estimator's standard error, by the delta method:
    /// `se² = (var S + R²·var D − 2R·cov(S, D)) / (n·D̄²)`, and its normal 95 %
    /// interval clamped to [0, 1]. Zero without downtime.
    fn share_of_downtime(&self) -> Estimate {
        let (share, downtime) = (self.share.mean(), self.base.mean());
        if downtime <= 0.0 {
            return Estimate::exact(0.0);
        }
        let ratio = share / downtime;
        let (var_s, var_d) = (self.share.variance(), self.base.variance());
        let covariance = (self.share_and_downtime.variance() - var_s - var_d) / 2.0;
        let n = self.share.count().max(1) as f64;
        let variance = (var_s + ratio * ratio * var_d - 2.0 * ratio * covariance).max(0.0) / (n * downtime * downtime);
        let std_error = variance.sqrt();
        const Z: f64 = crate::report::Z_975;
        Estimate {
            mean: ratio,
            std_error,
            ci95: [(ratio - Z * std_error).max(0.0), (ratio + Z * std_error).min(1.0)],
        }
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
        // Where each component is followed in the model's history (see `Downs`).
        let downs = Downs::new(&plan);
        fn position<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> usize {
            names.position(|n| n == name).expect("a component of the service")
        }
        let at: Vec<usize> = components
            .iter()
            .map(|c| match c.kind {
                ComponentKind::Tier => position(service.tiers().iter().map(|t| t.name()), &c.name),
                ComponentKind::Dependency => {
                    service.tiers().len() + position(service.dependencies().iter().map(|d| d.name()), &c.name)
                }
                ComponentKind::Site => plan.tiers.len() + position(service.sites().iter().map(|s| s.name()), &c.name),
            })
            .collect();
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
                        let mut downs = downs.clone();
                        let first = chunk * per_chunk;
                        for index in first..(first + per_chunk).min(histories) {
                            let (down, cost, windows) = history(&mut base, index, &economics, scale, Some(&mut downs));
                            let measured = windows as f64 * self.horizon;
                            for ((sums, engine), &c) in sums.iter_mut().zip(&mut perfect).zip(&at) {
                                let (down_p, cost_p, _) = history(engine, index, &economics, scale, None);
                                sums.base.push(down);
                                sums.perfect.push(down_p);
                                sums.downtime.push(down - down_p);
                                sums.cost.push(cost - cost_p);
                                sums.unavailability.push(downs.down_hours[c] / measured);
                                let share = downs.share_hours[c] * scale / windows.max(1) as f64;
                                sums.share.push(share);
                                sums.share_and_downtime.push(share + down);
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
                unavailability: Estimate::fraction(&total.unavailability),
                share_of_downtime: total.share_of_downtime(),
                downtime_hours_per_year: total.base.mean(),
                downtime_removed_hours_per_year: Estimate::unbounded(&total.downtime),
                unpaired_std_error: total.base.std_error().hypot(total.perfect.std_error()),
                cost_removed_per_year: economics.priced.then(|| Estimate::unbounded(&total.cost)),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An application server on a power feed, in a site.
    fn plan() -> Plan {
        let text = r#"
name = "feed"
[[site]]
name = "main"
[[site.failure]]
name = "power cut"
every = "exp(mean=2000h)"
repair = "1h"
[[dependency]]
name = "feed"
[[dependency.failure]]
name = "trips"
every = "exp(mean=1000h)"
repair = "1h"
[[tier]]
name = "app"
placement = ["main"]
depends_on = ["feed"]
[[tier.failure]]
name = "crash"
every = "exp(mean=700h)"
repair = "1h"
"#;
        let scenario = crate::Scenario::parse(text, crate::Format::Toml, "feed").expect("a valid scenario");
        Plan::new(scenario.service())
    }

    #[test]
    fn downtime_falls_to_what_is_down_at_the_bottom() {
        let plan = plan();
        // Components: the tier (0), the feed (1), the site (2).
        let mut downs = Downs::new(&plan);
        assert_eq!(downs.beneath, [vec![1, 2], vec![], vec![]]);
        downs.reset();
        let (app, feed) = (0, 1);
        let steps = [
            // Before the window: counted nowhere.
            (0.5, Happening::TierDown { tier: app }),
            (1.0, Happening::WindowOpens),
            (1.5, Happening::TierUp { tier: app }),
            // The feed trips and stops the server: the feed's, 2 h.
            (2.0, Happening::TierDown { tier: feed }),
            (2.0, Happening::TierDown { tier: app }),
            (4.0, Happening::TierUp { tier: feed }),
            (4.0, Happening::TierUp { tier: app }),
            // The server crashes on its own, 1 h.
            (5.0, Happening::TierDown { tier: app }),
            (6.0, Happening::TierUp { tier: app }),
            // It crashes, then the site goes down under it: its own until then, then
            // the site's (the feed is up).
            (7.0, Happening::TierDown { tier: app }),
            (
                8.0,
                Happening::SiteDown {
                    site_mode: 0,
                    disaster: false,
                },
            ),
            (9.5, Happening::SiteBack { site_mode: 0 }),
            (10.0, Happening::TierUp { tier: app }),
            // The feed trips again and stops the server until the window closes.
            (11.0, Happening::TierDown { tier: feed }),
            (11.0, Happening::TierDown { tier: app }),
            (12.0, Happening::WindowCloses),
            (13.0, Happening::TierUp { tier: feed }),
        ];
        for (at, what) in steps {
            downs.happening(at, what);
        }
        // Own downtime: the server 0.5 + 1 + 1 + 0.5, the feed 2 + 1, the site 1.5.
        assert_eq!(downs.down_hours, [3.0, 3.0, 1.5]);
        // The service was down exactly while the server was, 7.5 h, all of it falling
        // to one component at a time.
        assert_eq!(downs.share_hours, [3.0, 3.0, 1.5]);
    }

    #[test]
    fn time_down_together_is_split_equally() {
        let text = r#"
name = "series"
[[tier]]
name = "a"
[[tier.failure]]
name = "crash"
every = "exp(mean=700h)"
repair = "1h"
[[tier]]
name = "b"
[[tier.failure]]
name = "crash"
every = "exp(mean=700h)"
repair = "1h"
"#;
        let scenario = crate::Scenario::parse(text, crate::Format::Toml, "series").expect("a valid scenario");
        let plan = Plan::new(scenario.service());
        let mut downs = Downs::new(&plan);
        downs.reset();
        for (at, what) in [
            (0.0, Happening::WindowOpens),
            (1.0, Happening::TierDown { tier: 0 }),
            (2.0, Happening::TierDown { tier: 1 }),
            (4.0, Happening::TierUp { tier: 0 }),
            (5.0, Happening::TierUp { tier: 1 }),
            (6.0, Happening::WindowCloses),
        ] {
            downs.happening(at, what);
        }
        assert_eq!(downs.down_hours, [3.0, 3.0]);
        // 1 h a alone, 2 h together, 1 h b alone: 4 h of downtime, 2 h each.
        assert_eq!(downs.share_hours, [2.0, 2.0]);
        assert_eq!(downs.request_down, 0);
    }
}
