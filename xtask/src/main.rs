//! Project tasks: `cargo xtask demo | test | build | size | setup`. Each task sets up what it needs.

mod bench_banner;
mod bench_collector;
mod bench_console;
mod build;
mod fuzz;
mod names;
mod postgres;
mod schemathesis;
mod setup;
mod size;
mod util;

use std::process::ExitCode;
use util::{run, Cmd};

const USAGE: &str = "usage: cargo xtask <task>

  demo [--port N]   set up, build, and serve the demo on 127.0.0.1 (collector + SQLite ledger)
  test              set up and run every test: lint, native, wasm in Chromium, end-to-end, size,
                    schemathesis against the collector
  build             build the wasm package into pkg/
  size              build and check pkg/ against the size budget
  fuzz [SECONDS]    run every fuzz target (validators, config, record) for SECONDS each (default 30)
  bench             benchmark field validation (a full 10-field form)
  bench-banner      how soon the notice shows against vanilla-cookieconsent 3.1.0 (cold Chromium,
                    JS API and one-tag embed; [--runs N], default 20) and Lighthouse mobile TBT
                    ([--lighthouse-runs N], default 3)
  bench-collector   durable records/s and latency of POST /v1/consents on loopback (SQLite);
                    [--postgres] on a throwaway local Postgres, or [--db postgres://...];
                    [--records N] (default 20,000) [--clients C] (default 32) [--sweep] (1, 8, 32, 64)
  bench-console [RECORDS]
                    the console's response times on a made-up ledger (default 1,000,000 records,
                    generated once into target/bench-console/)
  faults [N]        N consents (default 10,000) under injected faults; reports lost, duplicated, drain time
  setup [--browser] install the toolchain pieces (wasm target, wasm-bindgen, npm tools, Chromium)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") => test(),
        Some("build") => setup::tools().and_then(|_| build::package()),
        Some("fuzz") => fuzz::all(args.get(1).map(String::as_str)),
        Some("bench") => bench(),
        Some("bench-collector") => bench_collector::run(&args[1..]),
        Some("bench-banner") => bench_banner::run_all(&args[1..]),
        Some("bench-console") => bench_console::run_all(&args[1..]),
        Some("faults") => faults(args.get(1).map(String::as_str).unwrap_or("10000")),
        Some("size") => setup::tools().and_then(|_| build::package()).and_then(|_| size::check()),
        Some("setup") => setup::tools().and_then(|_| {
            if args.iter().any(|a| a == "--browser") {
                setup::browser()
            } else {
                Ok(())
            }
        }),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn demo(args: &[String]) -> Result<(), String> {
    let port = match args {
        [] => "8787".to_owned(),
        [flag, n] if flag == "--port" && n.parse::<u16>().is_ok() => n.clone(),
        _ => return Err("demo takes only --port N".into()),
    };
    setup::tools()?;
    build::package()?;
    run(Cmd::new("cargo").args(["build", "--release", "-p", "kelisim-collector"]))?;
    let root = util::root();
    let data = root.join("target/demo");
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let db = data.join("kelisim.sqlite");
    let token = demo_token(&data)?;
    let sms = data.join("sms.txt");
    // POSIX sh: each message is one line, `<to>\t<text>`, appended to the file.
    let sms_command =
        format!("printf '%s\\t%s\\n' \"$KELISIM_SMS_TO\" \"$KELISIM_SMS_TEXT\" >> '{}'", sms.display());
    println!("\nkelisim demo: open http://127.0.0.1:{port}/ — records go to {}", db.display());
    println!("SMS (confirmation codes, receipts) are not sent: each is a line in {}", sms.display());
    println!(
        "read the ledger with: sqlite3 {} 'select seq, received_at, text_check, body from consents'",
        db.display()
    );
    println!(
        "export it with:       curl -H \"Authorization: Bearer $(cat {})\" http://127.0.0.1:{port}/v1/export",
        token.display()
    );
    println!(
        "or open the console:  http://127.0.0.1:{port}/console/ and sign in with the token in {}\n",
        token.display()
    );
    let addr = format!("127.0.0.1:{port}");
    let collector = root.join("target/release/kelisim-collector");
    run(Cmd::new(collector.to_str().unwrap_or("kelisim-collector")).args([
        "serve",
        "--db",
        db.to_str().unwrap_or("kelisim.sqlite"),
        "--addr",
        &addr,
        "--www",
        "www",
        "--pkg",
        "pkg",
        "--token-file",
        token.to_str().unwrap_or("token"),
        "--sms-command",
        &sms_command,
    ]))
}

/// The demo's bearer token for the subject view and export: made once from the OS random source
/// and kept in `dir/token`.
fn demo_token(dir: &std::path::Path) -> Result<std::path::PathBuf, String> {
    use std::io::Read;
    let path = dir.join("token");
    if !path.is_file() {
        let mut bytes = [0u8; 16];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut file = std::fs::OpenOptions::new();
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
        file.write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, (hex + "\n").as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(path)
}

fn faults(consents: &str) -> Result<(), String> {
    if consents.parse::<u32>().is_err() {
        return Err("faults takes a number of consents".into());
    }
    setup::tools()?;
    setup::browser()?;
    build::package()?;
    run(Cmd::new("cargo").args(["build", "--release", "-p", "kelisim-collector", "--quiet"]))?;
    run(Cmd::new("node").args(["tests/faults/harness.mjs", consents, "4"]))
}

fn bench() -> Result<(), String> {
    run(Cmd::new("cargo").args(["bench", "-p", "kelisim", "--bench", "validate"]))?;
    setup::tools()?;
    setup::browser()?;
    build::package()?;
    run(Cmd::new("cargo").args(["build", "--release", "-p", "kelisim-collector", "--quiet"]))?;
    run(Cmd::new("node").args(["benches/validate-browser.mjs"]))
}

fn test() -> Result<(), String> {
    let started = std::time::Instant::now();
    setup::tools()?;
    setup::browser()?;
    setup::schemathesis()?;
    let geckodriver = setup::engines()?;
    let step = |name: &str| println!("\n== {name} ({:.0} s)", started.elapsed().as_secs_f64());

    step("format");
    run(Cmd::new("cargo").args(["fmt", "--all", "--check"]))?;
    let clippy = |scope: &[&str]| {
        let args =
            ["clippy"].iter().chain(scope).chain(&["--all-targets", "--quiet", "--", "-D", "warnings"]);
        run(Cmd::new("cargo").args(args.copied()))
    };
    step("clippy, native");
    clippy(&["--workspace"])?;
    step("clippy, wasm32: the shipped builds (no std) and the browser tests (std)");
    for features in [&["--no-default-features"][..], &["--no-default-features", "--features", "form"]] {
        let args = ["clippy", "-p", "kelisim", "--lib", "--target", "wasm32-unknown-unknown", "--quiet"];
        run(Cmd::new("cargo").args(args).args(features.iter().copied()).args(["--", "-D", "warnings"]))?;
    }
    clippy(&["-p", "kelisim", "--target", "wasm32-unknown-unknown"])?;
    step("Postgres test server for the collector's Postgres ledger");
    let postgres = postgres::start_cluster()?;
    step("native tests: core and collector");
    run(Cmd::new("cargo")
        .args(["test", "--workspace", "--quiet"])
        .env("KELISIM_TEST_POSTGRES", postgres.url()))?;
    drop(postgres);
    step("native tests of the core as the banner build has it (no form feature)");
    run(Cmd::new("cargo").args(["test", "-p", "kelisim", "--lib", "--no-default-features", "--quiet"]))?;
    for (name, features) in [
        ("with forms", &["--features", "form"][..]),
        ("banner build", &["--no-default-features", "--features", "std"]),
    ] {
        step(&format!("wasm tests in headless Chromium, {name}"));
        run(Cmd::new("cargo")
            .args(["test", "-p", "kelisim", "--target", "wasm32-unknown-unknown", "--test", "browser"])
            .args(features.iter().copied())
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "60"))?;
    }
    step("package and size budget");
    build::package()?;
    size::check()?;
    step("collector release build");
    run(Cmd::new("cargo").args(["build", "--release", "-p", "kelisim-collector", "--quiet"]))?;
    step("end-to-end in Chromium against the real collector");
    let e2e = util::files_ending(&util::root().join("tests/e2e"), ".test.mjs")?;
    run(Cmd::new("node").args(["--test", "--test-concurrency=1"]).args(e2e.iter().map(String::as_str)))?;
    step("end-to-end in Chromium, Firefox and WebKit, through each engine's WebDriver");
    run(Cmd::new("xvfb-run")
        .args(["-a", "node", "--test", "--test-concurrency=1", "tests/engines/engines.test.mjs"])
        .env("GECKODRIVER", &geckodriver))?;
    step("the console's benchmark, small: 5,000 made-up records");
    bench_console::run_all(&["5000".to_owned()])?;
    step("schemathesis against the release collector");
    schemathesis::run_against_collector()?;
    println!("\nall test layers passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
