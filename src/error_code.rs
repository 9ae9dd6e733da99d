//! The codes of the `error` events a page hears: a refused config, failing storage, a refused record.

/// The `code` of an `error` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The config was refused.
    Config,
    /// Local storage failed.
    Storage,
    /// The backend refused a record.
    Delivery,
}

impl ErrorCode {
    /// `config`, `storage` or `delivery`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Config => "config",
            ErrorCode::Storage => "storage",
            ErrorCode::Delivery => "delivery",
        }
    }
}
