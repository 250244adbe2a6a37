//! A website application of WeChat's Open Platform (`--wechat-website`; P1.1.3, issue 15):
//! the desktop itself goes to WeChat's own QR page (`qrconnect`, `snsapi_login`), the user scans
//! it with WeChat and confirms there, and WeChat sends the desktop back with a code. The same
//! tickets and states serve (the desktop browser is both sides: its `esp_wx_browser` cookie
//! owns the ticket, its `esp_wx_phone` cookie the `state`); the confirmation WeChat asked for
//! stands for the phone page's.

use super::phone;
use crate::backend::accounts::sessions::ClientMeta;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::scan::{ScanProblem, ScanView, TicketPurpose, TicketStatus};
use crate::model::Lang;

/// Where the desktop is told of a problem: the login page's WeChat tab, or the binding card.
pub fn problem_path(purpose: TicketPurpose, lang: &str, problem: ScanProblem) -> String {
    let lang = Lang::parse(lang).unwrap_or_default();
    let path = match purpose {
        TicketPurpose::Login => format!("/login?via=wechat&problem={}", problem.code()),
        TicketPurpose::Bind => format!("/portal/account?problem={}#wechat", problem.code()),
    };
    crate::i18n::localized_href(&path, lang)
}

/// WeChat's own QR page came back with a scanned ticket (`status`, as the return marked it):
/// confirmed at once (the user confirmed in WeChat). A login goes on to finish on this browser;
/// a binding is made.
pub async fn after_scan(
    state: &AppState,
    ticket: &str,
    purpose: TicketPurpose,
    lang: &str,
    status: TicketStatus,
    browser_phone: &str,
    meta: &ClientMeta,
) -> AppResult<String> {
    if status == TicketStatus::NotBound {
        return Ok(problem_path(purpose, lang, ScanProblem::NotBound));
    }
    let confirmed = phone::decide(state, ticket, Some(browser_phone), true, meta).await;
    Ok(match confirmed {
        Ok(ScanView::Confirmed {
            purpose: TicketPurpose::Login,
        }) => format!("/wx/website/finish/{ticket}"),
        Ok(ScanView::Confirmed {
            purpose: TicketPurpose::Bind,
        }) => crate::i18n::localized_href(
            "/portal/account#wechat",
            Lang::parse(lang).unwrap_or_default(),
        ),
        Ok(ScanView::Problem { problem, .. }) => problem_path(purpose, lang, problem),
        // Decided, expired or used meanwhile.
        Ok(_) | Err(AppError::Conflict(_) | AppError::NotFound) => {
            problem_path(purpose, lang, ScanProblem::BadState)
        }
        Err(e) => return Err(e),
    })
}
