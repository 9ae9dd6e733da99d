//! Schemathesis against the running release collector: cases generated from
//! `collector/openapi.json` with a fixed seed, every check (`collector/schemathesis.toml`), the
//! bearer token; it must pass, and the ledger it leaves must verify.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::util::{root, run, Cmd};

/// The schemathesis release the set-up installs (PyPI), and where.
pub const VERSION: &str = "4.32.5";
pub const VENV: &str = "target/schemathesis-venv";
/// Every package of that install, pinned; the set-up falls back to resolving afresh.
pub const LOCK: &str = "xtask/schemathesis-requirements.txt";

/// Cases per operation and phase: ~1,600 cases in all, about half a minute on this machine.
const MAX_EXAMPLES: &str = "100";
const SEED: &str = "20261201";
const TOKEN: &str = "schemathesis-token-0123456789abcdef";

/// A collector for the run, on a scratch ledger; stopped (SIGTERM) and its directory removed on drop.
struct Collector {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Collector {
    fn start() -> Result<Collector, String> {
        let dir = std::env::temp_dir().join(format!("kelisim-schemathesis-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        std::fs::write(dir.join("token"), format!("{TOKEN}\n")).map_err(|e| format!("token file: {e}"))?;
        let text = |p: &Path| p.to_string_lossy().into_owned();
        let mut child = Command::new(root().join("target/release/kelisim-collector"))
            .current_dir(root())
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--www",
                "www",
                "--pkg",
                "pkg",
                "--policies",
                "www/consent",
            ])
            .args(["--rate-limit", "0", "--db", &text(&dir.join("ledger.sqlite"))])
            // A command that sends nothing and reports success: confirmations answer as in production.
            .args(["--sms-command", "true"])
            .args(["--token-file", &text(&dir.join("token"))])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("the release collector could not start: {e}"))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        BufReader::new(stdout).read_line(&mut line).map_err(|e| format!("collector stdout: {e}"))?;
        let port = line
            .strip_prefix("kelisim collector listening on http://127.0.0.1:")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|p| p.parse().ok());
        match port {
            Some(port) => Ok(Collector { child, dir, port }),
            None => {
                let _ = child.kill();
                Err(format!("the collector did not announce its port: {line:?}"))
            }
        }
    }

    /// SIGTERM, a clean exit, and `verify` on what the run stored.
    fn stop(mut self) -> Result<(), String> {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let status = self.child.wait().map_err(|e| format!("collector: {e}"))?;
        if !status.success() {
            return Err(format!("the collector exited with {status} after SIGTERM"));
        }
        let ledger = self.dir.join("ledger.sqlite").to_string_lossy().into_owned();
        run(Cmd::new("target/release/kelisim-collector").args(["verify", "--db", &ledger]))
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs schemathesis against a fresh release collector (built by the caller).
pub fn run_against_collector() -> Result<(), String> {
    let collector = Collector::start()?;
    let url = format!("http://127.0.0.1:{}", collector.port);
    let auth = format!("Authorization: Bearer {TOKEN}");
    let started = std::time::Instant::now();
    // Every check is enabled in the config file, which also says where one check cannot hold.
    let outcome = run(Cmd::new(&format!("{VENV}/bin/schemathesis"))
        .args(["--config-file", "collector/schemathesis.toml", "--no-color"])
        .args(["run", "collector/openapi.json", "--url", &url, "--header", &auth])
        .args([
            "--seed",
            SEED,
            "--max-examples",
            MAX_EXAMPLES,
            "--workers",
            "2",
            "--generation-database",
            "none",
        ]));
    println!("schemathesis took {:.0} s", started.elapsed().as_secs_f64());
    outcome.and_then(|()| collector.stop())
}
