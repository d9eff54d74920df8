//! A small continuous-time Markov chain solver, the reference for the validation tests
//! of models that are Markov but not a product of independent units (shared repair
//! crews).
//!
//! It computes the time-integrated occupancy `∫₀ᵀ p(t) dt` of a finite chain with
//! generator `Q`, where `p(t) = p0·e^{Qt}` is the row vector of state probabilities.
//! `[0, T]` is cut into equal steps of length `h` with `‖Q‖∞·h ≤ 1/2`; for one step the
//! matrices `E = e^{Qh}` and `I = ∫₀ʰ e^{Qs} ds = h·Σ_j (Qh)^j/(j+1)!` come from their
//! Taylor series, summed until a term is below 1e-18 (with `‖Qh‖∞ ≤ 1/2` the terms are
//! bounded by `2^-j/j!`, so there is no cancellation to speak of). Then
//! `∫ p += p·I; p = p·E` step by step. Each step is exact up to rounding, so the result
//! is accurate to about (number of steps)·1e-16 relative; `solver_is_converged_in_its_step`
//! checks that halving the step changes nothing that matters.

/// `max_i Σ_j |q_ij|`.
fn infinity_norm(q: &[Vec<f64>]) -> f64 {
    q.iter()
        .map(|row| row.iter().map(|x| x.abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// `a·b` for square matrices.
fn multiply(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len();
    (0..n)
        .map(|i| (0..n).map(|j| (0..n).map(|k| a[i][k] * b[k][j]).sum()).collect())
        .collect()
}

/// The row vector `p·m`.
fn row_times(p: &[f64], m: &[Vec<f64>]) -> Vec<f64> {
    (0..p.len())
        .map(|j| p.iter().zip(m).map(|(pi, row)| pi * row[j]).sum())
        .collect()
}

/// Panics unless `q` is a square generator (non-negative off-diagonal rates, rows
/// summing to 0) and `p0` a probability vector of matching length.
fn check(q: &[Vec<f64>], p0: &[f64]) {
    let n = q.len();
    assert_eq!(p0.len(), n, "p0 has {} states, Q has {n}", p0.len());
    let scale = infinity_norm(q).max(f64::MIN_POSITIVE);
    for (i, row) in q.iter().enumerate() {
        assert_eq!(row.len(), n, "row {i} of Q has {} entries, expected {n}", row.len());
        for (j, &x) in row.iter().enumerate() {
            assert!(x.is_finite() && (i == j || x >= 0.0), "Q[{i}][{j}] = {x}");
        }
        let sum: f64 = row.iter().sum();
        assert!(sum.abs() <= 1e-12 * scale, "row {i} of Q sums to {sum}, not 0");
    }
    assert!(p0.iter().all(|&p| p >= 0.0), "p0 has a negative entry: {p0:?}");
    let total: f64 = p0.iter().sum();
    assert!((total - 1.0).abs() <= 1e-12, "p0 sums to {total}, not 1");
}

/// `(e^{Qh}, ∫₀ʰ e^{Qs} ds)` from their Taylor series; requires `‖Qh‖∞ ≤ 1/2`.
fn step_matrices(q: &[Vec<f64>], h: f64) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let n = q.len();
    let a: Vec<Vec<f64>> = q.iter().map(|row| row.iter().map(|x| x * h).collect()).collect();
    assert!(infinity_norm(&a) <= 0.5 + 1e-12, "step too long for the Taylor series");
    let identity: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    // term = A^j / j!; exp = Σ term; integral = h·Σ term / (j + 1).
    let mut term = identity.clone();
    let mut exp = identity.clone();
    let mut integral: Vec<Vec<f64>> = identity.iter().map(|row| row.iter().map(|x| x * h).collect()).collect();
    for j in 1..=60 {
        term = multiply(&term, &a);
        term.iter_mut().flatten().for_each(|x| *x /= f64::from(j));
        for i in 0..n {
            for k in 0..n {
                exp[i][k] += term[i][k];
                integral[i][k] += term[i][k] * h / f64::from(j + 1);
            }
        }
        if infinity_norm(&term) < 1e-18 {
            return (exp, integral);
        }
    }
    panic!("Taylor series of e^(Qh) did not converge")
}

/// `∫₀ᵀ p(t) dt` for the chain with generator `q` started in `p0`, with steps no longer
/// than `max_step` (and no longer than the Taylor series allows).
pub fn integrated_occupancy_with_step(q: &[Vec<f64>], p0: &[f64], horizon: f64, max_step: f64) -> Vec<f64> {
    evolve_with_step(q, p0, horizon, max_step).0
}

/// `(∫₀ᵀ p(t) dt, p(T))`, in steps no longer than `max_step`.
fn evolve_with_step(q: &[Vec<f64>], p0: &[f64], horizon: f64, max_step: f64) -> (Vec<f64>, Vec<f64>) {
    check(q, p0);
    assert!(horizon > 0.0 && max_step > 0.0, "horizon {horizon}, step {max_step}");
    let norm = infinity_norm(q);
    let max_step = if norm > 0.0 { max_step.min(0.5 / norm) } else { max_step };
    let steps = (horizon / max_step).ceil().max(1.0);
    let (exp, integral) = step_matrices(q, horizon / steps);
    let mut p = p0.to_vec();
    let mut occupancy = vec![0.0; p.len()];
    for _ in 0..steps as u64 {
        for (total, part) in occupancy.iter_mut().zip(row_times(&p, &integral)) {
            *total += part;
        }
        p = row_times(&p, &exp);
    }
    (occupancy, p)
}

/// `∫₀ᵀ p(t) dt` for the chain with generator `q` started in `p0` (hours in each state
/// over `[0, T]`, in expectation).
pub fn integrated_occupancy(q: &[Vec<f64>], p0: &[f64], horizon: f64) -> Vec<f64> {
    integrated_occupancy_with_step(q, p0, horizon, f64::INFINITY)
}

/// `(∫₀ᵀ p(t) dt, p(T))` for the chain with generator `q` started in `p0`: the hours in
/// each state over `[0, T]` and the state probabilities at `T`.
pub fn evolve(q: &[Vec<f64>], p0: &[f64], horizon: f64) -> (Vec<f64>, Vec<f64>) {
    evolve_with_step(q, p0, horizon, f64::INFINITY)
}

/// The generator of `n` identical replicas with exponential failures (rate `lambda`
/// each, while up) and exponential repairs (rate `mu`), at most `crews` repairs at a
/// time, the others waiting: a birth–death chain whose state `i` (0..=n) is the number
/// of failed replicas, with rates `i → i+1` of `(n−i)·λ` and `i → i−1` of
/// `min(i, crews)·μ`.
pub fn replica_group_chain(n: usize, lambda: f64, mu: f64, crews: usize) -> Vec<Vec<f64>> {
    let mut q = vec![vec![0.0; n + 1]; n + 1];
    for i in 0..=n {
        if i < n {
            q[i][i + 1] = (n - i) as f64 * lambda;
        }
        if i > 0 {
            q[i][i - 1] = i.min(crews) as f64 * mu;
        }
        q[i][i] = -q[i].iter().sum::<f64>();
    }
    q
}

/// The distribution concentrated on state 0 (everything new and up) of an `n + 1`-state
/// chain.
pub fn all_up(n: usize) -> Vec<f64> {
    let mut p0 = vec![0.0; n + 1];
    p0[0] = 1.0;
    p0
}

/// The generator of a chain on `states` states with the given `(from, to, rate)`
/// transitions (rates of one pair add up); the diagonal makes each row sum to 0.
pub fn generator(states: usize, transitions: &[(usize, usize, f64)]) -> Vec<Vec<f64>> {
    let mut q = vec![vec![0.0; states]; states];
    for &(from, to, rate) in transitions {
        assert!(from != to && rate >= 0.0, "transition {from} → {to} at rate {rate}");
        q[from][to] += rate;
    }
    for (i, row) in q.iter_mut().enumerate() {
        row[i] = -row.iter().sum::<f64>();
    }
    q
}

/// Solves the row system `x·Q = b` together with `Σ x = total`, for the generator `q`
/// of an irreducible chain (rank n − 1): the last column of `Q` is redundant (rows sum
/// to 0), so it is replaced by the normalisation. Gaussian elimination with partial
/// pivoting on the transposed system.
fn solve_with_total(q: &[Vec<f64>], b: &[f64], total: f64) -> Vec<f64> {
    let n = q.len();
    // Row i of the augmented matrix is equation i: Σ_j x_j·Q[j][i] = b_i (i < n − 1),
    // and Σ_j x_j = total (i = n − 1).
    let mut a: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut row: Vec<f64> = (0..n).map(|j| if i + 1 < n { q[j][i] } else { 1.0 }).collect();
            row.push(if i + 1 < n { b[i] } else { total });
            row
        })
        .collect();
    for column in 0..n {
        let pivot = (column..n)
            .max_by(|&r, &s| a[r][column].abs().total_cmp(&a[s][column].abs()))
            .expect("a row to pivot on");
        assert!(
            a[pivot][column].abs() > 1e-300,
            "singular system: is the chain irreducible?"
        );
        a.swap(column, pivot);
        let pivot_row = a[column].clone();
        for (r, row) in a.iter_mut().enumerate() {
            let factor = row[column] / pivot_row[column];
            if r != column && factor != 0.0 {
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(column) {
                    *x -= factor * p;
                }
            }
        }
    }
    (0..n).map(|i| a[i][n] / a[i][i]).collect()
}

/// The stationary distribution `π` of an irreducible chain: `π·Q = 0`, `Σ π = 1`.
pub fn steady_state(q: &[Vec<f64>]) -> Vec<f64> {
    let n = q.len();
    check(q, &all_up(n - 1));
    solve_with_total(q, &vec![0.0; n], 1.0)
}

/// `∫₀^∞ (p(t) − π) dt` for the irreducible chain `q` started in `p0`: the hours each
/// state gets beyond (or short of) its stationary share, over a whole history. It
/// solves `x·Q = π − p0` with `Σ x = 0` (integrate `ṗ = p·Q` from 0 to ∞, and note
/// `π·Q = 0`). So the expected hours in state `i` over `[0, T]` are
/// `π_i·T + x_i + O(e^{−g·T})`, `g` the chain's spectral gap: the steady state plus the
/// as-new correction.
pub fn excess_occupancy(q: &[Vec<f64>], p0: &[f64]) -> Vec<f64> {
    check(q, p0);
    let pi = steady_state(q);
    let rhs: Vec<f64> = pi.iter().zip(p0).map(|(p, s)| p - s).collect();
    solve_with_total(q, &rhs, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::{binomial_at_least, time_average, unit_availability, unit_interval_availability};

    /// (MTTF, MTTR, horizon) [h]: the cases of `single_exponential_unit_matches_interval_availability`.
    const UNITS: [(f64, f64, f64); 2] = [(1000.0, 10.0, 8760.0), (200.0, 20.0, 100.0)];

    #[test]
    fn solver_matches_single_unit_closed_form() {
        for (mttf, mttr, horizon) in UNITS {
            let (lambda, mu) = (1.0 / mttf, 1.0 / mttr);
            let occupancy = integrated_occupancy(&replica_group_chain(1, lambda, mu, 1), &all_up(1), horizon);
            let exact = unit_interval_availability(lambda, mu, horizon);
            let up = occupancy[0] / horizon;
            assert!(
                (up - exact).abs() <= 1e-12,
                "MTTF {mttf}: solver {up:.15}, exact {exact:.15}"
            );
            let total = (occupancy[0] + occupancy[1]) / horizon;
            assert!((total - 1.0).abs() <= 1e-12, "occupancy sums to {total} of the horizon");
        }
    }

    #[test]
    fn solver_is_converged_in_its_step() {
        // A 2-of-3 group with one crew; the default step, then steps 2 and 4 times
        // shorter (more steps means more rounding, nothing else).
        let q = replica_group_chain(3, 0.01, 0.1, 1);
        let horizon = 8760.0;
        let coarse = integrated_occupancy(&q, &all_up(3), horizon);
        let step = 0.5 / infinity_norm(&q);
        for divisor in [2.0, 4.0] {
            let fine = integrated_occupancy_with_step(&q, &all_up(3), horizon, step / divisor);
            for (i, (c, f)) in coarse.iter().zip(&fine).enumerate() {
                assert!(
                    (c - f).abs() <= 1e-12 * horizon,
                    "state {i}: {c} vs {f} (step / {divisor})"
                );
            }
        }
    }

    #[test]
    fn steady_state_and_excess_match_long_horizon_occupancy() {
        // A 1-of-3 group with two crews: the stationary law of a birth–death chain is
        // the product of its rate ratios, π_i ∝ Π_{j<i} (n−j)·λ / (min(j+1, r)·μ).
        let (n, lambda, mu, crews) = (3, 0.01, 0.1, 2);
        let q = replica_group_chain(n, lambda, mu, crews);
        let mut weights = vec![1.0];
        for j in 0..n {
            let ratio = (n - j) as f64 * lambda / ((j + 1).min(crews) as f64 * mu);
            weights.push(weights[j] * ratio);
        }
        let total: f64 = weights.iter().sum();
        let pi = steady_state(&q);
        for (i, (p, w)) in pi.iter().zip(&weights).enumerate() {
            assert!(
                (p - w / total).abs() <= 1e-15,
                "state {i}: solver {p}, closed form {}",
                w / total
            );
        }
        // Over a horizon much longer than the transients (1/gap of about 10 h), the
        // occupancy is π·T plus the excess, to rounding.
        let horizon = 5000.0;
        let occupancy = integrated_occupancy(&q, &all_up(n), horizon);
        let excess = excess_occupancy(&q, &all_up(n));
        assert!(excess.iter().sum::<f64>().abs() <= 1e-12, "excess sums to {excess:?}");
        for (i, (o, (p, x))) in occupancy.iter().zip(pi.iter().zip(&excess)).enumerate() {
            assert!(
                (o - (p * horizon + x)).abs() <= 1e-9,
                "state {i}: occupancy {o}, π·T + excess {}",
                p * horizon + x
            );
        }
    }

    #[test]
    fn chain_with_a_crew_per_replica_matches_independent_replicas() {
        // With as many crews as replicas, the replicas are independent: the chain's
        // up-time fraction of a k-of-n group is the time average of
        // P(Binomial(n, A(t)) >= k), computed by a different method.
        let (lambda, mu, horizon) = (0.01, 0.1, 8760.0);
        for (n, k) in [(2, 1), (3, 2), (3, 1)] {
            let occupancy = integrated_occupancy(&replica_group_chain(n, lambda, mu, n), &all_up(n), horizon);
            let chain: f64 = occupancy[..=n - k].iter().sum::<f64>() / horizon;
            let independent = time_average(
                |t| binomial_at_least(n as u32, k as u32, unit_availability(lambda, mu, t)),
                horizon,
            );
            assert!(
                (chain - independent).abs() <= 1e-11,
                "{k}-of-{n}: chain {chain:.15}, independent replicas {independent:.15}"
            );
        }
    }
}
