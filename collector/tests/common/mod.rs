#![allow(dead_code)] // each test binary uses a different part of the harness
//! Test harness: a scratch directory, the real collector binary on a free port, an HTTP client
//! (ureq; raw bytes for the requests no client library would send), and valid records built with
//! the core crate.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kelisim::choices::Choices;
use kelisim::config::Config;
use kelisim::json::Json;
use kelisim::lang::Lang;
use kelisim::record::{self, Channel, ConsentRecord, Context, Stamp};

pub const BIN: &str = env!("CARGO_BIN_EXE_kelisim-collector");
pub const CONFIG: &str = include_str!("../data/config.json");

// ---- a scratch directory: the ledger file, www/ and pkg/ --------------------------------------

/// A fresh directory under the temp dir, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kelisim-collector-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("www")).unwrap();
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("www/index.html"), "<!doctype html><title>kelisim</title>").unwrap();
        std::fs::write(dir.join("www/demo.json"), "{}").unwrap();
        std::fs::create_dir_all(dir.join("www/consent")).unwrap();
        std::fs::write(dir.join("www/consent/karatel.json"), CONFIG).unwrap();
        std::fs::write(dir.join("pkg/x.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("pkg/x.js"), "export default 1;\n").unwrap();
        Scratch(dir)
    }

    pub fn db(&self) -> PathBuf {
        self.0.join("ledger.sqlite")
    }

    /// Runs `kelisim-collector verify` on the ledger.
    pub fn verify(&self) -> Output {
        Command::new(BIN).arg("verify").arg("--db").arg(self.db()).output().unwrap()
    }

    /// A raw connection with the append-only triggers dropped, as someone editing the file would.
    pub fn tamper(&self) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.execute_batch("DROP TRIGGER consents_no_update; DROP TRIGGER consents_no_delete;").unwrap();
        conn
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- the server process --------------------------------------------------------------------------

/// A running collector; killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(scratch: &Scratch) -> Server {
        Server::start_with(scratch, &[])
    }

    pub fn start_with(scratch: &Scratch, extra: &[&str]) -> Server {
        Server::start_on(scratch, &scratch.db().to_string_lossy(), extra)
    }

    /// A collector on the ledger `db` (a file or a Postgres URL), serving the scratch directory.
    pub fn start_on(scratch: &Scratch, db: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("serve")
            .arg("--db")
            .arg(db)
            .args(["--addr", "127.0.0.1:0"])
            .arg("--www")
            .arg(scratch.0.join("www"))
            .arg("--pkg")
            .arg(scratch.0.join("pkg"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("collector starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let Some(port) = line
            .strip_prefix("kelisim collector listening on http://127.0.0.1:")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|port| port.parse().ok())
        else {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("unexpected first line {line:?}; stderr: {err}");
        };
        assert!(line.ends_with(&format!("(ledger: {db})\n")), "{line}");
        // stderr is a pipe: kept drained into `log`, so that the collector never blocks on it.
        let log = Arc::new(Mutex::new(String::new()));
        let (stderr, sink) = (child.stderr.take().unwrap(), Arc::clone(&log));
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Server { child, port, log }
    }

    /// Stops the server with SIGKILL, as a crash would.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Sends SIGTERM and waits (at most 15 s) for the process to exit.
    pub fn terminate(self) -> std::process::ExitStatus {
        self.terminate_within(Duration::from_secs(15)).0
    }

    /// Sends SIGTERM; the exit status and how long the exit took, which must be under `limit`.
    pub fn terminate_within(mut self, limit: Duration) -> (std::process::ExitStatus, Duration) {
        let pid = self.child.id().to_string();
        let sent = std::time::Instant::now();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        while sent.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, sent.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the collector did not stop within {limit:?} of SIGTERM");
    }

    pub fn post(&self, body: &str) -> Reply {
        self.send("POST", "/v1/consents", &[("Content-Type", "application/json")], body.as_bytes())
    }

    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], b"")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What the collector wrote to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The process id, for signals.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// One request through ureq (keep-alive, as a browser or a backend would send it).
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut request = ureq::http::Request::builder().method(method).uri(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(body.to_vec()).expect("a well-formed request");
        let mut response = agent().run(request).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body =
            response.body_mut().read_to_string().unwrap_or_else(|e| panic!("{method} {path}: body: {e}"));
        Reply { status: response.status().as_u16(), headers, body }
    }

    /// Writes `head` then `body` exactly as given on a fresh connection, and reads the answer to
    /// the end (the server must close the connection: send `Connection: close`).
    pub fn send_raw(&self, head: &[u8], body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream.write_all(head).unwrap();
        let _ = stream.write_all(body); // the server may answer before reading everything
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("a complete response");
        Reply::parse(&raw)
    }
}

/// A client that returns every status as a response, with generous timeouts.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// A whole response as read from a socket; its body must be sent with Content-Length.
    pub fn parse(raw: &[u8]) -> Reply {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("response head");
        let head = std::str::from_utf8(&raw[..split]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| l.split_once(':').unwrap())
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        assert!(
            !headers.iter().any(|(k, _)| k == "transfer-encoding"),
            "raw requests get Content-Length answers"
        );
        Reply { status, headers, body: String::from_utf8_lossy(&raw[split + 4..]).into_owned() }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Json {
        assert_eq!(self.header("content-type"), Some("application/json"), "{self:?}");
        Json::parse(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// `(status, error.code, error.field)` of a JSON error answer.
    pub fn error(&self) -> (u16, String, Option<String>) {
        let json = self.json();
        let error = json.get("error").expect("an error object");
        assert!(error.get("message").and_then(Json::as_str).is_some_and(|m| !m.is_empty()));
        assert_eq!(self.header("cache-control"), Some("no-store"), "{self:?}");
        let text = |key| error.get(key).and_then(Json::as_str).map(str::to_owned);
        (self.status, text("code").unwrap(), text("field"))
    }

    pub fn str(&self, key: &str) -> String {
        self.json()
            .get(key)
            .and_then(Json::as_str)
            .unwrap_or_else(|| panic!("no {key}: {}", self.body))
            .to_owned()
    }

    pub fn seq(&self) -> u64 {
        match self.json().get("seq") {
            Some(Json::Number(n)) => n.parse().unwrap(),
            _ => panic!("no seq: {}", self.body),
        }
    }
}

// ---- records ---------------------------------------------------------------------------------------

/// A valid grant; `seed` makes its record id and subject.
pub fn grant(seed: u8) -> ConsentRecord {
    let cfg = Config::from_json_text(CONFIG).expect("test config is valid");
    let mut choices = Choices::fresh(&cfg);
    choices.toggle("marketing");
    let ctx = Context {
        subject_ref: format!("anon-{seed:02x}"),
        channel: Channel::Web,
        page: Some("http://127.0.0.1:8787/karatel.html".into()),
        user_agent: Some("collector-test".into()),
        ..Default::default()
    };
    let stamp = Stamp {
        now_ms: 1_795_385_128_123,
        record_id: kelisim::id::uuid_v4([seed; 16]),
        previous_record_id: None,
    };
    record::grant(&cfg, &choices, Lang::Kk, &ctx, stamp)
}

/// A withdrawal of `marketing` by the subject of `grant(of)`, pointing to that record.
pub fn withdrawal(of: u8, seed: u8) -> ConsentRecord {
    let cfg = Config::from_json_text(CONFIG).expect("test config is valid");
    let ctx = Context {
        subject_ref: format!("anon-{of:02x}"),
        channel: Channel::Web,
        page: None,
        user_agent: Some("collector-test".into()),
        ..Default::default()
    };
    let stamp = Stamp {
        now_ms: 1_795_385_228_123,
        record_id: kelisim::id::uuid_v4([seed; 16]),
        previous_record_id: Some(grant(of).record_id),
    };
    record::withdrawal(&cfg, &["marketing".to_owned()], Lang::Kk, &ctx, stamp)
}

/// The bearer token written by [`Scratch::token_file`].
pub const TOKEN: &str = "test-token-0123456789abcdef";

impl Scratch {
    /// Writes [`TOKEN`] to a file and returns its path for `--token-file`.
    pub fn token_file(&self) -> String {
        let path = self.0.join("token");
        std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Server {
    /// A GET with the bearer token.
    pub fn get_authorized(&self, path: &str) -> Reply {
        self.send("GET", path, &[("Authorization", &format!("Bearer {TOKEN}"))], b"")
    }
}

pub fn text(seed: u8) -> String {
    grant(seed).to_text()
}

/// Posts records `1..=n` and checks each is stored.
pub fn post_n(server: &Server, n: u8) {
    for seed in 1..=n {
        assert_eq!(server.post(&text(seed)).status, 201);
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
