//! Gating as a page meets it: scripts and embeds per purpose, Consent Mode signals, storage to clear.

use super::*;
use crate::config::tests::sample;
use crate::lang::Lang;

fn granting(ids: &'static [&'static str]) -> impl Fn(&str) -> bool {
    move |id| ids.contains(&id)
}

#[test]
fn consent_mode_grants_a_signal_when_a_granted_or_required_purpose_carries_it() {
    let mut c = sample();
    c.purposes[0].consent_mode = vec!["security_storage"];
    c.purposes[1].consent_mode = vec!["ad_storage", "ad_user_data"];
    assert_eq!(
        consent_mode(&c, &granting(&[])),
        [("ad_storage", false), ("ad_user_data", false), ("security_storage", true)],
        "required purposes stand granted; signals no purpose names are left to the page"
    );
    assert_eq!(
        consent_mode(&c, &granting(&["marketing"])),
        [("ad_storage", true), ("ad_user_data", true), ("security_storage", true)]
    );
}

#[test]
fn a_refused_purpose_clears_its_cookies_and_keys_and_a_required_one_never() {
    let mut c = sample();
    c.purposes[0].cookies = vec![Trace { name: "session".into(), prefix: false }];
    c.purposes[1].cookies = vec![Trace { name: "_ym".into(), prefix: true }];
    c.purposes[1].storage_keys = vec![Trace { name: "_ym_retryReqs".into(), prefix: false }];
    let (cookies, keys) = to_clear(&c, &granting(&[]));
    assert_eq!((cookies.len(), keys.len()), (1, 1));
    assert_eq!(cookies[0].name, "_ym");
    let (cookies, keys) = to_clear(&c, &granting(&["marketing"]));
    assert!(cookies.is_empty() && keys.is_empty());
}

#[test]
fn the_plan_says_what_stands_and_what_a_placeholder_says() {
    let mut c = sample();
    c.purposes[1].cookies = vec![Trace { name: "_ym".into(), prefix: true }];
    c.purposes[1].consent_mode = vec!["ad_storage"];
    let text = plan(&c, &granting(&["service"]), Lang::Ru, "k1", true, true);
    let json = crate::json::Json::parse(&text).unwrap();
    let purposes = json.get("purposes").unwrap();
    assert_eq!(purposes.get("service").and_then(|v| v.as_bool()), Some(true));
    assert_eq!(purposes.get("marketing").and_then(|v| v.as_bool()), Some(false));
    assert_eq!(json.get("for").and_then(|v| v.as_str()), Some("k1"));
    assert!(json.get("needs").and_then(|v| v.as_str()).unwrap().contains("согласие"));
    assert!(text.contains(r#""consent":{"ad_storage":false}"#), "{text}");
    assert!(text.contains(r#""clear":{"cookies":["_ym*"],"keys":[]}"#), "{text}");
    let undecided = plan(&c, &granting(&[]), Lang::Ru, "k1", false, false);
    assert!(
        undecided.contains(r#""clear":{"cookies":[],"keys":[]}"#),
        "nothing is cleared before a decision"
    );
}
