//! The command line, read by clap: `serve` (the default), `verify`, `export`, `check` and `generate`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::anchor::Anchor;
use crate::confirm::limits::Window;

const DEFAULT_DB: &str = "kelisim.sqlite";

/// Receives consent records over HTTP into an append-only, hash-chained ledger, and checks or
/// exports that ledger. Without a subcommand it serves.
#[derive(Debug, Parser)]
#[command(name = "kelisim-collector", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Serve,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Receive consent records on POST /v1/consents and serve the demo (the default).
    Serve(Box<Serve>),
    /// Walk the ledger's hash chain: exit 0 if intact, 1 at the first broken link, 2 if unreadable.
    /// It prints the head as SEQ:HASH: keep it outside the ledger, and a later
    /// `verify --anchor SEQ:HASH` proves the ledger up to that row was not rewritten.
    Verify(Verify),
    /// Print the ledger as NDJSON, one entry per line in chain order (receivedAt in [from, to)).
    Export(Export),
    /// Check operator configs: every problem with its field path, each language's textSha256,
    /// optionally an HTML preview per language. Exit 0 if all are clean, 1 if one has problems,
    /// 2 if a file cannot be read or a preview written.
    Check(Check),
    /// Fill a ledger with made-up decisions on the registered notices, to try the console or
    /// measure it (not for a ledger that holds real records).
    Generate(Generate),
}

impl Cli {
    /// The subcommand, `serve` with the top-level options when none is named.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(Box::new(self.serve)))
    }
}

/// Settings of `serve`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct Serve {
    /// SQLite ledger file, or a Postgres URL postgres://user@host:port/database.
    #[arg(long, value_name = "LEDGER", default_value = DEFAULT_DB)]
    pub db: String,
    /// Address to listen on.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,
    /// The collector's own origin, the one its pages are loaded from, e.g. https://consent.example.kz.
    /// Browsers may post from it without --allow-origin. Default: http:// and the bound address
    /// (set it when the collector binds 0.0.0.0 or sits behind a proxy). The Host header is never
    /// trusted for this.
    #[arg(long, value_name = "ORIGIN", value_parser = origin)]
    pub public_origin: Option<String>,
    /// Static files served under /.
    #[arg(long, value_name = "DIR", default_value = "www")]
    pub www: PathBuf,
    /// The built wasm package served under /pkg.
    #[arg(long, value_name = "DIR", default_value = "pkg")]
    pub pkg: PathBuf,
    /// Another origin allowed to POST records, e.g. https://shop.example.kz; =POLICY,... limits it
    /// to those policy ids. Repeatable.
    #[arg(long = "allow-origin", value_name = "ORIGIN[=POLICY,...]", value_parser = allowance)]
    pub allow_origins: Vec<(String, Vec<String>)>,
    /// Operator configs (*.json) whose texts and decisions records are checked against. Repeatable;
    /// default consent/ under --www, when it exists.
    #[arg(long, value_name = "DIR")]
    pub policies: Vec<PathBuf>,
    /// File whose first line is the bearer token for the subject view, the export and whole
    /// entries (without it those answer 403).
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Requests per second per client address, in bursts of up to N; 0 turns it off (behind a
    /// reverse proxy every visitor shares its address: limit there instead).
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub rate_limit: u32,
    /// Open connections at most, in total; lowered at start to what the open-file limit allows.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Open connections at most per client address (an IPv4 address, an IPv6 /64); 0 for no limit.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub max_connections_per_client: u32,
    /// Seconds a connection may take to send a complete request head, counted from its opening or
    /// from the end of the previous answer: an idle keep-alive connection is closed after it too.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    pub header_timeout: Duration,
    /// Seconds a request body may take to arrive in full (408 after).
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    pub body_timeout: Duration,
    /// Seconds an answer may wait for the client to read it before the connection is closed.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = seconds)]
    pub write_timeout: Duration,
    /// Seconds after SIGTERM for requests in flight to finish; then the remaining connections are
    /// closed. Every record acknowledged with a 2xx is committed either way.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    pub shutdown_timeout: Duration,
    /// Command that sends one SMS, run with `sh -c` with KELISIM_SMS_TO (E.164) and KELISIM_SMS_TEXT
    /// in its environment; exit 0 means sent. Without it POST /v1/confirmations answers 503.
    #[arg(long, value_name = "CMD")]
    pub sms_command: Option<String>,
    /// How long the SMS command may run before it is killed (and the message counts as not sent):
    /// seconds, or a number with s, m or h.
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = duration)]
    pub sms_timeout: Duration,
    /// How long a confirmation code can be typed back after it is asked for.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = duration)]
    pub confirmation_ttl: Duration,
    /// At most COUNT codes to one phone in any SPAN, e.g. 3/15m. Repeatable: each limit holds.
    #[arg(long = "phone-codes", value_name = "COUNT/SPAN", value_parser = window,
          default_values = ["3/15m", "10/24h"])]
    pub phone_codes: Vec<Window>,
    /// At most COUNT codes asked for by one client address per SPAN (a burst of COUNT, then one
    /// every SPAN/COUNT); a COUNT of 0 turns it off.
    #[arg(long = "client-codes", value_name = "COUNT/SPAN", value_parser = window, default_value = "10/1h")]
    pub client_codes: Window,
    /// Log level on stderr: error, warn, info or debug (debug logs every request: method, route,
    /// status, time; never a subject ref, a query or a body).
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    pub log: tracing::level_filters::LevelFilter,
}

/// Settings of `verify`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct Verify {
    /// SQLite ledger file or Postgres URL.
    #[arg(long, value_name = "LEDGER", default_value = DEFAULT_DB)]
    pub db: String,
    /// A head printed by an earlier verify, that the ledger must still hold.
    #[arg(long, value_name = "SEQ:HASH", value_parser = Anchor::parse)]
    pub anchor: Option<Anchor>,
}

/// Settings of `check`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct Check {
    /// The language of the report: kk, ru or en.
    #[arg(long, value_name = "LANG", default_value = "kk", value_parser = language)]
    pub lang: kelisim::lang::Lang,
    /// Write DIR/<config>.<lang>.html, the notice as visitors see it, for each language offered.
    #[arg(long, value_name = "DIR")]
    pub preview: Option<PathBuf>,
    /// Config files (*.json).
    #[arg(value_name = "CONFIG", required = true)]
    pub configs: Vec<PathBuf>,
}

fn language(value: &str) -> Result<kelisim::lang::Lang, String> {
    kelisim::lang::Lang::from_tag(value)
        .filter(|l| l.code() == value)
        .ok_or_else(|| format!("{value:?} is not kk, ru or en"))
}

/// Settings of `generate`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct Generate {
    /// SQLite ledger file or Postgres URL (created when missing).
    #[arg(long, value_name = "LEDGER")]
    pub db: String,
    /// How many records.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub records: u64,
    /// Over how many days up to now.
    #[arg(long, value_name = "DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Operator configs, as for serve.
    #[arg(long, value_name = "DIR", default_value = "www/consent")]
    pub policies: Vec<PathBuf>,
    /// The same seed makes the same choices.
    #[arg(long, value_name = "N", default_value_t = 94)]
    pub seed: u64,
}

/// Settings of `export`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct Export {
    /// SQLite ledger file or Postgres URL.
    #[arg(long, value_name = "LEDGER", default_value = DEFAULT_DB)]
    pub db: String,
    /// Entries received at or after this RFC 3339 UTC time, e.g. 2026-01-01T00:00:00Z.
    #[arg(long, value_name = "TIME", value_parser = time)]
    pub from: Option<String>,
    /// Entries received before this RFC 3339 UTC time.
    #[arg(long, value_name = "TIME", value_parser = time)]
    pub to: Option<String>,
}

/// An RFC 3339 time, normalized to the form `receivedAt` is stored in so that they compare as text.
pub fn time(value: &str) -> Result<String, String> {
    kelisim::time::parse_rfc3339_utc(value)
        .map(kelisim::time::format_rfc3339_millis)
        .ok_or_else(|| format!("{value}: expected an RFC 3339 UTC time such as 2026-01-01T00:00:00Z"))
}

/// A positive number of seconds, with a fraction if need be (`10`, `0.5`).
fn seconds(value: &str) -> Result<Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{value}: expected a positive number of seconds such as 10 or 0.5"))
}

/// A positive duration: seconds (`10`, `0.5`), or a number with `s`, `m` or `h` (`90s`, `10m`, `24h`).
pub fn duration(value: &str) -> Result<Duration, String> {
    let (number, unit) = match value.strip_suffix('h') {
        Some(n) => (n, 3600.0),
        None => match value.strip_suffix('m') {
            Some(n) => (n, 60.0),
            None => (value.strip_suffix('s').unwrap_or(value), 1.0),
        },
    };
    number
        .parse::<f64>()
        .ok()
        .filter(|n| *n > 0.0)
        .and_then(|n| Duration::try_from_secs_f64(n * unit).ok())
        .ok_or_else(|| format!("{value}: expected a positive duration such as 90s, 10m, 24h or 0.5"))
}

/// `COUNT/SPAN`, e.g. `3/15m`: at most COUNT in any SPAN.
fn window(value: &str) -> Result<Window, String> {
    let bad = || format!("{value}: expected COUNT/SPAN such as 3/15m or 10/24h");
    let (count, span) = value.split_once('/').ok_or_else(bad)?;
    let count = count.trim().parse::<u32>().map_err(|_| bad())?;
    let span = duration(span.trim()).map_err(|_| bad())?;
    Ok(Window { count, span })
}

/// `ORIGIN` or `ORIGIN=POLICY,POLICY`: the origin and the policy ids it is limited to.
fn allowance(value: &str) -> Result<(String, Vec<String>), String> {
    let (origin_part, policies) = match value.split_once('=') {
        Some((o, list)) => (o, list.split(',').map(str::trim).map(str::to_owned).collect::<Vec<_>>()),
        None => (value, Vec::new()),
    };
    if policies.iter().any(String::is_empty) {
        return Err(format!("{value}: expected ORIGIN=POLICY_ID,POLICY_ID"));
    }
    Ok((origin(origin_part)?, policies))
}

/// Normalizes an origin given on the command line: `scheme://host[:port]`, lower case.
pub fn origin(value: &str) -> Result<String, String> {
    let trimmed = value.trim_end_matches('/').to_ascii_lowercase();
    let host = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
    match host {
        Some(h) if !h.is_empty() && !h.contains(['/', '?', '#', '@', '*', ' ']) => Ok(trimmed),
        _ => {
            Err(format!("{value}: expected an origin such as https://shop.example.kz (scheme://host[:port])"))
        }
    }
}

/// Refuses an origin listed twice with `--allow-origin` (its policies belong in one list).
pub fn check_allowances(allowed: &[(String, Vec<String>)]) -> Result<(), String> {
    for (i, (origin, _)) in allowed.iter().enumerate() {
        if allowed[..i].iter().any(|(o, _)| o == origin) {
            return Err(format!(
                "--allow-origin {origin} is given twice; list its policies once: {origin}=POLICY,POLICY"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Command, String> {
        let args = std::iter::once("kelisim-collector").chain(line.split_whitespace());
        Cli::try_parse_from(args).map(Cli::into_command).map_err(|e| e.to_string())
    }

    fn serve(line: &str) -> Serve {
        match parse(line) {
            Ok(Command::Serve(s)) => *s,
            other => panic!("serve expected: {other:?}"),
        }
    }

    #[test]
    fn no_arguments_serve_with_the_defaults() {
        let s = serve("");
        assert_eq!(serve("serve"), s);
        assert_eq!((s.db.as_str(), s.addr.to_string().as_str()), ("kelisim.sqlite", "127.0.0.1:8787"));
        assert_eq!((s.rate_limit, s.max_connections, s.max_connections_per_client), (50, 1024, 64));
        assert_eq!(
            (s.header_timeout, s.shutdown_timeout),
            (Duration::from_secs(10), Duration::from_secs(10))
        );
        assert_eq!(s.public_origin, None);
        assert_eq!((s.sms_command, s.sms_timeout), (None, Duration::from_secs(15)));
        assert_eq!(s.confirmation_ttl, Duration::from_secs(600));
        let window = |count, secs| Window { count, span: Duration::from_secs(secs) };
        assert_eq!(s.phone_codes, [window(3, 900), window(10, 86_400)]);
        assert_eq!(s.client_codes, window(10, 3600));
    }

    #[test]
    fn sms_settings_take_durations_with_units_and_limits_as_count_per_span() {
        let s = serve(
            "--sms-command true --confirmation-ttl 2s --sms-timeout 0.5 --phone-codes 2/1h \
             --client-codes 0/1m",
        );
        assert_eq!(s.sms_command.as_deref(), Some("true"));
        assert_eq!((s.confirmation_ttl, s.sms_timeout), (Duration::from_secs(2), Duration::from_millis(500)));
        assert_eq!(s.phone_codes, [Window { count: 2, span: Duration::from_secs(3600) }]);
        assert_eq!(s.client_codes, Window { count: 0, span: Duration::from_secs(60) });
        assert_eq!(duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(duration("10m"), Ok(Duration::from_secs(600)));
        assert!(parse("--confirmation-ttl 0s").unwrap_err().contains("positive duration"));
        assert!(parse("--confirmation-ttl soon").is_err());
        assert!(parse("--phone-codes 3").unwrap_err().contains("COUNT/SPAN"));
        assert!(parse("--client-codes x/1h").is_err());
    }

    #[test]
    fn serve_reads_every_option_in_both_spellings() {
        let s = serve(
            "serve --db=/tmp/l.sqlite --addr 127.0.0.1:0 --www site --pkg=out \
             --allow-origin https://Shop.example.kz/ --allow-origin=http://localhost:3000 \
             --public-origin HTTPS://Consent.example.kz/ --header-timeout 0.5 --max-connections 9",
        );
        assert_eq!(s.db, "/tmp/l.sqlite");
        assert_eq!(s.addr.port(), 0);
        assert_eq!((s.www, s.pkg), (PathBuf::from("site"), PathBuf::from("out")));
        let origins: Vec<&str> = s.allow_origins.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(origins, ["https://shop.example.kz", "http://localhost:3000"]);
        assert_eq!(s.public_origin.as_deref(), Some("https://consent.example.kz"));
        assert_eq!((s.header_timeout, s.max_connections), (Duration::from_millis(500), 9));
    }

    #[test]
    fn options_without_a_subcommand_mean_serve() {
        assert_eq!(serve("--db x.sqlite").db, "x.sqlite");
    }

    #[test]
    fn verify_takes_a_database_and_an_anchor() {
        let anchor = format!("7:{}", "c".repeat(64));
        let Ok(Command::Verify(v)) = parse(&format!("verify --db l.sqlite --anchor {anchor}")) else {
            panic!("verify expected");
        };
        assert_eq!((v.db.as_str(), v.anchor.map(|a| a.to_string())), ("l.sqlite", Some(anchor)));
        assert!(parse("verify --www x").unwrap_err().contains("--www"));
        assert!(parse("verify --anchor 7").unwrap_err().contains("SEQ:HASH"));
    }

    #[test]
    fn serve_reads_the_ledger_options() {
        let s = serve(
            "--db postgres://k@127.0.0.1:5432/ledger --policies a --policies b --token-file t \
             --rate-limit 0 --allow-origin https://beeline.kz=karatel-subscribers,karatel-b2b",
        );
        assert_eq!(s.policies, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!((s.token_file, s.rate_limit), (Some(PathBuf::from("t")), 0));
        assert_eq!(
            s.allow_origins,
            [(
                "https://beeline.kz".to_owned(),
                vec!["karatel-subscribers".to_owned(), "karatel-b2b".to_owned()]
            )]
        );
        assert!(parse("--allow-origin https://a.kz=").unwrap_err().contains("POLICY_ID"));
        let twice = serve("--allow-origin https://a.kz --allow-origin https://A.kz/=p1");
        assert!(check_allowances(&twice.allow_origins).unwrap_err().contains("given twice"));
        assert!(parse("--rate-limit fast").is_err());
        assert!(parse("--header-timeout 0").unwrap_err().contains("positive number of seconds"));
        assert!(parse("--max-connections 0").is_err());
    }

    #[test]
    fn export_takes_a_time_range_normalized_for_comparison() {
        let Ok(Command::Export(e)) = parse("export --db l.sqlite --from 2026-01-01T00:00:00Z") else {
            panic!("export expected");
        };
        assert_eq!(
            (e.db.as_str(), e.from.as_deref(), e.to),
            ("l.sqlite", Some("2026-01-01T00:00:00.000Z"), None)
        );
        assert!(parse("export --to yesterday").unwrap_err().contains("yesterday: expected an RFC 3339"));
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        assert!(parse("serve --db").unwrap_err().contains("--db"));
        assert!(parse("serve --addr localhost").unwrap_err().contains("localhost"));
        assert!(parse("serve --port 1").unwrap_err().contains("--port"));
        assert!(parse("--allow-origin *").unwrap_err().contains("expected an origin"));
        assert!(parse("--allow-origin https://a.kz/path").is_err());
        assert!(parse("--public-origin consent.example.kz").unwrap_err().contains("expected an origin"));
    }
}
