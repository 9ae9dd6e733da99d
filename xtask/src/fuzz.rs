//! Runs each fuzz target for a while with cargo-fuzz (libFuzzer) and sums the executions.

use crate::util::{files_ending, output, root, run, Cmd};
use std::process::Command;

/// Runs every target in `fuzz/fuzz_targets` for `seconds` each (default 30).
pub fn all(seconds: Option<&str>) -> Result<(), String> {
    let seconds = seconds.unwrap_or("30");
    if seconds.parse::<u32>().is_err() {
        return Err("fuzz takes a number of seconds".into());
    }
    if output("cargo", &["fuzz", "--version"]).is_none() {
        run(Cmd::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    let targets = files_ending(&root().join("fuzz/fuzz_targets"), ".rs")?;
    let mut total: u64 = 0;
    for path in targets {
        let name = path.trim_start_matches("fuzz/fuzz_targets/").trim_end_matches(".rs").to_owned();
        println!("== fuzz {name} for {seconds} s");
        // libFuzzer needs sanitizer flags that stable rustc accepts only in bootstrap mode.
        let out = Command::new("cargo")
            .args(["fuzz", "run", &name, "--", &format!("-max_total_time={seconds}")])
            .current_dir(root().join("fuzz"))
            .env("RUSTC_BOOTSTRAP", "1")
            .output()
            .map_err(|e| format!("cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&out.stderr);
        let runs = log.lines().rev().find_map(|l| {
            l.strip_prefix("Done ").and_then(|r| r.split_whitespace().next()?.parse::<u64>().ok())
        });
        if !out.status.success() {
            eprintln!("{log}");
            return Err(format!("fuzz target {name} found a failure (see fuzz/artifacts/{name})"));
        }
        let runs = runs.unwrap_or(0);
        println!("{name}: {runs} executions, no failure");
        total += runs;
    }
    println!("fuzzing done: {total} executions in all, no failure");
    Ok(())
}
