//! What testing failover buys: a primary and a standby whose failures go unnoticed
//! until a drill or a real failure tries it, never drilled or drilled every week,
//! month, quarter, half year or year. A drill is itself a two-minute outage, so
//! drilling too often costs more than it finds.
//!
//! Run with `cargo run --release --example untested_failover [OUTPUT_DIR]`; the charts
//! go to OUTPUT_DIR (default `target/examples/untested_failover`).

mod support;

use nines::{Format, OptionReport, Scenario, format_money};

/// The database as written is never drilled (no `test_every`); the sweep adds drills.
const DATABASE: &str = r#"
name = "database failover"
[simulation]
replications = 50000
seed = 7
[costs]
currency = "USD"
downtime_per_hour = 50000
[sla]
availability = 0.9995
[[tier]]
name = "database"
replicas = 2
strategy = "failover"
cost_per_replica = 30000
[tier.failover]
detection = "1m"
switchover = "3m"
success = 0.97
manual_recovery = "lognormal(median=45m, sigma=0.6)"
standby_failures = "latent"
test_duration = "2m"           # a drill is a planned switchover: a short outage
[[tier.failure]]
name = "host failure"
every = "exp(mean=4000h)"
repair = "lognormal(median=6h, sigma=0.8)"
"#;

/// Whether `a` is down longer than `b` on average by more than four standard errors
/// of the difference, taken as if the two were independent (they share their random
/// numbers, which usually makes the difference less noisy still). The horizon is one
/// year, so the standard error of the downtime per year is that of the
/// unavailability times the hours of a year.
fn clearly_longer(a: &OptionReport, b: &OptionReport) -> bool {
    let se = |o: &OptionReport| o.unavailability.std_error * nines::HOURS_PER_YEAR;
    let gap = a.downtime_hours_per_year.mean - b.downtime_hours_per_year.mean;
    gap > 4.0 * (se(a).powi(2) + se(b).powi(2)).sqrt()
}

fn cost(option: &OptionReport) -> f64 {
    option.cost.as_ref().map_or(f64::NAN, |c| c.total.mean)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = support::output_dir("untested_failover")?;
    let scenario = Scenario::parse(DATABASE, Format::Toml, "untested_failover.rs")?;
    let untested = scenario.run()?;
    let never = untested.options.first().ok_or("no option")?;
    let sweep = scenario.sweep("tier.database.failover.test_every=7d,30d,90d,180d,1y")?;
    let report = sweep.run()?;
    print!("{}", report.comparison_table());

    let by_interval: Vec<_> = report.options.iter().chain([never]).collect();
    let (weekly, monthly, yearly) = (by_interval[0], by_interval[1], by_interval[4]);
    // A standby that nobody watches is dead at a demand more often the longer it goes
    // untested: from weekly drills to none at all, ever more failovers find it dead.
    for pair in by_interval.windows(2) {
        assert!(
            pair[0].failover.dead_standby_per_year < pair[1].failover.dead_standby_per_year,
            "{} vs {}",
            pair[0].name,
            pair[1].name
        );
    }
    // In service, even a yearly drill finds some dead standbys first and saves downtime...
    assert!(yearly.failover.latent_found_per_year > 0.0);
    assert!(clearly_longer(never, yearly), "never vs yearly");
    // ...and monthly drills save much more.
    assert!(clearly_longer(yearly, monthly), "yearly vs monthly");
    // Weekly drills find still more, but 52 two-minute drills cost more than they save.
    assert!(clearly_longer(weekly, monthly), "weekly vs monthly");
    let recommended = report.recommendation.as_ref().map(|r| r.option.as_str());
    assert_eq!(recommended, Some(monthly.name.as_str()));
    assert!(cost(never) > cost(yearly) && cost(yearly) > cost(monthly));

    println!(
        "\nNever drilled, {:.2} failovers a year find a dead standby and the database is down {:.1} h a year \
         ({} a year all told);\n\
         drilled yearly, {:.2} and {:.1} h; monthly, {:.2} and {:.1} h ({}); weekly, {:.2} and {:.1} h, \
         since the drills themselves are outages.\n\
         Monthly drills are the cheapest: each finds a dead standby before a real failure does.",
        never.failover.dead_standby_per_year,
        never.downtime_hours_per_year.mean,
        format_money(cost(never), "USD"),
        yearly.failover.dead_standby_per_year,
        yearly.downtime_hours_per_year.mean,
        monthly.failover.dead_standby_per_year,
        monthly.downtime_hours_per_year.mean,
        format_money(cost(monthly), "USD"),
        weekly.failover.dead_standby_per_year,
        weekly.downtime_hours_per_year.mean,
    );
    support::write_charts(&dir, &report, sweep.simulation(), sweep.options())?;
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
