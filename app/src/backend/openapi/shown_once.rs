//! Secrets shown once, also to a browser without the WASM (forms work before it loads). With the
//! WASM, issuing an API key or a callback secret answers the secret to the page, which shows it.
//! A plain form post is answered by a redirect back to the page instead, which drops the answer:
//! the secret would be lost (only a new one would help). So a plain post's secret is held here
//! for the session that asked — in memory only, never written or logged — until that session's
//! next look at the page takes it ([`ShownOnceStore::take`]), and for [`HOLD_MS`] at most.
//!
//! One server process holds it: behind several, the redirect must reach the same one (sticky
//! sessions), as for the open API's nonces.

use crate::backend::AppState;
use crate::model::openapi::{IssuedSecret, ShownOnce};
use std::collections::HashMap;
use std::sync::Mutex;

/// How long a secret waits for its page: the redirect follows at once.
pub const HOLD_MS: i64 = 120_000;

/// At most this many sessions' secrets are held (a flood of plain posts cannot grow it).
const MAX_HELD: usize = 10_000;

struct Held {
    until: i64,
    shown: ShownOnce,
}

/// The secrets waiting for their page, by session.
#[derive(Default)]
pub struct ShownOnceStore {
    held: Mutex<HashMap<String, Held>>,
}

impl ShownOnceStore {
    fn hold(&self, session: &str, now: i64, put: impl FnOnce(&mut ShownOnce)) {
        // A panic elsewhere while holding the lock leaves the map as it was: still usable.
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.retain(|_, h| h.until > now);
        if held.len() >= MAX_HELD && !held.contains_key(session) {
            // Full (a flood of plain posts): the one waiting longest makes room.
            let oldest = held
                .iter()
                .min_by_key(|(_, h)| h.until)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                tracing::warn!("secrets shown once: {MAX_HELD} waiting; the oldest is dropped");
                held.remove(&oldest);
            }
        }
        let entry = held.entry(session.to_string()).or_insert_with(|| Held {
            until: 0,
            shown: ShownOnce::default(),
        });
        entry.until = now + HOLD_MS;
        put(&mut entry.shown);
    }

    /// Holds an API key's id and secret (issued or rotated) for `session`'s next look.
    pub fn hold_key(&self, session: &str, issued: IssuedSecret, now: i64) {
        self.hold(session, now, |s| s.key = Some(issued));
    }

    /// Holds a callback signing secret for `session`'s next look.
    pub fn hold_callback_secret(&self, session: &str, secret: String, now: i64) {
        self.hold(session, now, |s| s.callback_secret = Some(secret));
    }

    /// What waits for `session`, taken: a second look finds nothing.
    pub fn take(&self, session: &str, now: i64) -> ShownOnce {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        match held.remove(session) {
            Some(h) if h.until > now => h.shown,
            _ => ShownOnce::default(),
        }
    }
}

/// The service the server functions call: holds what a plain form post issued for the
/// caller's session (nothing for the WASM's calls, which get it in their answer).
pub fn hold_if_plain_post(state: &AppState, session: &str, plain_post: bool, put: Put) {
    if !plain_post {
        return;
    }
    let now = state.clock.now().0;
    match put {
        Put::Key(issued) => state.shown_once.hold_key(session, issued, now),
        Put::CallbackSecret(secret) => state.shown_once.hold_callback_secret(session, secret, now),
    }
}

/// What [`hold_if_plain_post`] holds.
pub enum Put {
    Key(IssuedSecret),
    CallbackSecret(String),
}

/// What waits for `session`, taken (shown once).
pub fn take(state: &AppState, session: &str) -> ShownOnce {
    state.shown_once.take(session, state.clock.now().0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UtcMillis;

    fn issued(key_id: &str) -> IssuedSecret {
        IssuedSecret {
            id: "id".into(),
            key_id: key_id.into(),
            secret: "s3cret".into(),
            expires_at: UtcMillis(0),
        }
    }

    /// Issue 19: a secret held for a session is taken once, by that session only, within its
    /// time; the last key issued wins.
    #[test]
    fn a_held_secret_is_taken_once_by_its_session_in_time() {
        let store = ShownOnceStore::default();
        store.hold_key("a", issued("k1"), 0);
        store.hold_key("a", issued("k2"), 1);
        store.hold_callback_secret("a", "cb".into(), 2);
        assert_eq!(store.take("b", 3), ShownOnce::default());
        let shown = store.take("a", 3);
        assert_eq!(shown.key.map(|k| k.key_id).as_deref(), Some("k2"));
        assert_eq!(shown.callback_secret.as_deref(), Some("cb"));
        assert_eq!(store.take("a", 4), ShownOnce::default());
        store.hold_key("a", issued("k3"), 10);
        assert_eq!(store.take("a", 10 + HOLD_MS), ShownOnce::default());
    }

    /// A full store drops the secret waiting longest, never the new one.
    #[test]
    fn a_full_store_makes_room_for_the_newest() {
        let store = ShownOnceStore::default();
        for n in 0..MAX_HELD {
            store.hold_key(&n.to_string(), issued("k"), n as i64);
        }
        store.hold_key("new", issued("k-new"), MAX_HELD as i64);
        assert_eq!(store.take("0", MAX_HELD as i64), ShownOnce::default());
        let newest = store.take("new", MAX_HELD as i64).key.map(|k| k.key_id);
        assert_eq!(newest.as_deref(), Some("k-new"));
        assert!(store.take("1", MAX_HELD as i64).key.is_some());
    }
}
