//! Test guest: a plugin built against `missions:plugin@0.2.0` (the copy in `wit/`), a world
//! version this host does not speak. The host must refuse it at load, naming both versions.
//!
//! It cannot use the SDK, which binds 0.1.0, so it carries the little runtime the SDK would
//! supply: an allocator, a panic handler, `cabi_realloc` and `memcmp`.
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;

wit_bindgen::generate!({ world: "plugin", path: "wit" });

use exports::missions::plugin::guest::{
    Adjustment, Dashboard, Figure, Guest, Model, ModelDiagnostic, PluginError, PluginInfo, Quote,
};
use missions::plugin::host;
use missions::plugin::types::{Hook, Label};

struct FutureVersion;

impl Guest for FutureVersion {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "future-version".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            hooks: Vec::from([Hook::AdjustQuote]),
            description: Label {
                fr: "Construit pour une version future du contrat.".into(),
                nl: "Gebouwd voor een toekomstige versie van het contract.".into(),
                en: "Built for a future version of the contract.".into(),
            },
        }
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        // Use the host import, so that the component imports the 0.2.0 host interface too.
        let _: String = host::config();
        Ok(Vec::new())
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        Ok(Vec::new())
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        Ok(Vec::new())
    }
}

export!(FutureVersion);

#[cfg(target_arch = "wasm32")]
mod rt {
    #[global_allocator]
    static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        core::arch::wasm32::unreachable()
    }

    /// # Safety
    /// As the canonical ABI calls it.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn cabi_realloc(old_ptr: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
        use alloc::alloc::{Layout, alloc, handle_alloc_error, realloc};
        // SAFETY: the canonical ABI passes a power-of-two alignment and blocks allocated here.
        unsafe {
            if old_len == 0 && new_len == 0 {
                return align as *mut u8;
            }
            let layout = Layout::from_size_align_unchecked(old_len.max(new_len), align);
            let ptr = if old_len == 0 {
                alloc(layout)
            } else {
                realloc(old_ptr, Layout::from_size_align_unchecked(old_len, align), new_len)
            };
            if ptr.is_null() {
                handle_alloc_error(layout);
            }
            ptr
        }
    }

    /// # Safety
    /// `a` and `b` are valid for reads of `n` bytes.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        for i in 0..n {
            // SAFETY: i < n.
            let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
            if x != y {
                return i32::from(x) - i32::from(y);
            }
        }
        0
    }

    /// # Safety
    /// `a` and `b` are valid for reads of `n` bytes.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: as memcmp.
        unsafe { memcmp(a, b, n) }
    }
}
