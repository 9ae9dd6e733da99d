//! Globals of the browser shell: wasm32 without threads runs on one thread, so a plain static
//! can hold a `RefCell` (there is no `thread_local!` without `std`).

#[cfg(target_feature = "atomics")]
compile_error!("the kelisim shell assumes a single-threaded wasm32 (no `atomics` target feature)");

/// A value shared by the shell's callbacks, all of which run on the one browser thread.
pub struct Global<T>(T);

// SAFETY: without the `atomics` target feature (refused above) a wasm32 module has exactly one
// thread, so the value is never reached from two threads.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> Global<T> {
        Global(value)
    }
}

impl<T> core::ops::Deref for Global<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
