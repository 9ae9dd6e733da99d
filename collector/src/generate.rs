//! `generate`: fills a ledger with made-up decisions on the registered operators' notices — for
//! trying the console and measuring it on a ledger of a million records. Every record is one the
//! banner could make (real configs, real text hashes), appended through the ledger's own chain,
//! with its received time spread over the days asked for; a few are withdrawals of an earlier
//! grant, and a few carry a text hash that does not match or refuse a required purpose, so each
//! check has something to flag.

use std::cell::Cell;
use std::process::ExitCode;
use std::time::Instant;

use kelisim::choices::Choices;
use kelisim::config::Config;
use kelisim::lang::Lang;
use kelisim::record::{self, Channel, ConsentRecord, Context, Kiosk, Stamp};

use crate::cli::Generate;
use crate::registry::Registry;
use crate::store::{self, NewEntry};

/// Records appended per commit.
const BATCH: usize = 2000;

/// Runs `generate`: 0 done, 2 when the policies or the ledger cannot be opened.
pub fn run(settings: &Generate) -> ExitCode {
    match generate(settings) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!("cannot generate: {e}");
            ExitCode::from(2)
        }
    }
}

fn generate(settings: &Generate) -> Result<String, String> {
    let registry = Registry::load(&settings.policies)?;
    let configs: Vec<&Config> =
        registry.editions().into_iter().filter_map(|(_, _, edition)| edition.any()).collect();
    if configs.is_empty() {
        return Err("no policy editions under --policies".into());
    }
    let ledger = store::open(&settings.db, false).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(settings.seed);
    let span_ms = i64::from(settings.days) * 86_400_000;
    let end_ms = crate::api::now_ms();
    let start_ms = end_ms - span_ms;
    let n = settings.records;
    let step = span_ms / i64::try_from(n.max(1)).unwrap_or(i64::MAX);
    let made = Cell::new(0_i64);
    let clock = || {
        let i = made.get();
        made.set(i + 1);
        kelisim::time::format_rfc3339_millis(start_ms + i * step)
    };
    // Subjects come back: about three records per subject, the later ones often withdrawals.
    let subjects = (n / 3).max(1);
    // Per subject: the edition of their last grant, its record id, and what it granted still standing.
    let mut last_grant: Vec<Option<(usize, String, Vec<String>)>> =
        vec![None; usize::try_from(subjects).unwrap_or(1)];
    let mut batch: Vec<NewEntry> = Vec::with_capacity(BATCH);
    for i in 0..n {
        let s = rng.usize(..last_grant.len());
        let at_ms = start_ms + i64::try_from(i).unwrap_or(0) * step;
        let record = match &mut last_grant[s] {
            Some((c, previous, standing)) if !standing.is_empty() && rng.u8(..100) < 15 => {
                let purpose = standing.swap_remove(rng.usize(..standing.len()));
                withdrawal(configs[*c], s, previous, &purpose, at_ms, &mut rng)
            }
            _ => {
                let c = rng.usize(..configs.len());
                let record = grant(configs[c], s, at_ms, &mut rng);
                let optional = |id: &str| configs[c].purpose(id).is_some_and(|p| !p.required);
                let granted = record.granted().filter(|id| optional(id)).map(str::to_owned).collect();
                last_grant[s] = Some((c, record.record_id.clone(), granted));
                record
            }
        };
        let mut record = record;
        if rng.u16(..1000) < 3 {
            // A required purpose refused: no notice of these editions could have made it.
            if let Some(required) = record.purposes.iter_mut().find(|p| p.required) {
                required.granted = false;
            }
        }
        if rng.u16(..1000) < 8 {
            // A text the registry does not hold: what an edited or stale page would send.
            record.policy.text_sha256 = format!("{:064x}", rng.u128(..));
        }
        // Only what the collector's own reader accepts goes in, as over HTTP.
        let record = ConsentRecord::from_json_text(&record.to_text())
            .map_err(|e| format!("record {i} as made does not read back: {e}"))?;
        let edition = crate::decision::against_edition(&record, registry.edition(&record.policy));
        batch.push(NewEntry::of(&record, registry.check(&record.policy), edition));
        if batch.len() == BATCH || i + 1 == n {
            ledger.append_batch(&batch, &clock).map_err(|e| e.to_string())?;
            batch.clear();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(format!(
        "{n} records over {} days appended to {} in {seconds:.1} s ({:.0} records/s)",
        settings.days,
        store::describe(&settings.db),
        n as f64 / seconds.max(0.001)
    ))
}

fn context(subject: usize, rng: &mut fastrand::Rng) -> Context {
    let channel = match rng.u8(..10) {
        0..=6 => Channel::Web,
        7 | 8 => Channel::Webview,
        _ => Channel::Kiosk,
    };
    // A shop's tablet names its shop and consultant, as the kiosk page gives them.
    let kiosk = (channel == Channel::Kiosk).then(|| Kiosk {
        shop: Some(format!("ALM-{:03}", subject % 40)),
        consultant: Some(format!("{:04}", subject % 300)),
    });
    Context {
        subject_ref: format!("+7701{:07}", subject % 10_000_000),
        channel,
        page: Some("https://example.kz/signup".into()),
        user_agent: Some("kelisim-collector generate".into()),
        kiosk,
        ..Default::default()
    }
}

fn language(config: &Config, rng: &mut fastrand::Rng) -> Lang {
    // More Kazakh and Russian than English, as the operators' visitors are.
    let offered: Vec<Lang> = config.languages.clone();
    let weights: Vec<u32> = offered.iter().map(|l| if *l == Lang::En { 1 } else { 5 }).collect();
    let mut pick = rng.u32(..weights.iter().sum::<u32>());
    for (lang, w) in offered.iter().zip(&weights) {
        if pick < *w {
            return *lang;
        }
        pick -= w;
    }
    Lang::Kk
}

fn stamp(rng: &mut fastrand::Rng, at_ms: i64, previous: Option<String>) -> Stamp {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    Stamp { now_ms: at_ms, record_id: kelisim::id::uuid_v4(bytes), previous_record_id: previous }
}

fn grant(config: &Config, subject: usize, at_ms: i64, rng: &mut fastrand::Rng) -> ConsentRecord {
    let mut choices = Choices::fresh(config);
    for (k, purpose) in config.purposes.iter().enumerate().filter(|(_, p)| !p.required) {
        // Each optional purpose is granted by a different share of visitors, 35–85%.
        let share = 35 + (k * 17 % 50) as u8;
        choices.set(&purpose.id, rng.u8(..100) < share);
    }
    let ctx = context(subject, rng);
    record::grant(config, &choices, language(config, rng), &ctx, stamp(rng, at_ms, None))
}

fn withdrawal(
    config: &Config,
    subject: usize,
    previous: &str,
    purpose: &str,
    at_ms: i64,
    rng: &mut fastrand::Rng,
) -> ConsentRecord {
    let ctx = context(subject, rng);
    let stamp = stamp(rng, at_ms, Some(previous.to_owned()));
    record::withdrawal(config, &[purpose.to_owned()], language(config, rng), &ctx, stamp)
}
