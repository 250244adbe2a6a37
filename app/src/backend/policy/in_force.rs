//! The material versions in force, cached (issue 14 §2, P9).
//!
//! The re-consent gate asks, for every business function and every page that shows one, when
//! the newest material privacy policy and account terms in force took effect. A portal page
//! asked it fourteen times. The answer changes only at known moments: when a version is
//! published or withdrawn (this process clears the cache), and when a published version takes
//! effect, a time known in advance, so an entry is kept only until the next such time. Another
//! server process sharing the database clears nothing here, so an entry also lasts at most
//! [`TTL_MS`]: a version published on one server is seen by the others within that time.

use super::PUBLISHED;
use crate::model::policy::PolicyKind;
use std::sync::Mutex;

/// How long an entry is trusted at most (for changes made by other server processes).
pub const TTL_MS: i64 = 5_000;

/// When the newest material version of each kind in force took effect (`None`: none yet).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InForce {
    pub privacy: Option<i64>,
    pub terms: Option<i64>,
}

impl InForce {
    pub fn of(&self, kind: PolicyKind) -> Option<i64> {
        match kind {
            PolicyKind::Privacy => self.privacy,
            PolicyKind::Terms => self.terms,
        }
    }
}

#[derive(Clone, Copy)]
struct Entry {
    value: InForce,
    /// Valid for `from <= now < until`.
    from: i64,
    until: i64,
}

/// One per application state (each database has its own). The generation counts clears, so
/// that a read that began before a publish does not store its older answer after it.
#[derive(Default)]
pub struct InForceCache(Mutex<(u64, Option<Entry>)>);

impl InForceCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, Option<Entry>)> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The entry valid at `now`, or the generation a new read starts in.
    fn get(&self, now: i64) -> Result<InForce, u64> {
        let (generation, entry) = *self.lock();
        match entry {
            Some(e) if e.from <= now && now < e.until => Ok(e.value),
            _ => Err(generation),
        }
    }

    /// Stores what a read started in `generation` found, unless a clear came since.
    fn put(&self, generation: u64, e: Entry) {
        let mut inner = self.lock();
        if inner.0 == generation {
            inner.1 = Some(e);
        }
    }

    /// Forgets the entry (a version was published or withdrawn).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.0 += 1;
        inner.1 = None;
    }

    /// The material versions in force at `now`, from the cache or with two queries.
    pub async fn at(
        &self,
        conn: &mut sqlx::AnyConnection,
        now: i64,
    ) -> Result<InForce, sqlx::Error> {
        let generation = match self.get(now) {
            Ok(hit) => return Ok(hit),
            Err(generation) => generation,
        };
        let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT kind, MAX(effective_at) AS at FROM policy_documents \
             WHERE {PUBLISHED} AND material = 1 AND effective_at <= $1 GROUP BY kind"
        )))
        .bind(now)
        .fetch_all(&mut *conn)
        .await?;
        let mut value = InForce::default();
        for (kind, at) in rows {
            match PolicyKind::from_code(&kind) {
                Some(PolicyKind::Privacy) => value.privacy = Some(at),
                Some(PolicyKind::Terms) => value.terms = Some(at),
                None => {}
            }
        }
        let next: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT MIN(effective_at) AS at FROM policy_documents \
             WHERE {PUBLISHED} AND material = 1 AND effective_at > $1"
        )))
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        let until = next.map_or(i64::MAX, |n| n).min(now.saturating_add(TTL_MS));
        self.put(
            generation,
            Entry {
                value,
                from: now,
                until,
            },
        );
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14 §2: an entry holds from when it was read until the next effective time (or
    /// the TTL), and not before it was read (a clock moved back).
    #[test]
    fn an_entry_holds_until_the_next_version_takes_effect() {
        let c = InForceCache::default();
        let value = InForce {
            privacy: Some(10),
            terms: None,
        };
        let entry = Entry {
            value,
            from: 100,
            until: 200,
        };
        c.put(0, entry);
        assert_eq!(c.get(100), Ok(value));
        assert_eq!(c.get(199), Ok(value));
        assert_eq!(c.get(200), Err(0), "the next version took effect");
        assert_eq!(c.get(99), Err(0));
        // A read that began before a publish does not store its answer after it.
        c.clear();
        assert_eq!(c.get(150), Err(1));
        c.put(0, entry);
        assert_eq!(c.get(150), Err(1));
        c.put(1, entry);
        assert_eq!(c.get(150), Ok(value));
    }
}
