//! Hostile clients against the real binary: a thousand idle connections, slow heads and bodies,
//! connection caps, a stalled client at SIGTERM, DNS rebinding, and the HTTP nits (no Host, the
//! scheme's case, a compressed body).

mod common;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::*;

/// A connection from `source` (any address in 127.0.0.0/8 is this machine) to the server.
fn connect_from(source: Ipv4Addr, port: u16) -> TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.bind(&SocketAddr::from((source, 0)).into()).unwrap();
    socket.connect(&SocketAddr::from(([127, 0, 0, 1], port)).into()).unwrap();
    socket.into()
}

/// What the server sends on `stream` until it closes it, and whether it did within `limit`.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let started = Instant::now();
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(String::from_utf8_lossy(&seen).into_owned()),
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionReset) => {
                return Some(String::from_utf8_lossy(&seen).into_owned())
            }
            Err(_) => return None,
        }
        if started.elapsed() > limit {
            return None;
        }
    }
}

#[test]
fn a_thousand_idle_connections_neither_block_posts_nor_stay_open() {
    let scratch = Scratch::new("idle");
    let server = Server::start_with(
        &scratch,
        &["--header-timeout", "5", "--max-connections-per-client", "50", "--rate-limit", "0"],
    );
    let from = |i: usize| Ipv4Addr::new(127, 0, 1, 1 + (i / 50) as u8);
    // 50 idle connections from one address, then 10 more from it: over its share, refused at once.
    let mut idle: Vec<TcpStream> = (0..50).map(|i| connect_from(from(i), server.port)).collect();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..10 {
        let mut over = connect_from(from(0), server.port);
        let answer = read_until_closed(&mut over, Duration::from_secs(5)).expect("refused at once");
        assert!(answer.starts_with("HTTP/1.1 429") && answer.contains("too_many_connections"), "{answer}");
    }
    // 950 more from 19 other addresses: 1,000 idle connections in all, every one admitted.
    idle.extend((50..1000).map(|i| connect_from(from(i), server.port)));
    let held = Instant::now();
    for seed in 1..=20 {
        let started = Instant::now();
        assert_eq!(server.post(&text(seed)).status, 201);
        assert!(started.elapsed() < Duration::from_secs(4), "a POST waited {:?}", started.elapsed());
    }
    assert_eq!(server.get("/healthz").status, 200);
    // Each idle connection is closed once the header timeout has passed, without an answer.
    for (i, stream) in idle.iter_mut().enumerate() {
        let left = Duration::from_secs(30).saturating_sub(held.elapsed()).max(Duration::from_millis(100));
        let answer =
            read_until_closed(stream, left).unwrap_or_else(|| panic!("idle connection {i} still open"));
        assert_eq!(answer, "", "closed without an answer");
    }
    assert!(held.elapsed() >= Duration::from_millis(4500), "not before the header timeout");
    let log = server.log();
    assert!(log.contains("connection refused: 127.0.1.1 already holds 50 connections"), "{log}");
    assert!(log.contains("sent no complete request head within 5s (--header-timeout)"), "{log}");
}

#[test]
fn the_total_cap_answers_503_and_frees_up_as_connections_close() {
    let scratch = Scratch::new("cap");
    let server =
        Server::start_with(&scratch, &["--max-connections", "5", "--max-connections-per-client", "0"]);
    let held: Vec<TcpStream> =
        (0..5).map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut sixth = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let answer = read_until_closed(&mut sixth, Duration::from_secs(5)).expect("refused at once");
    assert!(answer.starts_with("HTTP/1.1 503") && answer.contains("over_capacity"), "{answer}");
    assert!(
        answer.contains("cache-control: no-store") || answer.contains("Cache-Control: no-store"),
        "{answer}"
    );
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.post(&text(1)).status, 201);
    assert!(server.log().contains("(--max-connections 5)"), "{}", server.log());
}

#[test]
fn a_half_sent_head_is_cut_off_and_a_half_sent_body_gets_408() {
    let scratch = Scratch::new("slow");
    let server = Server::start_with(&scratch, &["--header-timeout", "1", "--body-timeout", "1"]);
    let mut head = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    head.write_all(b"POST /v1/consents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty").unwrap();
    let started = Instant::now();
    assert_eq!(read_until_closed(&mut head, Duration::from_secs(5)).as_deref(), Some(""));
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());

    let mut body = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    body.write_all(
        b"POST /v1/consents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
          Content-Length: 400\r\n\r\n{\"schema\":1,",
    )
    .unwrap();
    let answer = read_until_closed(&mut body, Duration::from_secs(5)).expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 408") && answer.contains("request_timeout"), "{answer}");
}

#[test]
fn sigterm_with_a_stalled_client_exits_within_the_shutdown_deadline() {
    let scratch = Scratch::new("stalled");
    let server = Server::start_with(&scratch, &["--shutdown-timeout", "1", "--header-timeout", "60"]);
    assert_eq!(server.post(&text(1)).status, 201);
    let mut stalled = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stalled.write_all(b"POST /v1/consents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le").unwrap();
    let mut half_body = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    half_body.write_all(b"POST /v1/consents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99\r\n\r\n{").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let (status, took) = server.terminate_within(Duration::from_secs(5));
    assert!(status.success(), "{status:?}");
    assert!(took < Duration::from_secs(3), "exited {took:?} after SIGTERM with a 1 s deadline");
    assert!(stdout(&scratch.verify()).starts_with("ok: 1 records"), "the acknowledged record is there");
}

#[test]
fn the_dns_rebinding_request_is_refused_and_the_configured_origin_is_the_collectors_own() {
    let scratch = Scratch::new("rebinding");
    let server = Server::start_with(&scratch, &["--public-origin", "https://consent.example.kz"]);
    let body = text(1);
    let head = format!(
        "POST /v1/consents HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let refused = server.send_raw(head.as_bytes(), body.as_bytes());
    assert_eq!(refused.error(), (403, "origin_not_allowed".into(), None));
    assert_eq!(refused.header("access-control-allow-origin"), None);
    let own = [("Origin", "https://consent.example.kz"), ("Content-Type", "application/json")];
    let stored = server.send("POST", "/v1/consents", &own, body.as_bytes());
    assert_eq!(stored.status, 201, "the configured origin, whatever the Host");
    assert_eq!(stored.header("access-control-allow-origin"), Some("https://consent.example.kz"));
    let bound = format!("http://127.0.0.1:{}", server.port);
    let other = server.send(
        "POST",
        "/v1/consents",
        &[("Origin", &bound), ("Content-Type", "application/json")],
        text(2).as_bytes(),
    );
    assert_eq!(other.status, 403, "with --public-origin the bound address is not the own origin");
}

#[test]
fn http_nits_no_host_bearer_case_compressed_bodies_and_cache_headers() {
    let scratch = Scratch::new("nits");
    let server = Server::start_with(&scratch, &["--token-file", &scratch.token_file()]);
    let no_host = server.send_raw(b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", b"");
    assert_eq!(no_host.error(), (400, "missing_host".into(), None));
    let old = server.send_raw(b"GET /healthz HTTP/1.0\r\n\r\n", b"");
    assert_eq!(old.status, 200, "HTTP/1.0 needs no Host");

    let lower = [("Authorization", &*format!("bearer {TOKEN}"))];
    assert_eq!(server.send("GET", "/v1/export", &lower, b"").status, 200);

    let gzip = [("Content-Type", "application/json"), ("Content-Encoding", "gzip")];
    let compressed = server.send("POST", "/v1/consents", &gzip, text(1).as_bytes());
    assert_eq!(compressed.error(), (415, "unsupported_media_type".into(), None));
    assert_eq!(server.get(&format!("/v1/consents/{}", grant(1).record_id)).status, 404, "nothing stored");

    let preflight = server.send("OPTIONS", "/v1/consents", &[], b"");
    assert_eq!((preflight.status, preflight.header("cache-control")), (204, Some("no-store")));
    assert_eq!(server.get("/no-such-file").error(), (404, "not_found".into(), None));
    assert_eq!(server.send("DELETE", "/index.html", &[], b"").error().1, "method_not_allowed");
    assert_eq!(server.send("POST", "/healthz", &[], b"").error().1, "method_not_allowed");
}
