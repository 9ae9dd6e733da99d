//! Delivery: the outbox kept in local storage, one POST at a time per site (a Web Lock keeps two
//! tabs from sending the same record at once), backoff timers, and a last send on `pagehide`.

use super::events::{call_all, error_value, Topic};
use super::instance::{emit_problems, Instance, Shared};
use super::{platform, transport};
use crate::outbox::{self, Outbox, Outcome};
use crate::prelude::*;
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

impl Instance {
    /// Loads the outbox from storage (one key per record), adds what only this tab holds, applies
    /// `f`, and writes back exactly the entries that changed. A record storage refuses stays in
    /// memory and is reported once; it is never dropped.
    pub(super) fn with_outbox<R>(&mut self, f: impl FnOnce(&mut Outbox) -> R) -> (R, Option<JsValue>) {
        // Generic only in this wrapper: the loading and storing are shared, not copied per caller.
        let (mut outbox, before, loaded) = self.load_outbox();
        let result = f(&mut outbox);
        let stored = self.store_outbox(&outbox, &before);
        (result, stored.or(loaded))
    }

    #[inline(never)]
    fn load_outbox(&mut self) -> (Outbox, Vec<(String, String)>, Option<JsValue>) {
        let mut problem = None;
        let prefix = &self.outbox_key;
        let stored = platform::stored_with_prefix(prefix).unwrap_or_default();
        let (mut outbox, unreadable) = Outbox::from_stored(prefix, &stored, |t| super::json::parse(t).ok());
        for key in unreadable {
            // Kept aside for inspection rather than overwritten or deleted.
            if let Some(value) = stored.iter().find(|(k, _)| *k == key).map(|(_, v)| v) {
                platform::save(&[&key, ".corrupt"].concat(), value);
            }
            platform::remove(&key);
            problem = Some(error_value("storage", "a stored record was unreadable; kept aside as .corrupt"));
        }
        // What storage holds now; anything else (this tab's unsaved records) is written again.
        let before = outbox.keyed(prefix).into_iter().map(|(k, e)| (k, e.to_text())).collect();
        for e in &self.memory.pending {
            if !outbox.pending.iter().any(|s| s.id == e.id) {
                outbox.pending.push(e.clone());
            }
        }
        for e in &self.memory.rejected {
            if !outbox.rejected.iter().any(|s| s.id == e.id) {
                outbox.rejected.push(e.clone());
            }
        }
        (outbox, before, problem)
    }

    #[inline(never)]
    fn store_outbox(&mut self, outbox: &Outbox, before: &[(String, String)]) -> Option<JsValue> {
        let mut unsaved = Outbox::default();
        let after = outbox.keyed(&self.outbox_key);
        for (key, entry) in &after {
            let text = entry.to_text();
            let unchanged = before.iter().any(|(k, t)| k == key && *t == text);
            if !unchanged && !platform::save(key, &text) {
                let rejected = outbox.rejected.iter().any(|e| e.id == entry.id);
                let list = if rejected { &mut unsaved.rejected } else { &mut unsaved.pending };
                list.push((*entry).clone());
            }
        }
        for (key, _) in before {
            if !after.iter().any(|(k, _)| k == key) {
                platform::remove(key);
            }
        }
        let failed = !unsaved.pending.is_empty() || !unsaved.rejected.is_empty();
        let problem = (failed && !self.storage_failed).then(|| {
            error_value("storage", "local storage is unavailable or full; records are kept in memory")
        });
        self.storage_failed = failed;
        self.memory = unsaved;
        problem
    }

    /// Makes every pending record due now (back online, page visible again, `flush()`), until the
    /// next failure puts them back on their backoff. Nothing is rewritten in storage.
    pub(super) fn hurry(&mut self) {
        self.hurried = true;
    }

    fn schedule(&mut self, wait_ms: i64) {
        if let Some(t) = self.timer.take() {
            platform::window().clear_timeout_with_handle(t);
        }
        if let Some(cb) = &self.timer_callback {
            let wait = wait_ms.clamp(0, i64::from(i32::MAX)) as i32;
            self.timer = platform::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), wait)
                .ok();
        }
    }
}

/// Delivers the next due record, if none is in flight; schedules a timer for later ones and
/// resolves `flush()` waiters once nothing is pending.
pub fn pump(shared: &Shared) {
    let next = next_due(shared);
    emit_problems(shared);
    let Some((entry, endpoint, lock)) = next else { return };
    let weak = Rc::downgrade(shared);
    transport::exclusively(&lock, move |release| {
        // While this tab waited for its turn, another may have delivered the record.
        let still_pending = weak.upgrade().is_some_and(|shared| {
            let mut inst = shared.borrow_mut();
            let (pending, problem) = inst.with_outbox(|o| o.pending.iter().any(|e| e.id == entry.id));
            inst.report(problem);
            if !pending {
                inst.in_flight = false;
            }
            pending
        });
        if !still_pending {
            release();
            if let Some(shared) = weak.upgrade() {
                pump(&shared);
            }
            return;
        }
        let body = entry.body.clone();
        transport::post(&endpoint, &body, move |status| {
            release();
            let Some(shared) = weak.upgrade() else { return };
            settle(&shared, &entry, status);
            pump(&shared);
        });
    });
}

fn next_due(shared: &Shared) -> Option<(outbox::Entry, String, String)> {
    let mut inst = shared.borrow_mut();
    if inst.in_flight || inst.banner.is_none() {
        return None;
    }
    let now = platform::now_ms();
    let cutoff = if inst.hurried { i64::MAX } else { now };
    let ((due, wait), problem) = inst.with_outbox(|o| {
        let wait = o.pending.iter().map(|e| e.next_at_ms - now).min();
        (o.due(cutoff).into_iter().next(), wait)
    });
    inst.report(problem);
    match (due, wait) {
        (Some(entry), _) => {
            inst.in_flight = true;
            let lock = ["kelisim.delivery.v1 ", &inst.endpoint].concat();
            Some((entry, inst.endpoint.clone(), lock))
        }
        (None, Some(wait)) => {
            inst.schedule(wait);
            None
        }
        (None, None) => {
            let waiters = core::mem::take(&mut inst.flush_waiters);
            drop(inst);
            call_all(&waiters, &JsValue::UNDEFINED);
            None
        }
    }
}

fn settle(shared: &Shared, entry: &outbox::Entry, status: Option<u16>) {
    let outcome = outbox::classify(status);
    let ack = {
        let mut inst = shared.borrow_mut();
        inst.in_flight = false;
        if outcome == Outcome::Retry {
            // Still failing: back to each record's backoff rather than a tight loop.
            inst.hurried = false;
        }
        let (_, problem) =
            inst.with_outbox(|o| o.settle(&entry.id, outcome, platform::now_ms(), platform::jitter()));
        inst.report(problem);
        match outcome {
            Outcome::Delivered => {
                let ack = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&ack, &"recordId".into(), &entry.id.as_str().into());
                let _ = js_sys::Reflect::set(&ack, &"status".into(), &JsValue::from(status.unwrap_or(0)));
                ack
            }
            Outcome::Rejected => {
                let mut code = String::new();
                crate::json::push_uint(&mut code, u64::from(status.unwrap_or(0)));
                let message =
                    ["the collector refused record ", &entry.id, " with HTTP ", &code, "; it is kept aside"]
                        .concat();
                inst.report(Some(error_value("delivery", &message)));
                return;
            }
            Outcome::Retry => return,
        }
    };
    let listeners = shared.borrow().emitter.listeners(Topic::Delivered);
    call_all(&listeners, &ack.into());
}

/// The page is going away: send every pending record now with `keepalive`, which outlives the
/// page. Nothing is removed here; whatever is not acknowledged goes again on the next load, and
/// the collector answers a repeat with 200.
pub fn send_all_before_leaving(shared: &Shared) {
    let (bodies, endpoint) = {
        let mut inst = shared.borrow_mut();
        if inst.banner.is_none() {
            return;
        }
        let (bodies, problem) =
            inst.with_outbox(|o| o.pending.iter().map(|e| e.body.clone()).collect::<Vec<_>>());
        inst.report(problem);
        (bodies, inst.endpoint.clone())
    };
    for body in bodies {
        transport::post(&endpoint, &body, |_| {});
    }
}
