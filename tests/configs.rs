//! The five operators' configs: each is read by the core, and carries what its seed states.

use kelisim::config::{Config, CrossBorder};
use kelisim::lang::Lang;

fn load(name: &str) -> Config {
    let path = format!("{}/www/consent/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Config::from_json_text(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ids(cfg: &Config) -> Vec<(&str, bool)> {
    cfg.purposes.iter().map(|p| (p.id.as_str(), p.required)).collect()
}

#[test]
fn every_config_in_www_is_valid_and_offers_kazakh_russian_and_english() {
    let dir = format!("{}/www/consent", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let cfg = Config::from_json_text(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(cfg.languages, [Lang::Kk, Lang::Ru, Lang::En], "{}", path.display());
            assert_eq!(cfg.default_language, Lang::Kk);
            assert!(
                cfg.purposes.iter().any(|p| p.required),
                "{}: the service itself is required",
                path.display()
            );
            count += 1;
        }
    }
    assert_eq!(count, 5, "one config per seed operator");
}

#[test]
fn karatel_subscribers_000_basic_services_required_four_optional() {
    let cfg = load("karatel");
    assert_eq!(cfg.operator.bin.as_deref(), Some("980540000397"));
    assert_eq!(cfg.policy.version, "2018-02-26");
    assert_eq!(
        ids(&cfg),
        [
            ("basicServices", true),
            ("additionalServices", false),
            ("marketing", false),
            ("profiling", false),
            ("crossBorderTransfer", false)
        ]
    );
    assert_eq!(cfg.transfers.cross_border, CrossBorder::Yes);
    assert!(
        cfg.transfers.third_parties && cfg.transfers.stored_in_kazakhstan && !cfg.transfers.public_sources
    );
}

#[test]
fn esperance_loyalty_001_appendix_1_seven_categories_seven_purposes_service_messages_stated() {
    let cfg = load("esperance");
    assert_eq!(cfg.operator.bin.as_deref(), Some("220240037922"));
    assert_eq!(cfg.data_categories.len(), 8, "Appendix 1's seven, and the IIN the signup form asks for");
    assert_eq!(cfg.purposes.len(), 7);
    assert!(cfg.purpose("marketing").is_some_and(|p| !p.required), "marketing is ticked, never assumed");
    assert_eq!(cfg.transfers.cross_border, CrossBorder::Countries(vec!["RU".into()]));
    assert!(cfg.transfers.stored_in_kazakhstan);
    assert!(!cfg.notices.is_empty(), "service messages are stated, not offered");
    let optional: Vec<&str> = cfg.purposes.iter().filter(|p| !p.required).map(|p| p.id.as_str()).collect();
    assert_eq!(
        optional,
        ["marketing"],
        "Appendix 1 is one consent; only advertising messages have a tick of their own"
    );
    for p in cfg.purposes.iter().filter(|p| p.required) {
        assert!(
            p.withdrawal_effect.get(Lang::Ru).contains("карта блокируется"),
            "{}: withdrawing ends membership and blocks the card",
            p.id
        );
    }
    assert!(
        cfg.notices
            .iter()
            .any(|n| n.get(Lang::Ru).contains("не менее чем за 10 рабочих дней до даты отзыва")),
        "10 working days' notice, before the date of withdrawal"
    );
}

#[test]
fn simply_002_version_2024_cross_border_and_enrichment_optional() {
    let cfg = load("simply");
    assert_eq!(cfg.policy.version, "2024");
    assert!(cfg.transfers.cross_border.any());
    assert!(cfg.purpose("enrichment").is_some_and(|p| !p.required));
    assert!(cfg.purpose("additionalServices").is_some_and(|p| !p.required));
}

#[test]
fn hitter_003_subscriber_number_only_no_cross_border_no_publication_one_consent() {
    let cfg = load("hitter");
    assert_eq!(cfg.operator.bin.as_deref(), Some("980540000397"));
    assert_eq!(cfg.policy.version, "2022-02-22");
    let cats: Vec<&str> = cfg.data_categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(cats, ["subscriberNumber"]);
    assert_eq!(cfg.transfers.cross_border, CrossBorder::No);
    assert!(!cfg.transfers.public_sources);
    assert!(
        cfg.purposes.iter().all(|p| p.required),
        "consent is given by accepting the user agreement, and withdrawing it ends the service"
    );
}

#[test]
fn batys_004_four_categories_five_purposes_may_store_abroad() {
    let cfg = load("batys");
    let cats: Vec<&str> = cfg.data_categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(cats, ["fullName", "email", "phone", "scannedDocuments"], "2.3, and the scans 1.6 asks for");
    assert_eq!(
        ids(&cfg),
        [
            ("service", true),
            ("identification", true),
            ("interaction", true),
            ("advertising", false),
            ("statistics", false)
        ]
    );
    assert!(!cfg.transfers.stored_in_kazakhstan, "the policy reserves storage outside Kazakhstan");
    assert_eq!(cfg.operator.bin, None, "the seed states no BIN");
}
