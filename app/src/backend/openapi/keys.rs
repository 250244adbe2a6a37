//! The open API's credentials as verification reads them, kept in memory for a few seconds
//! (issue 19's throughput: a signed request then needs no database read for its key). Any
//! change of a credential in this process (issue, rotation, revocation) empties the cache at
//! once; another process's change — or an enterprise's closure — is seen within [`TTL_MS`]
//! (one process serves the API, see the README).

use crate::model::openapi::{IpRange, Scope};
use crate::model::UtcMillis;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How long a read credential is trusted without reading it again.
pub const TTL_MS: i64 = 5_000;

/// A credential as verification needs it, its secret opened. Never serialised.
pub struct Key {
    pub id: String,
    pub enterprise_id: String,
    pub secret: String,
    pub scopes: Vec<Scope>,
    pub ip_allow: Vec<IpRange>,
    pub expires_at: i64,
    pub active_until: Option<i64>,
    pub revoked_at: Option<i64>,
    /// When it was last marked used (written at most once a minute).
    pub last_used_at: Mutex<Option<i64>>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// The credentials kept, by key id, with when each was read.
type Entries = HashMap<String, (Arc<Key>, i64)>;

/// The cache, by key id, with a generation moved on by every [`KeyCache::clear`].
#[derive(Debug, Default)]
pub struct KeyCache {
    keys: Mutex<(u64, Entries)>,
}

impl KeyCache {
    /// The credential `key_id` if it was read within [`TTL_MS`] of `now`.
    pub fn get(&self, key_id: &str, now: UtcMillis) -> Option<Arc<Key>> {
        let keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.1
            .get(key_id)
            .filter(|(_, at)| (now.0 - *at).abs() < TTL_MS)
            .map(|(k, _)| k.clone())
    }

    /// The generation now: read it before reading a credential, give it to [`KeyCache::put`].
    pub fn generation(&self) -> u64 {
        self.keys.lock().unwrap_or_else(|p| p.into_inner()).0
    }

    /// Keeps `key` (read at `now`, in generation `read_in`) under `key_id` — unless a change
    /// cleared the cache since it was read (what was read may be the credential before it).
    pub fn put(&self, key_id: &str, key: Arc<Key>, now: UtcMillis, read_in: u64) {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        if keys.0 != read_in {
            return;
        }
        if keys.1.len() > 10_000 {
            keys.1.retain(|_, (_, at)| (now.0 - *at).abs() < TTL_MS);
        }
        keys.1.insert(key_id.to_string(), (key, now.0));
    }

    /// Forgets every credential (one changed, or an enterprise closed).
    pub fn clear(&self) {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.0 += 1;
        keys.1.clear();
    }
}
