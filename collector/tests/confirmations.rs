//! SMS confirmations through the binary over HTTP: codes sent by a real `--sms-command` into a
//! file, typed back right, wrong, late; the records that carry them stored verified only once and
//! only for their phone; limits; receipts; the schema-3 ledger migrated in place; no phone or
//! code in the logs or in clear in the ledger file.

mod common;

use std::path::PathBuf;

use common::{grant, Reply, Scratch, Server};
use kelisim::json::Json;
use kelisim::record::{Confirmation, ConsentRecord};

const PHONE: &str = "+77012345678";

/// A `--sms-command` that appends `<to>\t<text>` to `file`.
fn sms_to_file(file: &std::path::Path) -> String {
    format!("printf '%s\\t%s\\n' \"$KELISIM_SMS_TO\" \"$KELISIM_SMS_TEXT\" >> '{}'", file.display())
}

/// A collector with a token, a file that collects its SMS, and `extra` flags.
fn start(scratch: &Scratch, extra: &[&str]) -> (Server, PathBuf) {
    let sms = scratch.0.join("sms.txt");
    let command = sms_to_file(&sms);
    let token = scratch.token_file();
    let mut args = vec!["--token-file", &token, "--sms-command", &command];
    args.extend_from_slice(extra);
    (Server::start_with(scratch, &args), sms)
}

fn post(server: &Server, path: &str, body: &str) -> Reply {
    server.send("POST", path, &[("Content-Type", "application/json")], body.as_bytes())
}

/// Asks for a code for `phone` in `language`.
fn ask(server: &Server, phone: &str, language: &str) -> Reply {
    let body = format!(r#"{{"phone":"{phone}","policyId":"karatel-subscribers","language":"{language}"}}"#);
    post(server, "/v1/confirmations", &body)
}

/// Asks for a code and returns the confirmation id (201 expected).
fn confirmation(server: &Server, phone: &str) -> String {
    let asked = ask(server, phone, "ru");
    assert_eq!(asked.status, 201, "{}", asked.body);
    asked.str("confirmationId")
}

fn type_code(server: &Server, id: &str, code: &str) -> Reply {
    post(server, &format!("/v1/confirmations/{id}"), &format!(r#"{{"code":"{code}"}}"#))
}

/// The messages sent so far, as (to, text).
fn messages(sms: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(sms).unwrap_or_default();
    text.lines().filter_map(|l| l.split_once('\t')).map(|(a, b)| (a.to_owned(), b.to_owned())).collect()
}

/// The code in the last message sent to `phone` (every code message starts with it).
fn last_code(sms: &std::path::Path, phone: &str) -> String {
    let (_, text) = messages(sms).into_iter().rev().find(|(to, _)| to == phone).expect("a message");
    text.chars().take(6).collect()
}

/// A code that is not `code`.
fn other_than(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

/// Record `seed` of `phone`, carrying confirmation `id`.
fn confirmed(seed: u8, id: &str, phone: &str) -> ConsentRecord {
    let mut record = grant(seed);
    record.subject_ref = phone.into();
    record.confirmation = Some(Confirmation { id: id.into() });
    record
}

/// `(confirmationCheck, confirmationReason)` of a JSON answer or entry.
fn check_of(json: &Json) -> (String, Option<String>) {
    let text = |k: &str| json.get(k).and_then(Json::as_str).map(str::to_owned);
    (text("confirmationCheck").expect("a confirmationCheck"), text("confirmationReason"))
}

fn unverified(reason: &str) -> (String, Option<String>) {
    ("unverified".into(), Some(reason.into()))
}

fn verified() -> (String, Option<String>) {
    ("verified".into(), None)
}

#[test]
fn a_code_typed_back_verifies_one_record_and_its_receipt_is_found_and_texted() {
    let scratch = Scratch::new("confirm-flow");
    let (server, sms) = start(&scratch, &["--log", "debug"]);
    let asked = ask(&server, "8 (701) 234-56-78", "ru");
    assert_eq!(asked.status, 201, "{}", asked.body);
    let id = asked.str("confirmationId");
    assert!(kelisim::id::is_uuid(&id), "{id}");
    assert!(kelisim::time::parse_rfc3339_utc(&asked.str("expiresAt")).is_some());
    assert_eq!(asked.json().get("attemptsLeft").and_then(Json::as_uint), Some(5));
    let sent = messages(&sms);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, PHONE, "the phone normalized to E.164");
    let code = last_code(&sms, PHONE);
    assert_eq!(
        sent[0].1,
        format!("{code} — код подтверждения согласия для ТОО «КаР-Тел». Действует 10 минут. Никому не сообщайте код.")
    );

    let typed = type_code(&server, &id, &code);
    assert_eq!((typed.status, typed.str("confirmationId")), (200, id.clone()), "{}", typed.body);
    assert_eq!(typed.json().get("verified"), Some(&Json::Bool(true)));
    assert_eq!(type_code(&server, &id, &code).status, 200, "the right code again");

    let first = confirmed(1, &id, PHONE);
    let posted = server.post(&first.to_text());
    assert_eq!((posted.status, check_of(&posted.json())), (201, verified()), "{}", posted.body);
    let receipt_code = posted.str("receiptCode");
    assert_eq!(receipt_code, kelisim::short_code::of(&first.record_id));
    let retry = server.post(&first.to_text());
    assert_eq!(
        (retry.status, retry.str("status"), check_of(&retry.json())),
        (200, "duplicate".into(), verified())
    );
    let second = server.post(&confirmed(2, &id, PHONE).to_text());
    assert_eq!((second.status, check_of(&second.json())), (201, unverified("already_used")));
    let plain = server.post(&grant(3).to_text());
    assert_eq!(check_of(&plain.json()), ("none".into(), None));

    let read = server.get_authorized(&format!("/v1/consents/{}", first.record_id));
    assert_eq!(check_of(&read.json()), verified());
    let history = server.get_authorized(&format!("/v1/subjects/{PHONE}/consents"));
    let history = history.json();
    let rows = history.get("history").and_then(Json::as_array).unwrap();
    assert_eq!(rows.iter().map(check_of).collect::<Vec<_>>(), [verified(), unverified("already_used")]);
    let export = server.get_authorized("/v1/export");
    let lines: Vec<Json> = export.body.lines().map(|l| Json::parse(l).unwrap()).collect();
    assert_eq!(check_of(&lines[1]), unverified("already_used"));

    // The receipt code as a person types it: lower case, with a hyphen.
    let typed_code = format!("{}-{}", &receipt_code[..4], &receipt_code[4..]).to_lowercase();
    let found = server.get_authorized(&format!("/v1/receipts/{typed_code}"));
    assert_eq!((found.status, found.str("code")), (200, receipt_code.clone()), "{}", found.body);
    let entries = found.json().get("entries").and_then(Json::as_array).unwrap().to_vec();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].get("record").unwrap().to_text(), first.to_text());
    assert_eq!(check_of(&entries[0]), verified());
    assert_eq!(server.get(&format!("/v1/receipts/{typed_code}")).status, 401, "the token is needed");
    assert_eq!(server.get_authorized("/v1/receipts/not-a-code").error().0, 404);
    assert_eq!(server.get_authorized("/v1/receipts/22222222").error().0, 404);

    let ask_receipt = |record_id: &str| {
        post(&server, &format!("/v1/confirmations/{id}/receipt"), &format!(r#"{{"recordId":"{record_id}"}}"#))
    };
    let texted = ask_receipt(&first.record_id);
    assert_eq!((texted.status, texted.body.as_str()), (202, r#"{"sent":true}"#));
    let (to, receipt) = messages(&sms).pop().unwrap();
    let shown = format!("{}-{}", &receipt_code[..4], &receipt_code[4..]);
    assert_eq!(to, PHONE);
    assert!(
        receipt.starts_with(&format!("Келісім туралы түбіртек {shown}: «КаР-Тел» ЖШС, karatel-subscribers")),
        "{receipt}"
    );
    assert_eq!(ask_receipt(&confirmed(2, &id, PHONE).record_id).error().1, "not_verified");
    assert_eq!(ask_receipt(&grant(9).record_id).error().0, 404);
    assert_eq!(ask_receipt(&first.record_id).status, 202);
    assert_eq!(ask_receipt(&first.record_id).error(), (429, "too_many_receipts".into(), None));

    // Neither the phone nor a code reaches the log, and the ledger file holds only the code's hash.
    let log = server.log();
    assert!(log.contains("DEBUG"), "debug logging is on: {log}");
    for secret in ["7012345678", code.as_str()] {
        assert!(!log.contains(secret), "{secret} in the log: {log}");
    }
    drop(server);
    let db = rusqlite::Connection::open(scratch.db()).unwrap();
    let (hash, salt): (String, String) = db
        .query_row("SELECT code_hash, salt FROM confirmations", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert!(hash.len() == 64 && !hash.contains(&code) && !salt.contains(&code), "{hash} {salt}");
    let dump = std::process::Command::new("sqlite3").arg(scratch.db()).arg(".dump confirmations").output();
    if let Ok(dump) = dump {
        assert!(!String::from_utf8_lossy(&dump.stdout).contains(&format!("'{code}'")));
    }
    assert!(common::stdout(&scratch.verify()).starts_with("ok: 3 records"));
}

#[test]
fn wrong_codes_count_down_to_429_and_such_a_confirmation_never_verifies_a_record() {
    let scratch = Scratch::new("confirm-wrong");
    let (server, sms) = start(&scratch, &[]);
    let id = confirmation(&server, PHONE);
    // A member with an empty name is refused without a field to name (schemathesis found `""`).
    for path in [format!("/v1/confirmations/{id}"), format!("/v1/confirmations/{id}/receipt")] {
        assert_eq!(post(&server, &path, r#"{"": 0}"#).error(), (400, "unknown_field".into(), None));
    }
    let wrong = other_than(&last_code(&sms, PHONE));
    for left in (0..5).rev() {
        let answer = type_code(&server, &id, &wrong);
        assert_eq!(answer.error(), (422, "wrong_code".into(), Some("code".into())));
        let error = answer.json();
        assert_eq!(error.get("error").unwrap().get("attemptsLeft").and_then(Json::as_uint), Some(left));
    }
    let right = last_code(&sms, PHONE);
    assert_eq!(type_code(&server, &id, &right).error(), (429, "too_many_attempts".into(), None));
    assert_eq!(type_code(&server, &id, "12ab56").error(), (400, "invalid_field".into(), Some("code".into())));
    let posted = server.post(&confirmed(1, &id, PHONE).to_text());
    assert_eq!((posted.status, check_of(&posted.json())), (201, unverified("not_verified")));

    let unknown = kelisim::id::uuid_v4([0x42; 16]);
    assert_eq!(type_code(&server, &unknown, "123456").error().1, "unknown_confirmation");
    assert_eq!(type_code(&server, "not-an-id", "123456").error().0, 404);
    let posted = server.post(&confirmed(2, &unknown, PHONE).to_text());
    assert_eq!(check_of(&posted.json()), unverified("unknown"));
    let body = post(&server, &format!("/v1/confirmations/{id}"), r#"{"code":"123456","extra":1}"#);
    assert_eq!(body.error().1, "unknown_field");
}

#[test]
fn an_expired_code_answers_410_and_a_record_after_a_restart_is_still_checked() {
    let scratch = Scratch::new("confirm-expiry");
    let (server, sms) = start(&scratch, &["--confirmation-ttl", "2s"]);
    let late = confirmation(&server, PHONE);
    let late_code = last_code(&sms, PHONE);
    let other = "+77071112233";
    let early = confirmation(&server, other);
    assert_eq!(type_code(&server, &early, &last_code(&sms, other)).status, 200);
    std::thread::sleep(std::time::Duration::from_millis(2300));
    assert_eq!(type_code(&server, &late, &late_code).error(), (410, "expired".into(), None));
    drop(server);

    let (server, _) = start(&scratch, &["--confirmation-ttl", "2s"]);
    let stale = server.post(&confirmed(1, &late, PHONE).to_text());
    assert_eq!(check_of(&stale.json()), unverified("expired"));
    let elsewhere = server.post(&confirmed(2, &early, PHONE).to_text());
    assert_eq!(check_of(&elsewhere.json()), unverified("other_phone"));
    let mut other_policy = confirmed(3, &early, other);
    other_policy.policy.id = "another-policy".into();
    assert_eq!(check_of(&server.post(&other_policy.to_text()).json()), unverified("other_policy"));
    let delivered_late = server.post(&confirmed(4, &early, other).to_text());
    assert_eq!(check_of(&delivered_late.json()), verified(), "verified in time, delivered after a restart");
}

#[test]
fn codes_per_phone_and_per_client_are_limited_with_retry_after() {
    let scratch = Scratch::new("confirm-limits");
    let (server, _) = start(&scratch, &["--phone-codes", "2/1h", "--client-codes", "4/1h"]);
    assert_eq!(ask(&server, PHONE, "kk").status, 201);
    assert_eq!(ask(&server, PHONE, "en").status, 201);
    let phone = ask(&server, PHONE, "ru");
    assert_eq!(phone.error(), (429, "too_many_codes".into(), Some("phone".into())));
    let wait: u64 = phone.header("retry-after").unwrap().parse().unwrap();
    assert!((3500..=3600).contains(&wait), "{wait}");
    assert_eq!(
        ask(&server, "+77071112233", "ru").status,
        201,
        "another phone: the client's fourth request (a refused one counts too)"
    );
    let client = ask(&server, "+77775554433", "ru");
    assert_eq!(client.error(), (429, "too_many_codes".into(), None));
    assert!(client.header("retry-after").is_some());
}

#[test]
fn bad_requests_name_their_field_and_origins_stay_in_their_policies() {
    let scratch = Scratch::new("confirm-bad");
    let (server, sms) = start(&scratch, &["--allow-origin", "https://shop.example.kz=another-policy"]);
    assert_eq!(
        ask(&server, "+996555123456", "ru").error(),
        (400, "invalid_field".into(), Some("phone".into()))
    );
    assert_eq!(ask(&server, PHONE, "de").error(), (400, "invalid_field".into(), Some("language".into())));
    let unknown =
        post(&server, "/v1/confirmations", r#"{"phone":"+77012345678","policyId":"nope","language":"kk"}"#);
    assert_eq!(unknown.error(), (422, "unknown_policy".into(), Some("policyId".into())));
    let missing = post(&server, "/v1/confirmations", r#"{"phone":"+77012345678","language":"kk"}"#);
    assert_eq!(missing.error(), (400, "missing_field".into(), Some("policyId".into())));
    let body = r#"{"phone":"+77012345678","policyId":"karatel-subscribers","language":"kk"}"#;
    let headers = [("Content-Type", "application/json"), ("Origin", "https://shop.example.kz")];
    let foreign = server.send("POST", "/v1/confirmations", &headers, body.as_bytes());
    assert_eq!(foreign.error(), (403, "origin_not_allowed".into(), Some("policyId".into())));
    assert!(messages(&sms).is_empty(), "nothing was sent");
    let kazakh = ask(&server, PHONE, "kk");
    assert_eq!(kazakh.status, 201);
    let code = last_code(&sms, PHONE);
    assert_eq!(
        messages(&sms)[0].1,
        format!("{code} — «КаР-Тел» ЖШС келісімін растау коды. 10 минут жарамды. Кодты ешкімге айтпаңыз.")
    );
}

#[test]
fn a_failing_sms_command_answers_502_and_none_answers_503() {
    let scratch = Scratch::new("confirm-fail");
    let server = Server::start_with(&scratch, &["--sms-command", "echo \"$KELISIM_SMS_TEXT\" >&2; exit 3"]);
    assert_eq!(ask(&server, PHONE, "ru").error(), (502, "sms_failed".into(), None));
    let slow = Server::start_with(&scratch, &["--sms-command", "sleep 30", "--sms-timeout", "0.3s"]);
    assert_eq!(ask(&slow, "+77071112233", "ru").error(), (502, "sms_failed".into(), None));
    let log = format!("{}{}", server.log(), slow.log());
    assert!(!log.contains("7012345678") && !log.contains("7071112233"), "{log}");
    let none = Server::start(&scratch);
    let refused = ask(&none, PHONE, "ru");
    assert_eq!(refused.error(), (503, "sms_unavailable".into(), None));
    assert!(refused.body.contains("--sms-command"), "{}", refused.body);
    let id = kelisim::id::uuid_v4([3; 16]);
    assert_eq!(type_code(&none, &id, "123456").error().1, "unknown_confirmation");
    drop((server, slow, none));
    let db = rusqlite::Connection::open(scratch.db()).unwrap();
    let states: Vec<String> = db
        .prepare("SELECT state FROM confirmations ORDER BY created_at_ms")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(states, ["failed", "failed"], "such a confirmation can never be verified");
}

#[test]
fn a_schema_3_ledger_is_migrated_in_place_verifies_and_catches_an_edit_of_the_new_columns() {
    let scratch = Scratch::new("confirm-migrate");
    let dump = include_str!("data/ledger-v3.sql");
    rusqlite::Connection::open(scratch.db()).unwrap().execute_batch(dump).unwrap();
    let refused = scratch.verify();
    assert_eq!(refused.status.code(), Some(2), "verify reads no schema-3 ledger until serve migrated it");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("serve migrates it in place"));
    let (server, _) = start(&scratch, &[]);
    let entries: Vec<Json> =
        server.get_authorized("/v1/export").body.lines().map(|l| Json::parse(l).unwrap()).collect();
    assert_eq!(entries.len(), 5);
    let checks: Vec<String> = entries.iter().map(|e| check_of(e).0).collect();
    assert_eq!(checks, ["none", "none", "none", "none", "unchecked"], "stored before checks existed");
    let record_id = entries[0].get("record").unwrap().get("recordId").and_then(Json::as_str).unwrap();
    let code = kelisim::short_code::of(record_id);
    assert_eq!(server.get_authorized(&format!("/v1/receipts/{code}")).status, 200);
    assert_eq!(server.post(&grant(0x21).to_text()).seq(), 6);
    drop(server);
    let out = scratch.verify();
    assert!(common::stdout(&out).starts_with("ok: 6 records"), "{}", common::stdout(&out));
    scratch
        .tamper()
        .execute_batch("UPDATE consents SET confirmation_check = 'verified' WHERE seq = 5")
        .unwrap();
    let out = common::stdout(&scratch.verify());
    assert!(out.starts_with("broken: seq 5"), "{out}");
}
