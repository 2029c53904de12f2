//! Gives the heap the window's commands freed back to the system.
//!
//! A command on a large release builds and serializes the whole release view
//! (about 1.3 MB of JSON for 1,000 components and 3,000 dependencies) on one
//! of the runtime's threads. glibc keeps what such a command frees in that
//! thread's arena for later, so the app process grew by some 12 MB after
//! opening a 1,000-component release and never shrank (docs/desktop.md,
//! "Memory"). Once the commands have been quiet for a moment, `malloc_trim`
//! returns those pages.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// How long the commands must be quiet before the heap is trimmed: a burst of
/// edits is trimmed once, after its last answer has been sent.
const QUIET: Duration = Duration::from_millis(1500);

/// Commands seen so far; the trimmer waits on the condition for a change.
static SEEN: Mutex<u64> = Mutex::new(0);
static CHANGED: Condvar = Condvar::new();

/// Starts the trimming thread. Call once, before the window opens.
pub fn start() {
    let spawned = std::thread::Builder::new()
        .name("heap-trim".into())
        .spawn(trimmer);
    // Without the thread the app works the same, it only keeps more memory.
    if let Err(e) = spawned {
        tracing::warn!("the heap trimming thread could not start: {e}");
    }
}

/// Notes that a command ran (called for every command the window sends).
pub fn note_command() {
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    *seen = seen.wrapping_add(1);
    CHANGED.notify_one();
}

fn trimmer() {
    let mut trimmed = 0u64;
    loop {
        let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
        while *seen == trimmed {
            seen = CHANGED.wait(seen).unwrap_or_else(|e| e.into_inner());
        }
        let mut last = *seen;
        drop(seen);
        // Wait for a quiet period: no command for QUIET.
        loop {
            std::thread::sleep(QUIET);
            let now = *SEEN.lock().unwrap_or_else(|e| e.into_inner());
            if now == last {
                break;
            }
            last = now;
        }
        trim();
        trimmed = last;
    }
}

/// Returns the free pages of every malloc arena to the system.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim takes no pointer and only releases free memory
        // of glibc's own arenas; it is safe to call from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
}
