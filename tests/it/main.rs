//! Integration tests: validation against exact results, reproducibility, config errors.

mod dist;
