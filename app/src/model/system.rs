//! Facts about the running platform that every page may show.

use serde::{Deserialize, Serialize};

/// The operator's identity and contact (P10.1) and where data is stored (P4.1). All of it
/// is configuration, never code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformInfo {
    pub operator_name: String,
    pub contact_email: String,
    pub storage_region: String,
    pub version: String,
}
