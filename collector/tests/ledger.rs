//! The ledger as an operator and a regulator see it, through the real binary: the subject view,
//! the export over HTTP and offline, text checks against the registered policy, the rate limit,
//! per-operator origins, and a clean stop under load.

mod common;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::*;
use kelisim::json::Json;

fn array<'a>(json: &'a Json, key: &str) -> &'a [Json] {
    match json.get(key) {
        Some(Json::Array(items)) => items,
        _ => panic!("no array {key}: {}", json.to_text()),
    }
}

fn str_at<'a>(json: &'a Json, path: &[&str]) -> &'a str {
    let mut v = json;
    for key in path {
        v = v.get(key).unwrap_or_else(|| panic!("no {path:?} in {}", json.to_text()));
    }
    v.as_str().unwrap_or_else(|| panic!("{path:?} is not a string"))
}

/// The NDJSON lines of an export, parsed.
fn lines(ndjson: &str) -> Vec<Json> {
    ndjson.lines().map(|l| Json::parse(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

fn export(server: &Server, query: &str) -> Reply {
    let reply = server.get_authorized(&format!("/v1/export{query}"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/x-ndjson"));
    reply
}

#[test]
fn the_subject_view_shows_the_standing_decision_per_purpose_and_the_history() {
    let scratch = Scratch::new("subject");
    let server = Server::start_with(&scratch, &["--token-file", &scratch.token_file()]);
    post_n(&server, 2);
    assert_eq!(server.post(&withdrawal(1, 9).to_text()).status, 201);

    let view = server.get_authorized("/v1/subjects/anon-01/consents").json();
    assert_eq!(str_at(&view, &["subject"]), "anon-01");
    let history = array(&view, "history");
    let seqs: Vec<&Json> = history.iter().map(|e| e.get("seq").unwrap()).collect();
    assert_eq!(seqs, [&Json::from(1u64), &Json::from(3u64)], "only this subject's rows, in chain order");
    assert_eq!(str_at(&history[1], &["record", "kind"]), "withdrawal");
    let standing = |purpose: &str| {
        array(&view, "purposes")
            .iter()
            .find(|p| str_at(p, &["purposeId"]) == purpose)
            .unwrap_or_else(|| panic!("no {purpose}"))
            .clone()
    };
    assert_eq!(standing("marketing").get("granted"), Some(&Json::Bool(false)), "the withdrawal wins");
    assert_eq!(str_at(&standing("marketing"), &["recordId"]), withdrawal(1, 9).record_id);
    assert_eq!(standing("service").get("granted"), Some(&Json::Bool(true)), "the grant stands");
    assert_eq!(str_at(&standing("service"), &["textCheck"]), "match");

    let nobody = server.get_authorized("/v1/subjects/nobody/consents").json();
    assert!(array(&nobody, "history").is_empty() && array(&nobody, "purposes").is_empty());
}

#[test]
fn the_subject_view_and_export_need_the_token() {
    let scratch = Scratch::new("token");
    let server = Server::start_with(&scratch, &["--token-file", &scratch.token_file()]);
    for path in ["/v1/subjects/anon-01/consents", "/v1/export"] {
        let anonymous = server.get(path);
        assert_eq!(anonymous.error().1, "unauthorized", "{path}");
        assert_eq!((anonymous.status, anonymous.header("www-authenticate")), (401, Some("Bearer")));
        let wrong = server.send("GET", path, &[("Authorization", "Bearer not-the-token-at-all")], b"");
        assert_eq!(wrong.status, 401);
    }
    let closed = Server::start(&Scratch::new("no-token"));
    assert_eq!(closed.get("/v1/export").error(), (403, "token_not_configured".into(), None));
}

#[test]
fn the_export_returns_what_was_posted_in_chain_order_and_filters_by_time() {
    let scratch = Scratch::new("export");
    let server = Server::start_with(&scratch, &["--token-file", &scratch.token_file()]);
    post_n(&server, 3);
    let all = lines(&export(&server, "").body);
    assert_eq!(all.len(), 3);
    for (i, entry) in all.iter().enumerate() {
        let seed = u8::try_from(i + 1).unwrap();
        assert_eq!(entry.get("record").unwrap().to_text(), text(seed), "entry {i} is the record posted");
        assert_eq!(entry.get("seq"), Some(&Json::from(i as u64 + 1)));
        assert_eq!(str_at(entry, &["textCheck"]), "match");
    }
    assert_eq!(str_at(&all[1], &["prevHash"]), str_at(&all[0], &["hash"]));

    let second = str_at(&all[1], &["receivedAt"]).to_owned();
    let from = lines(&export(&server, &format!("?from={second}")).body);
    assert!(from.iter().all(|e| str_at(e, &["receivedAt"]) >= second.as_str()));
    assert!(from.iter().any(|e| e.get("seq") == Some(&Json::from(2u64))));
    let before = lines(&export(&server, &format!("?to={second}")).body);
    assert!(before.iter().all(|e| str_at(e, &["receivedAt"]) < second.as_str()));
    assert_eq!(from.len() + before.len(), 3, "[from, to) splits the ledger without overlap");
    assert!(lines(&export(&server, "?from=2099-01-01T00:00:00Z").body).is_empty());

    let bad = server.get_authorized("/v1/export?from=yesterday");
    assert_eq!(bad.error(), (400, "invalid_query".into(), Some("from".into())));

    // Offline, from the file, the same lines: the command a DPO runs for an audit.
    drop(server);
    let out = Command::new(BIN).args(["export", "--db"]).arg(scratch.db()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let offline = lines(&stdout(&out));
    assert_eq!(
        offline.iter().map(Json::to_text).collect::<Vec<_>>(),
        all.iter().map(Json::to_text).collect::<Vec<_>>()
    );
    let missing =
        Command::new(BIN).args(["export", "--db"]).arg(scratch.0.join("none.sqlite")).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_record_whose_text_hash_differs_from_the_registered_text_is_stored_but_flagged() {
    let scratch = Scratch::new("flags");
    let server = Server::start_with(&scratch, &["--token-file", &scratch.token_file()]);
    let mut forged = grant(1);
    forged.policy.text_sha256 = "ab".repeat(32);
    let mut other_edition = grant(2);
    other_edition.policy.version = "1999-01-01".into();
    let posted = server.post(&forged.to_text());
    assert_eq!((posted.status, posted.str("textCheck")), (201, "mismatch".into()));
    assert_eq!(server.post(&other_edition.to_text()).str("textCheck"), "unregistered");
    assert_eq!(server.post(&text(3)).str("textCheck"), "match");
    let flags: Vec<String> =
        lines(&export(&server, "").body).iter().map(|e| str_at(e, &["textCheck"]).to_owned()).collect();
    assert_eq!(flags, ["mismatch", "unregistered", "match"]);
    let read = server.get_authorized(&format!("/v1/consents/{}", forged.record_id));
    assert_eq!(read.str("textCheck"), "mismatch");
    assert!(stdout(&scratch.verify()).starts_with("ok: 3 records"));
}

#[test]
fn a_client_over_its_rate_gets_429_with_retry_after() {
    let scratch = Scratch::new("rate");
    let server = Server::start_with(&scratch, &["--rate-limit", "3"]);
    let replies: Vec<Reply> = (0..12).map(|_| server.get("/v1/consents/unknown")).collect();
    let limited: Vec<&Reply> = replies.iter().filter(|r| r.status == 429).collect();
    assert!(!limited.is_empty(), "12 requests at once against 3/s");
    assert!(replies.iter().take(3).all(|r| r.status == 404), "a burst of 3 passes");
    assert_eq!(limited[0].error().1, "rate_limited");
    let wait: u64 = limited[0].header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
}

#[test]
fn an_origin_listed_for_one_operator_cannot_post_anothers_records() {
    let scratch = Scratch::new("scope");
    let server = Server::start_with(&scratch, &["--allow-origin", "https://shop.example.kz=another-policy"]);
    let headers = [("Content-Type", "application/json"), ("Origin", "https://shop.example.kz")];
    let refused = server.send("POST", "/v1/consents", &headers, text(1).as_bytes());
    assert_eq!(refused.error(), (403, "origin_not_allowed".into(), Some("policy.id".into())));
    assert_eq!(server.get(&format!("/v1/consents/{}", grant(1).record_id)).status, 404, "nothing stored");

    let scoped = Server::start_with(
        &Scratch::new("scope-ok"),
        &["--allow-origin", "https://shop.example.kz=another-policy,karatel-subscribers"],
    );
    assert_eq!(scoped.send("POST", "/v1/consents", &headers, text(1).as_bytes()).status, 201);
}

#[test]
fn sigterm_under_load_loses_no_acknowledged_record() {
    let scratch = Scratch::new("sigterm-load");
    let server = Server::start_with(&scratch, &["--rate-limit", "0"]);
    let port = server.port;
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..8u8)
        .map(|w| {
            let (acknowledged, stop) = (Arc::clone(&acknowledged), Arc::clone(&stop));
            std::thread::spawn(move || {
                for n in 0..25u8 {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let record = grant(w * 25 + n + 1);
                    if let Some(201) = try_post(port, &record.to_text()) {
                        acknowledged.lock().unwrap().insert(record.record_id);
                    }
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 40 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let status = server.terminate();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    assert!(status.success(), "clean exit after SIGTERM: {status:?}");
    let out = Command::new(BIN).args(["export", "--db"]).arg(scratch.db()).output().unwrap();
    let stored: BTreeSet<String> =
        lines(&stdout(&out)).iter().map(|e| str_at(e, &["record", "recordId"]).to_owned()).collect();
    let acknowledged = acknowledged.lock().unwrap();
    assert!(acknowledged.is_subset(&stored), "every 201 is in the ledger ({} acked)", acknowledged.len());
    assert!(stdout(&scratch.verify()).starts_with("ok: "));
}

/// A POST that tolerates the server going away: the status, or `None` if the connection failed.
fn try_post(port: u16, body: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    let head = format!(
        "POST /v1/consents HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    std::str::from_utf8(raw.get(9..12)?).ok()?.parse().ok()
}

#[test]
fn on_postgres_the_binary_stores_exports_and_verifies_the_same_chain() {
    let Ok(server) = std::env::var("KELISIM_TEST_POSTGRES") else {
        eprintln!("skipped: KELISIM_TEST_POSTGRES not set (cargo xtask test starts a server)");
        return;
    };
    let name = format!("kelisim_binary_{}", std::process::id());
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("the test server answers");
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (base, _) = server.rsplit_once('/').expect("a URL with a database name");
    let url = format!("{base}/{name}");

    let scratch = Scratch::new("postgres");
    let serve = Server::start_on(&scratch, &url, &["--token-file", &scratch.token_file()]);
    post_n(&serve, 3);
    assert_eq!(serve.post(&text(2)).status, 200, "an identical retry is a duplicate on Postgres too");
    assert_eq!(serve.post(&withdrawal(1, 9).to_text()).str("textCheck"), "match");
    let exported = lines(&export(&serve, "").body);
    assert_eq!(exported.len(), 4);
    let view = serve.get_authorized("/v1/subjects/anon-01/consents").json();
    assert_eq!(array(&view, "history").len(), 2);
    // What the console reads, on Postgres: the tallies, the proof, the editions.
    let stats = serve.get_authorized("/v1/stats").json();
    let records: i64 = array(&stats, "tallies")
        .iter()
        .filter(|t| t.get("purposeId").and_then(Json::as_str) == Some(""))
        .filter_map(|t| t.get("count").and_then(Json::as_uint))
        .map(|n| n as i64)
        .sum();
    assert_eq!(records, 4, "one record row per stored record: {stats:?}");
    let proof = serve.get_authorized("/v1/verify").json();
    assert_eq!(proof.get("intact").and_then(Json::as_bool), Some(true), "{proof:?}");
    assert!(proof.get("head").and_then(Json::as_str).is_some_and(|h| h.starts_with("4:")), "{proof:?}");
    assert!(!array(&serve.get_authorized("/v1/policies").json(), "policies").is_empty());
    assert!(serve.terminate().success());

    let verify = Command::new(BIN).args(["verify", "--db", &url]).output().unwrap();
    assert!(stdout(&verify).starts_with("ok: 4 records, chain intact"), "{verify:?}");
    let offline = Command::new(BIN).args(["export", "--db", &url]).output().unwrap();
    assert_eq!(lines(&stdout(&offline)).len(), 4);

    let mut tamper = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    tamper
        .batch_execute(
            "DROP TRIGGER consents_no_update ON consents;
             UPDATE consents SET body = replace(body, 'anon-02', 'anon-99') WHERE seq = 2;",
        )
        .unwrap();
    let broken = Command::new(BIN).args(["verify", "--db", &url]).output().unwrap();
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).starts_with("broken: seq 2"), "{}", stdout(&broken));
    drop(tamper);
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

/// `verify`'s stdout.
fn verify_with(scratch: &Scratch, extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(BIN).args(["verify", "--db"]).arg(scratch.db()).args(extra).output().unwrap();
    (out.status.code(), stdout(&out))
}

#[test]
fn an_anchor_kept_outside_catches_a_rewrite_that_the_chain_alone_cannot() {
    let scratch = Scratch::new("anchor");
    let server = Server::start(&scratch);
    post_n(&server, 3);
    drop(server);
    let (code, out) = verify_with(&scratch, &[]);
    assert_eq!(code, Some(0), "{out}");
    let anchor = out.trim().rsplit_once("head ").expect("the head is printed").1.to_owned();
    assert!(anchor.starts_with("3:") && anchor.len() == 66, "{anchor}");
    let later = Server::start(&scratch);
    for seed in 4..=5 {
        assert_eq!(later.post(&text(seed)).status, 201);
    }
    drop(later);
    assert_eq!(
        verify_with(&scratch, &["--anchor", &anchor]).0,
        Some(0),
        "new rows after the anchor are fine"
    );

    // Someone edits seq 2 and recomputes every later hash and the recorded head: the chain holds…
    let conn = scratch.tamper();
    type Columns = (i64, String, String, String, String, String);
    let rows: Vec<Columns> = conn
        .prepare("SELECT seq, received_at, text_check, decision_check, decision_findings, body FROM consents ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = "0".repeat(64);
    for (seq, at, check, decision, findings, body) in rows {
        let body = if seq == 2 { body.replace("anon-02", "anon-99") } else { body };
        let subject = if seq == 2 { "anon-99" } else { "" };
        let hashed = format!("{prev}\n{seq}\n{at}\n{check}\n{decision}\n{findings}\n{body}");
        let hash = kelisim::canonical::sha256_hex(hashed.as_bytes());
        conn.execute(
            "UPDATE consents SET body = ?1, prev_hash = ?2, hash = ?3,
                    subject_ref = CASE WHEN ?4 = '' THEN subject_ref ELSE ?4 END WHERE seq = ?5",
            rusqlite::params![body, prev, hash, subject, seq],
        )
        .unwrap();
        prev = hash;
    }
    conn.execute("UPDATE meta SET value = ?1 WHERE key = 'head_hash'", [&prev]).unwrap();
    drop(conn);
    assert_eq!(verify_with(&scratch, &[]).0, Some(0), "a full rewrite is consistent by itself");
    // …but not with the head written down before.
    let (code, out) = verify_with(&scratch, &["--anchor", &anchor]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.starts_with("broken: seq 3: hash differs from the anchor"), "{out}");
}
