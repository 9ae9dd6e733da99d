//! `cargo xtask bench-banner`: how soon the notice shows, against vanilla-cookieconsent 3.1.0,
//! and Lighthouse's mobile Total Blocking Time for a banner page and a signup page.
//!
//! Both comparison tools come from npm into `target/bench-banner/` (not the project's own
//! dependencies: the test command does not need them).

use crate::util::{root, run, Cmd};
use crate::{build, setup};

/// The packages, pinned: the banner users compare with, and Lighthouse (12.2.3 runs on Node 20).
const PACKAGES: [&str; 2] = ["vanilla-cookieconsent@3.1.0", "lighthouse@12.2.3"];

/// Installs the comparison tools under `target/bench-banner/`, unless they are there.
fn tools() -> Result<(), String> {
    let dir = root().join("target/bench-banner");
    let have = |m: &str| dir.join("node_modules").join(m).join("package.json").is_file();
    if have("vanilla-cookieconsent") && have("lighthouse") {
        return Ok(());
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // Its own package.json, so npm installs here and not into the project.
    std::fs::write(dir.join("package.json"), "{\"private\": true}\n")
        .map_err(|e| format!("package.json: {e}"))?;
    let mut args = vec!["install", "--prefix", "target/bench-banner", "--no-audit", "--no-fund", "--no-save"];
    args.extend(PACKAGES);
    run(Cmd::new("npm").args(args))
}

/// Runs the timing benchmark (`--runs N`, default 20) and Lighthouse (`--lighthouse-runs N`,
/// default 3 per page); prints medians and ratios.
pub fn run_all(args: &[String]) -> Result<(), String> {
    let value = |flag: &str, default: &str| -> Result<String, String> {
        match args.iter().position(|a| a == flag) {
            Some(i) => args
                .get(i + 1)
                .filter(|v| v.parse::<u32>().is_ok_and(|n| n > 0))
                .cloned()
                .ok_or(format!("{flag} takes a positive number")),
            None => Ok(default.to_owned()),
        }
    };
    let runs = value("--runs", "20")?;
    let lighthouse_runs = value("--lighthouse-runs", "3")?;
    setup::tools()?;
    setup::browser()?;
    tools()?;
    build::package()?;
    run(Cmd::new("cargo").args(["build", "--release", "-p", "kelisim-collector", "--quiet"]))?;
    run(Cmd::new("node").args(["benches/banner/bench.mjs", "--runs", &runs]))?;
    run(Cmd::new("node").args(["benches/banner/lighthouse.mjs", "--runs", &lighthouse_runs]))
}
