//! The banner as a visitor meets it: first visit, decisions, language switch, re-consent, withdrawal.

use super::*;
use crate::config::tests::sample;
use crate::record::{Channel, Kind};
use crate::view::{Node, View};

fn ctx() -> Context {
    Context {
        subject_ref: "anon-1".into(),
        channel: Channel::Web,
        page: None,
        user_agent: None,
        ..Context::default()
    }
}

fn stamp_n(n: u8) -> impl FnMut() -> Stamp {
    move || Stamp {
        now_ms: 1_795_385_128_123,
        record_id: crate::id::uuid_v4([n; 16]),
        previous_record_id: None,
    }
}

fn fresh() -> Banner {
    Banner::new(sample(), Lang::Kk, None, ctx(), "k0")
}

fn delivered(effects: &[Effect]) -> &ConsentRecord {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Deliver(r) => Some(r),
            _ => None,
        })
        .expect("a record is delivered")
}

fn checkbox(view: &View, purpose: &str) -> crate::view::Element {
    let id = ["k0-p-", purpose].concat();
    let tree: Node = view.tree();
    let found = tree.elements().into_iter().find(|e| e.tag == "input" && e.get("id") == Some(&id)).cloned();
    found.expect("checkbox")
}

#[test]
fn first_visit_opens_with_required_checked_and_disabled() {
    let b = fresh();
    assert_eq!(b.mode(), Mode::Open { reconsent: false });
    let view = b.view();
    let service = checkbox(&view, "service");
    assert!(service.get("checked").is_some() && service.get("disabled").is_some());
    let marketing = checkbox(&view, "marketing");
    assert!(marketing.get("checked").is_none() && marketing.get("disabled").is_none());
}

#[test]
fn every_checkbox_has_a_label_and_a_description() {
    let tree = fresh().view().tree();
    let elements = tree.elements();
    for input in elements.iter().filter(|e| e.tag == "input") {
        let id = input.get("id").unwrap();
        assert!(elements.iter().any(|e| e.tag == "label" && e.get("for") == Some(id)), "{id} has a label");
        let desc = input.get("aria-describedby").unwrap();
        assert!(elements.iter().any(|e| e.get("id") == Some(desc)), "{id} has a description");
    }
}

#[test]
fn notice_shows_what_art_8_4_asks_for_before_the_tick() {
    let text = fresh().view().text_content();
    for needed in [
        "«КаР-Тел» ЖШС",
        "БСН 980540000397",
        "Аты-жөні",
        "Шарт аяқталғанға дейін",
        "үшінші тұлғаларға",
        ": Ресей Федерациясы.",
    ] {
        assert!(text.contains(needed), "missing {needed:?} in {text}");
    }
}

#[test]
fn accept_selected_records_the_ticks_and_closes() {
    let mut b = fresh();
    b.update(Msg::Toggle("marketing".into()), stamp_n(1));
    let effects = b.update(Msg::AcceptSelected, stamp_n(2));
    let rec = delivered(&effects);
    assert_eq!(rec.kind, Kind::Grant);
    assert_eq!(rec.granted().collect::<Vec<_>>(), ["service", "marketing"]);
    assert_eq!(b.mode(), Mode::Closed);
    assert!(b.view().text_content().contains("Шешіміңіз сақталды."), "the decision is confirmed");
    assert_eq!(b.saved().unwrap().record_id, rec.record_id);
    assert!(effects.iter().any(|e| matches!(e, Effect::SaveDecision(_))));
}

#[test]
fn required_only_refuses_every_optional_purpose() {
    let mut b = fresh();
    b.update(Msg::Toggle("marketing".into()), stamp_n(1));
    let effects = b.update(Msg::RequiredOnly, stamp_n(2));
    assert_eq!(delivered(&effects).granted().collect::<Vec<_>>(), ["service"]);
}

#[test]
fn language_switch_changes_text_and_next_record_hash() {
    let mut b = fresh();
    let kk_hash = crate::canonical::text_sha256(b.config(), Lang::Kk);
    let effects = b.update(Msg::SetLanguage(Lang::Ru), stamp_n(1));
    assert_eq!(effects, [Effect::SaveLanguage(Lang::Ru), Effect::Render]);
    assert!(b.view().text_content().contains("ТОО «КаР-Тел», БИН 980540000397"));
    let rec = delivered(&b.update(Msg::AcceptAll, stamp_n(2))).clone();
    assert_eq!(rec.policy.language, Lang::Ru);
    assert_ne!(rec.policy.text_sha256, kk_hash);
}

#[test]
fn unchanged_visitor_sees_only_the_manage_button() {
    let mut b = fresh();
    b.update(Msg::AcceptAll, stamp_n(1));
    let saved = b.saved().cloned();
    let again = Banner::new(sample(), Lang::Kk, saved, ctx(), "k0");
    assert_eq!(again.mode(), Mode::Closed);
    assert!(again.view().to_html().contains("data-k-act=\"manage\""));
    assert!(!again.view().text_content().contains("Шешіміңіз сақталды."), "no confirmation on a later visit");
}

#[test]
fn new_policy_version_asks_again_and_links_the_records() {
    let mut b = fresh();
    let first = delivered(&b.update(Msg::AcceptAll, stamp_n(1))).clone();
    let mut bumped = sample();
    bumped.policy.version = "2026-12-01".into();
    let mut again = Banner::new(bumped, Lang::Kk, b.saved().cloned(), ctx(), "k0");
    assert_eq!(again.mode(), Mode::Open { reconsent: true });
    assert!(again.view().text_content().contains("Саясат жаңартылды"));
    let second = delivered(&again.update(Msg::AcceptSelected, stamp_n(2))).clone();
    assert_eq!(second.policy.version, "2026-12-01");
    assert_eq!(second.previous_record_id.as_deref(), Some(first.record_id.as_str()));
    assert!(second.granted().any(|id| id == "marketing"), "earlier grants stay ticked on re-consent");
}

#[test]
fn withdrawal_points_to_the_current_record_and_updates_state() {
    let mut b = fresh();
    let grant = delivered(&b.update(Msg::AcceptAll, stamp_n(1))).clone();
    let effects = b.update(Msg::Withdraw(vec!["marketing".into(), "nonsense".into()]), stamp_n(2));
    let w = delivered(&effects);
    assert_eq!(w.kind, Kind::Withdrawal);
    assert_eq!(w.previous_record_id.as_deref(), Some(grant.record_id.as_str()));
    assert_eq!(w.purposes.len(), 1);
    let saved = b.saved().unwrap();
    assert_eq!(saved.purposes, [("service".to_owned(), true), ("marketing".to_owned(), false)]);
}

#[test]
fn unticking_an_earlier_grant_asks_to_confirm_and_shows_the_cost() {
    let mut b = fresh();
    let grant = delivered(&b.update(Msg::AcceptAll, stamp_n(1))).clone();
    b.update(Msg::Manage, stamp_n(2));
    b.update(Msg::Toggle("marketing".into()), stamp_n(2));
    let effects = b.update(Msg::AcceptSelected, stamp_n(2));
    assert_eq!(effects, [Effect::Render], "nothing is recorded before the visitor confirms");
    assert_eq!(b.mode(), Mode::Confirm { withdrawn: vec!["marketing".into()], from_form: false });
    let text = b.view().text_content();
    assert!(text.contains("Ұсыныстар келмейді"), "the withdrawal effect is shown: {text}");
    let effects = b.update(Msg::ConfirmWithdrawal, stamp_n(3));
    let w = delivered(&effects);
    assert_eq!(w.kind, Kind::Withdrawal);
    assert_eq!(w.previous_record_id.as_deref(), Some(grant.record_id.as_str()));
    assert_eq!(b.mode(), Mode::Closed);
}

#[test]
fn cancelling_a_withdrawal_records_nothing_and_returns_to_the_choices() {
    let mut b = fresh();
    b.update(Msg::AcceptAll, stamp_n(1));
    b.update(Msg::Manage, stamp_n(2));
    b.update(Msg::RequiredOnly, stamp_n(2));
    assert!(matches!(b.mode(), Mode::Confirm { .. }));
    assert_eq!(b.update(Msg::CancelWithdrawal, stamp_n(3)), [Effect::Render]);
    assert_eq!(b.mode(), Mode::Open { reconsent: false });
    assert!(b.saved().unwrap().purposes.contains(&("marketing".to_owned(), true)));
}

#[test]
fn withdrawal_before_any_decision_does_nothing() {
    let mut b = fresh();
    assert!(b.update(Msg::Withdraw(vec!["marketing".into()]), stamp_n(1)).is_empty());
}

#[test]
fn actions_in_the_view_parse_back_to_messages() {
    let tree = fresh().view().tree();
    let actions: Vec<&str> = tree.elements().into_iter().filter_map(|e| e.get("data-k-act")).collect();
    assert!(actions.len() >= 6);
    for action in actions {
        assert!(Msg::from_action(action).is_some(), "{action}");
    }
    assert_eq!(Msg::from_action("lang:de"), None);
}

#[test]
fn a_bound_form_submit_records_the_ticks_for_the_subject_and_the_banner_has_no_buttons() {
    let mut b = fresh();
    b.bind_to_form();
    assert!(!b.view().to_html().contains("accept-all"), "the form's own submit decides");
    b.update(Msg::Toggle("marketing".into()), stamp_n(1));
    let effects = b.update(Msg::SubmitForm(Some("+77012345678".into())), stamp_n(2));
    let rec = delivered(&effects);
    assert_eq!(rec.subject_ref, "+77012345678");
    assert_eq!(rec.granted().collect::<Vec<_>>(), ["service", "marketing"]);
}

#[test]
fn a_form_submit_that_unticks_a_grant_is_confirmed_then_recorded_as_a_withdrawal_and_sent_on() {
    let mut b = fresh();
    b.bind_to_form();
    b.update(Msg::Toggle("marketing".into()), stamp_n(1));
    let grant = delivered(&b.update(Msg::SubmitForm(Some("+77012345678".into())), stamp_n(1))).clone();
    b.update(Msg::Manage, stamp_n(2));
    b.update(Msg::Toggle("marketing".into()), stamp_n(2));
    let effects = b.update(Msg::SubmitForm(Some("+77012345678".into())), stamp_n(2));
    assert_eq!(effects, [Effect::Render], "nothing is recorded before the visitor confirms");
    assert_eq!(b.mode(), Mode::Confirm { withdrawn: vec!["marketing".into()], from_form: true });
    let html = b.view().to_html();
    assert!(html.contains("Ұсыныстар келмейді") && html.contains("confirm-withdrawal"), "{html}");
    let effects = b.update(Msg::ConfirmWithdrawal, stamp_n(3));
    let w = delivered(&effects);
    assert_eq!((w.kind, w.subject_ref.as_str()), (Kind::Withdrawal, "+77012345678"));
    assert_eq!(w.previous_record_id.as_deref(), Some(grant.record_id.as_str()));
    assert_eq!(effects.iter().filter(|e| matches!(e, Effect::Deliver(_))).count(), 1);
    assert_eq!(effects.last(), Some(&Effect::SubmitForm), "the form goes on once confirmed");
}

#[test]
fn escape_closes_only_inner_layers_and_never_decides() {
    let mut b = fresh();
    assert!(b.update(Msg::Escape, stamp_n(1)).is_empty(), "the first layer stays");
    b.update(Msg::Details, stamp_n(1));
    assert!(b.view().to_html().contains("aria-expanded=\"true\""));
    assert_eq!(b.update(Msg::Escape, stamp_n(1)), [Effect::Render]);
    assert!(b.view().to_html().contains("aria-expanded=\"false\""));
    b.update(Msg::AcceptAll, stamp_n(2));
    b.update(Msg::Manage, stamp_n(3));
    b.update(Msg::RequiredOnly, stamp_n(3));
    assert_eq!(b.update(Msg::Escape, stamp_n(4)), [Effect::Render], "Escape goes back from the confirmation");
    assert_eq!(b.mode(), Mode::Open { reconsent: false });
    assert!(b.saved().unwrap().purposes.contains(&("marketing".to_owned(), true)), "nothing withdrawn");
}

#[test]
fn the_first_layer_hides_the_details_until_asked_and_the_second_shows_them() {
    let mut b = fresh();
    let hidden_parts = |b: &Banner| {
        let tree = b.view().tree();
        let elements = tree.elements();
        let more = elements.iter().find(|e| e.get("class") == Some("k-more")).expect("second layer");
        let descs = elements.iter().filter(|e| e.get("class") == Some("k-pdesc")).count();
        let hidden_descs = elements
            .iter()
            .filter(|e| e.get("class") == Some("k-pdesc") && e.get("hidden").is_some())
            .count();
        (more.get("hidden").is_some(), descs, hidden_descs)
    };
    let (more_hidden, descs, hidden) = hidden_parts(&b);
    assert!(more_hidden && descs > 0 && hidden == descs);
    b.update(Msg::Details, stamp_n(1));
    let (more_hidden, _, hidden) = hidden_parts(&b);
    assert!(!more_hidden && hidden == 0);
    assert!(b.view().text_content().contains("Оператор"), "the facts are in the second layer");
}

#[test]
fn refusing_and_accepting_look_alike_and_confirming_choices_shows_only_once_something_is_ticked() {
    let mut b = fresh();
    let buttons = |b: &Banner| {
        let tree = b.view().tree();
        let found: Vec<(String, String)> = tree
            .elements()
            .into_iter()
            .filter(|e| e.tag == "button" && e.get("class") == Some("k-btn"))
            .map(|e| (e.get("data-k-act").unwrap().to_owned(), e.get("class").unwrap().to_owned()))
            .collect();
        found
    };
    let acts: Vec<String> = buttons(&b).into_iter().map(|(a, _)| a).collect();
    assert_eq!(acts, ["required-only", "accept-all"]);
    b.update(Msg::Toggle("marketing".into()), stamp_n(1));
    let acts: Vec<String> = buttons(&b).into_iter().map(|(a, _)| a).collect();
    assert_eq!(acts, ["required-only", "accept-selected", "accept-all"]);
}

#[test]
fn overlay_and_fullscreen_are_modal_dialogs_and_inline_is_a_region() {
    for (layout, modal) in [(Layout::Overlay, true), (Layout::Fullscreen, true), (Layout::Inline, false)] {
        let mut b = fresh();
        b.set_layout(layout);
        let tree = b.view().tree();
        let section = tree.elements().into_iter().find(|e| e.tag == "section").unwrap().clone();
        assert_eq!(section.get("role") == Some("dialog"), modal, "{layout:?}");
        assert_eq!(section.get("aria-modal") == Some("true"), modal, "{layout:?}");
        assert!(section.get("aria-labelledby").is_some());
        assert_eq!(b.view().to_html().contains("kelisim-layer"), layout == Layout::Overlay);
        assert_eq!(b.is_modal(), modal);
        b.update(Msg::AcceptAll, stamp_n(1));
        assert!(!b.is_modal() && !b.view().to_html().contains("kelisim-layer"), "closed is not modal");
    }
}
