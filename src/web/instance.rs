//! One mounted banner: performs the core's effects and feeds its delivery.

use super::delivery::feed;
use super::events::{call_all, error_value, Emitter, Listener, Topic};
#[cfg(feature = "form")]
use super::form;
use super::global::{Borrow, Global};
use super::{bridge, dom, focus, json, platform};
use crate::banner::{Banner, Effect, Layout, Msg, SavedDecision};
use crate::concat::concat;
use crate::config::Config;
use crate::delivery::{Delivery, Event};
use crate::error_code::ErrorCode;
use crate::json::Json;
use crate::lang::{negotiate, Lang, LanguageHints};
use crate::prelude::*;
use crate::record::{Channel, Context, Stamp};
use alloc::rc::{Rc, Weak};
use core::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Where the visitor's language choice is kept.
const LANG_KEY: &str = "kelisim.lang.v1";
/// Where the pseudonymous subject id of this browser is kept.
const SUBJECT_KEY: &str = "kelisim.subject.v1";

/// A mounted banner, shared between the JS object and its DOM and timer callbacks.
pub type Shared = Rc<RefCell<Instance>>;

/// What the page passed as the third argument of `mount`.
#[derive(Default)]
pub struct Options {
    /// Explicit language.
    pub lang: Option<String>,
    /// Subject reference to put in records (e.g. the logged-in customer's id).
    pub subject: Option<String>,
    /// A shop's tablet (`kiosk: true`), with the shop and consultant the page names.
    #[cfg(feature = "form")]
    pub kiosk: Option<crate::record::Kiosk>,
}

/// The state of one mount.
pub struct Instance {
    /// `None` when the config was refused: nothing is shown.
    pub banner: Option<Banner>,
    root: Element,
    /// Where records are POSTed.
    pub(super) endpoint: String,
    /// The core's delivery state for this mount.
    pub(super) delivery: Delivery,
    /// The POST a turn is waiting for, handed to the lock that holds the turn.
    pub(super) sending: Option<js_sys::Promise>,
    /// `flush()` promises waiting for the outbox to empty.
    pub(super) flush_waiters: Vec<js_sys::Function>,
    /// The pending timer and its callback: first the mount's own steps, then delivery's.
    pub(super) timer: Option<i32>,
    /// Which of them the callback takes next.
    pub(super) phase: Phase,
    pub(super) timer_callback: Option<Closure<dyn FnMut(web_sys::Event)>>,
    listeners: Vec<Listener>,
    #[cfg(feature = "form")]
    form: Option<form::Binding>,
    pub(super) problems: Vec<JsValue>,
    /// The page's `on(...)` callbacks.
    pub emitter: Emitter,
    /// The notice showing is a modal dialog.
    modal: bool,
    /// What had focus before the modal notice opened, focused again when it closes.
    return_focus: Option<Element>,
    /// Tells the site's other tabs which of their records this tab delivered.
    pub(super) channel: Option<web_sys::BroadcastChannel>,
}

/// How many banners this page has mounted: each gets its own prefix for element ids.
static MOUNTS: Global<Cell<u32>> = Global::new(Cell::new(0));

fn next_prefix() -> String {
    let n = MOUNTS.get() + 1;
    MOUNTS.set(n);
    let mut prefix = String::from("kelisim");
    crate::json::push_uint(&mut prefix, u64::from(n));
    prefix
}

fn subject_ref(options: &Options) -> String {
    if let Some(s) = options.subject.as_ref().filter(|s| !crate::json::read::is_blank(s)) {
        return s.clone();
    }
    if let Some(s) = platform::load(SUBJECT_KEY) {
        return s;
    }
    let fresh = platform::fresh_id();
    platform::save(SUBJECT_KEY, &fresh);
    fresh
}

/// Mounts a banner for `config` into `root`. A refused config shows nothing and is reported
/// through `on("error")` (replayed to the first subscriber).
pub fn mount(root: Element, config: Result<Json, String>, options: Options) -> Shared {
    let mut emitter = Emitter::default();
    let config = config.and_then(|json| Config::from_json(&json).map_err(|e| e.message()));
    let config = match config {
        Ok(c) => Some(c),
        Err(message) => {
            let e = error_value(ErrorCode::Config, &message);
            web_sys::console::error_1(&e);
            emitter.keep_if_unheard(&e);
            None
        }
    };
    let endpoint = config.as_ref().map(|c| c.endpoint.clone()).unwrap_or_default();
    // A kiosk is a shop's tablet: nothing on it is any one customer's.
    #[cfg(feature = "form")]
    let kiosk = options.kiosk.clone().or_else(|| {
        root.has_attribute("data-kelisim-kiosk").then(|| crate::record::Kiosk {
            shop: root.get_attribute("data-kelisim-shop").filter(|s| !s.is_empty()),
            consultant: root.get_attribute("data-kelisim-consultant").filter(|s| !s.is_empty()),
        })
    });
    #[cfg(feature = "form")]
    let keep = kiosk.is_none();
    #[cfg(not(feature = "form"))]
    let keep = true;
    let banner = config.map(|config| {
        let saved_lang = platform::load(LANG_KEY).filter(|_| keep);
        let document_lang = platform::document_lang();
        let browser = platform::browser_languages();
        let hints = LanguageHints {
            explicit: options.lang.as_deref(),
            saved: saved_lang.as_deref(),
            document: document_lang.as_deref(),
            browser: &browser,
        };
        let lang = negotiate(&hints, &config.languages, config.default_language);
        let saved = platform::load(&SavedDecision::storage_key(&config.policy.id))
            .and_then(|t| json::parse(&t).ok())
            .and_then(|j| SavedDecision::from_json(&j));
        let context = Context {
            subject_ref: if keep { subject_ref(&options) } else { String::new() },
            channel: if bridge::present() { Channel::Webview } else { Channel::Web },
            page: platform::page(),
            user_agent: platform::user_agent(),
            ..Context::default()
        };
        let mut banner = Banner::new(config, lang, saved, context, &next_prefix());
        banner.set_layout(Layout::from_attr(root.get_attribute("data-kelisim-layout").as_deref()));
        #[cfg(feature = "form")]
        if let Some(kiosk) = kiosk {
            banner.set_kiosk(kiosk);
        }
        banner
    });
    let shared = Rc::new(RefCell::new(Instance {
        banner,
        root: root.clone(),
        delivery: Delivery::new(&endpoint),
        endpoint,
        sending: None,
        flush_waiters: Vec::new(),
        timer: None,
        timer_callback: None,
        phase: Phase::Build,
        listeners: Vec::new(),
        #[cfg(feature = "form")]
        form: None,
        problems: Vec::new(),
        emitter,
        modal: false,
        return_focus: None,
        channel: None,
    }));
    if shared.read().banner.is_none() {
        return shared;
    }
    wire(&shared, &root);
    feed(&shared, Event::Look);
    // The notice is built in a task of its own, so reading the config and building the DOM are
    // two short tasks rather than one long one that blocks the page (measured by Lighthouse);
    // where the browser can run it before other waiting work (`scheduler.postTask`), it does.
    let inst = shared.read();
    let posted = inst.timer_callback.as_ref().is_some_and(|cb| platform::post_urgent_task(cb.as_ref()));
    drop(inst);
    if !posted {
        shared.write().schedule(0);
    }
    shared
}

/// What the timer callback does next: build the notice, wait for its first frame, then deliver.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// The notice has not been built yet.
    Build,
    /// The notice is built; delivery starts after its first frame has been painted.
    FirstFrame,
    /// The timer is delivery's.
    Deliver,
}

/// The timer callback: the first steps of a mount, then delivery's timer.
fn on_timer(shared: &Shared) {
    let mut inst = shared.write();
    inst.timer = None;
    match inst.phase {
        Phase::Build => {
            inst.phase = Phase::FirstFrame;
            // The signup form is bound here too, in the second task.
            #[cfg(feature = "form")]
            {
                drop(inst);
                bind_form(shared);
                inst = shared.write();
            }
            let built = inst.banner.as_ref().and_then(build);
            if let Some(cb) = &inst.timer_callback {
                let _ = platform::window().request_animation_frame(cb.as_ref().unchecked_ref());
            }
            drop(inst);
            if let Some(built) = built {
                show(shared, built);
                super::gate::announce(shared, true);
            }
        }
        Phase::FirstFrame => {
            inst.phase = Phase::Deliver;
            inst.schedule(0);
        }
        Phase::Deliver => {
            drop(inst);
            feed(shared, Event::Timer);
        }
    }
}

fn wire(shared: &Shared, root: &Element) {
    let weak = Rc::downgrade(shared);
    // On the document: an embed's placeholder, outside the notice, acts too.
    let on_click = {
        let weak = weak.clone();
        Listener::new(&platform::document(), "click", move |event| {
            let Some(shared) = weak.upgrade() else { return };
            let action = {
                let inst = shared.read();
                let prefix = inst.banner.as_ref().map(|b| b.id_prefix().to_owned()).unwrap_or_default();
                let action = dom::action_of(&event, &inst.root, &prefix);
                #[cfg(feature = "form")]
                if let Some(msg) =
                    action.as_deref().and_then(|a| super::confirm::typed_action(a, &inst.root, &prefix))
                {
                    drop(inst);
                    dispatch(&shared, msg);
                    return;
                }
                action
            };
            if let Some(msg) = action.and_then(|a| Msg::from_action(&a)) {
                dispatch(&shared, msg);
            }
        })
    };
    let wake = move |weak: Weak<RefCell<Instance>>| {
        move |_event: web_sys::Event| {
            if let Some(shared) = weak.upgrade() {
                if platform::document().visibility_state() == web_sys::VisibilityState::Visible {
                    feed(&shared, Event::Wake);
                }
            }
        }
    };
    let on_online = Listener::new(&platform::window(), "online", wake(weak.clone()));
    let on_leave = {
        let weak = weak.clone();
        Listener::new(&platform::window(), "pagehide", move |_| {
            if let Some(shared) = weak.upgrade() {
                feed(&shared, Event::Leaving);
            }
        })
    };
    let on_visible = Listener::new(&platform::document(), "visibilitychange", wake(weak.clone()));
    let on_key = {
        let weak = weak.clone();
        Listener::new(root, "keydown", move |event| {
            let (Some(shared), Some(key)) = (weak.upgrade(), event.dyn_ref::<web_sys::KeyboardEvent>())
            else {
                return;
            };
            match key.key().as_str() {
                "Escape" => {
                    dispatch(&shared, Msg::Escape);
                }
                #[cfg(feature = "form")]
                "Enter" => {
                    let msg = {
                        let inst = shared.read();
                        let prefix =
                            inst.banner.as_ref().map(|b| b.id_prefix().to_owned()).unwrap_or_default();
                        super::confirm::on_enter(&event, &inst.root, &prefix)
                    };
                    if let Some(msg) = msg {
                        dispatch(&shared, msg);
                    }
                }
                "Tab" => {
                    let (root, modal) = {
                        let inst = shared.read();
                        (inst.root.clone(), inst.modal)
                    };
                    let active = platform::document().active_element();
                    if modal && focus::wrap(&root, active, key.shift_key()) {
                        event.prevent_default();
                    }
                }
                _ => {}
            }
        })
    };
    // Focus that lands behind an open modal notice (a click on the page, a screen reader's jump)
    // comes back into it.
    let on_focus = {
        let weak = weak.clone();
        Listener::new(&platform::document(), "focusin", move |event| {
            let Some(shared) = weak.upgrade() else { return };
            let inst = shared.read();
            let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
            // Inside any modal notice (another mount's too) it stays.
            let in_a_dialog = target.is_some_and(|t| t.closest("[aria-modal]").ok().flatten().is_some());
            if inst.modal && !in_a_dialog {
                if let Some(dialog) = focus::dialog(&inst.root) {
                    drop(inst);
                    focus::focus(&dialog);
                }
            }
        })
    };
    let channel =
        web_sys::BroadcastChannel::new(&concat(&["kelisim.delivered.v1 ", &shared.read().endpoint])).ok();
    let on_told = channel.as_ref().map(|channel| {
        let weak = weak.clone();
        Listener::new(channel, "message", move |event| {
            let (Some(shared), Some(message)) = (weak.upgrade(), event.dyn_ref::<web_sys::MessageEvent>())
            else {
                return;
            };
            if let Some((id, status)) = super::delivery::read_ack(&message.data()) {
                feed(&shared, Event::DeliveredElsewhere { id, status });
            }
        })
    });
    // The same closure type as the event listeners' (the timer passes no event): one less
    // closure shape in the glue.
    let timer_callback = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        if let Some(shared) = weak.upgrade() {
            on_timer(&shared);
        }
    });
    let mut inst = shared.write();
    inst.listeners = vec![on_click, on_online, on_visible, on_leave, on_key, on_focus];
    if let Some(listener) = on_told {
        inst.listeners.push(listener);
    }
    inst.channel = channel;
    inst.timer_callback = Some(timer_callback);
}

/// Binds the config's signup form, if it names one: its valid submit records the decision.
#[cfg(feature = "form")]
fn bind_form(shared: &Shared) {
    let (spec, prefix) = {
        let inst = shared.read();
        let Some(b) = &inst.banner else { return };
        let Some(spec) = b.config().form.clone() else { return };
        (spec, b.id_prefix().to_owned())
    };
    let weak = Rc::downgrade(shared);
    let lang = {
        let weak = weak.clone();
        move || weak.upgrade().and_then(|s| language(&s)).unwrap_or(Lang::Kk)
    };
    let on_submit = move |event: &web_sys::Event, fields: &Rc<RefCell<form::Fields>>| {
        let Some(shared) = weak.upgrade() else { return };
        let lang = language(&shared).unwrap_or(Lang::Kk);
        // A submit kelisim itself makes after a confirmed withdrawal goes straight on.
        if core::mem::take(&mut fields.write().pass_next_submit) {
            return;
        }
        let checked = fields.write().check_all(lang);
        match checked {
            Err(first_invalid) => form::block(event, &first_invalid),
            Ok(subject) => {
                dispatch(&shared, Msg::SubmitForm(subject));
                // A withdrawal or an SMS code to confirm first: the form goes on only once it is.
                let confirming = shared.read().banner.as_ref().is_some_and(|b| {
                    matches!(b.mode(), crate::banner::Mode::Confirm { .. } | crate::banner::Mode::Sms(_))
                });
                if confirming {
                    event.prevent_default();
                    event.stop_propagation();
                }
            }
        }
    };
    match form::bind(&spec, &prefix, on_submit, lang) {
        Ok(binding) => {
            let mut inst = shared.write();
            if let Some(b) = inst.banner.as_mut() {
                b.bind_to_form();
            }
            inst.form = Some(binding);
        }
        Err(message) => shared.write().report(error_value(ErrorCode::Config, &message)),
    }
}

impl Instance {
    /// Queues a problem; [`emit_problems`] announces it once no borrow is held, since an
    /// `error` callback may call back into this instance.
    pub(super) fn report(&mut self, problem: JsValue) {
        self.problems.push(problem);
    }

    /// Removes the banner and stops listening; stored records stay for the next load (a turn
    /// this tab holds ends with its POST).
    pub fn unmount(&mut self) {
        self.listeners.clear();
        #[cfg(feature = "form")]
        {
            self.form = None;
        }
        if let Some(t) = self.timer.take() {
            platform::window().clear_timeout_with_handle(t);
        }
        self.timer_callback = None;
        if let Some(channel) = self.channel.take() {
            channel.close();
        }
        self.banner = None;
        self.root.set_text_content(None);
    }
}

/// Applies a message and performs its effects; returns the record made, if any.
pub fn dispatch(shared: &Shared, msg: Msg) -> Option<JsValue> {
    let mut made = Vec::new();
    // The DOM is touched only after the borrow ends: removing a focused node fires `focusout`
    // synchronously, and a listener (ours or the page's) may call back into this instance.
    let mut render = None;
    let mut submit_form = false;
    let mut relabel = false;
    #[cfg(feature = "form")]
    let mut extra = Vec::new();
    {
        let mut guard = shared.write();
        let inst = &mut *guard;
        let banner = inst.banner.as_mut()?;
        let effects = banner.update(msg, || Stamp {
            now_ms: platform::now_ms(),
            record_id: platform::fresh_id(),
            previous_record_id: None,
        });
        for effect in effects {
            match effect {
                Effect::Render => render = inst.banner.as_ref().and_then(build),
                Effect::SaveLanguage(lang) => {
                    platform::save(LANG_KEY, lang.code());
                    relabel = true;
                }
                Effect::SaveDecision(saved) => {
                    let key = inst.banner.as_ref().map(|b| SavedDecision::storage_key(&b.config().policy.id));
                    if !key.is_some_and(|k| platform::save(&k, &saved.to_text())) {
                        inst.report(error_value(
                            ErrorCode::Storage,
                            "the decision could not be kept in local storage",
                        ));
                    }
                }
                Effect::Deliver(record) => made.push((record.record_id.clone(), record.to_text())),
                Effect::SubmitForm => submit_form = true,
                #[cfg(feature = "form")]
                other => extra.push(other),
            }
        }
    }
    if let Some(built) = render {
        show(shared, built);
    }
    let mut last = None;
    for (id, body) in made {
        // Stored before it is announced; sent once this tab has the site's turn.
        feed(shared, Event::Made { id, body: body.clone() });
        let value = js_sys::JSON::parse(&body).unwrap_or(JsValue::NULL);
        bridge::hand_over(&value, &body);
        let listeners = shared.read().emitter.listeners(Topic::Decision);
        call_all(&listeners, &value);
        last = Some(value);
    }
    if relabel && last.is_none() {
        // The embeds' placeholders speak the notice's new language.
        super::gate::announce(shared, false);
    }
    if last.is_some() {
        super::gate::announce(shared, false);
        let state = shared.read().banner.as_ref().and_then(|b| b.saved()).map(SavedDecision::to_text);
        let state = state.and_then(|t| js_sys::JSON::parse(&t).ok()).unwrap_or(JsValue::NULL);
        let listeners = shared.read().emitter.listeners(Topic::Change);
        call_all(&listeners, &state);
    }
    emit_problems(shared);
    if submit_form {
        submit_bound_form(shared);
    }
    #[cfg(feature = "form")]
    {
        for effect in extra {
            match effect {
                Effect::Call(call, url, body) => super::confirm::call(shared, call, url, body),
                Effect::Print => super::confirm::print(),
                Effect::SaveReceipt(name) => super::confirm::save_receipt(&shared.read().root, &name),
                Effect::ClearForm { to_top } => clear_form(shared, to_top),
                _ => {}
            }
        }
        if last.is_some() {
            super::confirm::schedule_kiosk_reset(shared);
        }
    }
    last
}

/// Kiosk: the bound form is emptied and its messages cleared; for the next customer, the page goes
/// back to its top.
#[cfg(feature = "form")]
fn clear_form(shared: &Shared, to_top: bool) {
    let binding = shared.read().form.as_ref().map(|f| (f.fields.clone(), f.form.clone()));
    if let Some((fields, form)) = binding {
        if let Some(form) = form.dyn_ref::<web_sys::HtmlFormElement>() {
            form.reset();
        }
        fields.write().clear(language(shared).unwrap_or(Lang::Kk));
    }
    if to_top {
        platform::window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Sends the bound form on to the page's own handlers, once, without recording it again.
fn submit_bound_form(shared: &Shared) {
    #[cfg(feature = "form")]
    {
        let binding = shared.read().form.as_ref().map(|f| (f.fields.clone(), f.form.clone()));
        if let Some((fields, form)) = binding {
            fields.write().pass_next_submit = true;
            if let Some(form) = form.dyn_ref::<web_sys::HtmlFormElement>() {
                let _ = form.request_submit();
            }
            // Cleared whether or not the submit happened (an old browser without requestSubmit,
            // the browser's own field checks): the next submit is checked and recorded again.
            fields.write().pass_next_submit = false;
        }
    }
    #[cfg(not(feature = "form"))]
    let _ = shared;
}

/// Puts a built view in the page. A modal notice that opens takes focus (remembering where it
/// was); one that closes gives it back; otherwise focus stays on the same control.
fn show(shared: &Shared, built: dom::Detached) {
    let (root, was_modal, modal) = {
        let mut inst = shared.write();
        let modal = inst.banner.as_ref().is_some_and(Banner::is_modal);
        let was_modal = core::mem::replace(&mut inst.modal, modal);
        (inst.root.clone(), was_modal, modal)
    };
    if modal && !was_modal {
        let doc = platform::document();
        let active = doc.active_element().filter(|a| Some(a) != doc.body().as_deref());
        shared.write().return_focus = active;
    }
    built.replace(&root, modal == was_modal);
    if modal && !was_modal {
        if let Some(dialog) = focus::dialog(&root) {
            focus::focus(&dialog);
        }
    } else if was_modal && !modal {
        // The manage button that opened the notice was rebuilt meanwhile: the one with its id.
        let back = shared.write().return_focus.take().and_then(|e| match e.is_connected() {
            true => Some(e),
            false => platform::document().get_element_by_id(&e.id()).filter(|_| !e.id().is_empty()),
        });
        if let Some(el) = back {
            focus::focus(&el);
        }
    }
    #[cfg(feature = "form")]
    super::confirm::focus_input(&root);
    relabel_form(shared);
}

/// The banner's view built as detached nodes: safe while the banner is borrowed, since nothing in
/// the page changes until [`dom::Detached::replace`], which runs once the borrow has ended.
fn build(banner: &Banner) -> Option<dom::Detached> {
    let mut detached = dom::Detached::new()?;
    banner.render(&mut detached);
    Some(detached)
}

/// Shows the bound form's messages in the notice's language again.
fn relabel_form(shared: &Shared) {
    #[cfg(feature = "form")]
    {
        let fields = shared.read().form.as_ref().map(|f| f.fields.clone());
        if let (Some(fields), Some(lang)) = (fields, language(shared)) {
            fields.write().relabel(lang);
        }
    }
    #[cfg(not(feature = "form"))]
    let _ = shared;
}

/// Announces queued problems to `on("error")` subscribers (or keeps them for the first one).
pub fn emit_problems(shared: &Shared) {
    let (problems, listeners) = {
        let mut inst = shared.write();
        let mut problems = core::mem::take(&mut inst.problems);
        problems.retain(|p| inst.emitter.keep_if_unheard(p));
        (problems, inst.emitter.listeners(Topic::Error))
    };
    for p in problems {
        call_all(&listeners, &p);
    }
}

/// The language shown, if a banner is mounted.
pub fn language(shared: &Shared) -> Option<Lang> {
    shared.try_borrow().ok()?.banner.as_ref().map(Banner::language)
}
