//! Connection slots: how many connections are open in total and per client, and whether one more
//! may be.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::client::client_of;

/// Why a connection was refused a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Full {
    /// The collector holds `--max-connections` connections.
    Total,
    /// This client holds `--max-connections-per-client` connections.
    Client,
}

/// The open-connection counts, shared by the accept loop and the connections' slots.
#[derive(Debug)]
pub struct Slots {
    max_total: usize,
    /// 0: no per-client limit.
    max_per_client: usize,
    counts: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    by_client: HashMap<IpAddr, usize>,
}

/// One open connection's slot, given back on drop.
#[must_use = "the slot is given back when this is dropped"]
#[derive(Debug)]
pub struct Slot {
    slots: Arc<Slots>,
    client: IpAddr,
}

impl Slots {
    /// At most `max_total` connections, and `max_per_client` per client (0: any number).
    pub fn new(max_total: usize, max_per_client: usize) -> Arc<Slots> {
        Arc::new(Slots { max_total, max_per_client, counts: Mutex::default() })
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A slot for a connection from `peer`, or why there is none.
    pub fn take(self: &Arc<Slots>, peer: IpAddr) -> Result<Slot, Full> {
        let client = client_of(peer);
        let mut counts = self.counts();
        if counts.total >= self.max_total {
            return Err(Full::Total);
        }
        let held = counts.by_client.get(&client).copied().unwrap_or(0);
        if self.max_per_client > 0 && held >= self.max_per_client {
            return Err(Full::Client);
        }
        counts.total += 1;
        counts.by_client.insert(client, held + 1);
        Ok(Slot { slots: Arc::clone(self), client })
    }

    /// How many connections are open.
    pub fn open(&self) -> usize {
        self.counts().total
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.slots.counts();
        counts.total = counts.total.saturating_sub(1);
        if let Some(held) = counts.by_client.get_mut(&self.client) {
            *held -= 1;
            if *held == 0 {
                counts.by_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn a_client_gets_its_share_and_a_slot_given_back_can_be_taken_again() {
        let slots = Slots::new(10, 2);
        let (a1, _a2) = (slots.take(A).unwrap(), slots.take(A).unwrap());
        assert_eq!(slots.take(A).unwrap_err(), Full::Client);
        let _b = slots.take(B).expect("another client has its own share");
        drop(a1);
        let _a3 = slots.take(A).expect("a slot given back");
        assert_eq!(slots.open(), 3);
    }

    #[test]
    fn the_total_caps_every_client_together() {
        let slots = Slots::new(3, 0);
        let held: Vec<Slot> = (0..3).map(|_| slots.take(A).unwrap()).collect();
        assert_eq!(slots.take(B).unwrap_err(), Full::Total);
        drop(held);
        assert_eq!(slots.open(), 0);
        assert!(slots.take(B).is_ok());
    }

    #[test]
    fn one_ipv6_host_counts_as_one_client_across_its_64() {
        let slots = Slots::new(10, 1);
        let _first = slots.take("2a03:32c0::7:0:0:0:1".parse().unwrap()).unwrap();
        assert_eq!(slots.take("2a03:32c0::7:0:0:0:2".parse().unwrap()).unwrap_err(), Full::Client);
    }
}
