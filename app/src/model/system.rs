//! Facts about the running platform that every page may show.

use super::Bilingual;
use serde::{Deserialize, Serialize};

/// The operator's identity and contact (P10.1) and where data is stored (P4.1). All of it
/// is configuration, never code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformInfo {
    /// The operator's name in each language (its registered Chinese name and its English one).
    pub operator_name: Bilingual,
    pub contact_email: String,
    pub storage_region: Bilingual,
    pub version: String,
    /// Where a person may complain to a regulator (P10.2).
    pub complaint_routes: Vec<super::rights::ComplaintRoute>,
}
