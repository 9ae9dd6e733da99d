//! `check`: reads operator configs and prints every problem with its field path in kk, ru or en,
//! the `textSha256` of each language a clean config offers, and (with `--preview`) an HTML page
//! of its notice per language. Exit 0 when every config is clean, 1 when one has problems, 2
//! when a file cannot be read or a preview cannot be written.

pub mod preview;
pub mod words;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kelisim::config::Config;
use kelisim::lang::Lang;

use crate::cli::Check;
use words::{line, Line};

/// Runs `check`, writing its report to `out`.
pub fn run(settings: &Check, out: &mut dyn Write) -> ExitCode {
    let lang = settings.lang;
    let (mut problems, mut unreadable) = (0, false);
    for file in &settings.configs {
        match check_one(file, settings.preview.as_deref(), lang, out) {
            Ok(n) => problems += n,
            Err(e) => {
                unreadable = true;
                let _ = writeln!(out, "{}: {} {e}", file.display(), line(Line::Unreadable, lang));
            }
        }
    }
    if problems == 0 && !unreadable {
        let _ = writeln!(out, "{}", line(Line::AllClean, lang));
    } else if problems > 0 {
        let _ = writeln!(out, "{} {problems}", line(Line::Total, lang));
    }
    match (unreadable, problems) {
        (true, _) => ExitCode::from(2),
        (false, 0) => ExitCode::SUCCESS,
        (false, _) => ExitCode::from(1),
    }
}

/// Checks one file and reports it; its number of problems, or why it could not be read (or its
/// preview written).
fn check_one(file: &Path, preview: Option<&Path>, lang: Lang, out: &mut dyn Write) -> std::io::Result<usize> {
    let text = std::fs::read_to_string(file)?;
    let problems = Config::problems_in(&text);
    let name = file.display();
    if !problems.is_empty() {
        let _ = writeln!(out, "{name}: {} {}", line(Line::Problems, lang), problems.len());
        for p in &problems {
            let field = if p.field.is_empty() { "(JSON)" } else { &p.field };
            let _ = writeln!(out, "  {field}: {}", words::problem(&p.problem, lang));
        }
        return Ok(problems.len());
    }
    let config = Config::from_json_text(&text).map_err(|e| std::io::Error::other(e.message()))?;
    let _ = writeln!(out, "{name}: {}", line(Line::Clean, lang));
    for offered in Lang::ALL.into_iter().filter(|l| config.offers(*l)) {
        let sha = kelisim::canonical::text_sha256(&config, offered);
        let _ = writeln!(out, "  textSha256 {} {sha}", offered.code());
        if let Some(dir) = preview {
            let page = preview::page(&config, offered, &name.to_string(), &sha);
            let path = preview_path(dir, file, offered);
            std::fs::create_dir_all(dir)?;
            std::fs::write(&path, page)?;
            let _ = writeln!(out, "  {} {}", line(Line::Preview, lang), path.display());
        }
    }
    Ok(0)
}

/// `DIR/<file stem>.<lang>.html`.
fn preview_path(dir: &Path, file: &Path, lang: Lang) -> PathBuf {
    let stem = file.file_stem().map_or_else(|| "config".into(), |s| s.to_string_lossy());
    dir.join(format!("{stem}.{}.html", lang.code()))
}
