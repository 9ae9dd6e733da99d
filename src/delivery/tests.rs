//! Delivery as a visitor's browser lives it: stored first, sent once, retried, refused, shared
//! between tabs, with storage full or broken — all natively, on a store in memory.

use super::*;
use crate::json::Json;
use crate::outbox::Entry;

const EP: &str = "/v1/consents";

fn key(id: &str) -> String {
    [outbox::STORAGE_KEY, ":", EP, ":pending:", id].concat()
}

fn made(id: &str) -> Event {
    Event::Made { id: id.into(), body: ["{\"recordId\":\"", id, "\"}"].concat() }
}

fn posts(commands: &[Command]) -> Vec<&str> {
    commands
        .iter()
        .filter_map(|c| if let Command::Post { id, .. } = c { Some(id.as_str()) } else { None })
        .collect()
}

#[test]
fn a_record_is_stored_before_anything_is_sent() {
    let mut store = MemoryStore::default();
    let mut d = Delivery::new(EP);
    let out = d.handle(made("a"), &mut store, 1_000, 0);
    assert_eq!(out, [Command::RequestTurn]);
    let stored = Entry::from_json(&Json::parse(&store.get(&key("a")).unwrap()).unwrap()).unwrap();
    assert_eq!((stored.id.as_str(), stored.attempts, stored.made_at_ms), ("a", 0, 1_000));
}

#[test]
fn an_acknowledged_record_leaves_storage_before_the_turn_is_given_back() {
    let mut store = MemoryStore::default();
    let mut d = Delivery::new(EP);
    d.handle(made("a"), &mut store, 0, 0);
    let out = d.handle(Event::Turn, &mut store, 0, 0);
    assert_eq!(out, [Command::Post { id: "a".into(), body: "{\"recordId\":\"a\"}".into() }]);
    let out = d.handle(Event::Answered(Some(201)), &mut store, 5, 0);
    assert_eq!(out, [Command::EndTurn, Command::Delivered { id: "a".into(), status: 201 }]);
    assert!(store.keys().is_empty(), "removed only now, and before EndTurn");
}

#[test]
fn failures_are_retried_with_backoff_and_wake_makes_them_due_at_once() {
    let mut store = MemoryStore::default();
    let mut d = Delivery::new(EP);
    d.handle(made("a"), &mut store, 0, 0);
    d.handle(Event::Turn, &mut store, 0, 0);
    for status in [None, Some(503), Some(429), Some(408)] {
        let out = d.handle(Event::Answered(status), &mut store, 0, 0);
        assert_eq!(out[0], Command::EndTurn, "{status:?}");
        assert!(matches!(out[1], Command::WakeAfter(ms) if ms > 0), "{status:?}: {out:?}");
        assert!(store.get(&key("a")).is_some(), "kept for the next attempt");
        assert_eq!(d.handle(Event::Timer, &mut store, 0, 0), [Command::WakeAfter(out_wait(&out))]);
        assert_eq!(d.handle(Event::Wake, &mut store, 0, 0), [Command::RequestTurn], "back online: due now");
        assert_eq!(posts(&d.handle(Event::Turn, &mut store, 0, 0)), ["a"]);
    }
}

fn out_wait(out: &[Command]) -> i64 {
    out.iter().find_map(|c| if let Command::WakeAfter(ms) = c { Some(*ms) } else { None }).unwrap()
}

#[test]
fn a_refused_record_is_kept_aside_and_reported_never_dropped() {
    let mut store = MemoryStore::default();
    let mut d = Delivery::new(EP);
    d.handle(made("a"), &mut store, 0, 0);
    d.handle(Event::Turn, &mut store, 0, 0);
    let out = d.handle(Event::Answered(Some(400)), &mut store, 0, 0);
    assert_eq!(out[1], Command::Problem(Problem::Refused { id: "a".into(), status: 400 }));
    assert_eq!(Problem::Refused { id: "a".into(), status: 400 }.code().as_str(), "delivery");
    assert_eq!(store.keys(), [[outbox::STORAGE_KEY, ":", EP, ":rejected:a"].concat()]);
    assert!(d.pending(&mut store).0.is_empty());
}

#[test]
fn with_storage_full_the_record_lives_in_memory_is_reported_once_and_still_sent() {
    let mut store = MemoryStore::default();
    store.capacity = Some(10);
    let mut d = Delivery::new(EP);
    let out = d.handle(made("a"), &mut store, 0, 0);
    assert_eq!(out, [Command::Problem(Problem::StorageFailed), Command::RequestTurn]);
    let out = d.handle(made("b"), &mut store, 0, 0);
    assert!(!out.contains(&Command::Problem(Problem::StorageFailed)), "reported once: {out:?}");
    assert_eq!(d.pending(&mut store).0.len(), 2);
    assert_eq!(posts(&d.handle(Event::Turn, &mut store, 0, 0)), ["a"]);
    store.capacity = None;
    d.handle(Event::Answered(Some(503)), &mut store, 0, 0);
    assert!(
        store.get(&key("a")).is_some() && store.get(&key("b")).is_some(),
        "written once storage takes it"
    );
}

#[test]
fn with_storage_blocked_records_are_still_delivered_from_memory() {
    let mut store = MemoryStore::default();
    store.unavailable = true;
    let mut d = Delivery::new(EP);
    d.handle(made("a"), &mut store, 0, 0);
    assert_eq!(posts(&d.handle(Event::Turn, &mut store, 0, 0)), ["a"]);
    let out = d.handle(Event::Answered(Some(201)), &mut store, 0, 0);
    assert!(out.contains(&Command::Delivered { id: "a".into(), status: 201 }));
    assert!(d.pending(&mut store).0.is_empty());
}

#[test]
fn an_unreadable_entry_is_kept_aside_as_corrupt() {
    let mut store = MemoryStore::default();
    store.put(&key("zz"), "not json");
    let mut d = Delivery::new(EP);
    let (bodies, out) = d.pending(&mut store);
    assert!(bodies.is_empty());
    assert_eq!(out, [Command::Problem(Problem::Unreadable)]);
    assert_eq!(store.get(&[&key("zz"), ".corrupt"].concat()).as_deref(), Some("not json"));
    assert!(store.get(&key("zz")).is_none());
}

#[test]
fn flush_resolves_when_nothing_is_pending() {
    let mut store = MemoryStore::default();
    let mut d = Delivery::new(EP);
    assert_eq!(d.handle(Event::Flush, &mut store, 0, 0), [Command::Flushed]);
    d.handle(made("a"), &mut store, 0, 0);
    assert_eq!(d.handle(Event::Flush, &mut store, 0, 0), Vec::<Command>::new(), "already asked for the turn");
    d.handle(Event::Turn, &mut store, 0, 0);
    let out = d.handle(Event::Answered(Some(200)), &mut store, 0, 0);
    assert_eq!(out.last(), Some(&Command::Flushed));
}

#[test]
fn leaving_sends_everything_pending_once_more_and_removes_nothing() {
    let mut store = MemoryStore::default();
    let mut d = Delivery::new(EP);
    d.handle(made("a"), &mut store, 0, 0);
    d.handle(made("b"), &mut store, 1, 0);
    let out = d.handle(Event::Leaving, &mut store, 2, 0);
    assert_eq!(out.len(), 2);
    assert!(out.iter().all(|c| matches!(c, Command::PostBeforeLeaving { .. })));
    assert_eq!(store.keys().len(), 2);
}

#[test]
fn a_record_from_an_earlier_page_is_announced_by_the_tab_that_delivers_it() {
    let mut store = MemoryStore::default();
    let mut earlier = Delivery::new(EP);
    earlier.handle(made("old"), &mut store, 0, 0);
    let mut d = Delivery::new(EP);
    assert_eq!(d.handle(Event::Timer, &mut store, 0, 0), [Command::RequestTurn]);
    d.handle(Event::Turn, &mut store, 0, 0);
    let out = d.handle(Event::Answered(Some(201)), &mut store, 0, 0);
    assert!(out.contains(&Command::Delivered { id: "old".into(), status: 201 }), "{out:?}");
}

#[test]
fn a_tab_that_delivers_an_open_tabs_record_it_found_on_load_tells_the_maker() {
    let mut store = MemoryStore::default();
    let mut maker = Delivery::new(EP);
    maker.handle(made("r1"), &mut store, 0, 0);
    maker.handle(Event::Turn, &mut store, 0, 0);
    maker.handle(Event::Answered(None), &mut store, 0, 0);
    let mut later = Delivery::new(EP);
    later.handle(Event::Wake, &mut store, 0, 0);
    later.handle(Event::Turn, &mut store, 0, 0);
    let out = later.handle(Event::Answered(Some(201)), &mut store, 0, 0);
    assert!(out.contains(&Command::TellOtherTabs { id: "r1".into(), status: 201 }), "{out:?}");
    assert!(
        out.contains(&Command::Delivered { id: "r1".into(), status: 201 }),
        "it may be an earlier page's"
    );
    let heard = maker.handle(Event::DeliveredElsewhere { id: "r1".into(), status: 201 }, &mut store, 0, 0);
    assert_eq!(heard, [Command::Delivered { id: "r1".into(), status: 201 }], "the maker hears of its record");
}

#[test]
fn a_record_made_elsewhere_after_this_tab_looked_is_never_announced_here_however_late_delivery_starts() {
    let mut store = MemoryStore::default();
    let mut late = Delivery::new(EP);
    assert_eq!(late.handle(Event::Look, &mut store, 0, 0), [], "a look sends nothing");
    // Another open tab makes a record before this tab's delivery has started (a hidden tab paints,
    // and so starts delivering, late); then this tab makes its own and delivers both.
    let mut other = Delivery::new(EP);
    other.handle(Event::Look, &mut store, 0, 0);
    other.handle(made("theirs"), &mut store, 1, 0);
    late.handle(made("mine"), &mut store, 2, 0);
    let mut announced = Vec::new();
    for _ in 0..2 {
        late.handle(Event::Turn, &mut store, 3, 0);
        for c in late.handle(Event::Answered(Some(201)), &mut store, 3, 0) {
            if let Command::Delivered { id, .. } = c {
                announced.push(id);
            }
        }
    }
    assert_eq!(announced, ["mine"], "the other tab's record is the other tab's to announce");
    assert!(store.keys().is_empty(), "both delivered");
}

#[test]
fn leaving_sends_only_this_tabs_own_records() {
    let mut store = MemoryStore::default();
    let mut other = Delivery::new(EP);
    other.handle(Event::Timer, &mut store, 0, 0);
    let mut d = Delivery::new(EP);
    d.handle(Event::Timer, &mut store, 0, 0);
    other.handle(made("theirs"), &mut store, 0, 0);
    d.handle(made("mine"), &mut store, 0, 0);
    let out = d.handle(Event::Leaving, &mut store, 1, 0);
    assert_eq!(out, [Command::PostBeforeLeaving { body: "{\"recordId\":\"mine\"}".into() }]);
}

/// Two tabs of one site sharing storage and one lock that hands turns out in request order.
struct Site {
    tabs: [(Delivery, MemoryStore); 2],
    waiting: Vec<usize>,
    /// The tab holding the turn, and whether it has POSTed.
    holder: Option<(usize, bool)>,
    posted: Vec<String>,
    /// What each tab announced as delivered.
    delivered: [Vec<String>; 2],
    /// What each tab made.
    made: [Vec<String>; 2],
}

impl Site {
    fn new() -> Site {
        let shared = MemoryStore::default();
        let tabs = [(Delivery::new(EP), shared.other_tab()), (Delivery::new(EP), shared)];
        let none = || [Vec::new(), Vec::new()];
        let mut site = Site {
            tabs,
            waiting: Vec::new(),
            holder: None,
            posted: Vec::new(),
            delivered: none(),
            made: none(),
        };
        // Both pages load before either makes a record.
        for tab in 0..2 {
            site.feed(tab, Event::Timer);
        }
        site
    }

    /// Feeds `event` to `tab` and runs every command it leads to, lock hand-overs included.
    fn feed(&mut self, tab: usize, event: Event) {
        if let Event::Made { id, .. } = &event {
            self.made[tab].push(id.clone());
        }
        let (d, store) = &mut self.tabs[tab];
        let mut queue = vec![(tab, d.handle(event, store, 0, 0))];
        while let Some((t, commands)) = queue.pop() {
            for c in commands {
                match c {
                    Command::RequestTurn => self.waiting.push(t),
                    Command::Post { id, .. } => {
                        self.posted.push(id);
                        self.holder = Some((t, true));
                    }
                    Command::EndTurn => self.holder = None,
                    Command::Delivered { id, .. } => self.delivered[t].push(id),
                    Command::TellOtherTabs { id, status } => {
                        let other = 1 - t;
                        let (d, store) = &mut self.tabs[other];
                        queue.push((other, d.handle(Event::DeliveredElsewhere { id, status }, store, 0, 0)));
                    }
                    _ => {}
                }
            }
            if self.holder.is_none() && !self.waiting.is_empty() {
                let t = self.waiting.remove(0);
                self.holder = Some((t, false));
                let (d, store) = &mut self.tabs[t];
                queue.push((t, d.handle(Event::Turn, store, 0, 0)));
            }
        }
    }
}

/// Two tabs taking turns, events arriving in any order the lock allows: every record is POSTed
/// exactly once, and announced as delivered exactly once, by the tab that made it.
#[test]
fn two_tabs_taking_turns_post_each_record_once() {
    for seed in 1..=200u32 {
        let mut site = Site::new();
        let mut rng = seed.wrapping_mul(2_654_435_761);
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 17;
            rng ^= rng << 5;
            rng
        };
        let mut made_count = 0;
        for step in 0..400 {
            let tab = (next() % 2) as usize;
            let event = match (next() % 4, site.holder) {
                (0, _) if made_count < 12 => {
                    made_count += 1;
                    made(&["r", &step.to_string()].concat())
                }
                (1, _) => Event::Wake,
                (_, Some((t, true))) if t == tab => Event::Answered(Some(201)),
                _ => Event::Timer,
            };
            site.feed(tab, event);
        }
        while let Some((t, true)) = site.holder {
            site.feed(t, Event::Answered(Some(201)));
        }
        let mut unique = site.posted.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            site.posted.len(),
            "seed {seed}: a record was POSTed twice: {:?}",
            site.posted
        );
        for tab in 0..2 {
            let (mut made, mut delivered) = (site.made[tab].clone(), site.delivered[tab].clone());
            made.sort();
            delivered.sort();
            assert_eq!(delivered, made, "seed {seed}: tab {tab} hears of its own records, once each");
        }
        assert!(site.tabs[0].1.keys().is_empty(), "seed {seed}: nothing left pending");
    }
}
