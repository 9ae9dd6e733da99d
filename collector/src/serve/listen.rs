//! The accept loop: every connection gets a slot (a cap in total and per client), hyper's timer for
//! its request heads and keep-alive, a write-stall guard, and on shutdown a deadline.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

use super::slots::{Full, Slots};
use super::stall::StallGuard;
use crate::log::Throttled;

/// The limits every connection is held to.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections open at most, in total.
    pub max_total: usize,
    /// Connections open at most per client (0: no limit).
    pub max_per_client: usize,
    /// Time for a complete request head, from the connection's opening or the previous answer.
    pub header_timeout: Duration,
    /// Time a write may wait for the client to read.
    pub write_timeout: Duration,
    /// Time after the shutdown signal for connections to finish.
    pub shutdown_timeout: Duration,
}

/// Serves `router` on `listener` until `shutdown` resolves; then stops accepting, lets requests in
/// flight finish for at most the shutdown timeout, and returns (connections still open are closed
/// when the runtime stops).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Slots::new(limits.max_total, limits.max_per_client);
    let notes = Arc::new(Throttled::default());
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                accept_failed(&notes, &e).await;
                continue;
            }
        };
        let slot = match slots.take(peer.ip()) {
            Ok(slot) => slot,
            Err(full) => {
                refuse(&notes, stream, peer, full, &limits);
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(StallGuard::new(stream, limits.write_timeout));
        let app = router.clone();
        let served = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&served);
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            seen.store(true, Ordering::Relaxed);
            request.extensions_mut().insert(ConnectInfo(peer));
            let app = app.clone();
            async move { Ok::<_, Infallible>(app.oneshot(request).await.unwrap_or_else(|never| match never {})) }
        });
        let connection = graceful.watch(http.serve_connection(io, service));
        let notes = Arc::clone(&notes);
        tokio::spawn(async move {
            let _slot = slot;
            if let Err(e) = connection.await {
                connection_ended(&notes, &e, served.load(Ordering::Relaxed), &limits);
            }
        });
    }
    drop(listener);
    let open = slots.open();
    if open > 0 {
        tracing::info!(
            "stopped accepting; waiting up to {:?} for {open} open connections",
            limits.shutdown_timeout
        );
    }
    if tokio::time::timeout(limits.shutdown_timeout, graceful.shutdown()).await.is_err() {
        tracing::warn!(
            "the shutdown deadline passed (--shutdown-timeout {:?}): closing {} connections that are \
             still open; every record acknowledged with a 2xx was committed",
            limits.shutdown_timeout,
            slots.open()
        );
    }
}

/// A failed `accept`: out of descriptors or memory means waiting a moment before the next one.
async fn accept_failed(notes: &Throttled, e: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    notes.warn("accept", || format!("cannot accept connections: {e}; retrying"));
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Answers a connection that gets no slot with a short error, then closes it (best effort: the
/// answer is sent only if the socket takes it at once, and nothing is read).
fn refuse(notes: &Throttled, stream: TcpStream, peer: SocketAddr, full: Full, limits: &Limits) {
    let (status, code, message) = match full {
        Full::Total => {
            notes.warn("connections-total", || {
                format!(
                    "connection refused: {} connections are open (--max-connections {}); \
                     refusing new ones until some close",
                    limits.max_total, limits.max_total
                )
            });
            (
                "503 Service Unavailable",
                "over_capacity",
                "the collector is serving as many connections as it can; retry later",
            )
        }
        Full::Client => {
            let client = crate::client::client_of(peer.ip());
            notes.warn("connections-client", || {
                format!(
                    "connection refused: {client} already holds {} connections (--max-connections-per-client)",
                    limits.max_per_client
                )
            });
            (
                "429 Too Many Requests",
                "too_many_connections",
                "this address holds too many open connections; close some and retry",
            )
        }
    };
    let body = crate::error::error_body(code, message, None);
    let answer = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    // A write on the (non-blocking) socket itself: tokio's `try_write` would wait for a readiness
    // event a fresh socket has not had yet. A full socket buffer just drops the answer.
    if let Ok(socket) = stream.into_std() {
        let _ = std::io::Write::write(&mut &socket, answer.as_bytes());
    }
}

/// Logs a connection that ended on a limit; other endings (the client went away, a keep-alive
/// connection left idle after its requests) are routine.
fn connection_ended(notes: &Throttled, e: &hyper::Error, served: bool, limits: &Limits) {
    if e.is_timeout() && served {
        tracing::debug!("closed an idle keep-alive connection");
        return;
    }
    if e.is_timeout() {
        notes.warn("header-timeout", || {
            format!(
                "closed a connection that sent no complete request head within {:?} (--header-timeout)",
                limits.header_timeout
            )
        });
        return;
    }
    let stalled = std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut);
    if stalled {
        notes.warn("write-timeout", || {
            format!(
                "closed a connection whose client read nothing of its answer for {:?} (--write-timeout)",
                limits.write_timeout
            )
        });
    } else {
        tracing::debug!("connection ended: {e}");
    }
}
