//! The open API's per-process state (issue 19): the nonces seen within the signature window and
//! the per-key request counts. Held by the router's state; used by [`crate::openapi`].

use app::backend::openapi::verify::Nonces;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// The API's nonces and per-key rate limits, one per process.
pub struct Guard {
    nonces: Nonces,
    rate: u32,
    /// Per key: the second and the requests made in it.
    windows: Mutex<HashMap<String, (i64, u32)>>,
    /// Per address: the second and the requests refused in it (a scanner without a key is
    /// answered 429 before the database is asked, and its refusals are not audited each).
    refusals: Mutex<HashMap<IpAddr, (i64, u32)>>,
}

/// Refused requests one address may make a second before it is told to wait.
pub const REFUSALS_PER_SECOND: u32 = 20;

/// Counts one in `key`'s current second; `Err(1)` when `max` were counted already.
fn count<K: std::hash::Hash + Eq>(
    map: &Mutex<HashMap<K, (i64, u32)>>,
    key: K,
    now_ms: i64,
    max: u32,
    add: bool,
) -> Result<(), u64> {
    let second = now_ms.div_euclid(1000);
    let mut w = map.lock().unwrap_or_else(|p| p.into_inner());
    if w.len() > 10_000 {
        w.retain(|_, (s, _)| *s >= second - 1);
    }
    let entry = w.entry(key).or_insert((second, 0));
    if entry.0 != second {
        *entry = (second, 0);
    }
    if entry.1 >= max {
        return Err(1);
    }
    if add {
        entry.1 += 1;
    }
    Ok(())
}

impl Guard {
    pub(crate) fn nonces(&self) -> &Nonces {
        &self.nonces
    }

    pub fn new(rate_per_second: u32) -> Self {
        Guard {
            nonces: Nonces::default(),
            rate: rate_per_second,
            windows: Mutex::new(HashMap::new()),
            refusals: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of `key_id` at `now_ms`; `Err(seconds)` to wait when over the limit.
    pub(crate) fn admit(&self, key_id: &str, now_ms: i64) -> Result<(), u64> {
        count(&self.windows, key_id.to_string(), now_ms, self.rate, true)
    }

    /// Whether `ip` may still be refused this second (`Err(seconds)`: answer 429 at once).
    pub(crate) fn may_try(&self, ip: IpAddr, now_ms: i64) -> Result<(), u64> {
        count(&self.refusals, ip, now_ms, REFUSALS_PER_SECOND, false)
    }

    /// Counts a refusal of `ip`.
    pub(crate) fn refused(&self, ip: IpAddr, now_ms: i64) {
        let _ = count(&self.refusals, ip, now_ms, u32::MAX, true);
    }
}
