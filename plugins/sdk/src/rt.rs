//! What a `#![no_std]` plugin needs on wasm32 and the standard library would otherwise supply:
//! an allocator and a panic handler. Neither imports anything from the host but `log`.

use core::sync::atomic::{AtomicBool, Ordering};

#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// Set while the panic handler runs, so that a panic inside it (formatting the message
/// allocates, and allocation may be what failed) traps at once instead of recursing.
static PANICKING: AtomicBool = AtomicBool::new(false);

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    if !PANICKING.swap(true, Ordering::Relaxed) {
        use alloc::string::ToString;
        let message = info.message().to_string();
        let location = info.location().map(|l| alloc::format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        crate::log::log(crate::Level::Error, "plugin panicked", &[("message", &message), ("location", &location)]);
    }
    core::arch::wasm32::unreachable()
}

/// The allocation hook of the component model's canonical ABI: the host calls it to place the
/// arguments of a call (strings, lists) in the plugin's memory. On `wasm32-wasip2` the standard
/// library defines it; without the standard library it is ours to define.
///
/// # Safety
///
/// Called by the host as the canonical ABI specifies: `old_ptr`/`old_len`/`align` describe a
/// block this function returned before (or `old_len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cabi_realloc(old_ptr: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
    use alloc::alloc::{Layout, alloc, handle_alloc_error, realloc};
    let layout;
    // SAFETY: the canonical ABI passes a power-of-two alignment and, when `old_len` is not 0,
    // a block allocated here with that size and alignment.
    let ptr = unsafe {
        if old_len == 0 {
            if new_len == 0 {
                return align as *mut u8;
            }
            layout = Layout::from_size_align_unchecked(new_len, align);
            alloc(layout)
        } else {
            layout = Layout::from_size_align_unchecked(old_len, align);
            realloc(old_ptr, layout, new_len)
        }
    };
    if ptr.is_null() {
        handle_alloc_error(layout);
    }
    ptr
}

/// `memcmp`, which the compiler calls to compare slices and strings. On `wasm32-wasip2` the C
/// library linked with the standard library defines it; without them it is ours to define.
/// (`memcpy`, `memmove` and `memset` compile to bulk-memory instructions and need no definition.)
///
/// # Safety
///
/// `a` and `b` are valid for reads of `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        // SAFETY: i < n and the caller guarantees n readable bytes behind both pointers.
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

/// `bcmp`: `memcmp` when only equality matters; the compiler may call either.
///
/// # Safety
///
/// `a` and `b` are valid for reads of `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's guarantee is memcmp's.
    unsafe { memcmp(a, b, n) }
}
