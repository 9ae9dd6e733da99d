//! Running commands from the repository root, with errors that say which command failed.

use std::path::PathBuf;
use std::process::Command;

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// A command to run from the repository root.
pub struct Cmd {
    inner: Command,
    shown: String,
}

impl Cmd {
    /// A command for `program`.
    pub fn new(program: &str) -> Cmd {
        let mut inner = Command::new(program);
        inner.current_dir(root());
        Cmd { inner, shown: program.to_owned() }
    }

    /// Adds arguments.
    pub fn args<'a>(mut self, args: impl IntoIterator<Item = &'a str>) -> Cmd {
        for a in args {
            self.inner.arg(a);
            self.shown.push(' ');
            self.shown.push_str(a);
        }
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Cmd {
        self.inner.env(key, value);
        self
    }
}

/// Runs a command, inheriting output; an error if it cannot start or exits non-zero.
pub fn run(mut cmd: Cmd) -> Result<(), String> {
    println!("$ {}", cmd.shown);
    let status = cmd.inner.status().map_err(|e| format!("`{}` could not start: {e}", cmd.shown))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", cmd.shown))
    }
}

/// Runs a command quietly and returns its stdout, or `None` if it cannot run or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).current_dir(root()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Paths (relative to the root) of the files in `dir` whose names end with `suffix`, sorted.
pub fn files_ending(dir: &std::path::Path, suffix: &str) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .filter_map(|p| p.strip_prefix(root()).ok().map(|r| r.to_string_lossy().into_owned()))
        .collect();
    found.sort();
    Ok(found)
}
