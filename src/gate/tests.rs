//! Gating as a page meets it: scripts and embeds per purpose, Consent Mode signals, storage to clear.

use super::*;
use crate::config::tests::sample;
use crate::lang::Lang;

fn granting(ids: &'static [&'static str]) -> impl Fn(&str) -> bool {
    move |id| ids.contains(&id)
}

#[test]
fn a_mark_runs_only_when_every_purpose_it_names_is_granted() {
    let c = sample();
    assert!(allows("marketing", &c, &granting(&["service", "marketing"])));
    assert!(!allows("marketing", &c, &granting(&["service"])));
    assert!(!allows("service marketing", &c, &granting(&["service"])), "all of them");
    assert!(allows("service  marketing", &c, &granting(&["service", "marketing"])));
    assert!(!allows("", &c, &granting(&["service"])), "a mark naming nothing allows nothing");
    assert!(!allows("analytics", &c, &|_| true), "an unknown purpose is never granted");
}

#[test]
fn expiring_a_cookie_covers_the_host_and_its_parent_domains() {
    assert_eq!(
        expiring("_ym_uid", "www.beeline.kz"),
        [
            "_ym_uid=; Max-Age=0; path=/",
            "_ym_uid=; Max-Age=0; path=/; domain=www.beeline.kz",
            "_ym_uid=; Max-Age=0; path=/; domain=beeline.kz",
        ]
    );
    assert_eq!(expiring("_ga", "127.0.0.1"), ["_ga=; Max-Age=0; path=/"]);
    assert_eq!(expiring("_ga", "localhost"), ["_ga=; Max-Age=0; path=/"]);
}

#[test]
fn a_prefix_trace_matches_every_name_it_starts() {
    let exact = Trace { name: "_fbp".into(), prefix: false };
    let prefix = Trace { name: "_ga".into(), prefix: true };
    assert!(matches(&exact, "_fbp") && !matches(&exact, "_fbp2"));
    assert!(matches(&prefix, "_ga") && matches(&prefix, "_ga_ABC123") && !matches(&prefix, "_gid"));
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
    let text = plan(&sample(), &granting(&["service"]), Lang::Ru, "k1");
    let json = crate::json::Json::parse(&text).unwrap();
    let purposes = json.get("purposes").unwrap();
    assert_eq!(purposes.get("service").and_then(|v| v.as_bool()), Some(true));
    assert_eq!(purposes.get("marketing").and_then(|v| v.as_bool()), Some(false));
    assert_eq!(json.get("for").and_then(|v| v.as_str()), Some("k1"));
    assert!(json.get("needs").and_then(|v| v.as_str()).unwrap().contains("согласие"));
}

#[test]
fn cookie_names_are_read_from_the_jar() {
    assert_eq!(cookie_names("_ym_uid=1; _ga=GA1.2; flag"), ["_ym_uid", "_ga", "flag"]);
    assert!(cookie_names("").is_empty());
}
