//! The time source. Services take the time from [`Clock`] so that tests can move it (session
//! expiry, lockouts, invitation expiry) without sleeping.

use crate::model::UtcMillis;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> UtcMillis;
}

/// The real clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UtcMillis {
        UtcMillis::now()
    }
}

/// A clock that only moves when told to. For tests.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(start: UtcMillis) -> Arc<Self> {
        Arc::new(ManualClock(AtomicI64::new(start.0)))
    }
    pub fn advance_ms(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
    pub fn advance_minutes(&self, minutes: i64) {
        self.advance_ms(minutes * 60_000);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> UtcMillis {
        UtcMillis(self.0.load(Ordering::SeqCst))
    }
}

/// The real clock moved forward by an offset: the development server's `--dev-clock`, which
/// the browser tests advance to see dated features (a policy version taking effect) happen.
#[derive(Debug, Default)]
pub struct OffsetClock(AtomicI64);

impl OffsetClock {
    pub fn advance_ms(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> UtcMillis {
        UtcMillis(
            UtcMillis::now()
                .0
                .saturating_add(self.0.load(Ordering::SeqCst)),
        )
    }
}

pub type SharedClock = Arc<dyn Clock>;
