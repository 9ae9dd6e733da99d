//! The web shell in headless Chromium: mount into a fresh element, click, assert on state and DOM.
#![cfg(target_arch = "wasm32")]

use kelisim::Kelisim;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = include_str!("data/small-config.json");

fn fresh_section() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let section = doc.create_element("section").unwrap();
    doc.body().unwrap().append_child(&section).unwrap();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    section
}

fn click(root: &Element, selector: &str) {
    let el = root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"));
    el.dyn_into::<HtmlElement>().unwrap().click();
}

/// Mounts a banner and waits for the task that builds the notice.
async fn mount(root: &Element, config: &str, lang: &str) -> Kelisim {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"lang".into(), &lang.into()).unwrap();
    let k = Kelisim::mount(root.clone().into(), config.into(), options.into()).unwrap();
    next_task().await;
    k
}

/// Resolves after the tasks queued so far (a zero timeout queued now runs after them).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn state_text(k: &Kelisim) -> String {
    js_sys::JSON::stringify(&k.state()).unwrap().as_string().unwrap()
}

/// The first error the banner reports (replayed to the first `error` subscriber).
fn first_error(k: &Kelisim) -> String {
    let seen = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let sink = seen.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let msg = js_sys::Reflect::get(&e, &"message".into()).unwrap().as_string().unwrap();
        sink.borrow_mut().push_str(&msg);
    });
    k.on("error", cb.as_ref().unchecked_ref::<js_sys::Function>().clone()).unwrap();
    let out = seen.borrow().clone();
    out
}

#[wasm_bindgen_test]
async fn required_purpose_is_checked_and_disabled_and_optional_is_not_pre_ticked() {
    let root = fresh_section();
    let _k = mount(&root, CONFIG, "kk").await;
    let service = root.query_selector("input[data-k-act='toggle:service']").unwrap().unwrap();
    assert!(service.has_attribute("checked") && service.has_attribute("disabled"));
    let marketing = root.query_selector("input[data-k-act='toggle:marketing']").unwrap().unwrap();
    assert!(!marketing.has_attribute("checked"));
}

#[wasm_bindgen_test]
async fn tick_then_accept_selected_updates_state() {
    let root = fresh_section();
    let k = mount(&root, CONFIG, "kk").await;
    assert!(k.state().is_null(), "no decision yet");
    click(&root, "input[data-k-act='toggle:marketing']");
    click(&root, "button[data-k-act='accept-selected']");
    let state = state_text(&k);
    assert!(state.contains(r#""purposes":{"service":true,"marketing":true}"#), "{state}");
    assert!(state.contains(r#""policyVersion":"2018-02-26""#), "{state}");
    assert!(
        root.query_selector("button[data-k-act='manage']").unwrap().is_some(),
        "banner closes to a manage button"
    );
    assert_eq!(k.pending().length(), 1, "the record waits in the outbox until acknowledged");
}

#[wasm_bindgen_test]
async fn language_switch_re_renders_in_russian() {
    let root = fresh_section();
    let k = mount(&root, CONFIG, "kk").await;
    assert_eq!(k.language().as_deref(), Some("kk"));
    click(&root, "button[data-k-act='lang:ru']");
    assert_eq!(k.language().as_deref(), Some("ru"));
    let text = root.text_content().unwrap();
    assert!(text.contains("ТОО «КаР-Тел», БИН 980540000397"), "{text}");
    assert_eq!(root.query_selector("section").unwrap().unwrap().get_attribute("lang").as_deref(), Some("ru"));
}

#[wasm_bindgen_test]
async fn operator_text_is_shown_as_text_not_markup() {
    let root = fresh_section();
    let hostile = CONFIG.replace("Кратко", "<img src=x onerror=alert(1)><b>bold</b>");
    let _k = mount(&root, &hostile, "ru").await;
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(root.query_selector("b").unwrap().is_none());
    assert!(root.text_content().unwrap().contains("<img src=x onerror=alert(1)><b>bold</b>"));
}

#[wasm_bindgen_test]
async fn broken_config_shows_nothing_and_reports_the_field() {
    let root = fresh_section();
    let broken = CONFIG.replace(r#""ru": "Маркетинг","#, "");
    let k = mount(&root, &broken, "kk").await;
    assert_eq!(root.child_element_count(), 0, "nothing half-translated is shown");
    assert_eq!(first_error(&k), "config: purposes[1].title: no \"ru\" text");
}

#[cfg(feature = "form")]
/// The Esperance config, with or without its IIN category (in dataCategories and every purpose).
fn esperance(with_iin: bool) -> String {
    use kelisim::json::Json;
    let mut json = Json::parse(include_str!("../www/consent/esperance.json")).unwrap();
    let Json::Object(root) = &mut json else { panic!("not an object") };
    for (key, value) in root.iter_mut() {
        let Json::Array(items) = value else { continue };
        match key.as_str() {
            "dataCategories" if !with_iin => {
                items.retain(|c| c.get("id").and_then(Json::as_str) != Some("iin"))
            }
            "purposes" if !with_iin => {
                for p in items.iter_mut() {
                    let Json::Object(members) = p else { continue };
                    for (k, v) in members.iter_mut() {
                        if let (true, Json::Array(data)) = (k == "data", v) {
                            data.retain(|d| d.as_str() != Some("iin"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    json.to_text()
}

#[cfg(feature = "form")]
#[wasm_bindgen_test]
async fn a_form_field_no_data_category_names_is_refused_in_the_browser() {
    let root = fresh_section();
    let k = mount(&root, &esperance(false), "kk").await;
    assert_eq!(root.child_element_count(), 0, "nothing is shown");
    let error = first_error(&k);
    assert!(error.starts_with("config: form.fields[3].kind: a field of kind \"iin\""), "{error}");

    let root = fresh_section();
    let _k = mount(&root, &esperance(true), "kk").await;
    assert!(root.child_element_count() > 0, "with its IIN category the Esperance notice shows");
}

#[wasm_bindgen_test]
async fn decision_event_carries_the_record() {
    let root = fresh_section();
    let k = mount(&root, CONFIG, "ru").await;
    let seen = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let sink = seen.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |r: JsValue| {
        sink.borrow_mut().push_str(&js_sys::JSON::stringify(&r).unwrap().as_string().unwrap());
    });
    k.on("decision", cb.as_ref().unchecked_ref::<js_sys::Function>().clone()).unwrap();
    click(&root, "button[data-k-act='accept-all']");
    let record = seen.borrow().clone();
    assert!(record.contains(r#""kind":"grant""#) && record.contains(r#""language":"ru""#), "{record}");
    let parsed = kelisim::record::ConsentRecord::from_json_text(&record).expect("the record is valid");
    assert_eq!(parsed.policy.text_sha256.len(), 64);
}

#[cfg(not(feature = "form"))]
#[wasm_bindgen_test]
async fn the_banner_build_refuses_a_config_that_binds_a_form() {
    let root = fresh_section();
    let with_form = CONFIG.replacen('{', r##"{ "form": { "selector": "#signup", "fields": [] },"##, 1);
    let k = mount(&root, &with_form, "kk").await;
    assert_eq!(root.child_element_count(), 0, "no notice without the form it belongs to");
    let error = first_error(&k);
    assert!(error.starts_with("config: form: this config binds a signup form"), "{error}");
}

#[wasm_bindgen_test]
async fn unmount_removes_the_banner() {
    let root = fresh_section();
    let k = mount(&root, CONFIG, "kk").await;
    assert!(root.child_element_count() > 0);
    k.unmount();
    assert_eq!(root.child_element_count(), 0);
}

#[cfg(feature = "form")]
#[wasm_bindgen_test]
async fn validate_field_gives_the_message_in_the_asked_language() {
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let v = kelisim::validate_field("iin", "910312400122", Some("ru".into())).unwrap();
    assert_eq!(get(&v, "valid").as_bool(), Some(false));
    assert_eq!(get(&v, "code").as_string().as_deref(), Some("iin.checkDigit"));
    assert_eq!(
        get(&v, "message").as_string().as_deref(),
        Some("Контрольная цифра не совпадает: проверьте 12 цифр ИИН.")
    );
    let v = kelisim::validate_field("phone", "8 (701) 234-56-78", None).unwrap();
    assert_eq!(get(&v, "normalized").as_string().as_deref(), Some("+77012345678"));
    assert!(kelisim::validate_field("passport", "x", None).is_err(), "an unknown kind throws");
}
