//! The open-file limit: raised to what the system allows, and the connection cap kept under it, so
//! that connections can never starve the ledger, the static files or `accept` itself of descriptors.

/// Descriptors kept free of connections: the ledger, its WAL, Postgres sessions, static files.
const RESERVED: u64 = 64;

/// The soft open-file limit after raising it towards the hard limit, if it can be read.
fn raise_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = limit.rlim_max;
            }
        }
    }
    Some(limit.rlim_cur)
}

/// The connection cap to use for `wanted`: lowered (with a note why) when the open-file limit
/// leaves fewer descriptors.
pub fn connection_cap(wanted: u32) -> (usize, Option<String>) {
    let wanted = wanted as usize;
    match raise_limit() {
        Some(files) if (wanted as u64) + RESERVED > files => {
            let cap = files.saturating_sub(RESERVED).max(1) as usize;
            let why = format!(
                "--max-connections {wanted} lowered to {cap}: the open-file limit is {files} \
                 (raise it with ulimit -n to allow more)"
            );
            (cap, Some(why))
        }
        _ => (wanted, None),
    }
}
