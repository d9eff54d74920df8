//! Statistical validation: the simulator against exact results.
//!
//! Each test simulates a model whose answer is known exactly (in closed form, as the
//! time average of a closed-form point availability, or from the CTMC solver in
//! `ctmc.rs`) and asserts `|estimate − exact| ≤ 4·se` (plus a 1e-12 floor for
//! rounding), with `se` the standard error of that estimate across replications. On a
//! correct engine a miss has a probability of about 6e-5 per assertion; the seeds are
//! fixed, so the outcome is the same on every run. `cargo test --release --test it
//! validation -- --nocapture` prints every comparison with its z-score.
//!
//! Common setting: every replica is new and up at `t = 0` (as-new start), so the
//! reported availability is the interval availability `Ā(T) = (1/T)·∫₀ᵀ A(t) dt` over
//! the horizon `T`, not the steady state. For an exponential unit with failure rate `λ`
//! and repair rate `μ`, the point availability is
//! `A(t) = μ/(λ+μ) + λ/(λ+μ)·e^{−(λ+μ)t}` and the expected number of failures in
//! `[0, T]` is `λ·∫₀ᵀ A(t) dt`. Rates "per year" are per replication × 8760 / T.

use nines::{Distribution, FailureMode, HOURS_PER_YEAR, OptionReport, Scope, Service, Simulation, Start, Tier};

use crate::ctmc::{all_up, integrated_occupancy, replica_group_chain};

/// Standard errors allowed between an estimate and the exact value.
const Z_MAX: f64 = 4.0;

/// Absolute slack for floating-point rounding of the estimates and exact values.
const FLOOR: f64 = 1e-12;

/// Asserts `|estimate − exact| ≤ 4·se + allowance + 1e-12`, printing the z-score;
/// `allowance` is a documented, deterministic bias of the estimator (0 for none).
pub(crate) fn assert_within(what: &str, estimate: f64, se: f64, exact: f64, allowance: f64) {
    assert!(
        se.is_finite() && se > 0.0,
        "{what}: standard error {se} (no spread across replications: the comparison would be void)"
    );
    let z = (estimate - exact) / se;
    println!("{what}: estimate {estimate:.9e}, exact {exact:.9e}, se {se:.3e}, z = {z:+.2}");
    assert!(
        (estimate - exact).abs() <= Z_MAX * se + allowance + FLOOR,
        "{what}: estimate {estimate:.9e}, exact {exact:.9e}, se {se:.3e}, z = {z:+.2} \
         (allowed {Z_MAX}·se + {allowance:.3e})"
    );
}

/// Asserts `|estimate − exact| ≤ 4·se + 1e-12`, printing the z-score.
pub(crate) fn assert_close(what: &str, estimate: f64, se: f64, exact: f64) {
    assert_within(what, estimate, se, exact, 0.0);
}

// ---------------------------------------------------------------------------------
// Exact values.

/// Point availability at `t` of an exponential unit (failure rate `lambda`, repair
/// rate `mu`) that is new and up at 0.
pub(crate) fn unit_availability(lambda: f64, mu: f64, t: f64) -> f64 {
    let s = lambda + mu;
    (mu + lambda * (-s * t).exp()) / s
}

/// Interval availability over `[0, horizon]` of the unit of [`unit_availability`]:
/// `μ/(λ+μ) + λ/((λ+μ)²·T)·(1 − e^{−(λ+μ)T})`.
pub(crate) fn unit_interval_availability(lambda: f64, mu: f64, horizon: f64) -> f64 {
    let s = lambda + mu;
    mu / s - lambda / (s * s * horizon) * (-s * horizon).exp_m1()
}

/// `P(Binomial(n, p) ≥ k)`.
pub(crate) fn binomial_at_least(n: u32, k: u32, p: f64) -> f64 {
    let mut coefficient = 1.0; // C(n, j), built up from C(n, 0)
    let mut total = 0.0;
    for j in 0..=n {
        if j > 0 {
            coefficient *= f64::from(n - j + 1) / f64::from(j);
        }
        if j >= k {
            total += coefficient * p.powi(j as i32) * (1.0 - p).powi((n - j) as i32);
        }
    }
    total
}

/// `P(Binomial(n, p) = j)`.
fn binomial_exactly(n: u32, j: u32, p: f64) -> f64 {
    binomial_at_least(n, j, p) - if j < n { binomial_at_least(n, j + 1, p) } else { 0.0 }
}

/// `(1/T)·∫₀ᵀ f(t) dt` by the composite Simpson rule, doubling the number of intervals
/// until two successive values agree within 1e-13 (the error of the finer one is then
/// about 1/15 of that). The sums are compensated (Neumaier), so rounding stays near
/// 1e-16 whatever the number of intervals. The integrands here are smooth sums of
/// exponentials whose transients fade within a few hundred hours.
pub(crate) fn time_average(f: impl Fn(f64) -> f64, horizon: f64) -> f64 {
    let simpson = |n: u32| {
        let h = horizon / f64::from(n);
        let (mut sum, mut compensation) = (f(0.0) + f(horizon), 0.0);
        for i in 1..n {
            let term = f(f64::from(i) * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
            let next = sum + term;
            compensation += if sum.abs() >= term.abs() {
                (sum - next) + term
            } else {
                (term - next) + sum
            };
            sum = next;
        }
        (sum + compensation) * h / 3.0 / horizon
    };
    let mut n = 1 << 10;
    let mut previous = simpson(n);
    loop {
        n *= 2;
        let current = simpson(n);
        if (current - previous).abs() <= 1e-13 {
            return current;
        }
        assert!(
            n < 1 << 24,
            "Simpson's rule did not converge: {previous} then {current}"
        );
        previous = current;
    }
}

/// A count per replication over `horizon` hours, as a rate per year.
pub(crate) fn per_year(per_replication: f64, horizon: f64) -> f64 {
    per_replication * HOURS_PER_YEAR / horizon
}

// ---------------------------------------------------------------------------------
// Models and runs.

pub(crate) fn exponential(mean: f64) -> Distribution {
    Distribution::exponential(mean).expect("valid mean")
}

/// A replica-scope failure mode with exponential times to failure and repair [h].
fn crash(mttf: f64, mttr: f64) -> FailureMode {
    FailureMode::new("crash", exponential(mttf), exponential(mttr))
}

/// A k-of-n active-active tier of replicas with one exponential failure mode and
/// unlimited repair crews.
fn group(name: &str, n: u32, k: u32, mttf: f64, mttr: f64) -> Tier {
    Tier::builder(name)
        .with_replicas(n)
        .with_required(k)
        .with_failure(crash(mttf, mttr))
        .build()
        .expect("valid tier")
}

/// Runs `service` in service (the default start) and returns its one option.
pub(crate) fn in_service(service: &Service, replications: u64, seed: u64) -> OptionReport {
    let report = Simulation::new()
        .with_replications(replications)
        .with_seed(seed)
        .run(service)
        .expect("runs");
    report.options.into_iter().next().expect("one option")
}

/// Runs a service of `tiers` in series from an as-new start (the setting of the exact
/// values in this file) and returns its one option.
pub(crate) fn simulate(tiers: Vec<Tier>, horizon: f64, replications: u64, seed: u64) -> OptionReport {
    let service = Service::new("validation", tiers).expect("valid service");
    let report = Simulation::new()
        .with_start(Start::New)
        .with_horizon(horizon)
        .with_replications(replications)
        .with_seed(seed)
        .run(&service)
        .expect("valid settings");
    report.options.into_iter().next().expect("one option")
}

// ---------------------------------------------------------------------------------
// Tests.

#[test]
fn single_exponential_unit_matches_interval_availability() {
    // (MTTF, MTTR, horizon) [h], replications, seed. The second case has a horizon of
    // only 100 h (5 MTTR), where the as-new start lifts the availability by 0.0165 over
    // the steady state: the test also asserts that the steady state is rejected there.
    let cases = [(1000.0, 10.0, 8760.0, 200_000, 101), (200.0, 20.0, 100.0, 200_000, 102)];
    for (mttf, mttr, horizon, replications, seed) in cases {
        let (lambda, mu) = (1.0 / mttf, 1.0 / mttr);
        let report = simulate(vec![group("unit", 1, 1, mttf, mttr)], horizon, replications, seed);
        let case = format!("unit MTTF {mttf} h, MTTR {mttr} h, horizon {horizon} h");

        let exact = unit_interval_availability(lambda, mu, horizon);
        let a = report.availability;
        assert_close(&format!("{case}: availability"), a.mean, a.std_error, exact);

        // Every failure of a lone unit is an outage, so the outage count is the failure
        // count and carries a standard error.
        let failures = per_year(lambda * horizon * exact, horizon);
        let outages = report.outages_per_year;
        assert_close(
            &format!("{case}: failures per year"),
            outages.mean,
            outages.std_error,
            failures,
        );
        let tier_failures = report.tiers[0].failures_per_year;
        assert!(
            (tier_failures - outages.mean).abs() <= 1e-12 * outages.mean,
            "{case}: the tier reports {tier_failures} failures per year, the service {} outages",
            outages.mean
        );

        let steady = mu / (lambda + mu);
        if (exact - steady).abs() > 0.01 {
            let z = (a.mean - steady) / a.std_error;
            assert!(
                z.abs() > 10.0,
                "{case}: the estimate {:.6} cannot tell the interval availability {exact:.6} from the steady state \
                 {steady:.6} (z = {z:.1} against the steady state)",
                a.mean
            );
        }
    }
}

#[test]
fn weibull_unit_with_lognormal_repairs_matches_steady_state() {
    use statrs::function::gamma::gamma;

    // Weibull(k = 1.5, η) with η chosen for an MTTF of 1000 h.
    let (shape, scale) = (1.5, 1000.0 / gamma(1.0 + 1.0 / 1.5));
    let ttf = Distribution::weibull(shape, scale).expect("valid weibull");
    let (median, sigma) = (6.0, 0.8);
    let ttr = Distribution::lognormal(median, sigma).expect("valid lognormal");
    let tier = Tier::builder("unit")
        .with_failure(FailureMode::new("wear-out", ttf.clone(), ttr.clone()))
        .build()
        .expect("valid tier");
    let horizon = 200.0 * HOURS_PER_YEAR;
    let report = simulate(vec![tier], horizon, 1000, 201);

    // Alternating renewal process: up X (Weibull), down Y (lognormal), cycle C = X + Y.
    let (up, down) = (ttf.mean(), ttr.mean());
    let cycle = up + down;
    let steady = up / cycle;
    // Second moments, for the as-new correction: E[X²] = η²·Γ(1 + 2/k),
    // E[Y²] = m²·e^{2σ²}; E[C²] = E[X²] + 2·E[X]·E[Y] + E[Y²].
    let up2 = scale * scale * gamma(1.0 + 2.0 / shape);
    let down2 = median * median * (2.0 * sigma * sigma).exp();
    let cycle2 = up2 + 2.0 * up * down + down2;
    // Starting new and up at 0 rather than in equilibrium biases the interval
    // availability by O(1/T). From the Laplace transform of P(down at t) (renewal
    // equation, expanded to second order at s = 0):
    //   E[downtime in [0, T]] = U·T + κ + o(1),
    //   κ = (U·E[C²] − 2·E[X]·E[Y] − E[Y²]) / (2·E[C]),   U = E[Y]/E[C],
    // (for exponential X and Y, κ = −λ/(λ+μ)², the transient of the closed form in
    // `unit_interval_availability`). Here κ ≈ −2.25 h, so the bias −κ/T ≈ 1.3e-6 on
    // the availability, about 0.2 se. The exact value compared with is the steady
    // state, and |κ|/T is allowed on top of 4 se; the allowance covers the whole bias
    // since the o(1) remainder, −∫_T^∞ (P(down at t) − U) dt, is negligible after
    // some 1700 cycles.
    let kappa = ((down / cycle) * cycle2 - 2.0 * up * down - down2) / (2.0 * cycle);
    let a = report.availability;
    let what = format!("Weibull/lognormal unit, MTTF {up:.3} h, MTTR {down:.4} h: availability");
    assert_within(&what, a.mean, a.std_error, steady, kappa.abs() / horizon);

    // Failures (= outages): failure epochs are a delayed renewal process (first at X,
    // then every C), so E[N(T)] = T/E[C] + E[C²]/(2·E[C]²) − E[X]/E[C] + o(1) (again
    // λ²/(λ+μ)² for exponentials, as in `single_exponential_unit_...`): about −0.27
    // failures per 200-year replication, 0.3 se; allowed on top of 4 se.
    let count_offset = cycle2 / (2.0 * cycle * cycle) - up / cycle;
    let outages = report.outages_per_year;
    let what = "Weibull/lognormal unit: failures per year";
    let exact = per_year(horizon / cycle, horizon);
    assert_within(
        what,
        outages.mean,
        outages.std_error,
        exact,
        per_year(count_offset.abs(), horizon),
    );
}

#[test]
fn series_tiers_match_product_of_unit_availabilities() {
    // Three independent exponential units in series: (name, MTTF, MTTR) [h].
    let units = [("lb", 1000.0, 10.0), ("app", 500.0, 4.0), ("db", 2000.0, 30.0)];
    let horizon = HOURS_PER_YEAR;
    let tiers = units
        .iter()
        .map(|&(name, mttf, mttr)| group(name, 1, 1, mttf, mttr))
        .collect();
    let report = simulate(tiers, horizon, 100_000, 301);

    let all_up = |t: f64| -> f64 {
        units
            .iter()
            .map(|&(_, mttf, mttr)| unit_availability(1.0 / mttf, 1.0 / mttr, t))
            .product()
    };
    let exact = time_average(all_up, horizon);
    let a = report.availability;
    assert_close(
        "three exponential tiers in series: availability",
        a.mean,
        a.std_error,
        exact,
    );

    // An outage starts when any tier fails while all are up: rate Σλ_i · Π A_j(t).
    let total_rate: f64 = units.iter().map(|&(_, mttf, _)| 1.0 / mttf).sum();
    let exact = per_year(total_rate * horizon * exact, horizon);
    let outages = report.outages_per_year;
    assert_close(
        "three exponential tiers in series: outages per year",
        outages.mean,
        outages.std_error,
        exact,
    );
}

#[test]
fn k_of_n_with_unlimited_repairs_matches_binomial() {
    // Replicas with independent repairs are independent units: the tier is up while
    // Binomial(n, A(t)) ≥ k, and goes down when one of exactly k up replicas fails,
    // at rate P(exactly k up at t)·k·λ.
    let (mttf, mttr, horizon) = (100.0, 10.0, HOURS_PER_YEAR);
    let (lambda, mu) = (1.0 / mttf, 1.0 / mttr);
    for (k, n, replications, seed) in [(1, 2, 50_000, 401), (2, 3, 50_000, 402)] {
        let report = simulate(vec![group("db", n, k, mttf, mttr)], horizon, replications, seed);
        let case = format!("{k}-of-{n}, MTTF {mttf} h, MTTR {mttr} h, unlimited crews");

        let exact = time_average(|t| binomial_at_least(n, k, unit_availability(lambda, mu, t)), horizon);
        let a = report.availability;
        assert_close(&format!("{case}: availability"), a.mean, a.std_error, exact);

        let down_rate = |t| binomial_exactly(n, k, unit_availability(lambda, mu, t)) * f64::from(k) * lambda;
        let exact = per_year(horizon * time_average(down_rate, horizon), horizon);
        let outages = report.outages_per_year;
        assert_close(
            &format!("{case}: outages per year"),
            outages.mean,
            outages.std_error,
            exact,
        );
    }
}

#[test]
fn k_of_n_with_shared_crews_matches_birth_death_chain() {
    // With r crews, the number of failed replicas is a birth–death chain (see
    // `ctmc::replica_group_chain`); up states are i ≤ n − k. The tier goes down from
    // state n − k at rate k·λ. When the only down state is i = n (k = 1), an outage is
    // one sojourn there, exponential with mean 1/(min(n, r)·μ): the mean down time.
    let (mttf, mttr, horizon) = (100.0, 10.0, HOURS_PER_YEAR);
    let (lambda, mu) = (1.0 / mttf, 1.0 / mttr);
    for (k, n, crews, replications, seed) in [(2, 3, 1, 50_000, 501), (1, 3, 2, 50_000, 502), (1, 2, 1, 50_000, 503)] {
        let tier = Tier::builder("db")
            .with_replicas(n)
            .with_required(k)
            .with_repair_crews(crews)
            .with_failure(crash(mttf, mttr))
            .build()
            .expect("valid tier");
        let report = simulate(vec![tier], horizon, replications, seed);
        let case = format!("{k}-of-{n}, MTTF {mttf} h, MTTR {mttr} h, repair crews: {crews}");
        let (n, k, crews) = (n as usize, k as usize, crews as usize);
        let occupancy = integrated_occupancy(&replica_group_chain(n, lambda, mu, crews), &all_up(n), horizon);

        let exact = occupancy[..=n - k].iter().sum::<f64>() / horizon;
        let a = report.availability;
        assert_close(&format!("{case}: availability"), a.mean, a.std_error, exact);

        let exact = per_year(occupancy[n - k] * k as f64 * lambda, horizon);
        let outages = report.outages_per_year;
        assert_close(
            &format!("{case}: outages per year"),
            outages.mean,
            outages.std_error,
            exact,
        );

        if k == 1 {
            // An outage still running at T is cut there. For an exponential sojourn of
            // mean m started at s, E[min(D, T − s)] = m·(1 − e^{−(T−s)/m}) and
            // P(cut) = e^{−(T−s)/m}, so Σ (duration_j − m·[not cut_j]) has mean 0, and
            // each term's variance is at most m² (d/dr of the second moment is
            // e^{−r/m} > 0, up to m² as r → ∞). Hence the mean duration over `count`
            // outages, of which `cut` were cut, is m·(1 − cut/count) with a standard
            // error of at most m/√count.
            let mean = 1.0 / (n.min(crews) as f64 * mu);
            let durations = report.outage_duration_hours;
            let count = durations.count as f64;
            let exact = mean * (1.0 - durations.cut_at_window_edges as f64 / count);
            let se = mean / count.sqrt();
            assert_close(&format!("{case}: mean down time"), durations.mean, se, exact);
        }
    }
}

#[test]
fn tier_scope_failure_mode_matches_independent_product() {
    // A 1-of-2 tier with a replica-scope crash and a tier-scope failure (a bad config
    // push). Replicas keep failing and being repaired during a tier-scope outage, so
    // the tier-scope process and the replicas are independent:
    // A(t) = A_tier(t)·P(Binomial(2, A_replica(t)) ≥ 1). The tier goes down when the
    // tier-scope failure hits while a replica is up, or the last replica fails while
    // the tier-scope process is up: rate A_tier(t)·(λ_tier·P(≥ 1 up) + λ·P(1 up)).
    let (mttf, mttr) = (100.0, 10.0);
    let (tier_mttf, tier_mttr) = (2000.0, 4.0);
    let (lambda, mu) = (1.0 / mttf, 1.0 / mttr);
    let (tier_lambda, tier_mu) = (1.0 / tier_mttf, 1.0 / tier_mttr);
    let horizon = HOURS_PER_YEAR;
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_required(1)
        .with_failure(crash(mttf, mttr))
        .with_failure(
            FailureMode::new("config push", exponential(tier_mttf), exponential(tier_mttr)).with_scope(Scope::Tier),
        )
        .build()
        .expect("valid tier");
    let report = simulate(vec![tier], horizon, 50_000, 601);
    let case = "1-of-2 with a tier-scope mode";

    let tier_up = |t| unit_availability(tier_lambda, tier_mu, t);
    let replica_up = |t| unit_availability(lambda, mu, t);
    let exact = time_average(|t| tier_up(t) * binomial_at_least(2, 1, replica_up(t)), horizon);
    let a = report.availability;
    assert_close(&format!("{case}: availability"), a.mean, a.std_error, exact);

    let down_rate = |t| {
        let p = replica_up(t);
        tier_up(t) * (tier_lambda * binomial_at_least(2, 1, p) + lambda * binomial_exactly(2, 1, p))
    };
    let exact = per_year(horizon * time_average(down_rate, horizon), horizon);
    let outages = report.outages_per_year;
    assert_close(
        &format!("{case}: outages per year"),
        outages.mean,
        outages.std_error,
        exact,
    );
}

#[test]
fn per_tier_report_matches_each_tiers_own_availability() {
    // Two independent exponential units in series: (name, MTTF, MTTR) [h].
    let units = [("app", 1000.0, 10.0), ("db", 2000.0, 40.0)];
    let horizon = HOURS_PER_YEAR;
    let replications = 100_000;
    let tiers = units
        .iter()
        .map(|&(name, mttf, mttr)| group(name, 1, 1, mttf, mttr))
        .collect();
    let report = simulate(tiers, horizon, replications, 701);

    // The shares are normalised by their own sum (every hour of service downtime is
    // split among the tiers down), so this holds by construction up to rounding; it
    // still catches a tier left out, a NaN or a change of normalisation.
    let shares: f64 = report.tiers.iter().map(|t| t.downtime_share).sum();
    assert!(
        (shares - 1.0).abs() <= 1e-12,
        "downtime shares add up to {shares}, not 1"
    );

    // The split rule, exactly: with D_x the hours tier x is down, B the hours both are
    // down and S the service downtime (S = D_app + D_db − B), "app" is charged
    // D_app − B/2 and "db" D_db − B/2, so share_app − share_db = (D_app − D_db)/S. In
    // fractions of the total simulated time this is an identity between reported means
    // (no sampling error): share_app − share_db = (U_app − U_db)/U_service.
    let (app, db) = (&report.tiers[0], &report.tiers[1]);
    let difference = app.downtime_share - db.downtime_share;
    let expected = (app.unavailability - db.unavailability) / report.unavailability.mean;
    assert!(
        (difference - expected).abs() <= 1e-10,
        "share_app − share_db = {difference:.12}, but (U_app − U_db)/U_service = {expected:.12}: \
         downtime when both tiers are down is not split equally"
    );

    // The report gives no standard error for a tier's own unavailability or failure
    // count. Each tier on its own (a one-tier service, another seed) has the same
    // per-replication distribution of its downtime and failures, so the standard
    // errors of that run's service unavailability and outages per year are estimates
    // of the standard errors of the tier's figures here (within about 1 % at these
    // replication counts). That run is itself checked against the exact value.
    for (index, &(name, mttf, mttr)) in units.iter().enumerate() {
        let (lambda, mu) = (1.0 / mttf, 1.0 / mttr);
        let alone = simulate(
            vec![group(name, 1, 1, mttf, mttr)],
            horizon,
            replications,
            711 + index as u64,
        );
        let exact = 1.0 - unit_interval_availability(lambda, mu, horizon);
        let tier = &report.tiers[index];
        assert_eq!(tier.name, name);
        let se = alone.unavailability.std_error;
        assert_close(
            &format!("tier {name} alone: unavailability"),
            alone.unavailability.mean,
            se,
            exact,
        );
        assert_close(
            &format!("tier {name} in series: unavailability"),
            tier.unavailability,
            se,
            exact,
        );
        let failures = per_year(lambda * horizon * (1.0 - exact), horizon);
        let se = alone.outages_per_year.std_error;
        assert_close(
            &format!("tier {name} in series: failures per year"),
            tier.failures_per_year,
            se,
            failures,
        );
    }

    // Downtime shares: tier i is charged the time it is down while the other is up,
    // and half the time both are down, so the exact share of "app" is
    //   e = ∫ q_app(1 − q_db) + ½·q_app·q_db dt / ∫ 1 − (1 − q_app)(1 − q_db) dt,
    // with q = 1 − A(t). The report's share is a ratio of sums over replications,
    // Σ a_r / Σ d_r (a_r: hours charged to the tier, d_r: service downtime). Its
    // deviation is Σ (a_r − e·d_r) / Σ d_r, whose terms have mean 0 and, as
    // 0 ≤ a_r ≤ d_r, |a_r − e·d_r| ≤ max(e, 1 − e)·d_r. So by the delta method its
    // standard error is at most max(e, 1 − e)·√(E[d²]/R) / E[d]: conservative (it
    // assumes the worst split within each replication), taken from the spread of the
    // yearly downtime.
    let down = |i: usize, t: f64| 1.0 - unit_availability(1.0 / units[i].1, 1.0 / units[i].2, t);
    let charged = time_average(
        |t| down(0, t) * (1.0 - down(1, t)) + 0.5 * down(0, t) * down(1, t),
        horizon,
    );
    let service_down = time_average(|t| 1.0 - (1.0 - down(0, t)) * (1.0 - down(1, t)), horizon);
    let exact = charged / service_down;
    let d = report.downtime_hours_per_year;
    let se = exact.max(1.0 - exact) * (d.std * d.std + d.mean * d.mean).sqrt() / d.mean / (replications as f64).sqrt();
    assert_close(
        "tier app in series: downtime share",
        report.tiers[0].downtime_share,
        se,
        exact,
    );
}
