//! A copy of one's data (issue 16 §3, P6.1): what the requester sees of the ZIP built for a
//! completed copy request: its progress while it is built, then its download for 7 days.

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// How long a finished copy can be downloaded.
pub const COPY_DAYS: i64 = 7;
/// How many times a build is tried before it is given up (the officer is told by the queue).
pub const COPY_TRIES: i64 = 3;

/// Where a copy stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyStatus {
    /// Being built in the background.
    Building,
    /// Ready to download until it expires.
    Ready,
    /// Its 7 days are over: the file is deleted.
    Expired,
    /// The build failed three times.
    Failed,
}

super::super::codes!(CopyStatus {
    Building => "building",
    Ready => "ready",
    Expired => "expired",
    Failed => "failed",
});

/// The requester's view of a copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyView {
    pub status: CopyStatus,
    /// Rows and files written, of `total`.
    pub done: i64,
    pub total: i64,
    pub size_bytes: i64,
    pub ready_at: Option<UtcMillis>,
    pub expires_at: Option<UtcMillis>,
    /// Where it is downloaded (the requester's own session only).
    pub href: String,
}

impl CopyView {
    /// Progress in whole per cent (0 until counted; 100 only when ready).
    pub fn percent(&self) -> u8 {
        match self.status {
            CopyStatus::Ready | CopyStatus::Expired => 100,
            _ if self.total <= 0 => 0,
            _ => ((self.done.clamp(0, self.total) * 99) / self.total) as u8,
        }
    }

    /// The size for people: "2.4 MB", "812 KB".
    pub fn size_text(&self) -> String {
        let b = self.size_bytes.max(0) as f64;
        if b >= 1_000_000.0 {
            format!("{:.1} MB", b / 1_000_000.0)
        } else {
            format!("{} KB", ((b / 1000.0).ceil() as i64).max(1))
        }
    }
}

/// Where a request's copy is downloaded.
pub fn copy_href(request_id: &str) -> String {
    format!("/portal/privacy/requests/{request_id}/copy.zip")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(status: CopyStatus, done: i64, total: i64) -> CopyView {
        CopyView {
            status,
            done,
            total,
            size_bytes: 2_400_000,
            ready_at: None,
            expires_at: None,
            href: copy_href("r"),
        }
    }

    #[test]
    fn p6_1_progress_reaches_100_only_when_ready() {
        assert_eq!(view(CopyStatus::Building, 0, 0).percent(), 0);
        assert_eq!(view(CopyStatus::Building, 50, 100).percent(), 49);
        assert_eq!(view(CopyStatus::Building, 100, 100).percent(), 99);
        assert_eq!(view(CopyStatus::Building, 150, 100).percent(), 99);
        assert_eq!(view(CopyStatus::Ready, 100, 100).percent(), 100);
        assert_eq!(view(CopyStatus::Ready, 1, 1).size_text(), "2.4 MB");
        let mut small = view(CopyStatus::Ready, 1, 1);
        small.size_bytes = 812_300;
        assert_eq!(small.size_text(), "813 KB");
        assert_eq!(copy_href("abc"), "/portal/privacy/requests/abc/copy.zip");
    }
}
