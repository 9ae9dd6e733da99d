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

/// `RefCell` borrows that stop the module on a conflict without a formatted panic message: the
/// standard ones format one, which brings in `core::fmt` (measured ~0.6 KB gzip). A conflict is
/// a bug either way; the browser reports the trap.
pub trait Borrow<T> {
    /// Borrows the value to read.
    fn read(&self) -> core::cell::Ref<'_, T>;
    /// Borrows the value to change.
    fn write(&self) -> core::cell::RefMut<'_, T>;
}

impl<T> Borrow<T> for core::cell::RefCell<T> {
    fn read(&self) -> core::cell::Ref<'_, T> {
        self.try_borrow().unwrap_or_else(|_| core::arch::wasm32::unreachable())
    }

    fn write(&self) -> core::cell::RefMut<'_, T> {
        self.try_borrow_mut().unwrap_or_else(|_| core::arch::wasm32::unreachable())
    }
}
