//! Installs what the build and tests need on a fresh machine, skipping what is already there.

use crate::util::{output, root, run, Cmd};

/// The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// Rust's wasm target, the pinned wasm-bindgen CLI, and the npm tools (wasm-opt, playwright-core).
pub fn tools() -> Result<(), String> {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        run(Cmd::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let version = locked_wasm_bindgen()?;
    let installed = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if installed.split_whitespace().nth(1) != Some(version.as_str()) {
        let locked =
            run(Cmd::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version, "--locked"]));
        if locked.is_err() {
            // A locked dependency can be missing from a registry mirror; resolve afresh.
            run(Cmd::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
        }
    }
    let modules = root().join("node_modules");
    let have_npm_tools = ["wasm-opt", "terser"].iter().all(|b| modules.join(".bin").join(b).exists())
        && ["playwright-core", "axe-core", "ajv"].iter().all(|m| modules.join(m).exists());
    if !have_npm_tools {
        run(Cmd::new("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}

/// Debian's Chromium and ChromeDriver (a browser download of a test tool's own fails offline).
pub fn browser() -> Result<(), String> {
    let have = |p: &str| std::path::Path::new(p).exists();
    if have("/usr/bin/chromium") && have("/usr/bin/chromedriver") {
        return Ok(());
    }
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "chromium", "chromium-driver"])
}

/// The geckodriver the engine tests were written against.
const GECKODRIVER_VERSION: &str = "0.37.1";

/// The other two engines and their WebDriver servers: Debian's Firefox ESR, WebKitGTK's
/// WebKitWebDriver (with MiniBrowser) and Xvfb for it; geckodriver built with cargo (Mozilla ships
/// it as a crate; its own download would fail offline). Returns geckodriver's path.
pub fn engines() -> Result<String, String> {
    let have = |p: &str| std::path::Path::new(p).exists();
    let debs = [
        ("/usr/bin/firefox-esr", "firefox-esr"),
        ("/usr/bin/WebKitWebDriver", "webkit2gtk-driver"),
        ("/usr/bin/xvfb-run", "xvfb"),
        ("/usr/bin/xauth", "xauth"),
        // The console's test counts straight from the SQLite file, as an auditor would.
        ("/usr/bin/sqlite3", "sqlite3"),
    ];
    let missing: Vec<&str> = debs.iter().filter(|(path, _)| !have(path)).map(|(_, deb)| *deb).collect();
    if !missing.is_empty() {
        apt(&["update", "-qq"])?;
        apt(&[&["install", "-y", "-qq"][..], &missing].concat())?;
    }
    let cargo_home = std::env::var("CARGO_HOME")
        .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
    let geckodriver = format!("{cargo_home}/bin/geckodriver");
    if output(&geckodriver, &["--version"]).is_none() {
        let version = GECKODRIVER_VERSION;
        let locked =
            run(Cmd::new("cargo").args(["install", "geckodriver", "--version", version, "--locked"]));
        if locked.is_err() {
            // As for wasm-bindgen-cli: a locked dependency may be gone from the registry.
            run(Cmd::new("cargo").args(["install", "geckodriver", "--version", version]))?;
        }
    }
    Ok(geckodriver)
}

/// A Python venv under `target/` with the pinned schemathesis (PyPI), unless it is already there:
/// the locked set of packages first, and if the registry lacks one of them, schemathesis resolved afresh.
pub fn schemathesis() -> Result<(), String> {
    use crate::schemathesis::{LOCK, VENV, VERSION};
    let bin = format!("{VENV}/bin/schemathesis");
    if output(&root().join(&bin).to_string_lossy(), &["--version"]).is_some_and(|v| v.contains(VERSION)) {
        return Ok(());
    }
    if output("python3", &["-c", "import ensurepip, venv"]).is_none() {
        apt(&["update", "-qq"])?;
        apt(&["install", "-y", "-qq", "python3-venv"])?;
    }
    run(Cmd::new("python3").args(["-m", "venv", VENV]))?;
    let pip = format!("{VENV}/bin/pip");
    let quiet = ["install", "--quiet", "--disable-pip-version-check"];
    if run(Cmd::new(&pip).args(quiet).args(["-r", LOCK])).is_err() {
        let pinned = format!("schemathesis=={VERSION}");
        run(Cmd::new(&pip).args(quiet).args([pinned.as_str()]))?;
    }
    Ok(())
}

/// Debian's PostgreSQL server programs, for the Postgres ledger tests and benchmarks (see
/// `postgres::start_cluster`), unless an `initdb` is already there.
pub fn postgres() -> Result<(), String> {
    if crate::postgres::bin_dir().is_some() {
        return Ok(());
    }
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "postgresql"])
}

/// Runs `apt-get` non-interactively, through sudo unless we are root.
fn apt(args: &[&str]) -> Result<(), String> {
    let sudo = output("id", &["-u"]).is_some_and(|u| u.trim() != "0");
    let cmd = if sudo { Cmd::new("sudo").args(["apt-get"]) } else { Cmd::new("apt-get") };
    run(cmd.args(args.iter().copied()).env("DEBIAN_FRONTEND", "noninteractive"))
}
