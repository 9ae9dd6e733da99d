//! `cargo xtask bench-collector`: loads POST /v1/consents of the release collector over loopback and
//! reports durable records/s, latency percentiles and CPU use.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kelisim::choices::Choices;
use kelisim::config::Config;
use kelisim::lang::Lang;
use kelisim::record::{self, Channel, Context, Stamp};

use crate::util::{self, Cmd};

/// Records posted before timing starts, on the same connections.
const WARM_UP: usize = 500;
/// Client counts tried by `--sweep`.
const SWEEP: [usize; 4] = [1, 8, 32, 64];
/// The longest wait for the collector to announce itself, or for one response.
const IO_TIMEOUT: Duration = Duration::from_secs(30);
/// The operator config the records are built from (relative to the repository root).
const CONFIG: &str = "collector/tests/data/config.json";
/// The release collector (relative to the repository root).
const COLLECTOR: &str = "target/release/kelisim-collector";

/// What the command line asked for.
struct Options {
    /// A Postgres URL; without it each run gets a fresh SQLite file.
    postgres: Option<String>,
    records: usize,
    clients: usize,
    sweep: bool,
}

/// Runs the benchmark: `[--postgres | --db postgres://...] [--records N] [--clients C] [--sweep]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut options = parse_options(args)?;
    // `--postgres`: a throwaway local server, stopped when the run ends.
    let cluster =
        if args.iter().any(|a| a == "--postgres") { Some(crate::postgres::start_cluster()?) } else { None };
    if let Some(cluster) = &cluster {
        options.postgres = Some(cluster.url().to_owned());
    }
    util::run(Cmd::new("cargo").args(["build", "--release", "-p", "kelisim-collector", "--quiet"]))?;
    let scratch = Scratch::new()?;
    print_machine_facts(&scratch.0, options.postgres.is_some())?;
    let maker = RecordMaker::new()?;
    let levels = if options.sweep { SWEEP.to_vec() } else { vec![options.clients] };
    let mut outcomes = Vec::new();
    for (round, &clients) in levels.iter().enumerate() {
        let ledger = match &options.postgres {
            Some(url) => url.clone(),
            None => path_text(&scratch.0.join(format!("ledger-{round}.sqlite")))?,
        };
        let first_index = (round * (WARM_UP + options.records)) as u64;
        let plan =
            Plan { ledger, log: scratch.0.join(format!("collector-{round}.log")), clients, first_index };
        outcomes.push(bench_once(&plan, &maker, options.records)?);
    }
    if options.sweep {
        print_table(&outcomes);
    }
    Ok(())
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options { postgres: None, records: 20_000, clients: 32, sweep: false };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            "--sweep" => options.sweep = true,
            "--postgres" => {}
            "--db" => options.postgres = Some(postgres_url(rest.next())?),
            "--records" => options.records = positive(flag, rest.next())?,
            "--clients" => options.clients = positive(flag, rest.next())?,
            other => {
                return Err(format!(
                    "bench-collector: unknown argument {other} \
                     (takes --postgres or --db postgres://..., --records N, --clients C, --sweep)"
                ))
            }
        }
    }
    Ok(options)
}

fn postgres_url(value: Option<&String>) -> Result<String, String> {
    match value {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => Ok(url.clone()),
        _ => Err("--db takes a postgres:// URL (without --db, a fresh SQLite file is used)".into()),
    }
}

fn positive(flag: &str, value: Option<&String>) -> Result<usize, String> {
    match value.and_then(|v| v.parse::<usize>().ok()) {
        Some(n) if n > 0 => Ok(n),
        _ => Err(format!("{flag} takes a positive number")),
    }
}

fn path_text(path: &Path) -> Result<String, String> {
    path.to_str().map(str::to_owned).ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

// ---- one run: start, warm up, measure, stop, verify ----------------------------------------------

/// Where one run stores its records and what it sends.
struct Plan {
    ledger: String,
    log: PathBuf,
    clients: usize,
    /// Index of the run's first record, so that records differ across runs sharing a ledger.
    first_index: u64,
}

/// What one run measured.
struct Outcome {
    clients: usize,
    wall: Duration,
    tally: Tally,
    warm_up_errors: usize,
    cpu: CpuUse,
}

fn bench_once(plan: &Plan, maker: &RecordMaker, records: usize) -> Result<Outcome, String> {
    let before = if plan.ledger.contains("://") { records_in(&plan.ledger).unwrap_or(0) } else { 0 };
    let requests = maker.requests(plan.first_index, WARM_UP + records);
    let server = Server::start(&plan.ledger, &plan.log)?;
    let mut connections = connect_all(server.port, plan.clients)?;
    let warm_up = post_all(&mut connections, &requests[..WARM_UP]);
    let cpu_before = CpuSample::take(server.child.id());
    let started = Instant::now();
    let tally = post_all(&mut connections, &requests[WARM_UP..]);
    let wall = started.elapsed();
    let cpu = CpuSample::take(server.child.id()).since(&cpu_before, wall);
    drop(connections);
    server.stop()?;
    let outcome = Outcome { clients: plan.clients, wall, tally, warm_up_errors: warm_up.error_count(), cpu };
    print_outcome(&outcome);
    check_ledger(&plan.ledger, before + (WARM_UP + records) as u64)?;
    Ok(outcome)
}

/// Runs `verify` and fails unless the chain is intact and holds `expected` records.
fn check_ledger(ledger: &str, expected: u64) -> Result<(), String> {
    let found = records_in(ledger)?;
    if found != expected {
        return Err(format!("the ledger holds {found} records, expected {expected} (warm-up + measured)"));
    }
    println!("  verify: chain intact, {found} records as expected");
    Ok(())
}

/// The record count `kelisim-collector verify` reports for an intact chain.
fn records_in(ledger: &str) -> Result<u64, String> {
    let out = Command::new(util::root().join(COLLECTOR))
        .args(["verify", "--db", ledger])
        .current_dir(util::root())
        .output()
        .map_err(|e| format!("{COLLECTOR} verify could not start: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The collector's own messages name the ledger without a password (store::describe).
        return Err(format!("verify failed ({}): {} {}", out.status, stdout.trim(), stderr.trim()));
    }
    stdout
        .trim()
        .strip_prefix("ok: ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("unexpected verify output {stdout:?}"))
}

// ---- the collector process -----------------------------------------------------------------------

/// A running collector; killed on drop unless stopped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts `serve` on `ledger` with the rate limit and the per-client connection cap off (the load
    /// comes from one address).
    fn start(ledger: &str, log: &Path) -> Result<Server, String> {
        let stderr = File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let child = Command::new(util::root().join(COLLECTOR))
            .current_dir(util::root())
            .args(["serve", "--db", ledger, "--addr", "127.0.0.1:0", "--rate-limit", "0"])
            .args(["--max-connections-per-client", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr))
            .spawn()
            .map_err(|e| format!("{COLLECTOR} could not start: {e}"))?;
        let mut server = Server { child, port: 0 };
        match server.announced_port() {
            Ok(port) => server.port = port,
            Err(e) => {
                server.kill();
                let log_text = std::fs::read_to_string(log).unwrap_or_default();
                return Err(format!("the collector did not start: {e}; its stderr: {}", log_text.trim()));
            }
        }
        Ok(server)
    }

    /// The port from the first stdout line; the rest of stdout is drained by a thread.
    fn announced_port(&mut self) -> Result<u16, String> {
        let stdout = self.child.stdout.take().ok_or("no stdout pipe")?;
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = sender.send(line);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = receiver.recv_timeout(IO_TIMEOUT).map_err(|_| "no first line within 30 s".to_owned())?;
        line.strip_prefix("kelisim collector listening on http://127.0.0.1:")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|port| port.parse().ok())
            .ok_or_else(|| format!("unexpected first line {line:?}"))
    }

    /// SIGTERM, then waits up to 10 s for a clean exit.
    fn stop(mut self) -> Result<(), String> {
        let pid = self.child.id().to_string();
        let signalled =
            Command::new("kill").args(["-TERM", &pid]).status().map_err(|e| format!("kill: {e}"))?;
        if !signalled.success() {
            return Err(format!("kill -TERM {pid} failed ({signalled})"));
        }
        for _ in 0..100 {
            match self.child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => return Err(format!("the collector exited with {status} after SIGTERM")),
                Ok(None) => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => return Err(format!("cannot wait for the collector: {e}")),
            }
        }
        Err("the collector did not stop within 10 s of SIGTERM".into())
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill();
        }
    }
}

// ---- records -------------------------------------------------------------------------------------

/// Builds valid, distinct grants as the collector's tests do.
struct RecordMaker {
    config: Config,
    choices: Choices,
    /// Differs per invocation, so that reruns against one Postgres ledger never reuse a record id.
    salt: [u8; 8],
    now_ms: i64,
}

impl RecordMaker {
    fn new() -> Result<RecordMaker, String> {
        let text =
            std::fs::read_to_string(util::root().join(CONFIG)).map_err(|e| format!("{CONFIG}: {e}"))?;
        let config = Config::from_json_text(&text).map_err(|e| format!("{CONFIG}: {e}"))?;
        let mut choices = Choices::fresh(&config);
        choices.toggle("marketing");
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let salt = (now.as_nanos() as u64 ^ u64::from(std::process::id())).to_le_bytes();
        let now_ms = i64::try_from(now.as_millis()).unwrap_or(i64::MAX);
        Ok(RecordMaker { config, choices, salt, now_ms })
    }

    /// Complete HTTP requests posting records `first..first + count`, built before any timing.
    fn requests(&self, first: u64, count: usize) -> Vec<Vec<u8>> {
        (first..first + count as u64).map(|index| post_request(&self.body(index))).collect()
    }

    fn body(&self, index: u64) -> String {
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&self.salt);
        id[8..].copy_from_slice(&index.to_be_bytes());
        let ctx = Context {
            subject_ref: format!("bench-{index}"),
            channel: Channel::Web,
            page: Some("http://127.0.0.1/bench".into()),
            user_agent: Some("kelisim-bench".into()),
            ..Default::default()
        };
        let stamp =
            Stamp { now_ms: self.now_ms, record_id: kelisim::id::uuid_v4(id), previous_record_id: None };
        record::grant(&self.config, &self.choices, Lang::Kk, &ctx, stamp).to_text()
    }
}

// ---- load: C threads, one keep-alive connection each ----------------------------------------------

/// Successful latencies and errors by kind.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: BTreeMap<String, usize>,
}

impl Tally {
    fn error(&mut self, kind: String) {
        *self.errors.entry(kind).or_default() += 1;
    }

    fn error_count(&self) -> usize {
        self.errors.values().sum()
    }

    fn merge(parts: Vec<Tally>) -> Tally {
        let mut all = Tally::default();
        for part in parts {
            all.latencies.extend(part.latencies);
            for (kind, n) in part.errors {
                *all.errors.entry(kind).or_default() += n;
            }
        }
        all.latencies.sort_unstable();
        all
    }

    /// The latency at percentile `p` (nearest rank), in milliseconds.
    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1].as_secs_f64() * 1000.0
    }
}

fn connect_all(port: u16, clients: usize) -> Result<Vec<Connection>, String> {
    (0..clients).map(|_| Connection::open(port)).collect()
}

/// Sends every request once, spread over the connections (one thread each); returns what happened.
fn post_all(connections: &mut [Connection], requests: &[Vec<u8>]) -> Tally {
    let next = AtomicUsize::new(0);
    let next = &next;
    let parts = std::thread::scope(|scope| {
        let threads: Vec<_> = connections
            .iter_mut()
            .map(|connection| scope.spawn(move || post_until_done(connection, requests, next)))
            .collect();
        threads.into_iter().map(|t| t.join().unwrap_or_else(|_| panicked_client())).collect()
    });
    Tally::merge(parts)
}

fn panicked_client() -> Tally {
    let mut tally = Tally::default();
    tally.error("a client thread panicked".into());
    tally
}

/// Takes the next unsent request until none is left.
fn post_until_done(connection: &mut Connection, requests: &[Vec<u8>], next: &AtomicUsize) -> Tally {
    let mut tally = Tally::default();
    while let Some(request) = requests.get(next.fetch_add(1, Ordering::Relaxed)) {
        let sent = Instant::now();
        match connection.send(request) {
            Ok(201) => tally.latencies.push(sent.elapsed()),
            Ok(status) => tally.error(format!("HTTP {status}")),
            Err(e) => tally.error(e),
        }
    }
    tally
}

/// One HTTP/1.1 keep-alive connection to the collector, reopened after an error or `Connection: close`.
/// Written here rather than taken from an HTTP client crate: the load generator shares the machine
/// with the collector, and with ureq it used 0.73 cores instead of 0.28 for the same load at 32
/// clients, which halved the records/s the collector could reach (measured 2,786 against 6,505).
struct Connection {
    port: u16,
    live: Option<Live>,
}

struct Live {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(port: u16) -> Result<Connection, String> {
        Ok(Connection { port, live: Some(Live::connect(port)?) })
    }

    /// Sends one request; the response status.
    fn send(&mut self, request: &[u8]) -> Result<u16, String> {
        let live = match &mut self.live {
            Some(live) => live,
            None => self.live.insert(Live::connect(self.port)?),
        };
        match live.exchange(request) {
            Ok((status, keep_alive)) => {
                if !keep_alive {
                    self.live = None;
                }
                Ok(status)
            }
            Err(e) => {
                self.live = None;
                Err(e)
            }
        }
    }
}

impl Live {
    fn connect(port: u16) -> Result<Live, String> {
        let io = |e: std::io::Error| format!("connect: {e}");
        let writer = TcpStream::connect(("127.0.0.1", port)).map_err(io)?;
        writer.set_nodelay(true).map_err(io)?;
        writer.set_read_timeout(Some(IO_TIMEOUT)).map_err(io)?;
        let reader = BufReader::new(writer.try_clone().map_err(io)?);
        Ok(Live { writer, reader })
    }

    /// Sends one request and reads the whole response: (status, whether the connection stays open).
    fn exchange(&mut self, request: &[u8]) -> Result<(u16, bool), String> {
        self.writer.write_all(request).map_err(|e| format!("write: {e}"))?;
        read_response(&mut self.reader)
    }
}

/// `POST /v1/consents` with `body`, keep-alive (the HTTP/1.1 default).
fn post_request(body: &str) -> Vec<u8> {
    let head = format!(
        "POST /v1/consents HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    [head.as_bytes(), body.as_bytes()].concat()
}

/// Reads a status line, headers and a Content-Length body: (status, whether the connection stays open).
fn read_response(reader: &mut impl BufRead) -> Result<(u16, bool), String> {
    let status_line = read_line(reader)?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut length = None;
    let mut keep_alive = true;
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or_else(|| format!("bad header line {line:?}"))?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().map_err(|_| format!("bad Content-Length {value:?}"))?);
        } else if name.eq_ignore_ascii_case("connection") {
            keep_alive = !value.eq_ignore_ascii_case("close");
        }
    }
    let length = length.ok_or("a response without Content-Length")?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| format!("read body: {e}"))?;
    Ok((status, keep_alive))
}

fn read_line(reader: &mut impl BufRead) -> Result<String, String> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) => Err("the collector closed the connection".into()),
        Ok(_) => Ok(line.trim_end_matches(['\r', '\n']).to_owned()),
        Err(e) => Err(format!("read: {e}")),
    }
}

// ---- CPU use from /proc ----------------------------------------------------------------------------

/// Cumulative CPU ticks: the collector, this load generator, and the machine (busy, iowait, total).
struct CpuSample {
    collector: Option<u64>,
    load_generator: Option<u64>,
    machine: Option<[u64; 3]>,
}

/// CPU use over a phase, in cores: each process, the whole machine; and the machine's iowait share.
struct CpuUse {
    collector: Option<f64>,
    load_generator: Option<f64>,
    machine: Option<f64>,
    iowait: Option<f64>,
}

impl CpuUse {
    /// Cores used by everything else (a compiler, another benchmark): noise in the figures.
    fn others(&self) -> Option<f64> {
        Some((self.machine? - self.collector? - self.load_generator?).max(0.0))
    }
}

impl CpuSample {
    fn take(collector_pid: u32) -> CpuSample {
        CpuSample {
            collector: process_ticks(&collector_pid.to_string()),
            load_generator: process_ticks("self"),
            machine: machine_ticks(),
        }
    }

    fn since(&self, earlier: &CpuSample, wall: Duration) -> CpuUse {
        let per_second =
            util::output("getconf", &["CLK_TCK"]).and_then(|t| t.trim().parse().ok()).unwrap_or(100.0);
        let cores = |now: Option<u64>, then: Option<u64>| {
            Some(now?.saturating_sub(then?) as f64 / per_second / wall.as_secs_f64())
        };
        let machine = |i: usize| Some((self.machine?[i], earlier.machine?[i]));
        let iowait = || {
            let ((wait, wait_before), (total, total_before)) = (machine(1)?, machine(2)?);
            Some(wait.saturating_sub(wait_before) as f64 / total.saturating_sub(total_before).max(1) as f64)
        };
        CpuUse {
            collector: cores(self.collector, earlier.collector),
            load_generator: cores(self.load_generator, earlier.load_generator),
            machine: machine(0).and_then(|(now, then)| cores(Some(now), Some(then))),
            iowait: iowait(),
        }
    }
}

/// utime + stime of a process (all its threads), from `/proc/PID/stat`.
fn process_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of stat(5); the first after the name is field 3.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// [busy, iowait, total] ticks of all CPUs, from the first line of `/proc/stat`.
fn machine_ticks() -> Option<[u64; 3]> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<u64> =
        stat.lines().next()?.split_whitespace().skip(1).filter_map(|t| t.parse().ok()).collect();
    let total: u64 = ticks.iter().take(8).sum(); // user .. steal; guest time is already in user
    let (idle, iowait) = (*ticks.get(3)?, *ticks.get(4)?);
    Some([total.saturating_sub(idle + iowait), iowait, total])
}

// ---- machine facts and reports -------------------------------------------------------------------

fn print_machine_facts(ledger_dir: &Path, postgres: bool) -> Result<(), String> {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    if postgres {
        println!("machine: nproc {cores}; ledger in Postgres (its filesystem is not measured here)");
        return Ok(());
    }
    let dir = path_text(ledger_dir)?;
    let filesystem = util::output("df", &["-T", &dir])
        .and_then(|df| df.lines().nth(1).map(str::to_owned))
        .and_then(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            Some(format!("{} ({})", fields.get(1)?, fields.first()?))
        })
        .unwrap_or_else(|| "an unknown filesystem".into());
    let fsync = fsync_median(ledger_dir)?;
    println!(
        "machine: nproc {cores}; ledger dir {dir} on {filesystem}; \
         4 KiB append + fdatasync there: median {:.2} ms",
        fsync.as_secs_f64() * 1000.0
    );
    Ok(())
}

/// The median time of appending 4 KiB to a file in `dir` and syncing it, over 200 tries.
fn fsync_median(dir: &Path) -> Result<Duration, String> {
    let path = dir.join("fsync-probe");
    let io = |e: std::io::Error| format!("fsync probe in {}: {e}", dir.display());
    let mut file = File::create(&path).map_err(io)?;
    let mut times = Vec::with_capacity(200);
    for _ in 0..200 {
        let started = Instant::now();
        file.write_all(&[0u8; 4096]).map_err(io)?;
        file.sync_data().map_err(io)?;
        times.push(started.elapsed());
    }
    std::fs::remove_file(&path).map_err(io)?;
    times.sort_unstable();
    Ok(times[times.len() / 2])
}

fn print_outcome(o: &Outcome) {
    let t = &o.tally;
    println!(
        "\nclients {}: {} records in {:.2} s = {:.0} records/s; latency ms p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        o.clients,
        t.latencies.len(),
        o.wall.as_secs_f64(),
        t.latencies.len() as f64 / o.wall.as_secs_f64(),
        t.percentile_ms(50.0),
        t.percentile_ms(90.0),
        t.percentile_ms(99.0),
        t.percentile_ms(100.0),
    );
    println!("  errors: {} measured, {} in warm-up", t.error_count(), o.warm_up_errors);
    for (kind, n) in &t.errors {
        println!("    {n} × {kind}");
    }
    println!(
        "  CPU (cores): collector {}, load generator {}, other processes {}; iowait {} of all CPU time",
        cores(o.cpu.collector),
        cores(o.cpu.load_generator),
        cores(o.cpu.others()),
        percent(o.cpu.iowait),
    );
    if o.cpu.others().is_some_and(|others| others > 0.2) {
        println!("  note: other processes (a local Postgres among them) used CPU during this run");
    }
}

fn print_table(outcomes: &[Outcome]) {
    println!(
        "\nclients  records/s   p50 ms   p90 ms   p99 ms   max ms  errors  collector CPU  loadgen CPU  other CPU  iowait"
    );
    for o in outcomes {
        let t = &o.tally;
        println!(
            "{:>7}  {:>9.0}  {:>7.2}  {:>7.2}  {:>7.2}  {:>7.2}  {:>6}  {:>13}  {:>11}  {:>9}  {:>6}",
            o.clients,
            t.latencies.len() as f64 / o.wall.as_secs_f64(),
            t.percentile_ms(50.0),
            t.percentile_ms(90.0),
            t.percentile_ms(99.0),
            t.percentile_ms(100.0),
            t.error_count() + o.warm_up_errors,
            cores(o.cpu.collector),
            cores(o.cpu.load_generator),
            cores(o.cpu.others()),
            percent(o.cpu.iowait),
        );
    }
}

fn cores(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |v| format!("{v:.2}"))
}

fn percent(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |v| format!("{:.0}%", v * 100.0))
}

/// A fresh directory under the temp dir for the ledgers and collector logs, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, String> {
        let dir = std::env::temp_dir().join(format!("kelisim-bench-collector-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
