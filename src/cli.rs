//! The parts of the command-line tool beyond parsing arguments: the progress display
//! and writing the files of `--out` as one set.

pub(crate) mod output;
pub(crate) mod progress;
