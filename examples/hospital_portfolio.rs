//! Match protection to impact: five hospital systems whose downtime costs very
//! different amounts (the EHR, PACS imaging, the laboratory system, scheduling, staff
//! email), each offered the same three ways of protecting its database. The cheapest
//! protection differs per system, and giving every system what the EHR needs wastes
//! money.
//!
//! Run with `cargo run --release --example hospital_portfolio [OUTPUT_DIR]`; the
//! charts go to OUTPUT_DIR/<system> (default `target/examples/hospital_portfolio`).

mod support;

use nines::{Backup, Costs, Failover, FailureMode, Report, Service, Simulation, StandbyFailures, Tier, format_money};

/// The currency of every cost below.
const CURRENCY: &str = "USD";

/// A system and what its failures cost per hour (example figures: put in your own).
struct System {
    name: &'static str,
    downtime_per_hour: f64,
    data_loss_per_hour: f64,
}

const SYSTEMS: [System; 5] = [
    System {
        name: "EHR",
        downtime_per_hour: 190_000.0,
        data_loss_per_hour: 250_000.0,
    },
    System {
        name: "PACS imaging",
        downtime_per_hour: 40_000.0,
        data_loss_per_hour: 5_000.0,
    },
    System {
        name: "laboratory",
        downtime_per_hour: 25_000.0,
        data_loss_per_hour: 30_000.0,
    },
    System {
        name: "scheduling",
        downtime_per_hour: 3_000.0,
        data_loss_per_hour: 500.0,
    },
    System {
        name: "staff email",
        downtime_per_hour: 500.0,
        data_loss_per_hour: 50.0,
    },
];

const OPTIONS: [&str; 3] = [
    "one server, nightly backups",
    "two active servers, backups",
    "failover drilled, backups",
];

/// The three ways of protecting a system's database, with the same failures.
fn options() -> Result<Vec<Service>, Box<dyn std::error::Error>> {
    let host = |destroys| -> Result<FailureMode, Box<dyn std::error::Error>> {
        Ok(FailureMode::new(
            "host failure",
            "exp(mean=4000h)".parse()?,
            "lognormal(median=4h, sigma=0.8)".parse()?,
        )
        .with_destroys_data(destroys))
    };
    let corruption = FailureMode::new("logical corruption", "exp(mean=5y)".parse()?, "1d".parse()?)
        .with_scope(nines::Scope::Tier)
        .with_destroys_data(true);
    let backup = Backup::new(24.0, "lognormal(median=3h, sigma=0.5)".parse()?).with_success(0.95);
    let server = || {
        Tier::builder("database")
            .with_cost_per_replica(40_000.0)
            .with_backup(backup.clone())
            .with_fixed_cost(5_000.0)
    };
    let failover = Failover::new()
        .with_detection("1m".parse()?)
        .with_switchover("3m".parse()?)
        .with_success(0.97)
        .with_manual_recovery("1h".parse()?)
        .with_standby_failures(StandbyFailures::Latent)
        .with_test_every(720.0);
    Ok(vec![
        Service::new(
            OPTIONS[0],
            vec![
                server()
                    .with_failure(host(true)?)
                    .with_failure(corruption.clone())
                    .build()?,
            ],
        )?,
        Service::new(
            OPTIONS[1],
            vec![
                server()
                    .with_replicas(2)
                    .with_failure(host(false)?)
                    .with_failure(corruption.clone())
                    .build()?,
            ],
        )?,
        Service::new(
            OPTIONS[2],
            vec![
                server()
                    .with_replicas(2)
                    .with_failover(failover)
                    .with_fixed_cost(15_000.0)
                    .with_failure(host(false)?)
                    .with_failure(corruption)
                    .build()?,
            ],
        )?,
    ])
}

fn total(report: &Report, option: &str) -> Result<f64, String> {
    report
        .option(option)
        .and_then(|o| o.cost.as_ref())
        .map(|c| c.total.mean)
        .ok_or_else(|| format!("no cost for {option}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = support::output_dir("hospital_portfolio")?;
    let options = options()?;
    // Uniform protection: what the EHR needs, given to every system.
    let mut uniform = String::new();
    let (mut matched, mut everywhere) = (0.0, 0.0);
    let mut choices = Vec::new();
    println!(
        "{:<14} {:>14} {:>14}  cheapest protection",
        "system", "matched", "uniform"
    );
    for system in &SYSTEMS {
        let costs = Costs::new(CURRENCY)
            .with_downtime_per_hour(system.downtime_per_hour)
            .with_data_loss_per_hour(system.data_loss_per_hour);
        let simulation = Simulation::new()
            .with_replications(20_000)
            .with_seed(11)
            .with_costs(costs);
        let report = simulation.run_options(system.name, &options)?;
        let choice = report
            .recommendation
            .as_ref()
            .map(|r| r.option.clone())
            .ok_or("no recommendation")?;
        if uniform.is_empty() {
            uniform = choice.clone();
        }
        let best = total(&report, &choice)?;
        let ha = total(&report, &uniform)?;
        println!(
            "{:<14} {:>14} {:>14}  {choice}",
            system.name,
            format_money(best, CURRENCY),
            format_money(ha, CURRENCY)
        );
        matched += best;
        everywhere += ha;
        choices.push(choice);
        let system_dir = dir.join(system.name.replace(' ', "-"));
        std::fs::create_dir_all(&system_dir)?;
        support::write_charts(&system_dir, &report, &simulation, &options)?;
    }
    let waste = everywhere - matched;
    let overprotected: Vec<&str> = SYSTEMS
        .iter()
        .zip(&choices)
        .filter(|(_, c)| **c != uniform)
        .map(|(s, _)| s.name)
        .collect();
    println!(
        "\nMatched to impact, the five systems cost {} a year. With the EHR's protection \
         ({uniform}) everywhere they would cost {}: {} a year more, all of it on \
         {overprotected:?}, whose downtime costs too little for a second server to pay for itself.",
        format_money(matched, CURRENCY),
        format_money(everywhere, CURRENCY),
        format_money(waste, CURRENCY)
    );

    // The EHR, whose downtime is dearest, is worth a second server; staff email is not.
    assert_ne!(choices[0], OPTIONS[0], "EHR");
    assert_eq!(choices[4], OPTIONS[0], "staff email");
    // So one protection for all is dearer than protection matched to each system.
    assert!(choices.iter().any(|c| *c != uniform));
    assert!(waste > 0.0);
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
