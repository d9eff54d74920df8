//! What a second server buys: one database server against two (either one enough),
//! and against two that share a single repair crew.
//!
//! Run with `cargo run --release --example redundancy`.

use nines::{Distribution, FailureMode, Service, Simulation, Tier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let crash = FailureMode::new(
        "host crash",
        "exp(mean=1000h)".parse::<Distribution>()?,
        "lognormal(median=6h, sigma=0.8)".parse::<Distribution>()?,
    );
    let one = Tier::builder("database").with_failure(crash.clone()).build()?;
    let two = Tier::builder("database")
        .with_replicas(2)
        .with_required(1)
        .with_failure(crash.clone())
        .build()?;
    let two_one_crew = Tier::builder("database")
        .with_replicas(2)
        .with_required(1)
        .with_repair_crews(1)
        .with_failure(crash)
        .build()?;
    let options = [
        Service::new("one server", vec![one])?,
        Service::new("two servers", vec![two])?,
        Service::new("two servers, one repair crew", vec![two_one_crew])?,
    ];
    let report = Simulation::new()
        .with_replications(50_000)
        .with_seed(7)
        .run_options("database redundancy", &options)?;
    print!("{report}");

    let downtime: Vec<f64> = report.options.iter().map(|o| o.downtime_hours_per_year.mean).collect();
    // A second server turns days of downtime a year into minutes: both must be down at once.
    assert!(downtime[1] < downtime[0] / 50.0, "{downtime:?}");
    // Sharing one repair crew makes overlapping failures last longer, never shorter.
    assert!(downtime[2] > downtime[1], "{downtime:?}");
    println!(
        "\nA second server cuts the mean downtime from {:.1} h to {:.2} h a year; \
         with one repair crew for both, {:.2} h.",
        downtime[0], downtime[1], downtime[2]
    );
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
