//! The collector binary over real HTTP: status codes and JSON errors, CORS, static files,
//! durability across `kill -9`, and `verify` finding edits, deletions and swaps.

mod common;

use common::{grant, post_n, stdout, text, Scratch, Server, BIN};
use kelisim::json::Json;
use std::process::Command;

// ---- storing and reading records -----------------------------------------------------------------

#[test]
fn a_new_record_is_stored_with_201_and_read_back_with_its_place_in_the_chain() {
    let scratch = Scratch::new("new");
    let server = Server::start_with(&scratch, &["--token-file", &scratch.token_file()]);
    let record = grant(1);
    let posted = server.post(&record.to_text());
    assert_eq!(posted.status, 201, "{}", posted.body);
    assert_eq!(posted.str("recordId"), record.record_id);
    assert_eq!(posted.str("status"), "stored");
    assert_eq!(posted.seq(), 1);
    assert_eq!(posted.str("textCheck"), "match", "the scratch www/consent holds the record's policy");
    let received_at = posted.str("receivedAt");
    assert!(
        kelisim::time::parse_rfc3339_utc(&received_at).is_some() && received_at.len() == 24,
        "{received_at}"
    );
    assert_eq!(posted.header("location"), Some(format!("/v1/consents/{}", record.record_id).as_str()));

    assert_eq!(posted.str("decisionCheck"), "consistent");

    let read = server.get_authorized(&format!("/v1/consents/{}", record.record_id));
    assert_eq!(read.status, 200);
    let json = read.json();
    assert_eq!(json.get("record").unwrap().to_text(), record.to_text());
    assert_eq!(read.seq(), 1);
    assert_eq!(read.str("receivedAt"), received_at);
    assert_eq!(read.str("prevHash"), "0".repeat(64));
    assert_eq!(read.str("textCheck"), "match");
    assert_eq!(read.str("decisionCheck"), "consistent");
    assert_eq!(json.get("decisionFindings"), Some(&Json::Array(vec![])));
    let hashed = format!("{}\n1\n{received_at}\nmatch\nconsistent\n[]\n{}", "0".repeat(64), record.to_text());
    assert_eq!(read.str("hash"), kelisim::canonical::sha256_hex(hashed.as_bytes()));
}

#[test]
fn without_the_token_a_record_read_says_only_that_it_is_stored_where_and_when() {
    let scratch = Scratch::new("public-read");
    let server = Server::start_with(&scratch, &["--token-file", &scratch.token_file()]);
    let posted = server.post(&text(1));
    let read = server.get(&format!("/v1/consents/{}", grant(1).record_id));
    assert_eq!(read.status, 200);
    assert_eq!(
        read.body,
        format!(
            r#"{{"recordId":"{}","stored":true,"seq":1,"receivedAt":"{}"}}"#,
            grant(1).record_id,
            posted.str("receivedAt")
        )
    );
    assert!(!read.body.contains("anon-01"), "no subject ref");
    let wrong = [("Authorization", "Bearer not-the-token-at-all")];
    assert_eq!(server.send("GET", &format!("/v1/consents/{}", grant(1).record_id), &wrong, b"").status, 401);
    let closed = Server::start(&Scratch::new("public-read-no-token"));
    let asked = [("Authorization", "Bearer anything-at-all-0123")];
    let refused = closed.send("GET", &format!("/v1/consents/{}", grant(1).record_id), &asked, b"");
    assert_eq!(refused.error(), (403, "token_not_configured".into(), None));
}

#[test]
fn a_record_id_must_be_a_version_4_uuid() {
    let scratch = Scratch::new("v4");
    let server = Server::start(&scratch);
    let v1 = text(1).replace(&grant(1).record_id, "5f0c2a9e-3b1d-1c6e-8f7a-0d9b8c7e6f5a");
    assert_eq!(server.post(&v1).error(), (400, "invalid_field".into(), Some("recordId".into())));
    assert_eq!(server.get("/v1/consents/5f0c2a9e-3b1d-1c6e-8f7a-0d9b8c7e6f5a").error().1, "not_found");
}

#[test]
fn an_identical_retry_answers_200_duplicate_with_the_original_seq() {
    let scratch = Scratch::new("retry");
    let server = Server::start(&scratch);
    post_n(&server, 2);
    let again = server.post(&text(1));
    assert_eq!((again.status, again.str("status"), again.seq()), (200, "duplicate".into(), 1));
    assert_eq!(server.post(&text(3)).seq(), 3, "the retry took no seq");
}

#[test]
fn a_retry_with_other_whitespace_and_key_order_is_still_a_duplicate() {
    let scratch = Scratch::new("canonical");
    let server = Server::start(&scratch);
    post_n(&server, 1);
    let Json::Object(mut members) = Json::parse(&text(1)).unwrap() else { panic!() };
    members.reverse();
    let reordered = Json::Object(members).to_text().replace(",\"", ", \"");
    assert_eq!(server.post(&reordered).status, 200);
}

#[test]
fn the_same_record_id_with_a_different_body_answers_409() {
    let scratch = Scratch::new("conflict");
    let server = Server::start(&scratch);
    post_n(&server, 1);
    let mut changed = grant(1);
    changed.subject_ref = "someone-else".into();
    let reply = server.post(&changed.to_text());
    assert_eq!(reply.error(), (409, "conflict".into(), Some("recordId".into())));
}

#[test]
fn concurrent_posts_each_get_their_own_seq_and_the_chain_holds() {
    let scratch = Scratch::new("concurrent");
    let server = Server::start(&scratch);
    let seqs = std::thread::scope(|s| {
        let server = &server;
        let posts: Vec<_> = (1..=16u8).map(|seed| s.spawn(move || server.post(&text(seed)).seq())).collect();
        let mut seqs: Vec<u64> = posts.into_iter().map(|p| p.join().unwrap()).collect();
        seqs.sort_unstable();
        seqs
    });
    assert_eq!(seqs, (1..=16).collect::<Vec<_>>());
    drop(server);
    assert!(stdout(&scratch.verify()).starts_with("ok: 16 records, chain intact; head 16:"));
}

// ---- refusals ------------------------------------------------------------------------------------

#[test]
fn an_invalid_record_answers_400_naming_the_field() {
    let scratch = Scratch::new("invalid");
    let server = Server::start(&scratch);
    let body = text(1).replace(&grant(1).policy.text_sha256, "not-a-hash");
    let reply = server.post(&body);
    assert_eq!(reply.error(), (400, "invalid_field".into(), Some("policy.textSha256".into())));
    let unknown = text(1).replacen('{', r#"{"extra":1,"#, 1);
    assert_eq!(server.post(&unknown).error(), (400, "unknown_field".into(), Some("extra".into())));
}

#[test]
fn broken_json_and_non_utf8_answer_400_invalid_json() {
    let scratch = Scratch::new("broken");
    let server = Server::start(&scratch);
    assert_eq!(server.post(r#"{"schema": 1,"#).error(), (400, "invalid_json".into(), None));
    let json = [("Content-Type", "application/json")];
    let latin1 = server.send("POST", "/v1/consents", &json, b"{\"a\":\"\xe9\"}");
    assert_eq!(latin1.error(), (400, "invalid_json".into(), None));
}

#[test]
fn a_70_kb_body_answers_413_as_json() {
    let scratch = Scratch::new("large");
    let server = Server::start(&scratch);
    let body = format!("{}{}", text(1), " ".repeat(70_000));
    assert_eq!(server.post(&body).error(), (413, "payload_too_large".into(), None));
    let exactly = format!("{}{}", text(1), " ".repeat(65_536 - text(1).len()));
    assert_eq!(server.post(&exactly).status, 201, "64 KiB exactly is accepted");
}

#[test]
fn a_chunked_body_over_64_kib_answers_413_as_json() {
    let scratch = Scratch::new("chunked");
    let server = Server::start(&scratch);
    let head = "POST /v1/consents HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
                Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    let chunk = format!("2710\r\n{}\r\n", " ".repeat(10_000));
    let body = format!("{}0\r\n\r\n", chunk.repeat(7));
    let reply = server.send_raw(head.as_bytes(), body.as_bytes());
    assert_eq!(reply.error(), (413, "payload_too_large".into(), None));
}

#[test]
fn a_text_plain_body_answers_415() {
    let scratch = Scratch::new("mediatype");
    let server = Server::start(&scratch);
    let reply = server.send("POST", "/v1/consents", &[("Content-Type", "text/plain")], text(1).as_bytes());
    assert_eq!(reply.error(), (415, "unsupported_media_type".into(), None));
    let utf8 = [("Content-Type", "application/json; charset=utf-8")];
    assert_eq!(server.send("POST", "/v1/consents", &utf8, text(1).as_bytes()).status, 201);
}

#[test]
fn an_unknown_record_id_answers_404_as_json() {
    let scratch = Scratch::new("unknown");
    let server = Server::start(&scratch);
    let id = kelisim::id::uuid_v4([9; 16]);
    assert_eq!(server.get(&format!("/v1/consents/{id}")).error(), (404, "not_found".into(), None));
    assert_eq!(server.get("/v1/consents/not-a-uuid").error(), (404, "not_found".into(), None));
}

// ---- origins -------------------------------------------------------------------------------------

const SHOP: &str = "https://shop.example.kz";

#[test]
fn a_disallowed_origin_is_refused_with_403_before_anything_is_stored() {
    let scratch = Scratch::new("origin");
    let server = Server::start_with(&scratch, &["--allow-origin", SHOP]);
    let headers = [("Origin", "https://evil.example"), ("Content-Type", "application/json")];
    let reply = server.send("POST", "/v1/consents", &headers, text(1).as_bytes());
    assert_eq!(reply.error(), (403, "origin_not_allowed".into(), None));
    assert_eq!(reply.header("access-control-allow-origin"), None);
    assert_eq!(server.post(&text(1)).seq(), 1, "nothing was stored");
}

#[test]
fn an_allowed_origin_gets_a_204_preflight_and_cors_headers_on_its_post() {
    let scratch = Scratch::new("preflight");
    let server = Server::start_with(&scratch, &["--allow-origin", SHOP]);
    let ask = [("Origin", SHOP), ("Access-Control-Request-Method", "POST")];
    let preflight = server.send("OPTIONS", "/v1/consents", &ask, b"");
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some(SHOP));
    assert_eq!(preflight.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(preflight.header("access-control-allow-headers"), Some("content-type"));
    assert_eq!(preflight.header("access-control-max-age"), Some("600"));
    assert_eq!(preflight.header("vary"), Some("Origin"));
    let post = server.send(
        "POST",
        "/v1/consents",
        &[("Origin", SHOP), ("Content-Type", "application/json")],
        text(1).as_bytes(),
    );
    assert_eq!(post.status, 201);
    assert_eq!(post.header("access-control-allow-origin"), Some(SHOP));
    assert_eq!(post.header("vary"), Some("Origin"));
}

#[test]
fn a_preflight_from_a_disallowed_origin_answers_403() {
    let scratch = Scratch::new("preflight-denied");
    let server = Server::start_with(&scratch, &["--allow-origin", SHOP]);
    let reply = server.send("OPTIONS", "/v1/consents", &[("Origin", "https://evil.example")], b"");
    assert_eq!(reply.error(), (403, "origin_not_allowed".into(), None));
}

#[test]
fn the_collectors_own_origin_may_post_without_being_listed() {
    let scratch = Scratch::new("same-origin");
    let server = Server::start(&scratch);
    let own = format!("http://127.0.0.1:{}", server.port);
    let reply = server.send(
        "POST",
        "/v1/consents",
        &[("Origin", &own), ("Content-Type", "application/json")],
        text(1).as_bytes(),
    );
    assert_eq!(reply.status, 201);
}

// ---- health and static files ---------------------------------------------------------------------

#[test]
fn healthz_answers_ok_when_the_ledger_is_readable() {
    let scratch = Scratch::new("health");
    let server = Server::start(&scratch);
    let reply = server.get("/healthz");
    assert_eq!((reply.status, reply.body.as_str()), (200, r#"{"status":"ok"}"#));
}

#[test]
fn static_files_are_served_with_exact_content_types_and_nosniff() {
    let scratch = Scratch::new("static");
    let server = Server::start(&scratch);
    for (path, content_type) in [
        ("/", "text/html"),
        ("/demo.json", "application/json"),
        ("/pkg/x.wasm", "application/wasm"),
        ("/pkg/x.js", "text/javascript"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.header("content-type").is_some_and(|t| t.starts_with(content_type)),
            "{path}: {reply:?}"
        );
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
    assert_eq!(server.get("/").body, "<!doctype html><title>kelisim</title>");
    assert_eq!(server.get("/../ledger.sqlite").status, 404);
    assert_eq!(server.get("/healthz").header("x-content-type-options"), Some("nosniff"));
}

// ---- durability and process life -----------------------------------------------------------------

#[test]
fn a_record_acknowledged_with_201_survives_kill_9_and_a_restart() {
    let scratch = Scratch::new("kill9");
    let server = Server::start(&scratch);
    post_n(&server, 3);
    server.kill_9();
    let restarted = Server::start(&scratch);
    let read = restarted.get(&format!("/v1/consents/{}", grant(3).record_id));
    assert_eq!((read.status, read.seq()), (200, 3));
    assert_eq!(restarted.post(&text(4)).seq(), 4);
    restarted.kill_9();
    assert!(stdout(&scratch.verify()).starts_with("ok: 4 records, chain intact; head 4:"));
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let scratch = Scratch::new("sigterm");
    let server = Server::start(&scratch);
    post_n(&server, 1);
    assert!(server.terminate().success());
}

#[test]
fn bad_arguments_and_an_unopenable_ledger_exit_2_with_a_message() {
    let bad = Command::new(BIN).args(["serve", "--port", "1"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unexpected argument '--port'"), "{bad:?}");
    let help = Command::new(BIN).args(["serve", "--help"]).output().unwrap();
    let help = stdout(&help);
    for default in
        ["[default: 10]", "[default: 1024]", "[default: 64]", "--public-origin", "--shutdown-timeout"]
    {
        assert!(help.contains(default), "--help shows {default}: {help}");
    }
    let out = Command::new(BIN)
        .args(["serve", "--db", "/nonexistent/dir/l.sqlite", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open the ledger"), "{out:?}");
    let missing = Command::new(BIN).args(["verify", "--db", "/nonexistent/l.sqlite"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

// ---- verify --------------------------------------------------------------------------------------

/// A ledger of three records written through the server, which is then stopped.
fn ledger_of_three() -> Scratch {
    let scratch = Scratch::new("verify");
    let server = Server::start(&scratch);
    post_n(&server, 3);
    drop(server);
    scratch
}

#[test]
fn verify_exits_0_on_an_intact_ledger() {
    let scratch = ledger_of_three();
    let out = scratch.verify();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("ok: 3 records, chain intact; head 3:"), "{}", stdout(&out));
}

#[test]
fn verify_exits_1_naming_the_seq_of_a_row_whose_body_was_edited() {
    let scratch = ledger_of_three();
    let edit =
        "UPDATE consents SET body = replace(body, '\"granted\":true', '\"granted\":false') WHERE seq = 2";
    assert_eq!(scratch.tamper().execute(edit, []).unwrap(), 1);
    let out = scratch.verify();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("broken: seq 2: hash does not match"), "{}", stdout(&out));
}

#[test]
fn verify_exits_1_for_a_deleted_row() {
    let scratch = ledger_of_three();
    scratch.tamper().execute("DELETE FROM consents WHERE seq = 2", []).unwrap();
    let out = scratch.verify();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("broken: seq 2: missing"), "{}", stdout(&out));
}

#[test]
fn verify_exits_1_for_swapped_rows() {
    let scratch = ledger_of_three();
    scratch
        .tamper()
        .execute_batch(
            "UPDATE consents SET seq = -1 WHERE seq = 1;
             UPDATE consents SET seq = 1 WHERE seq = 2;
             UPDATE consents SET seq = 2 WHERE seq = -1;",
        )
        .unwrap();
    let out = scratch.verify();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("broken: seq 1: prev_hash"), "{}", stdout(&out));
}
