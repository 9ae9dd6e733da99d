//! `cargo xtask bench-console [RECORDS]`: the console's response times on a ledger of RECORDS
//! (default 1,000,000) made-up decisions, generated once into `target/bench-console/` by
//! `kelisim-collector generate` and kept for later runs.

use crate::util::{root, run, Cmd};
use crate::{build, setup};

pub fn run_all(args: &[String]) -> Result<(), String> {
    let records: u64 = match args.first() {
        Some(n) => n.replace('_', "").parse().map_err(|_| format!("{n}: RECORDS is a whole number"))?,
        None => 1_000_000,
    };
    setup::tools()?;
    setup::browser()?;
    build::package()?;
    run(Cmd::new("cargo").args(["build", "--release", "-p", "kelisim-collector", "--quiet"]))?;
    let dir = root().join("target/bench-console");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let ledger = dir.join(format!("ledger-{records}.sqlite"));
    let ledger = ledger.to_str().ok_or("the target directory's path is not UTF-8")?.to_owned();
    if !std::path::Path::new(&ledger).exists() {
        let count = records.to_string();
        let args = ["generate", "--db", &ledger, "--records", &count, "--days", "365"];
        if let Err(e) = run(Cmd::new("target/release/kelisim-collector").args(args)) {
            let _ = std::fs::remove_file(&ledger);
            return Err(e);
        }
    }
    run(Cmd::new("node").args(["benches/console/console.mjs", &ledger]))
}
