//! Where the outbox lives: the browser's local storage in the shell, memory in tests.

use crate::json::Json;
use crate::prelude::*;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use core::cell::RefCell;

/// A synchronous key-value store shared by every tab of a site (local storage).
pub trait Store {
    /// Every `(key, value)` whose key starts with `prefix`; `None` if the store is unavailable.
    fn entries(&self, prefix: &str) -> Option<Vec<(String, String)>>;
    /// Stores a value; false if the store is unavailable or full.
    fn save(&mut self, key: &str, value: &str) -> bool;
    /// Removes a key.
    fn remove(&mut self, key: &str);
    /// Reads a stored JSON text with the platform's parser.
    fn parse(&self, text: &str) -> Option<Json>;
}

/// A store in memory that several simulated tabs can share, with a size limit to play "full".
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    map: Rc<RefCell<BTreeMap<String, String>>>,
    /// Refuse writes once the values would hold more than this many bytes (`None`: no limit).
    pub capacity: Option<usize>,
    /// When false, the store behaves as blocked storage: nothing is read or kept.
    pub unavailable: bool,
}

impl MemoryStore {
    /// Another handle on the same storage, as a second tab of the site would have.
    pub fn other_tab(&self) -> MemoryStore {
        MemoryStore { map: self.map.clone(), capacity: self.capacity, unavailable: self.unavailable }
    }

    /// Sets a value directly, as another program would.
    pub fn put(&self, key: &str, value: &str) {
        self.map.borrow_mut().insert(key.to_owned(), value.to_owned());
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.map.borrow().get(key).cloned()
    }

    /// Every key, in order.
    pub fn keys(&self) -> Vec<String> {
        self.map.borrow().keys().cloned().collect()
    }
}

impl Store for MemoryStore {
    fn entries(&self, prefix: &str) -> Option<Vec<(String, String)>> {
        if self.unavailable {
            return None;
        }
        let map = self.map.borrow();
        Some(map.iter().filter(|(k, _)| k.starts_with(prefix)).map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    fn save(&mut self, key: &str, value: &str) -> bool {
        if self.unavailable {
            return false;
        }
        let mut map = self.map.borrow_mut();
        let used: usize = map.iter().filter(|(k, _)| *k != key).map(|(_, v)| v.len()).sum();
        if self.capacity.is_some_and(|c| used + value.len() > c) {
            return false;
        }
        map.insert(key.to_owned(), value.to_owned());
        true
    }

    fn remove(&mut self, key: &str) {
        if !self.unavailable {
            self.map.borrow_mut().remove(key);
        }
    }

    fn parse(&self, text: &str) -> Option<Json> {
        Json::parse(text).ok()
    }
}
