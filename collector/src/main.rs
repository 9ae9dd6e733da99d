//! kelisim-collector: receives consent records over HTTP and keeps them in a hash-chained ledger.
//!
//! | module | owns |
//! |---|---|
//! | [`args`] | the command line |
//! | [`app`] | the router: API, static files, common headers |
//! | [`api`] | the API handlers |
//! | [`body`] | what a POSTed body must be, read with a limit |
//! | [`cors`] | which origins may call the API |
//! | [`error`] | the JSON error answer |
//! | [`log`] | operational notes on stderr |
//! | [`store`] | the append-only, hash-chained ledger |

mod api;
mod app;
mod args;
mod body;
mod cors;
mod error;
mod log;
mod store;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use args::{Command, Serve, USAGE};
use log::note;
use store::{SqliteLedger, Verdict};

fn main() -> ExitCode {
    match args::parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Verify { db }) => verify(&db),
        Ok(Command::Serve(settings)) => serve(settings),
        Err(message) => {
            note!("{message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `verify`: 0 intact, 1 broken, 2 unreadable.
fn verify(db: &Path) -> ExitCode {
    match store::verify_file(db) {
        Ok(Verdict::Intact { records }) => {
            let _ = writeln!(std::io::stdout(), "ok: {records} records, chain intact");
            ExitCode::SUCCESS
        }
        Ok(Verdict::Broken(broken)) => {
            let _ = writeln!(std::io::stdout(), "broken: {broken}");
            ExitCode::from(1)
        }
        Err(e) => {
            note!("cannot verify: {e}");
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
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build();
    let outcome = match runtime {
        Ok(rt) => rt.block_on(run(&settings)),
        Err(e) => Err(Failure::Start(anyhow::Error::new(e).context("cannot start the async runtime"))),
    };
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

/// Opens the ledger, binds, announces the address, and serves until a shutdown signal.
async fn run(s: &Serve) -> Result<(), Failure> {
    let (listener, router) = start(s).await.map_err(Failure::Start)?;
    axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await.map_err(Failure::Serve)
}

async fn start(s: &Serve) -> anyhow::Result<(tokio::net::TcpListener, axum::Router)> {
    let ledger = SqliteLedger::open(&s.db).context("cannot open the ledger")?;
    for (flag, dir) in [("--www", &s.www), ("--pkg", &s.pkg)] {
        if !dir.is_dir() {
            note!("note: {flag} {} is not a directory; its files will 404", dir.display());
        }
    }
    let listener = tokio::net::TcpListener::bind(s.addr)
        .await
        .with_context(|| format!("cannot listen on {}", s.addr))?;
    let local = listener.local_addr().context("cannot read the bound address")?;
    let router = app::router(app::Parts {
        ledger: Arc::new(ledger),
        cors: cors::Cors::new(s.allow_origins.clone()),
        www: &s.www,
        pkg: &s.pkg,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "kelisim collector listening on http://{local} (ledger: {})", s.db.display())
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
