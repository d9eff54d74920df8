//! What the example programs share: where they write, and how they write charts.

use std::path::PathBuf;

/// The directory given as the first command-line argument, else
/// `target/examples/<example>` in the crate: never the working directory.
pub fn output_dir(example: &str) -> std::io::Result<PathBuf> {
    let dir = match std::env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("examples")
            .join(example),
    };
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
