//! Single points of failure hide in what tiers share, and planned work is downtime
//! too. The clinical application of `scenarios/hospital-shared-infrastructure.toml`
//! looks redundant on the diagram (two application servers, a database failover
//! pair) but every server stands on one power feed, one core switch and one storage
//! array. This story finds the single points of failure, ranks what fixing each is
//! worth, shows what making them redundant buys and costs, and compares patching one
//! server at a time with patching everything at once.
//!
//! Run with `cargo run --release --example single_points_of_failure [OUTPUT_DIR]`; the
//! charts go to OUTPUT_DIR (default `target/examples/single_points_of_failure`).

mod support;

use nines::{OptionReport, Scenario, format_money, human_hours};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scenarios/hospital-shared-infrastructure.toml"
);

fn option<'a>(report: &'a nines::Report, name: &str) -> &'a OptionReport {
    report
        .options
        .iter()
        .find(|o| o.name == name)
        .expect("the scenario has this option")
}

fn main() -> Result<()> {
    let dir = support::output_dir("single_points_of_failure")?;
    let scenario = Scenario::load(SCENARIO)?;
    // Fewer years than the file asks for, to keep the story quick; enough to tell
    // the options apart.
    let simulation = scenario.simulation().clone().with_replications(20_000);

    // 1. Where the downtime comes from: each component made perfect in turn, on the
    //    same random numbers.
    let ranked = simulation.importance(scenario.service())?;
    println!("Where the downtime of \"{}\" comes from:", scenario.service().name());
    for item in &ranked {
        println!("  {}", item.describe("USD"));
    }
    let spofs: Vec<&str> = ranked
        .iter()
        .filter(|i| i.single_point_of_failure && i.kind == "dependency")
        .map(|i| i.component.as_str())
        .collect();
    // The redundant tiers are not the single points of failure; what they share is.
    for shared in ["storage array", "core switch", "feed A"] {
        assert!(
            spofs.contains(&shared),
            "{shared} is a single point of failure: {spofs:?}"
        );
    }
    assert!(
        !ranked
            .iter()
            .any(|i| i.component == "application" && i.single_point_of_failure),
        "two application servers, either enough, are no single point of failure"
    );
    let top = &ranked[0];
    assert_eq!(top.kind, "dependency", "a shared component tops the list: {top:?}");
    // The service is down only while some component is, so the shares of its
    // downtime add up to all of it.
    let shares: f64 = ranked.iter().map(|i| i.share_of_downtime.mean).sum();
    assert!((shares - 1.0).abs() < 1e-9, "the shares add up to {shares}");

    // 2. What fixing them buys, and costs.
    let mut report = scenario.run_with(&simulation)?;
    let as_built = option(&report, "as built: one feed, one switch");
    let split = option(&report, "servers split across feeds A and B");
    let paired = option(&report, "split feeds and a pair of core switches");
    let line = |label: &str, o: &OptionReport| {
        let cost = o.cost.as_ref().expect("the scenario has costs");
        format!(
            "{label}: {} of downtime a year ({} of it planned), {} a year in all",
            human_hours(o.downtime_hours_per_year.mean),
            human_hours(o.downtime_hours_per_year.planned.mean),
            format_money(cost.total.mean, &cost.currency)
        )
    };
    println!("\nWhat fixing them buys:");
    for o in [as_built, split, paired] {
        println!("  {}", line(&o.name, o));
    }
    // Splitting the servers across the feeds alone buys little: the switch and the
    // array still stand on feed A. A second switch, with the feeds split, buys more
    // than it costs.
    let downtime = |o: &OptionReport| o.downtime_hours_per_year.mean;
    let total = |o: &OptionReport| o.cost.as_ref().expect("costs").total.mean;
    assert!((downtime(split) - downtime(as_built)).abs() < 0.1 * downtime(as_built));
    assert!(downtime(paired) < downtime(as_built) - 0.5);
    assert!(total(paired) < total(as_built));

    // 3. Planned work is downtime too: patching one server at a time costs the
    //    database a planned switchover a month; patching everything at once takes the
    //    whole service down for every round.
    let at_once = option(&report, "as built, patched all at once");
    println!("\nPatching monthly, an hour a server:");
    println!("  {}", line("one server at a time", as_built));
    println!("  {}", line("everything at once", at_once));
    let planned = |o: &OptionReport| o.downtime_hours_per_year.planned.mean;
    // Rolling: a 3-minute planned switchover a month and the array's two firmware
    // updates, under 2 hours a year; all at once: about a day.
    assert!(planned(as_built) < 2.0, "{}", planned(as_built));
    assert!(planned(at_once) > 20.0, "{}", planned(at_once));
    // The failures are the same random numbers in both: the unplanned downtime agrees
    // to within a few minutes.
    let unplanned = |o: &OptionReport| o.downtime_hours_per_year.unplanned.mean;
    assert!(
        (unplanned(at_once) - unplanned(as_built)).abs() < 0.1,
        "{} {}",
        unplanned(at_once),
        unplanned(as_built)
    );
    println!(
        "  availability without planned downtime: {:.4} % and {:.4} %",
        100.0 * as_built.availability.excluding_planned.mean,
        100.0 * at_once.availability.excluding_planned.mean
    );

    // The ranking goes into the report, with the baseline it examined: the
    // `importance` chart draws it.
    report.options[0].importance = Some(ranked);
    support::write_charts(&dir, &report, &simulation, scenario.options())?;
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
