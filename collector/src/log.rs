//! Operational notes on stderr through `tracing`: never personal data (no record bodies, subject
//! refs, queries or tokens), and notes that can repeat under attack are throttled to one a second.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tracing::level_filters::LevelFilter;

/// Sends `tracing` events at `level` and above to stderr, one line each, without colours.
pub fn init(level: LevelFilter) {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .with_ansi(false)
        .try_init();
}

/// How often one kind of repeating note is written at most.
const EVERY: Duration = Duration::from_secs(1);

/// Notes that may repeat many times a second (a refused connection, a timed-out client): the
/// first is written, and those in the next second are counted into the one after.
#[derive(Debug, Default)]
pub struct Throttled {
    kinds: Mutex<HashMap<&'static str, (Instant, u64)>>,
}

impl Throttled {
    /// Writes `message()` as a warning unless a note of this `kind` was written less than a second
    /// ago, in which case it is only counted.
    pub fn warn(&self, kind: &'static str, message: impl FnOnce() -> String) {
        let now = Instant::now();
        let mut kinds = self.kinds.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (last, suppressed) = kinds.entry(kind).or_insert((now - EVERY, 0));
        if now.duration_since(*last) < EVERY {
            *suppressed += 1;
            return;
        }
        let more = match std::mem::take(suppressed) {
            0 => String::new(),
            n => {
                format!(" ({n} more like this in the last {:.0} s)", now.duration_since(*last).as_secs_f64())
            }
        };
        *last = now;
        drop(kinds);
        tracing::warn!("{}{more}", message());
    }
}
