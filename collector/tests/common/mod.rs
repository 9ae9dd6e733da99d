#![allow(dead_code)] // each test binary uses a different part of the harness
//! Test harness: a scratch directory, the real collector binary on a free port, a minimal HTTP
//! client, and valid records built with the core crate.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
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
        Server { child, port }
    }

    /// Stops the server with SIGKILL, as a crash would.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Sends SIGTERM and waits (at most 10 s) for the process to exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the collector did not stop within 10 s of SIGTERM");
    }

    pub fn post(&self, body: &str) -> Reply {
        self.send("POST", "/v1/consents", &[("Content-Type", "application/json")], body.as_bytes())
    }

    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], b"")
    }

    /// One HTTP/1.1 request on a fresh connection.
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        self.send_raw(head.as_bytes(), body)
    }

    /// Writes `head` then `body` as given, and reads the response to the end.
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
    pub fn parse(raw: &[u8]) -> Reply {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("response head");
        let head = std::str::from_utf8(&raw[..split]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| l.split_once(':').unwrap())
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
            body = dechunk(&body);
        }
        Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
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

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
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
