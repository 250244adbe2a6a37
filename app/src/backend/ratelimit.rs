//! A per-key sliding-window limiter held in memory (login attempts per IP, P5.2). One process
//! serves one limiter; several server processes would each limit on their own, which still
//! bounds guessing per process.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    window_ms: i64,
    hits: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl RateLimiter {
    pub fn new(max: usize, window_ms: i64) -> Self {
        RateLimiter {
            max,
            window_ms,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Records an attempt by `key` at `now_ms`; false when the key is over its limit.
    pub fn allow(&self, key: &str, now_ms: i64) -> bool {
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        if hits.len() > 10_000 {
            let window = self.window_ms;
            hits.retain(|_, q| q.back().is_some_and(|t| now_ms - t < window));
        }
        let q = hits.entry(key.to_string()).or_default();
        while q.front().is_some_and(|t| now_ms - t >= self.window_ms) {
            q.pop_front();
        }
        if q.len() >= self.max {
            return false;
        }
        q.push_back(now_ms);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P5.2: logins are rate-limited per IP.
    #[test]
    fn p5_2_limits_per_key_within_the_window() {
        let l = RateLimiter::new(3, 1000);
        assert!(l.allow("a", 0) && l.allow("a", 1) && l.allow("a", 2));
        assert!(!l.allow("a", 3));
        assert!(l.allow("b", 3), "other keys are independent");
        assert!(l.allow("a", 1000), "the window slides");
    }
}
