//! When the public pages last changed (issue 14 §2).
//!
//! The server keeps the rendered anonymous public pages (`server::page_cache`). What they show
//! from the database changes at known moments: an announcement is written, edited or withdrawn
//! (also an incident's public notice), or a policy version is published or withdrawn. Each of
//! those calls [`PublicPages::changed`] after its transaction commits; a cached page rendered
//! before that is not served again. Changes that come with time (a scheduled announcement or
//! version taking effect) and changes made by another server process are seen when an entry
//! expires, [`TTL_MS`] after it was rendered.

use std::sync::atomic::{AtomicU64, Ordering};

/// How long a rendered public page is served at most (application clock).
pub const TTL_MS: i64 = 5_000;

/// A generation number, moved on by every change of what the public pages show.
#[derive(Debug, Default)]
pub struct PublicPages(AtomicU64);

impl PublicPages {
    /// The current generation: read it before rendering, and keep the page under it.
    pub fn generation(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// What the public pages show has changed (call after the commit).
    pub fn changed(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}
