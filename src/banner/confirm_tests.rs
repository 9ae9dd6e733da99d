//! The form build's extra steps as a visitor meets them: the SMS code before a decision counts,
//! the receipt, and the kiosk handed from one customer to the next.

use super::*;
use crate::json::Json;
use crate::record::{Channel, Kiosk};

const PHONE: &str = "+77012345678";
const CONFIRMATION: &str = "5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d";

fn esperance(confirm: bool) -> Config {
    let text = include_str!("../../www/consent/esperance.json");
    let mut json = Json::parse(text).unwrap();
    if let Json::Object(members) = &mut json {
        members.retain(|(k, _)| k != "confirm");
        if confirm {
            members.push(("confirm".into(), Json::parse(r#"{"method":"sms"}"#).unwrap()));
        }
    }
    Config::from_json(&json).expect("esperance config is valid")
}

fn stamp() -> Stamp {
    Stamp { now_ms: 1_795_385_128_123, record_id: crate::id::uuid_v4([9; 16]), previous_record_id: None }
}

fn bound(confirm: bool) -> Banner {
    let ctx = Context { subject_ref: "anon-1".into(), ..Context::default() };
    let mut b = Banner::new(esperance(confirm), Lang::Kk, None, ctx, "k0");
    b.bind_to_form();
    b
}

fn answer(b: &mut Banner, call: Call, status: u16, body: &str) -> Vec<Effect> {
    b.update(Msg::Answer(call, Some(status), Json::parse(body).unwrap()), stamp)
}

fn calls(effects: &[Effect]) -> Vec<(Call, String, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Call(c, url, body) => Some((*c, url.clone(), body.clone())),
            _ => None,
        })
        .collect()
}

fn record(effects: &[Effect]) -> Option<&ConsentRecord> {
    effects.iter().find_map(|e| match e {
        Effect::Deliver(r) => Some(&**r),
        _ => None,
    })
}

/// The form is submitted and the code sent: the banner waits for the code.
fn code_sent() -> Banner {
    let mut b = bound(true);
    let effects = b.update(Msg::SubmitForm(Some(PHONE.into())), stamp);
    assert!(record(&effects).is_none(), "nothing is recorded before the code");
    assert!(!effects.contains(&Effect::SubmitForm), "the form waits for the code");
    assert!(b.view().text_content().contains("+7\u{a0}701\u{a0}234\u{a0}56\u{a0}78"));
    let effects = b.update(Msg::Sms(SmsMsg::SendCode(None)), stamp);
    let body = r#"{"phone":"+77012345678","policyId":"esperance-loyalty","language":"kk"}"#;
    assert_eq!(calls(&effects), [(Call::SendCode, "/v1/confirmations".into(), body.into())]);
    let created =
        concat!(r#"{"confirmationId":"5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d","#, r#""expiresAt":"x"}"#);
    answer(&mut b, Call::SendCode, 201, created);
    b
}

#[test]
fn a_form_confirmed_by_sms_records_only_once_the_code_is_right_and_then_sends_the_form() {
    let mut b = code_sent();
    let effects = b.update(Msg::Sms(SmsMsg::CheckCode(" 123 456 ".into())), stamp);
    let url = concat!("/v1/confirmations/", "5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d");
    assert_eq!(calls(&effects), [(Call::CheckCode, url.into(), r#"{"code":"123456"}"#.into())]);
    let effects = answer(&mut b, Call::CheckCode, 200, r#"{"verified":true}"#);
    let rec = record(&effects).expect("recorded once confirmed");
    assert_eq!(rec.subject_ref, PHONE);
    assert_eq!(rec.confirmation.as_ref().map(|c| c.id.as_str()), Some(CONFIRMATION));
    assert!(rec
        .to_text()
        .contains(r#""confirmation":{"id":"5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d","method":"sms"}"#));
    assert_eq!(effects.last(), Some(&Effect::SubmitForm));
    assert_eq!(b.mode(), Mode::Closed);
    // The confirmation counts for that record only: a later decision asks again.
    b.update(Msg::Manage, stamp);
    let effects = b.update(Msg::SubmitForm(Some(PHONE.into())), stamp);
    assert!(record(&effects).is_none());
    assert!(matches!(b.mode(), Mode::Sms(_)));
}

#[test]
fn every_answer_but_the_right_code_keeps_the_decision_waiting_and_says_why() {
    let cases: [(Call, u16, &str, &str); 7] = [
        (
            Call::CheckCode,
            422,
            r#"{"error":{"code":"wrong_code","attemptsLeft":3}}"#,
            "Код қате. Қалған әрекет саны: 3",
        ),
        (Call::CheckCode, 422, r#"{"error":{"code":"wrong_code","attemptsLeft":0}}"#, "әрекет саны таусылды"),
        (Call::CheckCode, 410, r#"{"error":{"code":"expired"}}"#, "Кодтың мерзімі өтті"),
        (Call::CheckCode, 429, r#"{"error":{"code":"too_many_attempts"}}"#, "әрекет саны таусылды"),
        (Call::SendCode, 429, r#"{"error":{"code":"too_many_codes"}}"#, "тым көп код"),
        (Call::SendCode, 502, r#"{"error":{"code":"sms_failed"}}"#, "Қызметпен байланыс орнамады"),
        (Call::CheckCode, 500, "{}", "Қызметпен байланыс орнамады"),
    ];
    for (call, status, body, says) in cases {
        let mut b = code_sent();
        b.update(Msg::Sms(SmsMsg::CheckCode("123456".into())), stamp);
        let effects = answer(&mut b, call, status, body);
        assert!(record(&effects).is_none(), "{status} {body}");
        assert!(matches!(b.mode(), Mode::Sms(_)));
        let text = b.view().text_content();
        assert!(text.contains(says), "{status} {body}: {text}");
    }
    let mut b = code_sent();
    b.update(Msg::Sms(SmsMsg::CheckCode("12345".into())), stamp);
    assert!(b.view().text_content().contains("Код 6 цифрдан тұрады."));
    let effects = b.update(Msg::Answer(Call::CheckCode, None, Json::Null), stamp);
    assert!(record(&effects).is_none());
}

#[test]
fn without_a_form_the_notice_asks_for_the_phone_and_that_phone_is_the_subject() {
    let ctx = Context { subject_ref: "anon-1".into(), ..Context::default() };
    let mut b = Banner::new(esperance(true), Lang::Ru, None, ctx, "k0");
    b.update(Msg::AcceptAll, stamp);
    assert!(b.view().to_html().contains(r#"type="tel""#));
    b.update(Msg::Sms(SmsMsg::SendCode(Some("8 701 234".into()))), stamp);
    assert!(b.view().text_content().contains("Введите казахстанский номер"));
    let effects = b.update(Msg::Sms(SmsMsg::SendCode(Some("8 (701) 234-56-78".into()))), stamp);
    assert!(calls(&effects)[0].2.contains(PHONE));
    answer(&mut b, Call::SendCode, 201, r#"{"confirmationId":"5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d"}"#);
    b.update(Msg::Sms(SmsMsg::CheckCode("654321".into())), stamp);
    let effects = answer(&mut b, Call::CheckCode, 200, "{}");
    assert_eq!(record(&effects).map(|r| r.subject_ref.as_str()), Some(PHONE));
    assert!(!effects.contains(&Effect::SubmitForm));
    // Back from the step records nothing.
    b.update(Msg::Manage, stamp);
    b.update(Msg::AcceptAll, stamp);
    let effects = b.update(Msg::Escape, stamp);
    assert!(record(&effects).is_none());
    assert_eq!(b.mode(), Mode::Open { reconsent: false });
}

#[test]
fn a_config_without_confirm_records_at_once() {
    let mut b = bound(false);
    let effects = b.update(Msg::SubmitForm(Some(PHONE.into())), stamp);
    assert!(record(&effects).is_some_and(|r| r.confirmation.is_none()));
}

#[test]
fn the_receipt_names_the_code_edition_purposes_and_time_and_saves_as_text() {
    let mut b = bound(false);
    b.update(Msg::SubmitForm(Some(PHONE.into())), stamp);
    let id = crate::id::uuid_v4([9; 16]);
    let code = grouped(&crate::short_code::of(&id));
    b.update(Msg::Receipt(ReceiptMsg::Open), stamp);
    let text = b.view().text_content();
    for part in [
        code.as_str(),
        "«ЭСПЕРАНС-РК» ЖШС, БСН 220240037922",
        "№ 1 қосымша",
        id.as_str(),
        "(Астана уақыты)",
        "келісім берілді",
        "келісім берілмеді",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    // 2026-11-22T22:05:28Z is 03:05 the next day in Astana.
    assert!(text.contains("2026-11-23 03:05"), "{text}");
    let effects = b.update(Msg::Receipt(ReceiptMsg::Save), stamp);
    assert_eq!(effects, [Effect::SaveReceipt(format!("kelisim-{}.txt", crate::short_code::of(&id)))]);
    assert!(b
        .view()
        .to_html()
        .contains(r#"<a href="https://ekonika.ru/politika-obrabotki-personalnykh-dannykh-kazakhstan""#));
    // No SMS confirmation, no receipt by SMS.
    assert!(b.update(Msg::Receipt(ReceiptMsg::SendBySms), stamp).is_empty());
    b.update(Msg::Escape, stamp);
    assert_eq!(b.mode(), Mode::Closed);
}

#[test]
fn a_confirmed_receipt_can_go_by_sms_to_the_confirming_phone() {
    let mut b = code_sent();
    b.update(Msg::Sms(SmsMsg::CheckCode("123456".into())), stamp);
    answer(&mut b, Call::CheckCode, 200, "{}");
    b.update(Msg::Receipt(ReceiptMsg::Open), stamp);
    let effects = b.update(Msg::Receipt(ReceiptMsg::SendBySms), stamp);
    let id = crate::id::uuid_v4([9; 16]);
    let url = concat!("/v1/confirmations/", "5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d", "/receipt");
    assert_eq!(calls(&effects), [(Call::SendReceipt, url.into(), format!(r#"{{"recordId":"{id}"}}"#))]);
    answer(&mut b, Call::SendReceipt, 202, r#"{"sent":true}"#);
    assert!(b.view().text_content().contains("Түбіртек SMS арқылы жіберілді."));
}

#[test]
fn a_kiosk_thanks_each_customer_keeps_nothing_and_starts_over_for_the_next() {
    let mut b = bound(true);
    b.set_kiosk(Kiosk { shop: Some("ALM-014".into()), consultant: Some("77".into()) });
    b.update(Msg::SetLanguage(Lang::Ru), stamp);
    b.update(Msg::Toggle("marketing".into()), stamp);
    let effects = b.update(Msg::SubmitForm(Some(PHONE.into())), stamp);
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveLanguage(_))));
    b.update(Msg::Sms(SmsMsg::SendCode(None)), stamp);
    answer(&mut b, Call::SendCode, 201, r#"{"confirmationId":"5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d"}"#);
    b.update(Msg::Sms(SmsMsg::CheckCode("123456".into())), stamp);
    let effects = answer(&mut b, Call::CheckCode, 200, "{}");
    let rec = record(&effects).expect("recorded");
    assert_eq!(rec.channel, Channel::Kiosk);
    assert!(rec.to_text().contains(r#""channel":"kiosk","kiosk":{"shop":"ALM-014","consultant":"77"}"#));
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveDecision(_))), "a kiosk keeps no decision");
    let sent_then_cleared = [Effect::SubmitForm, Effect::ClearForm { to_top: false }];
    assert!(effects.ends_with(&sent_then_cleared), "{effects:?}");
    assert_eq!(b.mode(), Mode::Thanks { sent: None });
    let thanks = b.view().text_content();
    assert!(thanks.contains("Спасибо!") && thanks.contains(&grouped(&crate::short_code::of(&rec.record_id))));
    assert!(!b.view().to_html().contains("print-receipt"));
    let effects = b.update(Msg::Receipt(ReceiptMsg::NextCustomer), stamp);
    assert_eq!(effects, [Effect::ClearForm { to_top: true }, Effect::Render]);
    assert_eq!((b.mode(), b.language(), b.saved()), (Mode::Open { reconsent: false }, Lang::Kk, None));
    let html = b.view().to_html();
    assert!(!html.contains("701\u{a0}234") && !html.contains("7012345678"), "{html}");
    // The next customer's decision is theirs: fresh choices, a new code.
    let effects = b.update(Msg::SubmitForm(Some("+77771234567".into())), stamp);
    assert!(record(&effects).is_none());
    assert!(b.view().text_content().contains("+7\u{a0}777\u{a0}123\u{a0}45\u{a0}67"));
}

#[test]
fn a_confirmation_config_needs_the_forms_phone_as_subject_and_derives_its_endpoint() {
    let text = include_str!("../../www/consent/esperance.json");
    let mut json = Json::parse(text).unwrap();
    if let Json::Object(members) = &mut json {
        let form = &mut members.iter_mut().find(|(k, _)| k == "form").unwrap().1;
        if let Json::Object(f) = form {
            f.iter_mut().find(|(k, _)| k == "subject").unwrap().1 = "iin".into();
        }
    }
    let e = Config::from_json(&json).unwrap_err();
    assert_eq!(e.field, "form.subject");
    assert_eq!(esperance(true).confirm.unwrap().endpoint, "/v1/confirmations");
    let mut json = Json::parse(text).unwrap();
    if let Json::Object(members) = &mut json {
        members.iter_mut().find(|(k, _)| k == "confirm").unwrap().1 =
            Json::parse(r#"{"method":"call"}"#).unwrap();
    }
    assert_eq!(Config::from_json(&json).unwrap_err().field, "confirm.method");
}

#[test]
fn the_form_sent_again_while_its_code_is_awaited_keeps_the_step_unless_the_phone_changed() {
    let mut b = code_sent();
    assert!(
        b.update(Msg::SubmitForm(Some(PHONE.into())), stamp).is_empty(),
        "the same phone: nothing happens"
    );
    assert!(matches!(b.mode(), Mode::Sms(SmsStep { sent: Some(_), .. })));
    b.update(Msg::SubmitForm(Some("+77771234567".into())), stamp);
    let Mode::Sms(step) = b.mode() else { panic!("still the step") };
    assert_eq!((step.phone.as_deref(), step.sent), (Some("+77771234567"), None), "a new phone asks again");
    // Before a code is sent, focus goes to the button that sends it.
    assert!(b.view().to_html().contains(r#"data-k-act="send-code" data-k-focus>"#), "{}", b.view().to_html());
}

#[test]
fn back_works_while_the_collector_is_slow_and_its_late_answer_changes_nothing() {
    let mut b = bound(true);
    b.update(Msg::SubmitForm(Some(PHONE.into())), stamp);
    b.update(Msg::Sms(SmsMsg::SendCode(None)), stamp);
    assert!(b.update(Msg::Sms(SmsMsg::SendCode(None)), stamp).is_empty(), "one call at a time");
    b.update(Msg::Escape, stamp);
    assert_eq!(b.mode(), Mode::Open { reconsent: false });
    let late =
        answer(&mut b, Call::SendCode, 201, r#"{"confirmationId":"5a1b7c9d-2e3f-4a5b-9c6d-7e8f9a0b1c2d"}"#);
    assert!(late.is_empty() && b.mode() == Mode::Open { reconsent: false });
}
