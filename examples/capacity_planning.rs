//! Capacity planning: how many replicas, and how often to drill failover, to reach
//! 99.99 % (53 minutes of downtime a year) for a given failure profile, at the lowest
//! cost; and the cost curve around that choice.
//!
//! Run with `cargo run --release --example capacity_planning [OUTPUT_DIR]`; the charts
//! go to OUTPUT_DIR (default `target/examples/capacity_planning`).

mod support;

use nines::{Costs, Failover, FailureMode, Service, Simulation, Sla, StandbyFailures, Tier, format_money};

/// Drill intervals to try [h], with a name; `None` is never.
const DRILLS: [(Option<f64>, &str); 4] = [
    (None, "never drilled"),
    (Some(2160.0), "drilled quarterly"),
    (Some(720.0), "drilled monthly"),
    (Some(168.0), "drilled weekly"),
];

/// What one drill costs in staff time [USD].
const DRILL_COST: f64 = 400.0;

fn option(replicas: u32, drill: Option<f64>, drill_name: &str) -> Result<Service, Box<dyn std::error::Error>> {
    let mut failover = Failover::new()
        .with_detection("30s".parse()?)
        .with_switchover("2m".parse()?)
        .with_success(0.98)
        .with_manual_recovery("lognormal(median=30m, sigma=0.5)".parse()?)
        .with_standby_failures(StandbyFailures::Latent);
    let mut drills_per_year = 0.0;
    if let Some(every) = drill {
        failover = failover.with_test_every(every);
        drills_per_year = nines::HOURS_PER_YEAR / every;
    }
    let tier = Tier::builder("service")
        .with_replicas(replicas)
        .with_failover(failover)
        .with_cost_per_replica(25_000.0)
        .with_fixed_cost(drills_per_year * DRILL_COST)
        .with_failure(FailureMode::new(
            "host failure",
            "exp(mean=2000h)".parse()?,
            "lognormal(median=8h, sigma=0.7)".parse()?,
        ))
        .build()?;
    Ok(Service::new(format!("{replicas} replicas, {drill_name}"), vec![tier])?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = support::output_dir("capacity_planning")?;
    let mut options = Vec::new();
    for replicas in 2..=4 {
        for (every, name) in DRILLS {
            options.push(option(replicas, every, name)?);
        }
    }
    let simulation = Simulation::new()
        .with_replications(20_000)
        .with_seed(5)
        .with_costs(Costs::new("USD").with_downtime_per_hour(20_000.0))
        .with_sla(Sla::Availability(0.9999));
    let report = simulation.run_options("reaching 99.99 %", &options)?;
    print!("{}", report.comparison_table());

    let met: Vec<&str> = report
        .options
        .iter()
        .filter(|o| o.sla.is_some_and(|s| s.met))
        .map(|o| o.name.as_str())
        .collect();
    let recommendation = report.recommendation.as_ref().ok_or("no recommendation")?;
    let chosen = report
        .option(&recommendation.option)
        .ok_or("recommended option missing")?;
    // Without drills, silent standby failures keep even four replicas from 99.99 %...
    for replicas in 2..=4 {
        let never = report
            .option(&format!("{replicas} replicas, never drilled"))
            .ok_or("missing option")?;
        let monthly = report
            .option(&format!("{replicas} replicas, drilled monthly"))
            .ok_or("missing option")?;
        assert!(never.sla.is_some_and(|s| !s.met), "{replicas} replicas, never drilled");
        assert!(
            never.downtime_hours_per_year.mean > monthly.downtime_hours_per_year.mean,
            "{replicas} replicas"
        );
    }
    // ...and the cheapest way to reach it meets the target in expectation.
    assert!(!met.is_empty(), "no option reaches 99.99 %");
    assert!(met.contains(&chosen.name.as_str()));
    assert!(chosen.availability.mean >= 0.9999);
    println!(
        "\n{} options reach 99.99 %; the cheapest is \"{}\": {:.4} % available, {:.0} min down a year, \
         {} a year all told.",
        met.len(),
        chosen.name,
        100.0 * chosen.availability.mean,
        60.0 * chosen.downtime_hours_per_year.mean,
        chosen
            .cost
            .as_ref()
            .map_or_else(|| "-".to_owned(), |c| format_money(c.total.mean, &c.currency))
    );
    support::write_charts(&dir, &report, &simulation, &options)?;
    println!("(charts: {})", dir.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    /// `cargo test --release --examples` runs the story and its assertions.
    #[test]
    fn the_story_holds() {
        super::main().expect("the example runs and what it claims holds");
    }
}
