//! De-identified statistics (issue 16 §1, P1.4): the console's figures about the platform —
//! how many enterprises and people, the applications waiting, payment orders by status, and
//! the monthly paid volume — made only of counts and sums over all enterprises. No name, id,
//! account or amount of any one person or order leaves the database in them; the columns the
//! queries read are checked against the data map (`backend/stats.rs`).

use super::funds::OrderStatus;
use super::Fen;
use serde::{Deserialize, Serialize};

/// How many months the volume table shows, newest first.
pub const MONTHS: usize = 12;

/// Payment orders in one status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: OrderStatus,
    pub count: i64,
}

/// One China-time calendar month of paid orders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthVolume {
    /// `2026-12`.
    pub month: String,
    pub paid: i64,
    pub amount: Fen,
    pub fees: Fen,
}

/// The console's statistics page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformStats {
    pub enterprises_active: i64,
    pub enterprises_closed: i64,
    pub people_active: i64,
    pub applications_waiting: i64,
    pub orders: Vec<StatusCount>,
    pub months: Vec<MonthVolume>,
}
