//! A private, throwaway Postgres server for tests and benchmarks: loopback only, fsync on, gone on drop.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::util::output;

/// The programs the cluster needs, all from one installation.
const PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "createdb"];

/// The database the tests and benchmarks are given.
const DATABASE: &str = "kelisim";

/// The directory holding `initdb`, `pg_ctl` and `createdb`: Debian's newest
/// `/usr/lib/postgresql/<version>/bin`, else wherever `initdb` on the PATH really lives (links such
/// as this machine's `/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb` are followed).
pub fn bin_dir() -> Option<PathBuf> {
    let complete = |dir: &Path| PROGRAMS.iter().all(|p| dir.join(p).is_file());
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .collect();
    debian.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|dir| dir.join("initdb").canonicalize().ok()?.parent().map(Path::to_path_buf));
    debian.into_iter().map(|(_, dir)| dir).chain(on_path).find(|dir| complete(dir))
}

/// A running throwaway server. Dropping it stops the server and removes its files.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    /// Whether its programs run as the `postgres` system user (when we are root: initdb refuses root).
    as_postgres: bool,
    /// Whether the server was started (and so must be stopped).
    running: bool,
    url: String,
}

impl Cluster {
    /// `postgres://postgres@127.0.0.1:PORT/kelisim`: no password (trust on loopback), no TLS.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Runs one of the cluster's programs (as `postgres` when root), quietly; stderr in the error.
    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let path = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        // A directory the postgres user can enter: it may not be allowed into the repository.
        cmd.args(args).current_dir(&self.dir).env("LC_ALL", "C");
        let shown = format!("{} {}", path.display(), args.join(" "));
        let out = cmd.output().map_err(|e| format!("`{shown}` could not start: {e}"))?;
        if out.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        Err(format!("`{shown}` failed ({}): {}", out.status, stderr.trim()))
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running {
            let data = self.data().to_string_lossy().into_owned();
            if let Err(e) = self.run("pg_ctl", &["stop", "-D", &data, "-m", "fast", "-w", "-t", "60"]) {
                eprintln!("warning: the test Postgres server did not stop: {e}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port on 127.0.0.1 that nothing listens on just now.
fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("no free port: {e}"))
}

/// Installs Postgres if need be, then starts a new server in a temporary directory: it listens on
/// 127.0.0.1 only (and a socket inside that directory), trusts loopback connections, keeps fsync on,
/// and holds one empty database, `kelisim`.
pub fn start_cluster() -> Result<Cluster, String> {
    crate::setup::postgres()?;
    let bin = bin_dir().ok_or("no Postgres server programs (initdb, pg_ctl, createdb) were found")?;
    let as_postgres = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("kelisim-pg-{}-{nanos}", std::process::id()));
    // Private: the server's socket in it trusts whoever can reach it.
    let mut private = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut private, 0o700);
    private.create(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut cluster = Cluster { bin, dir, as_postgres, running: false, url: String::new() };
    if as_postgres {
        let shown = cluster.dir.to_string_lossy().into_owned();
        let owned = Command::new("chown").args(["postgres:postgres", &shown]).status();
        if !owned.is_ok_and(|s| s.success()) {
            return Err(format!("cannot give {shown} to the postgres user (chown)"));
        }
    }
    let data = cluster.data().to_string_lossy().into_owned();
    cluster
        .run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"])?;
    // Durability is what the ledger is about: fsync and synchronous commit stay on, as in production.
    let settings = format!(
        "\n# kelisim test server\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
         fsync = on\nsynchronous_commit = on\nfull_page_writes = on\nmax_connections = 200\n",
        cluster.dir.display()
    );
    let conf = cluster.data().join("postgresql.conf");
    let mut text = std::fs::read_to_string(&conf).map_err(|e| format!("{}: {e}", conf.display()))?;
    text.push_str(&settings);
    std::fs::write(&conf, text).map_err(|e| format!("{}: {e}", conf.display()))?;
    let log = cluster.dir.join("server.log").to_string_lossy().into_owned();
    let mut last_error = String::new();
    // A port found free can be taken before the server binds it: try another.
    for _ in 0..3 {
        let port = free_port()?;
        let options = format!("-p {port}");
        let started =
            cluster.run("pg_ctl", &["start", "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options]);
        match started {
            Ok(()) => {
                cluster.running = true;
                let port = port.to_string();
                cluster.run("createdb", &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", DATABASE])?;
                println!("test Postgres server on 127.0.0.1:{port} (data in {})", cluster.dir.display());
                cluster.url = format!("postgres://postgres@127.0.0.1:{port}/{DATABASE}");
                return Ok(cluster);
            }
            Err(e) => last_error = format!("{e}\n{}", cluster.log_tail()),
        }
    }
    Err(format!("the test Postgres server did not start: {last_error}"))
}
