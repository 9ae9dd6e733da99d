//! kelisim-collector: receives consent records over HTTP and keeps them in a hash-chained ledger.
//!
//! | module | owns |
//! |---|---|
//! | [`args`] | the command line |
//! | [`app`] | the router: API, static files, common headers |
//! | [`anchor`] | a chain head kept outside the ledger, checked by `verify --anchor` |
//! | [`api`] | the API handlers |
//! | [`auth`] | the bearer token of the subject view and export |
//! | [`body`] | what a POSTed body must be, read with a limit |
//! | [`cors`] | which origins may call the API, and for which policies |
//! | [`error`] | the JSON error answer |
//! | [`limit`] | the per-client rate limit |
//! | [`log`] | operational notes on stderr |
//! | [`query`] | the export's time range |
//! | [`registry`] | the operators' policy texts that records are checked against |
//! | [`store`] | the append-only, hash-chained ledger, its group commit, SQLite and Postgres |
//! | [`subject`] | one subject's standing decisions and history |

mod anchor;
mod api;
mod app;
mod args;
mod auth;
mod body;
mod cors;
mod error;
mod limit;
mod log;
mod query;
mod registry;
mod store;
mod subject;

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use args::{Command, Export, Serve, USAGE};
use log::note;
use store::{Ledger, Range, Verdict};

fn main() -> ExitCode {
    match args::parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Verify { db, anchor }) => verify(&db, anchor.as_ref()),
        Ok(Command::Export(export)) => export_ledger(&export),
        Ok(Command::Serve(settings)) => serve(settings),
        Err(message) => {
            note!("{message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `verify`: 0 intact, 1 broken (or the anchor does not hold), 2 unreadable.
fn verify(db: &str, anchor: Option<&anchor::Anchor>) -> ExitCode {
    let mut out = std::io::stdout();
    match store::open(db, true).and_then(|ledger| Ok((ledger.verify()?, ledger))) {
        Ok((Verdict::Intact { records }, ledger)) => match intact(&*ledger, records, anchor) {
            Ok(Ok(report)) => {
                let _ = writeln!(out, "{report}");
                ExitCode::SUCCESS
            }
            Ok(Err(why)) => {
                let _ = writeln!(out, "broken: {why}");
                ExitCode::from(1)
            }
            Err(e) => {
                note!("cannot verify: {e}");
                ExitCode::from(2)
            }
        },
        Ok((Verdict::Broken(broken), _)) => {
            let _ = writeln!(out, "broken: {broken}");
            ExitCode::from(1)
        }
        Err(e) => {
            note!("cannot verify: {e}");
            ExitCode::from(2)
        }
    }
}

/// What `verify` prints for an intact chain — the head, to keep as an anchor — or why `anchor`
/// does not hold.
fn intact(
    ledger: &dyn Ledger,
    records: u64,
    anchor: Option<&anchor::Anchor>,
) -> Result<Result<String, String>, store::StoreError> {
    let head = row_at(ledger, i64::try_from(records).unwrap_or(i64::MAX))?;
    let head = head.map_or_else(|| "empty".to_owned(), |e| anchor::Anchor::of(&e).to_string());
    let mut report = format!("ok: {records} records, chain intact; head {head}");
    if let Some(anchor) = anchor {
        if let Err(why) = anchor.check(row_at(ledger, anchor.seq)?.as_ref()) {
            return Ok(Err(why));
        }
        report.push_str(&format!("\nok: seq {} still holds the anchored row", anchor.seq));
    }
    Ok(Ok(report))
}

/// The row at `seq`, if the ledger holds one.
fn row_at(ledger: &dyn Ledger, seq: i64) -> Result<Option<store::Entry>, store::StoreError> {
    let range = Range { from: None, to: None, after_seq: seq - 1, limit: 1 };
    Ok(ledger.range(&range)?.into_iter().next().filter(|e| e.seq == seq))
}

/// `export`: every entry in the range as NDJSON on stdout; 0 done, 2 unreadable or stdout closed.
fn export_ledger(export: &Export) -> ExitCode {
    let ledger = match store::open(&export.db, true) {
        Ok(ledger) => ledger,
        Err(e) => {
            note!("cannot export: {e}");
            return ExitCode::from(2);
        }
    };
    let mut range =
        Range { from: export.from.clone(), to: export.to.clone(), after_seq: 0, limit: api::EXPORT_PAGE };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    loop {
        let page = match ledger.range(&range) {
            Ok(page) => page,
            Err(e) => {
                note!("cannot export: {e}");
                return ExitCode::from(2);
            }
        };
        let written = api::ndjson(&page).and_then(|lines| out.write_all(lines.as_bytes()));
        if let Err(e) = written {
            note!("cannot export: {e}");
            return ExitCode::from(2);
        }
        match page.last() {
            Some(last) if page.len() == range.limit => range.after_seq = last.seq,
            _ => break,
        }
    }
    match out.flush() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            note!("cannot export: {e}");
            ExitCode::from(2)
        }
    }
}

/// Why `serve` stopped other than by a signal.
enum Failure {
    /// It could not start: exit 2.
    Start(anyhow::Error),
    /// The running server failed: exit 1.
    Serve(std::io::Error),
}

/// `serve`: 0 after a clean shutdown, 2 if it cannot start, 1 if the server fails.
fn serve(settings: Serve) -> ExitCode {
    // The ledger opens before the async runtime starts: a Postgres client must not start inside it.
    let ready = open_parts(&settings).map_err(Failure::Start).and_then(|parts| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::Start(anyhow::Error::new(e).context("cannot start the async runtime")))?;
        Ok((runtime, parts))
    });
    let outcome = ready.and_then(|(rt, parts)| rt.block_on(run(&settings, parts)));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Start(e)) => {
            note!("{e:#}");
            ExitCode::from(2)
        }
        Err(Failure::Serve(e)) => {
            note!("server failed: {e}");
            ExitCode::from(1)
        }
    }
}

/// What `serve` reads before it listens: the ledger, the policy registry, the token.
struct Opened {
    ledger: Arc<dyn Ledger>,
    registry: registry::Registry,
    token: auth::Token,
}

fn open_parts(s: &Serve) -> anyhow::Result<Opened> {
    let ledger = store::open(&s.db, false).context("cannot open the ledger")?;
    let dirs = if s.policies.is_empty() {
        let default = s.www.join("consent");
        if default.is_dir() {
            vec![default]
        } else {
            Vec::new()
        }
    } else {
        s.policies.clone()
    };
    let registry =
        registry::Registry::load(&dirs).map_err(anyhow::Error::msg).context("cannot load the policies")?;
    if registry.len() == 0 {
        note!("note: no policy texts registered (--policies DIR); every record will be marked unregistered");
    }
    let token = match &s.token_file {
        Some(path) => auth::Token::from_file(path).map_err(anyhow::Error::msg)?,
        None => auth::Token::none(),
    };
    Ok(Opened { ledger, registry, token })
}

/// Binds, announces the address, and serves until a shutdown signal, when requests in flight finish
/// (each has waited for its commit) before it returns.
async fn run(s: &Serve, opened: Opened) -> Result<(), Failure> {
    let (listener, router) = start(s, opened).await.map_err(Failure::Start)?;
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await.map_err(Failure::Serve)
}

async fn start(s: &Serve, opened: Opened) -> anyhow::Result<(tokio::net::TcpListener, axum::Router)> {
    for (flag, dir) in [("--www", &s.www), ("--pkg", &s.pkg)] {
        if !dir.is_dir() {
            note!("note: {flag} {} is not a directory; its files will 404", dir.display());
        }
    }
    let listener = tokio::net::TcpListener::bind(s.addr)
        .await
        .with_context(|| format!("cannot listen on {}", s.addr))?;
    let local = listener.local_addr().context("cannot read the bound address")?;
    let writer = store::Batcher::start(Arc::clone(&opened.ledger), api::now)
        .context("cannot start the ledger writer")?;
    let router = app::router(app::Parts {
        ledger: opened.ledger,
        writer,
        registry: opened.registry,
        token: opened.token,
        rate_limit: s.rate_limit,
        cors: cors::Cors::new(s.allow_origins.clone()),
        www: &s.www,
        pkg: &s.pkg,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "kelisim collector listening on http://{local} (ledger: {})", store::describe(&s.db))
        .and_then(|()| out.flush())
        .context("cannot write to stdout")?;
    Ok((listener, router))
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    note!("shutting down");
}
