//! Delivery as a state machine without I/O: events in (a record made, the turn to send, an
//! answer, a timer), commands out (ask for the turn, POST, end the turn, wake me later, announce).
//!
//! Storage is the one thing it touches directly, through [`Store`], because a browser's local
//! storage answers at once: the outbox is re-read from it at every step (other tabs of the site
//! write there too), changed entries are written back before any command goes out, and a record
//! storage refuses is kept in memory and reported, never dropped.

mod store;

pub use store::{MemoryStore, Store};

use crate::concat::concat;
use crate::error_code::ErrorCode;
use crate::outbox::{self, Entry, Outbox, Outcome};
use crate::prelude::*;

/// Something the shell must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Wait for this site's turn to send (a lock all its tabs share), then feed [`Event::Turn`].
    RequestTurn,
    /// POST `body` to the endpoint, then feed [`Event::Answered`].
    Post {
        /// The record id.
        id: String,
        /// The exact body.
        body: String,
    },
    /// Give the turn back (after the answer has been written to storage).
    EndTurn,
    /// POST `body` once more, not awaited: the page is going away (`keepalive`).
    PostBeforeLeaving {
        /// The exact body.
        body: String,
    },
    /// Feed [`Event::Timer`] after this many milliseconds, replacing any earlier timer.
    WakeAfter(i64),
    /// Nothing is pending: resolve every `flush()`.
    Flushed,
    /// The backend stored this record: announce `delivered` in this tab.
    Delivered {
        /// The record id.
        id: String,
        /// The HTTP status of the answer.
        status: u16,
    },
    /// This tab delivered a record another tab made: tell the other tabs of the site, so the one
    /// that made it announces it (feed them [`Event::DeliveredElsewhere`]).
    TellOtherTabs {
        /// The record id.
        id: String,
        /// The HTTP status of the answer.
        status: u16,
    },
    /// Announce an `error`.
    Problem(Problem),
}

/// A delivery or storage problem the page hears about through `on("error")`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A stored entry could not be read; it was kept aside under `<key>.corrupt`.
    Unreadable,
    /// Storage is unavailable or full; records live on in memory.
    StorageFailed,
    /// The backend refused a record for good; it is kept in the `rejected` list.
    Refused {
        /// The record id.
        id: String,
        /// The HTTP status.
        status: u16,
    },
}

impl Problem {
    /// The error code the page sees.
    pub fn code(&self) -> ErrorCode {
        match self {
            Problem::Unreadable | Problem::StorageFailed => ErrorCode::Storage,
            Problem::Refused { .. } => ErrorCode::Delivery,
        }
    }

    /// What happened, for the page's developer.
    pub fn message(&self) -> String {
        match self {
            Problem::Unreadable => "a stored record was unreadable; kept aside as .corrupt".into(),
            Problem::StorageFailed => {
                "local storage is unavailable or full; records are kept in memory".into()
            }
            Problem::Refused { id, status } => {
                let mut code = String::new();
                crate::json::push_uint(&mut code, u64::from(*status));
                concat(&["the collector refused record ", id, " with HTTP ", &code, "; it is kept aside"])
            }
        }
    }
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The page has just mounted the notice: note which records are already pending — an
    /// earlier page's, or another open tab's — before this tab can make any, so none made later
    /// elsewhere is taken for one of them however late delivery starts (a hidden tab paints late).
    Look,
    /// A record was made: store it, then deliver it.
    Made {
        /// The record id.
        id: String,
        /// Its JSON body, sent byte for byte on every attempt.
        body: String,
    },
    /// Back online, or the page is visible again: everything pending is due now.
    Wake,
    /// The page asked `flush()`: everything pending is due now, and [`Command::Flushed`] follows
    /// once nothing is.
    Flush,
    /// The timer asked for by [`Command::WakeAfter`] went off.
    Timer,
    /// This tab has the turn asked for by [`Command::RequestTurn`].
    Turn,
    /// The POST of [`Command::Post`] was answered (`None`: a network failure or a timeout).
    Answered(Option<u16>),
    /// The page is going away.
    Leaving,
    /// Another tab of the site delivered this record.
    DeliveredElsewhere {
        /// The record id.
        id: String,
        /// The HTTP status of the answer.
        status: u16,
    },
}

/// The delivery of one endpoint's records from one tab.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// Storage keys of this endpoint's entries start with this.
    prefix: String,
    /// Entries storage refused to keep; written again at every step.
    memory: Outbox,
    storage_failed: bool,
    /// The record this tab has asked the turn for, or is sending.
    sending: Option<String>,
    /// Every pending record is due now, whatever its backoff, until a failure.
    hurried: bool,
    /// A `flush()` waits for the outbox to empty.
    flush_waiting: bool,
    /// Records this tab made and has not yet announced as delivered.
    made_here: Vec<String>,
    /// Records already pending when this tab first looked: an earlier page's, or a tab's still
    /// open. Whichever tab delivers one announces it, and tells the others.
    inherited: Option<Vec<String>>,
}

impl Delivery {
    /// Delivery of the records for `endpoint`.
    pub fn new(endpoint: &str) -> Delivery {
        Delivery {
            prefix: concat(&[outbox::STORAGE_KEY, ":", endpoint]),
            memory: Outbox::default(),
            storage_failed: false,
            sending: None,
            hurried: false,
            flush_waiting: false,
            made_here: Vec::new(),
            inherited: None,
        }
    }

    /// Takes `id` off this tab's list of records to announce; true if it was on it.
    fn announce_here(&mut self, id: &str) -> bool {
        let Some(i) = self.made_here.iter().position(|m| m == id) else { return false };
        self.made_here.swap_remove(i);
        true
    }

    /// Applies `event` at `now_ms` (`jitter`: any u16, for retry backoff) and says what to do.
    pub fn handle(&mut self, event: Event, store: &mut dyn Store, now_ms: i64, jitter: u16) -> Vec<Command> {
        let mut out = Vec::new();
        match event {
            Event::Look => {
                if self.inherited.is_none() {
                    self.load(store, &mut out);
                }
                return out;
            }
            Event::Made { id, body } => {
                self.made_here.push(id.clone());
                self.with_outbox(store, &mut out, |o| o.push(&id, body, now_ms));
            }
            Event::DeliveredElsewhere { id, status } => {
                if self.announce_here(&id) {
                    out.push(Command::Delivered { id, status });
                }
                return out;
            }
            Event::Wake => self.hurried = true,
            Event::Flush => {
                self.hurried = true;
                self.flush_waiting = true;
            }
            Event::Timer => {}
            Event::Turn => {
                let Some(id) = self.sending.clone() else {
                    out.push(Command::EndTurn);
                    return out;
                };
                // While this tab waited for its turn, another may have delivered the record.
                let entry =
                    self.with_outbox(store, &mut out, |o| o.pending.iter().find(|e| e.id == id).cloned());
                match entry {
                    Some(e) => {
                        out.push(Command::Post { id: e.id, body: e.body });
                        return out;
                    }
                    None => {
                        self.sending = None;
                        out.push(Command::EndTurn);
                    }
                }
            }
            Event::Answered(status) => {
                let Some(id) = self.sending.take() else { return out };
                let outcome = outbox::classify(status);
                if outcome == Outcome::Retry {
                    // Still failing: back to each record's backoff rather than a tight loop.
                    self.hurried = false;
                }
                self.with_outbox(store, &mut out, |o| o.settle(&id, outcome, now_ms, jitter));
                // Written first, then the turn is given back: the next tab sees it settled.
                out.push(Command::EndTurn);
                let status = status.unwrap_or(0);
                match outcome {
                    Outcome::Delivered => {
                        // A record pending before this tab first looked may be an earlier page's
                        // (announced here) or an open tab's (which hears it when told).
                        let inherited = self.inherited.as_ref().is_some_and(|ids| ids.contains(&id));
                        let mine = self.announce_here(&id);
                        if !mine {
                            out.push(Command::TellOtherTabs { id: id.clone(), status });
                        }
                        if mine || inherited {
                            out.push(Command::Delivered { id, status });
                        }
                    }
                    Outcome::Rejected => out.push(Command::Problem(Problem::Refused { id, status })),
                    Outcome::Retry => {}
                }
            }
            Event::Leaving => {
                // Only this tab's own records: the other tabs of the site are still there to send
                // theirs, and a record sent by two tabs at once is sent twice.
                let (outbox, _) = self.load(store, &mut out);
                for e in &outbox.pending {
                    if self.made_here.contains(&e.id) {
                        out.push(Command::PostBeforeLeaving { body: e.body.clone() });
                    }
                }
                return out;
            }
        }
        self.next(store, now_ms, &mut out);
        out
    }

    /// The bodies of the records not yet acknowledged (and any problem reading them).
    pub fn pending(&mut self, store: &mut dyn Store) -> (Vec<String>, Vec<Command>) {
        let mut out = Vec::new();
        let bodies = self.with_outbox(store, &mut out, |o| o.bodies());
        (bodies, out)
    }

    /// Asks for the turn to send the next due record, or for a timer until one is due, or says
    /// that nothing is pending.
    fn next(&mut self, store: &mut dyn Store, now_ms: i64, out: &mut Vec<Command>) {
        if self.sending.is_some() {
            return;
        }
        let cutoff = if self.hurried { i64::MAX } else { now_ms };
        let (due, soonest) = self.with_outbox(store, out, |o| o.next_due(cutoff));
        match (due, soonest) {
            (Some(id), _) => {
                self.sending = Some(id);
                out.push(Command::RequestTurn);
            }
            (None, Some(at)) => out.push(Command::WakeAfter((at - now_ms).max(0))),
            (None, None) => {
                if core::mem::take(&mut self.flush_waiting) {
                    out.push(Command::Flushed);
                }
            }
        }
    }

    /// Loads the outbox from storage, adds what only this tab holds, applies `f`, and writes back
    /// exactly the entries that changed. Unreadable entries are set aside under `.corrupt`.
    fn with_outbox<R>(
        &mut self,
        store: &mut dyn Store,
        out: &mut Vec<Command>,
        f: impl FnOnce(&mut Outbox) -> R,
    ) -> R {
        let (mut outbox, before) = self.load(store, out);
        let result = f(&mut outbox);
        self.save(store, &outbox, &before, out);
        result
    }

    #[inline(never)]
    fn load(&mut self, store: &mut dyn Store, out: &mut Vec<Command>) -> (Outbox, Vec<(String, String)>) {
        let stored = store.entries(&self.prefix).unwrap_or_default();
        let (mut outbox, unreadable) = Outbox::from_stored(&self.prefix, &stored, |t| store.parse(t));
        if self.inherited.is_none() {
            let mut ids = Vec::new();
            for e in &outbox.pending {
                ids.push(e.id.clone());
            }
            self.inherited = Some(ids);
        }
        for key in unreadable {
            // Kept aside for inspection rather than overwritten or deleted.
            if let Some((_, value)) = stored.iter().find(|(k, _)| *k == key) {
                store.save(&concat(&[&key, ".corrupt"]), value);
            }
            store.remove(&key);
            out.push(Command::Problem(Problem::Unreadable));
        }
        // What storage holds now; this tab's unsaved records are added and written again.
        let mut before = Vec::new();
        for (key, entry) in outbox.keyed(&self.prefix) {
            before.push((key, entry.to_text()));
        }
        for (mine, theirs) in
            [(&self.memory.pending, &mut outbox.pending), (&self.memory.rejected, &mut outbox.rejected)]
        {
            for e in mine {
                if !theirs.iter().any(|s| s.id == e.id) {
                    theirs.push(e.clone());
                }
            }
        }
        (outbox, before)
    }

    #[inline(never)]
    fn save(
        &mut self,
        store: &mut dyn Store,
        outbox: &Outbox,
        before: &[(String, String)],
        out: &mut Vec<Command>,
    ) {
        let mut unsaved = Outbox::default();
        let after = outbox.keyed(&self.prefix);
        for (key, entry) in &after {
            let text = entry.to_text();
            let unchanged = before.iter().any(|(k, t)| k == key && *t == text);
            if !unchanged && !store.save(key, &text) {
                let rejected = outbox.rejected.iter().any(|e| e.id == entry.id);
                let list = if rejected { &mut unsaved.rejected } else { &mut unsaved.pending };
                list.push(Entry::clone(entry));
            }
        }
        for (key, _) in before {
            if !after.iter().any(|(k, _)| k == key) {
                store.remove(key);
            }
        }
        let failed = !unsaved.pending.is_empty() || !unsaved.rejected.is_empty();
        if failed && !self.storage_failed {
            out.push(Command::Problem(Problem::StorageFailed));
        }
        self.storage_failed = failed;
        self.memory = unsaved;
    }
}

#[cfg(test)]
mod tests;
