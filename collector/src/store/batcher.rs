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

impl Batcher {
    /// Starts the writer thread for `ledger`; `clock` gives each row's `receivedAt`.
    pub fn start(ledger: Arc<dyn Ledger>, clock: fn() -> String) -> std::io::Result<Batcher> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || write_loop(&*ledger, jobs, clock))?;
        Ok(Batcher { queue })
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
        let outcomes = match ledger.append_batch(&entries, &clock) {
            Ok(outcomes) if outcomes.len() == replies.len() => outcomes.into_iter().map(Ok).collect(),
            Ok(_) => failed(replies.len(), "the ledger answered a batch incompletely".into()),
            Err(e) => failed(replies.len(), e.0),
        };
        for (reply, outcome) in replies.into_iter().zip(outcomes) {
            let _ = reply.send(outcome);
        }
    }
}

fn failed(n: usize, why: String) -> Vec<Result<Appended, StoreError>> {
    vec![Err(StoreError(why)); n]
}
