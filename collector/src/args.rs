//! The command line: `serve` (the default), `verify` and `export`, read by hand from `std::env::args`.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::anchor::Anchor;

/// The usage text printed by `--help` and after a bad argument.
pub const USAGE: &str = "\
usage: kelisim-collector [serve] [--db LEDGER] [--addr HOST:PORT] [--www DIR] [--pkg DIR]
                         [--allow-origin ORIGIN[=POLICY,...]]... [--policies DIR]...
                         [--token-file PATH] [--rate-limit N]
       kelisim-collector verify [--db LEDGER] [--anchor SEQ:HASH]
       kelisim-collector export [--db LEDGER] [--from TIME] [--to TIME]

  serve    receive consent records on POST /v1/consents and serve the demo (the default)
  verify   walk the ledger's hash chain; exit 0 if intact, 1 at the first broken link; it prints
           the head as SEQ:HASH — keep it outside the ledger, and a later verify --anchor SEQ:HASH
           proves the ledger up to that row was not rewritten
  export   print the ledger as NDJSON, one entry per line in chain order (receivedAt in [from, to))

  --db LEDGER            SQLite ledger file (default kelisim.sqlite), or a Postgres URL
                         postgres://user@host:port/database
  --addr HOST:PORT       address to listen on (default 127.0.0.1:8787)
  --www DIR              static files served under / (default www)
  --pkg DIR              the built wasm package served under /pkg (default pkg)
  --allow-origin ORIGIN  another origin allowed to POST records, e.g. https://shop.example.kz;
                         =POLICY,... limits it to those policy ids (repeatable; the collector's own
                         origin is always allowed)
  --policies DIR         operator configs (*.json) whose texts records are checked against
                         (repeatable; default consent/ under --www, when it exists)
  --token-file PATH      file holding the bearer token for /v1/subjects and /v1/export
                         (without it those paths answer 403)
  --rate-limit N         requests per second per client address, in bursts of up to N (default 50;
                         0 turns it off)
  --from, --to TIME      RFC 3339 UTC times, e.g. 2026-01-01T00:00:00Z";

/// Settings of `serve`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Serve {
    /// The ledger: a SQLite file path or a Postgres URL.
    pub db: String,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Static files for `/`.
    pub www: PathBuf,
    /// Static files for `/pkg`.
    pub pkg: PathBuf,
    /// Origins allowed besides the collector's own, normalized (lower case, no trailing slash),
    /// each with the policy ids it may send records for (empty: any).
    pub allow_origins: Vec<(String, Vec<String>)>,
    /// Directories of operator configs for the policy registry (empty: `www/consent` if present).
    pub policies: Vec<PathBuf>,
    /// The file holding the bearer token for the subject view and export.
    pub token_file: Option<PathBuf>,
    /// Requests per second per client address; 0 is no limit.
    pub rate_limit: u32,
}

/// Settings of `export`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The ledger.
    pub db: String,
    /// Inclusive lower bound on `receivedAt`, normalized to RFC 3339 UTC with milliseconds.
    pub from: Option<String>,
    /// Exclusive upper bound on `receivedAt`, normalized likewise.
    pub to: Option<String>,
}

/// What to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the HTTP server.
    Serve(Serve),
    /// Check the ledger's chain.
    Verify {
        /// The ledger.
        db: String,
        /// A head written down earlier, that the ledger must still hold.
        anchor: Option<Anchor>,
    },
    /// Print the ledger as NDJSON.
    Export(Export),
    /// Print the usage text.
    Help,
}

impl Default for Serve {
    fn default() -> Serve {
        Serve {
            db: DEFAULT_DB.to_owned(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            www: PathBuf::from("www"),
            pkg: PathBuf::from("pkg"),
            allow_origins: Vec::new(),
            policies: Vec::new(),
            token_file: None,
            rate_limit: 50,
        }
    }
}

const DEFAULT_DB: &str = "kelisim.sqlite";

/// Reads the arguments after the program name. The error says what was wrong.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let args: Vec<String> = args.into_iter().collect();
    if args.iter().any(|a| matches!(a.as_str(), "--help" | "-h" | "help")) {
        return Ok(Command::Help);
    }
    let (command, rest) = match args.first().map(String::as_str) {
        Some(c @ ("serve" | "verify" | "export")) => (c, &args[1..]),
        _ => ("serve", &args[..]),
    };
    let mut rest = rest.iter().cloned();
    if command == "verify" {
        let (mut db, mut anchor) = (DEFAULT_DB.to_owned(), None);
        while let Some(arg) = rest.next() {
            match option(&arg, &mut rest)? {
                ("--db", value) => db = value,
                ("--anchor", value) => anchor = Some(Anchor::parse(&value)?),
                (name, _) => return Err(format!("verify takes --db and --anchor, not {name}")),
            }
        }
        return Ok(Command::Verify { db, anchor });
    }
    if command == "export" {
        let mut export = Export { db: DEFAULT_DB.to_owned(), from: None, to: None };
        while let Some(arg) = rest.next() {
            match option(&arg, &mut rest)? {
                ("--db", value) => export.db = value,
                ("--from", value) => export.from = Some(time(&value).map_err(|e| format!("--from {e}"))?),
                ("--to", value) => export.to = Some(time(&value).map_err(|e| format!("--to {e}"))?),
                (name, _) => return Err(format!("export takes --db, --from and --to, not {name}")),
            }
        }
        return Ok(Command::Export(export));
    }
    let mut serve = Serve::default();
    while let Some(arg) = rest.next() {
        match option(&arg, &mut rest)? {
            ("--db", value) => serve.db = value,
            ("--www", value) => serve.www = PathBuf::from(value),
            ("--pkg", value) => serve.pkg = PathBuf::from(value),
            ("--policies", value) => serve.policies.push(PathBuf::from(value)),
            ("--token-file", value) => serve.token_file = Some(PathBuf::from(value)),
            ("--addr", value) => {
                serve.addr = value
                    .parse()
                    .map_err(|_| format!("--addr {value}: expected HOST:PORT such as 127.0.0.1:8787"))?;
            }
            ("--rate-limit", value) => {
                serve.rate_limit = value
                    .parse()
                    .map_err(|_| format!("--rate-limit {value}: expected requests per second, 0 for none"))?;
            }
            ("--allow-origin", value) => {
                let (origin, policies) = allowance(&value)?;
                if serve.allow_origins.iter().any(|(o, _)| *o == origin) {
                    return Err(format!(
                        "--allow-origin {origin} is given twice; list its policies once: {origin}=POLICY,POLICY"
                    ));
                }
                serve.allow_origins.push((origin, policies));
            }
            (name, _) => return Err(format!("unknown argument {name}")),
        }
    }
    Ok(Command::Serve(serve))
}

/// An RFC 3339 time, normalized to the form `receivedAt` is stored in so that they compare as text.
pub fn time(value: &str) -> Result<String, String> {
    kelisim::time::parse_rfc3339_utc(value)
        .map(kelisim::time::format_rfc3339_millis)
        .ok_or_else(|| format!("{value}: expected an RFC 3339 UTC time such as 2026-01-01T00:00:00Z"))
}

/// Splits `--name=value` or `--name value`.
fn option<'a>(arg: &'a str, rest: &mut impl Iterator<Item = String>) -> Result<(&'a str, String), String> {
    if !arg.starts_with("--") {
        return Err(format!("unexpected argument {arg}"));
    }
    if let Some((name, value)) = arg.split_once('=') {
        return Ok((name, value.to_owned()));
    }
    match rest.next() {
        Some(value) if !value.starts_with("--") => Ok((arg, value)),
        _ => Err(format!("{arg} needs a value")),
    }
}

/// `ORIGIN` or `ORIGIN=POLICY,POLICY`: the origin and the policy ids it is limited to.
fn allowance(value: &str) -> Result<(String, Vec<String>), String> {
    let (origin_part, policies) = match value.split_once('=') {
        Some((o, list)) => (o, list.split(',').map(str::trim).map(str::to_owned).collect::<Vec<_>>()),
        None => (value, Vec::new()),
    };
    if policies.iter().any(String::is_empty) {
        return Err(format!("--allow-origin {value}: expected ORIGIN=POLICY_ID,POLICY_ID"));
    }
    Ok((origin(origin_part)?, policies))
}

/// Normalizes an origin given on the command line: `scheme://host[:port]`, lower case.
fn origin(value: &str) -> Result<String, String> {
    let trimmed = value.trim_end_matches('/').to_ascii_lowercase();
    let host = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
    match host {
        Some(h) if !h.is_empty() && !h.contains(['/', '?', '#', '@', '*', ' ']) => Ok(trimmed),
        _ => Err(format!(
            "--allow-origin {value}: expected an origin such as https://shop.example.kz (scheme://host[:port])"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(line: &str) -> Result<Command, String> {
        parse(line.split_whitespace().map(String::from))
    }

    #[test]
    fn no_arguments_serve_with_the_defaults() {
        assert_eq!(parse_str(""), Ok(Command::Serve(Serve::default())));
        assert_eq!(parse_str("serve"), Ok(Command::Serve(Serve::default())));
    }

    #[test]
    fn serve_reads_every_option_in_both_spellings() {
        let Ok(Command::Serve(s)) = parse_str(
            "serve --db=/tmp/l.sqlite --addr 127.0.0.1:0 --www site --pkg=out \
             --allow-origin https://Shop.example.kz/ --allow-origin=http://localhost:3000",
        ) else {
            panic!("serve expected");
        };
        assert_eq!(s.db, "/tmp/l.sqlite");
        assert_eq!(s.addr.port(), 0);
        assert_eq!((s.www, s.pkg), (PathBuf::from("site"), PathBuf::from("out")));
        let origins: Vec<&str> = s.allow_origins.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(origins, ["https://shop.example.kz", "http://localhost:3000"]);
    }

    #[test]
    fn options_without_a_subcommand_mean_serve() {
        assert!(matches!(parse_str("--db x.sqlite"), Ok(Command::Serve(s)) if s.db == "x.sqlite"));
    }

    #[test]
    fn verify_takes_a_database_and_nothing_else() {
        assert_eq!(
            parse_str("verify --db l.sqlite"),
            Ok(Command::Verify { db: "l.sqlite".into(), anchor: None })
        );
        let anchor = format!("7:{}", "c".repeat(64));
        let Ok(Command::Verify { anchor: Some(a), .. }) = parse_str(&format!("verify --anchor {anchor}"))
        else {
            panic!("an anchor expected");
        };
        assert_eq!(a.to_string(), anchor);
        assert!(parse_str("verify --www x").unwrap_err().contains("not --www"));
    }

    #[test]
    fn serve_reads_the_ledger_options() {
        let Ok(Command::Serve(s)) = parse_str(
            "--db postgres://k@127.0.0.1:5432/ledger --policies a --policies b --token-file t \
             --rate-limit 0 --allow-origin https://beeline.kz=karatel-subscribers,karatel-b2b",
        ) else {
            panic!("serve expected");
        };
        assert_eq!(s.db, "postgres://k@127.0.0.1:5432/ledger");
        assert_eq!(s.policies, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!((s.token_file, s.rate_limit), (Some(PathBuf::from("t")), 0));
        assert_eq!(
            s.allow_origins,
            [(
                "https://beeline.kz".to_owned(),
                vec!["karatel-subscribers".to_owned(), "karatel-b2b".to_owned()]
            )]
        );
        assert!(parse_str("--allow-origin https://a.kz=").unwrap_err().contains("POLICY_ID"));
        let twice = parse_str("--allow-origin https://a.kz --allow-origin https://A.kz/=p1").unwrap_err();
        assert!(twice.contains("given twice"), "{twice}");
        assert!(parse_str("--rate-limit fast").unwrap_err().contains("requests per second"));
    }

    #[test]
    fn export_takes_a_time_range_normalized_for_comparison() {
        let Ok(Command::Export(e)) = parse_str("export --db l.sqlite --from 2026-01-01T00:00:00Z") else {
            panic!("export expected");
        };
        assert_eq!(
            (e.db.as_str(), e.from.as_deref(), e.to),
            ("l.sqlite", Some("2026-01-01T00:00:00.000Z"), None)
        );
        assert!(parse_str("export --to yesterday").unwrap_err().starts_with("--to yesterday"));
        assert!(parse_str("export --www x").unwrap_err().contains("not --www"));
    }

    #[test]
    fn help_wins_anywhere() {
        assert_eq!(parse_str("serve --db x --help"), Ok(Command::Help));
        assert_eq!(parse_str("-h"), Ok(Command::Help));
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        assert_eq!(parse_str("serve --db").unwrap_err(), "--db needs a value");
        assert!(parse_str("serve --addr localhost").unwrap_err().contains("HOST:PORT"));
        assert!(parse_str("serve --port 1").unwrap_err().contains("unknown argument --port"));
        assert!(parse_str("serve extra").unwrap_err().contains("unexpected argument extra"));
        assert!(parse_str("--allow-origin *").unwrap_err().contains("expected an origin"));
        assert!(parse_str("--allow-origin https://a.kz/path").is_err());
    }
}
