//! `serve`: opens the ledger, the registry and the token, binds, and serves until SIGTERM or Ctrl-C;
//! then stops within the shutdown deadline, with every acknowledged record committed.

mod files;
mod listen;
mod slots;
mod stall;

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::cli::Serve;
use crate::store::{self, Ledger};
use crate::{api, app, auth, confirm, cors, registry};

/// `serve`: 0 after a clean shutdown, 2 if it cannot start, 1 if the ledger writer did not finish.
pub fn run(settings: &Serve) -> ExitCode {
    // The ledger opens before the async runtime starts: a Postgres client must not start inside it.
    let ready = open_parts(settings).and_then(|parts| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        Ok((runtime, parts))
    });
    let (runtime, parts) = match ready {
        Ok(ready) => ready,
        Err(e) => {
            tracing::error!("{e:#}");
            return ExitCode::from(2);
        }
    };
    let writer = match runtime.block_on(serve(settings, parts)) {
        Ok(writer) => writer,
        Err(e) => {
            tracing::error!("{e:#}");
            return ExitCode::from(2);
        }
    };
    // Connections still open after the deadline are dropped with the runtime; the records they
    // queued are still committed by the writer, which stops once nothing can queue more.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    if writer.wait(settings.shutdown_timeout) {
        tracing::info!("stopped");
        ExitCode::SUCCESS
    } else {
        tracing::error!("the ledger writer did not finish within the shutdown deadline; unacknowledged records may be missing");
        ExitCode::from(1)
    }
}

/// What `serve` reads before it listens: the ledger, the policy registry, the token.
struct Opened {
    ledger: Arc<dyn Ledger>,
    registry: registry::Registry,
    token: auth::Token,
}

fn open_parts(s: &Serve) -> anyhow::Result<Opened> {
    crate::cli::check_allowances(&s.allow_origins).map_err(anyhow::Error::msg)?;
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
        tracing::warn!(
            "no policy texts registered (--policies DIR); every record will be marked unregistered"
        );
    }
    let token = match &s.token_file {
        Some(path) => auth::Token::from_file(path).map_err(anyhow::Error::msg)?,
        None => auth::Token::none(),
    };
    Ok(Opened { ledger, registry, token })
}

/// Binds, announces the address, and serves until a shutdown signal; returns the ledger writer
/// for the caller to wait on.
async fn serve(s: &Serve, opened: Opened) -> anyhow::Result<store::WriterThread> {
    for (flag, dir) in [("--www", &s.www), ("--pkg", &s.pkg)] {
        if !dir.is_dir() {
            tracing::warn!("{flag} {} is not a directory; its files will 404", dir.display());
        }
    }
    let listener = tokio::net::TcpListener::bind(s.addr)
        .await
        .with_context(|| format!("cannot listen on {}", s.addr))?;
    let local = listener.local_addr().context("cannot read the bound address")?;
    let own = s.public_origin.clone().unwrap_or_else(|| format!("http://{local}"));
    if s.public_origin.is_none() && local.ip().is_unspecified() {
        tracing::warn!(
            "listening on {local} without --public-origin: browsers may post only from --allow-origin origins"
        );
    }
    let (max_total, lowered) = files::connection_cap(s.max_connections);
    if let Some(why) = lowered {
        tracing::warn!("{why}");
    }
    let (writer, thread) = store::Batcher::start(Arc::clone(&opened.ledger), api::now)
        .context("cannot start the ledger writer")?;
    let router = app::router(app::Parts {
        ledger: opened.ledger,
        writer,
        registry: opened.registry,
        token: opened.token,
        rate_limit: s.rate_limit,
        body_timeout: s.body_timeout,
        cors: cors::Cors::new(own.clone(), s.allow_origins.clone()),
        confirm: confirm_service(s),
        www: &s.www,
        pkg: &s.pkg,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "kelisim collector listening on http://{local} (ledger: {})", store::describe(&s.db))
        .and_then(|()| out.flush())
        .context("cannot write to stdout")?;
    drop(out);
    tracing::info!("the collector's own origin is {own}");
    let limits = listen::Limits {
        max_total,
        max_per_client: s.max_connections_per_client as usize,
        header_timeout: s.header_timeout,
        write_timeout: s.write_timeout,
        shutdown_timeout: s.shutdown_timeout,
    };
    listen::serve(listener, router, limits, shutdown_signal()).await;
    Ok(thread)
}

/// The confirmations' settings from the command line.
fn confirm_service(s: &Serve) -> confirm::Service {
    let sender =
        s.sms_command.clone().map(|command| confirm::sms::Sender { command, timeout: s.sms_timeout });
    if sender.is_none() {
        tracing::info!("no --sms-command: SMS confirmations answer 503");
    }
    confirm::Service {
        sender,
        ttl: s.confirmation_ttl,
        phone_windows: s.phone_codes.clone(),
        per_client: confirm::limits::PerClient::new(s.client_codes),
    }
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
    tracing::info!("shutting down");
}
