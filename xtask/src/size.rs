//! The size budgets: gzip -9 and brotli -q 11 of everything a page of each kind downloads from
//! `pkg/`, checked against the budgets the README states.

use crate::build::{Build, BUILDS};
use crate::util::root;
use std::io::Write;
use std::process::{Command, Stdio};

/// What vanilla-cookieconsent 3.1.0 (JS + CSS) weighs, gzip -9 and brotli -q 11, for comparison.
const REFERENCE: (u64, u64) = (15_474, 13_783);

/// gzip -9 budget per page kind, in bytes: PRODUCT.md's quality bars (48,000 and 62,000) plus what
/// the accessible notice and the gating of the page's tags cost, and on signup pages the SMS
/// confirmation, the receipt and the kiosk (README, "Size").
fn budget(build: &Build) -> u64 {
    match build.name {
        "kelisim-banner" => 55_000,
        _ => 80_000,
    }
}

/// The files a page of this build's kind downloads: its wasm and glue, the stylesheet, and the
/// auto-mount script of the one-tag embed.
fn downloaded(build: &Build) -> [String; 4] {
    [
        format!("{}_bg.wasm", build.name),
        format!("{}.js", build.name),
        "kelisim.css".into(),
        "kelisim-auto.js".into(),
    ]
}

/// Bytes of `input` after piping it through `program args`.
fn piped(program: &str, args: &[&str], input: &[u8]) -> Result<u64, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    child.stdin.take().ok_or("stdin")?.write_all(input).map_err(|e| format!("{program}: {e}"))?;
    let out = child.wait_with_output().map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{program} failed ({})", out.status));
    }
    Ok(out.stdout.len() as u64)
}

/// gzip -9 size, by the gzip program.
pub fn gzip9(bytes: &[u8]) -> Result<u64, String> {
    piped("gzip", &["-9", "-c", "-n"], bytes)
}

/// brotli quality 11 size, by Node's zlib (the reference brotli library).
pub fn brotli11(bytes: &[u8]) -> Result<u64, String> {
    let script = "const z=require('zlib');const b=require('fs').readFileSync(0);\
        process.stdout.write(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,\
        [z.constants.BROTLI_PARAM_SIZE_HINT]:b.length}}))";
    piped("node", &["-e", script], bytes)
}

/// Prints, per build, each downloaded file's raw, gzip -9 and brotli size and the page's total;
/// fails if a page is over its gzip budget.
pub fn check() -> Result<(), String> {
    let pkg = root().join("pkg");
    let mut over = Vec::new();
    for build in &BUILDS {
        println!("\n{} ({}): {:>9} {:>9} {:>9}", build.page, build.name, "raw B", "gzip -9", "brotli");
        let (mut gz_total, mut br_total) = (0, 0);
        for name in downloaded(build) {
            let bytes = std::fs::read(pkg.join(&name))
                .map_err(|e| format!("pkg/{name}: {e} (run cargo xtask build)"))?;
            let (gz, br) = (gzip9(&bytes)?, brotli11(&bytes)?);
            gz_total += gz;
            br_total += br;
            println!("  {name:<26} {:>9} {gz:>9} {br:>9}", bytes.len());
        }
        let limit = budget(build);
        println!("  {:<26} {:>9} {gz_total:>9} {br_total:>9}   budget {limit} gzip", "total", "");
        if gz_total > limit {
            over.push(format!("the {} downloads {gz_total} B gzip, over its {limit} B budget", build.page));
        }
    }
    println!("\nvanilla-cookieconsent 3.1.0, JS + CSS: {} B gzip -9, {} B brotli", REFERENCE.0, REFERENCE.1);
    if over.is_empty() {
        Ok(())
    } else {
        Err(over.join("; "))
    }
}
