//! The command line: `serve` (the default) and `verify`, read by hand from `std::env::args`.

use std::net::SocketAddr;
use std::path::PathBuf;

/// The usage text printed by `--help` and after a bad argument.
pub const USAGE: &str = "\
usage: kelisim-collector [serve] [--db PATH] [--addr HOST:PORT] [--www DIR] [--pkg DIR]
                         [--allow-origin ORIGIN]...
       kelisim-collector verify [--db PATH]

  serve    receive consent records on POST /v1/consents and serve the demo (the default)
  verify   walk the ledger's hash chain; exit 0 if intact, 1 at the first broken link

  --db PATH              SQLite ledger file (default kelisim.sqlite)
  --addr HOST:PORT       address to listen on (default 127.0.0.1:8787)
  --www DIR              static files served under / (default www)
  --pkg DIR              the built wasm package served under /pkg (default pkg)
  --allow-origin ORIGIN  another origin allowed to POST records, e.g. https://shop.example.kz
                         (repeatable; the collector's own origin is always allowed)";

/// Settings of `serve`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Serve {
    /// The ledger file.
    pub db: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Static files for `/`.
    pub www: PathBuf,
    /// Static files for `/pkg`.
    pub pkg: PathBuf,
    /// Origins allowed besides the collector's own, normalized (lower case, no trailing slash).
    pub allow_origins: Vec<String>,
}

/// What to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the HTTP server.
    Serve(Serve),
    /// Check the ledger's chain.
    Verify {
        /// The ledger file.
        db: PathBuf,
    },
    /// Print the usage text.
    Help,
}

impl Default for Serve {
    fn default() -> Serve {
        Serve {
            db: PathBuf::from("kelisim.sqlite"),
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            www: PathBuf::from("www"),
            pkg: PathBuf::from("pkg"),
            allow_origins: Vec::new(),
        }
    }
}

/// Reads the arguments after the program name. The error says what was wrong.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let args: Vec<String> = args.into_iter().collect();
    if args.iter().any(|a| matches!(a.as_str(), "--help" | "-h" | "help")) {
        return Ok(Command::Help);
    }
    let (command, rest) = match args.first().map(String::as_str) {
        Some(c @ ("serve" | "verify")) => (c, &args[1..]),
        _ => ("serve", &args[..]),
    };
    let mut rest = rest.iter().cloned();
    if command == "verify" {
        let mut db = PathBuf::from("kelisim.sqlite");
        while let Some(arg) = rest.next() {
            match option(&arg, &mut rest)? {
                ("--db", value) => db = PathBuf::from(value),
                (name, _) => return Err(format!("verify takes only --db, not {name}")),
            }
        }
        return Ok(Command::Verify { db });
    }
    let mut serve = Serve::default();
    while let Some(arg) = rest.next() {
        match option(&arg, &mut rest)? {
            ("--db", value) => serve.db = PathBuf::from(value),
            ("--www", value) => serve.www = PathBuf::from(value),
            ("--pkg", value) => serve.pkg = PathBuf::from(value),
            ("--addr", value) => {
                serve.addr = value
                    .parse()
                    .map_err(|_| format!("--addr {value}: expected HOST:PORT such as 127.0.0.1:8787"))?;
            }
            ("--allow-origin", value) => serve.allow_origins.push(origin(&value)?),
            (name, _) => return Err(format!("unknown argument {name}")),
        }
    }
    Ok(Command::Serve(serve))
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
    use std::path::Path;

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
        assert_eq!(s.db, PathBuf::from("/tmp/l.sqlite"));
        assert_eq!(s.addr.port(), 0);
        assert_eq!((s.www, s.pkg), (PathBuf::from("site"), PathBuf::from("out")));
        assert_eq!(s.allow_origins, ["https://shop.example.kz", "http://localhost:3000"]);
    }

    #[test]
    fn options_without_a_subcommand_mean_serve() {
        assert!(matches!(parse_str("--db x.sqlite"), Ok(Command::Serve(s)) if s.db == Path::new("x.sqlite")));
    }

    #[test]
    fn verify_takes_a_database_and_nothing_else() {
        assert_eq!(parse_str("verify --db l.sqlite"), Ok(Command::Verify { db: PathBuf::from("l.sqlite") }));
        assert!(parse_str("verify --www x").unwrap_err().contains("only --db"));
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
