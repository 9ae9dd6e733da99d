//! kelisim-collector: receives consent records over HTTP and keeps them in a hash-chained ledger.
//!
//! | module | owns |
//! |---|---|
//! | [`cli`] | the command line |
//! | [`check`] | `check`: every problem of operator configs in kk/ru/en, their text hashes, previews |
//! | [`serve`] | `serve`: the accept loop, its connection limits and timeouts, shutdown |
//! | [`app`] | the router and the layers every answer passes |
//! | [`anchor`] | a chain head kept outside the ledger, checked by `verify --anchor` |
//! | [`answer`] | the JSON answers: receipts, entries, a record's status |
//! | [`api`] | the API handlers |
//! | [`auth`] | the bearer token of the operator's views |
//! | [`body`] | what a POSTed body must be, read with a limit and a deadline |
//! | [`client`] | the client (address or /64) that limits count against |
//! | [`confirm`] | SMS confirmations: codes, their hashes, attempts, limits, messages, the record check |
//! | [`console`] | the DPO's console: its files under a strict CSP, the policy editions, their texts, the proof |
//! | [`confirmations`] | the confirmation handlers: a code sent, a code typed back |
//! | [`cors`] | which origins may call the API, and for which policies |
//! | [`decision`] | the decision check: could the registered notice have produced this record? |
//! | [`error`] | the JSON error answer |
//! | [`fields`] | a small JSON object body read field by field |
//! | [`generate`] | `generate`: a made-up ledger of decisions on the registered notices, for trying and measuring |
//! | [`limit`] | the per-client rate limit |
//! | [`log`] | operational notes on stderr |
//! | [`proof`] | the chain's state as proof: intact or the first broken link, the head, an anchor held |
//! | [`query`] | the export's time range |
//! | [`receipts`] | receipt codes: the lookup, and the receipt SMS of a verified record |
//! | [`registry`] | the operators' policy editions that records are checked against |
//! | [`store`] | the append-only, hash-chained ledger, its append plan, group commit, SQLite and Postgres |
//! | [`subject`] | one subject's standing decisions and history |

mod anchor;
mod answer;
mod api;
mod app;
mod auth;
mod body;
mod check;
mod cli;
mod client;
mod confirm;
mod confirmations;
mod console;
mod cors;
mod decision;
mod error;
mod fields;
mod generate;
mod limit;
mod log;
mod proof;
mod query;
mod receipts;
mod registry;
mod serve;
mod store;
mod subject;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, Export};
use store::Range;

fn main() -> ExitCode {
    let command = Cli::parse().into_command();
    let level = match &command {
        Command::Serve(s) => s.log,
        _ => tracing::level_filters::LevelFilter::INFO,
    };
    log::init(level);
    match command {
        Command::Serve(settings) => serve::run(&settings),
        Command::Verify(v) => verify(&v.db, v.anchor.as_ref()),
        Command::Export(export) => export_ledger(&export),
        Command::Check(c) => check::run(&c, &mut std::io::stdout()),
        Command::Generate(g) => generate::run(&g),
    }
}

/// `verify`: 0 intact, 1 broken (or the anchor does not hold), 2 unreadable.
fn verify(db: &str, anchor: Option<&anchor::Anchor>) -> ExitCode {
    let mut out = std::io::stdout();
    match store::open(db, true).and_then(|ledger| proof::prove(&*ledger, anchor)) {
        Ok(proof) => {
            let why = proof.broken.clone().or_else(|| proof.anchor.as_ref().and_then(|a| a.why.clone()));
            if let Some(why) = why {
                let _ = writeln!(out, "broken: {why}");
                return ExitCode::from(1);
            }
            let head = proof.head.as_deref().unwrap_or("empty");
            let _ = writeln!(out, "ok: {} records, chain intact; head {head}", proof.records);
            if let Some(a) = &proof.anchor {
                let seq = a.anchor.split(':').next().unwrap_or_default();
                let _ = writeln!(out, "ok: seq {seq} still holds the anchored row");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!("cannot verify: {e}");
            ExitCode::from(2)
        }
    }
}

/// `export`: every entry in the range as NDJSON on stdout; 0 done, 2 unreadable or stdout closed.
fn export_ledger(export: &Export) -> ExitCode {
    let ledger = match store::open(&export.db, true) {
        Ok(ledger) => ledger,
        Err(e) => {
            tracing::error!("cannot export: {e}");
            return ExitCode::from(2);
        }
    };
    let mut range =
        Range { from: export.from.clone(), to: export.to.clone(), after_seq: 0, limit: api::EXPORT_PAGE };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    loop {
        let written = ledger.range(&range).and_then(|page| {
            let lines = answer::ndjson(&page)?;
            out.write_all(lines.as_bytes()).map_err(|e| store::StoreError(e.to_string()))?;
            Ok(page)
        });
        match written {
            Ok(page) => match page.last() {
                Some(last) if page.len() == range.limit => range.after_seq = last.seq,
                _ => break,
            },
            Err(e) => {
                tracing::error!("cannot export: {e}");
                return ExitCode::from(2);
            }
        }
    }
    match out.flush() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("cannot export: {e}");
            ExitCode::from(2)
        }
    }
}
