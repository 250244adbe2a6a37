//! The sharing register's log for the enterprise's privacy centre (issue 19; P3.1.3): who
//! outside the platform received what.

use crate::error::AppError;
use crate::model::sharing::SharingLog;
use leptos::prelude::*;

/// The recipients and a page of the log (`recipient`: a recipient's code; `cursor`: the last
/// event of the page before). The admin sees the enterprise's and all its people's events, a
/// member their own.
#[server(prefix = "/api", endpoint = "sharing_log")]
pub async fn load_sharing_log(
    recipient: Option<String>,
    cursor: Option<String>,
) -> Result<SharingLog, AppError> {
    let c = super::access::member(None).await?;
    let admin = c.user.role == Some(crate::model::account::MemberRole::Admin);
    let own = (!admin).then_some(c.user.id.as_str());
    crate::backend::sharing::log(
        &c.state,
        c.enterprise_id()?,
        own,
        recipient.as_deref(),
        cursor.as_deref(),
    )
    .await
}
