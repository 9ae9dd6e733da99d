//! The size budget: gzip -9 bytes of what a visitor downloads (wasm + JS glue + CSS).

use crate::util::root;
use std::io::Write;
use std::process::{Command, Stdio};

/// The budget in bytes, gzip -9, for wasm + JS glue + CSS + auto-mount script. Stated in the README:
/// 60,000 for the banner alone, raised for field validation with kk/ru/en messages (+15,000)
/// and for delivery that survives many tabs, hung servers and closing pages (+5,000).
pub const BUDGET: u64 = 80_000;
/// What the leading JavaScript banner (vanilla-cookieconsent 3.1.0, JS + CSS) weighs.
const REFERENCE: u64 = 15_498;

const SHIPPED: [&str; 4] = ["kelisim_bg.wasm", "kelisim.js", "kelisim.css", "kelisim-auto.js"];

fn gzip9(bytes: &[u8]) -> Result<u64, String> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c", "-n"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("gzip: {e}"))?;
    child.stdin.take().ok_or("gzip stdin")?.write_all(bytes).map_err(|e| format!("gzip: {e}"))?;
    let out = child.wait_with_output().map_err(|e| format!("gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}

/// Prints each shipped file's raw and gzip -9 size and fails if the total is over [`BUDGET`].
pub fn check() -> Result<(), String> {
    let pkg = root().join("pkg");
    let mut total = 0;
    println!("{:<18} {:>9} {:>9}", "file", "raw B", "gzip -9 B");
    for name in SHIPPED {
        let bytes =
            std::fs::read(pkg.join(name)).map_err(|e| format!("pkg/{name}: {e} (run cargo xtask build)"))?;
        let gz = gzip9(&bytes)?;
        total += gz;
        println!("{name:<18} {:>9} {gz:>9}", bytes.len());
    }
    println!(
        "{:<18} {:>9} {total:>9}   budget {BUDGET}, vanilla-cookieconsent 3.1.0 {REFERENCE}",
        "total", ""
    );
    if total > BUDGET {
        return Err(format!("pkg/ is {total} B gzip, over the {BUDGET} B budget"));
    }
    Ok(())
}
