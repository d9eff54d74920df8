//! What the example programs share: where they write, and how they write charts.

use std::path::PathBuf;

/// The directory given as the first command-line argument, else
/// `target/examples/<example>` in the crate: never the working directory. Under
/// `cargo test --examples` the arguments are the test harness's, so the default is used.
pub fn output_dir(example: &str) -> std::io::Result<PathBuf> {
    let argument = if cfg!(test) { None } else { std::env::args_os().nth(1) };
    let dir = match argument {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("examples")
            .join(example),
    };
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Writes every chart of `report` into `dir` as SVG and PNG, drawing the outage
/// timeline from the median, P90 and worst of the first 1,000 simulated years of each
/// of `options`.
pub fn write_charts(
    dir: &std::path::Path,
    report: &nines::Report,
    simulation: &nines::Simulation,
    options: &[nines::Service],
) -> Result<(), Box<dyn std::error::Error>> {
    let histories = options
        .iter()
        .map(|service| simulation.notable_histories(service, 1_000))
        .collect::<Result<Vec<_>, _>>()?;
    for chart in nines::chart::all(report, Some(&histories))? {
        std::fs::write(dir.join(format!("{}.svg", chart.name())), chart.svg())?;
        std::fs::write(dir.join(format!("{}.png", chart.name())), chart.png()?)?;
    }
    Ok(())
}
