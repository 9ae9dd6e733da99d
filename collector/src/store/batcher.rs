//! Group commit: appends from concurrent requests queue up for one writer thread, which commits
//! whatever has gathered in one durable transaction, so one fsync acknowledges many records.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::{Appended, Ledger, NewEntry, StoreError};

/// At most this many records share one commit.
const MAX_BATCH: usize = 256;

/// How many appends may wait for the writer before callers wait to queue.
const QUEUE: usize = 4096;

/// One queued append and where its outcome goes.
struct Job {
    entry: NewEntry,
    reply: oneshot::Sender<Result<Appended, StoreError>>,
}

/// The front of the writer thread. Dropping every clone lets the thread finish the queue and stop.
#[derive(Clone)]
pub struct Batcher {
    queue: mpsc::Sender<Job>,
}

/// The writer thread itself: it ends once every [`Batcher`] is dropped and the queue is committed.
#[must_use = "wait for the writer, or queued records may not be committed before the process exits"]
pub struct WriterThread(std::thread::JoinHandle<()>);

impl WriterThread {
    /// Waits up to `deadline` for the writer to commit what is queued and stop; whether it did.
    pub fn wait(self, deadline: std::time::Duration) -> bool {
        let until = std::time::Instant::now() + deadline;
        while !self.0.is_finished() {
            if std::time::Instant::now() >= until {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        self.0.join().is_ok()
    }
}

impl Batcher {
    /// Starts the writer thread for `ledger`; `clock` gives each row's `receivedAt`.
    pub fn start(ledger: Arc<dyn Ledger>, clock: fn() -> String) -> std::io::Result<(Batcher, WriterThread)> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || write_loop(&*ledger, jobs, clock))?;
        Ok((Batcher { queue }, WriterThread(thread)))
    }

    /// Appends `entry`; resolves after the commit that holds it.
    pub async fn append(&self, entry: NewEntry) -> Result<Appended, StoreError> {
        let (reply, outcome) = oneshot::channel();
        let stopped = || StoreError("the ledger writer has stopped".into());
        self.queue.send(Job { entry, reply }).await.map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}

/// Takes what has queued (up to [`MAX_BATCH`]), commits it at once, answers each caller.
fn write_loop(ledger: &dyn Ledger, mut jobs: mpsc::Receiver<Job>, clock: fn() -> String) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (entries, replies): (Vec<NewEntry>, Vec<_>) = batch.drain(..).map(|j| (j.entry, j.reply)).unzip();
        let outcomes = commit_each(ledger, &entries, clock);
        for (reply, outcome) in replies.into_iter().zip(outcomes) {
            let _ = reply.send(outcome);
        }
    }
}

/// The outcome for each of `entries`: one commit for all of them, or, if the database refuses that,
/// one commit each, so that a record the database cannot take fails alone.
fn commit_each(
    ledger: &dyn Ledger,
    entries: &[NewEntry],
    clock: fn() -> String,
) -> Vec<Result<Appended, StoreError>> {
    match commit(ledger, entries, clock) {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(e) if entries.len() == 1 => vec![Err(e)],
        Err(_) => entries.chunks(1).map(|one| commit(ledger, one, clock).map(|mut o| o.remove(0))).collect(),
    }
}

/// One durable commit of `entries`, with an outcome for each.
fn commit(
    ledger: &dyn Ledger,
    entries: &[NewEntry],
    clock: fn() -> String,
) -> Result<Vec<Appended>, StoreError> {
    match ledger.append_batch(entries, &clock) {
        Ok(outcomes) if outcomes.len() == entries.len() => Ok(outcomes),
        Ok(_) => Err(StoreError("the ledger answered a batch incompletely".into())),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::super::suite::{self, entry};
    use super::super::{Entry, Range, Verdict};
    use super::*;

    /// A ledger whose database refuses any batch holding entry 13, as Postgres refuses text it
    /// cannot store.
    struct Picky;

    impl Ledger for Picky {
        fn append_batch(
            &self,
            batch: &[NewEntry],
            clock: &dyn Fn() -> String,
        ) -> Result<Vec<Appended>, StoreError> {
            if batch.iter().any(|e| e.record_id == entry(13).record_id) {
                return Err(StoreError("invalid byte sequence".into()));
            }
            Ok(batch
                .iter()
                .map(|e| {
                    let hash = "0".repeat(64);
                    let received_at = clock();
                    let (text_check, body) = (e.text_check.as_str().to_owned(), e.body.clone());
                    Appended::Stored(Entry {
                        seq: 1,
                        received_at,
                        text_check,
                        decision_check: "consistent".into(),
                        decision_findings: "[]".into(),
                        body,
                        prev_hash: hash.clone(),
                        hash,
                        ..Entry::default()
                    })
                })
                .collect())
        }
        fn get(&self, _: &str) -> Result<Option<Entry>, StoreError> {
            Ok(None)
        }
        fn subject(&self, _: &str) -> Result<Vec<Entry>, StoreError> {
            Ok(Vec::new())
        }
        fn range(&self, _: &Range) -> Result<Vec<Entry>, StoreError> {
            Ok(Vec::new())
        }
        fn verify(&self) -> Result<Verdict, StoreError> {
            Ok(Verdict::Intact { records: 0 })
        }
        fn ping(&self) -> Result<(), StoreError> {
            Ok(())
        }
        fn tallies(
            &self,
            _: &crate::store::tallies::Query,
        ) -> Result<Vec<crate::store::tallies::Tally>, StoreError> {
            Ok(Vec::new())
        }
        fn by_receipt(&self, _: &str) -> Result<Vec<Entry>, StoreError> {
            Ok(Vec::new())
        }
    }

    impl super::super::Confirmations for Picky {
        fn open_confirmation(
            &self,
            _: &super::super::Confirmation,
            _: &[crate::confirm::limits::Window],
        ) -> Result<super::super::Opened, StoreError> {
            Ok(super::super::Opened::Created)
        }
        fn set_sent(&self, _: &str, _: bool) -> Result<(), StoreError> {
            Ok(())
        }
        fn confirmation(&self, _: &str) -> Result<Option<super::super::Confirmation>, StoreError> {
            Ok(None)
        }
        fn attempt(
            &self,
            _: &str,
            _: &(dyn Fn(&super::super::Confirmation) -> crate::confirm::attempt::Judged + Sync),
        ) -> Result<Option<crate::confirm::attempt::Judged>, StoreError> {
            Ok(None)
        }
        fn take_receipt(&self, _: &str, _: u32) -> Result<bool, StoreError> {
            Ok(false)
        }
    }

    #[test]
    fn a_record_the_database_refuses_fails_alone_not_with_its_batch() {
        let batch: Vec<NewEntry> = (10..20).map(entry).collect();
        let outcomes = commit_each(&Picky, &batch, suite::at);
        let failed: Vec<usize> =
            outcomes.iter().enumerate().filter(|(_, o)| o.is_err()).map(|(i, _)| i).collect();
        assert_eq!(failed, [3], "only entry 13 fails");
        assert!(commit_each(&Picky, &batch[..3], suite::at).iter().all(Result::is_ok));
    }

    #[test]
    fn appends_through_the_writer_thread_resolve_after_their_commit() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let (batcher, thread) = Batcher::start(Arc::new(Picky), suite::at).unwrap();
        let (good, bad) =
            runtime.block_on(async { (batcher.append(entry(1)).await, batcher.append(entry(13)).await) });
        assert!(matches!(good, Ok(Appended::Stored(_))));
        assert_eq!(bad.unwrap_err().0, "invalid byte sequence");
        drop(batcher);
        assert!(thread.wait(std::time::Duration::from_secs(5)), "the writer stops once no batcher is left");
    }
}
