//! Operational notes on stderr: never personal data (no record bodies, no subject refs), and never
//! a panic when stderr is gone.

use std::io::Write;

/// Writes one line, `kelisim-collector: ...`, to stderr; a failed write is ignored.
pub fn write_note(args: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "kelisim-collector: {args}");
}

/// `note!("...", args)`: [`write_note`] with `format_args!`.
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::log::write_note(format_args!($($arg)*))
    };
}

pub(crate) use note;
