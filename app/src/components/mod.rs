//! Shared UI pieces: the public layout, the console layout used by both the portal and the
//! operator console, the language switch and error display.

mod badge;
mod chart;
mod console;
mod cookie_banner;
mod dashboard;
mod error_view;
mod filters;
mod form;
mod item_button;
mod lang_switch;
mod links;
mod loader;
mod policy_notice;
mod public_layout;
mod request_view;
mod signatures;
mod signup;
mod table;
mod tabs;
mod ticket;
mod upload;
mod wechat_qr;

pub use badge::{DueBadge, PayoutState, Status, StatusBadge, Tone};
pub use chart::BalanceChart;
pub use console::{ConsoleLayout, NavItem, NavNeeds};
pub use cookie_banner::{cookie_lines, CategoryToggles, CookieBanner, CookieChoice};
pub use dashboard::QueueTiles;
pub use error_view::{ErrorNotice, Forbidden};
pub use filters::{code_options, query_values, CodeSelect, FilterForm};
pub use form::{
    action_error, poll_while, reset_on_success, successes, Field, FormError, PasswordMeter,
    SelectField, Submit,
};
pub use item_button::{DecideButtons, ItemButton};
pub use lang_switch::LangSwitch;
pub use links::{DownloadLink, ExternalLink, LangLink, LocalRedirect};
pub use loader::{load_once, Loader};
pub use policy_notice::PolicyNotices;
pub use public_layout::{Footer, NarrowPage, PublicLayout};
pub use request_view::{
    ComplaintRoutes, CopyCard, CorrectionCard, RequestAnswer, RequestClock, RequestFacts,
    RequestSteps,
};
pub use signatures::SignatureTable;
pub use signup::{AcceptTerms, NewPassword};
pub use table::{Col, DataTable, ItemList, Label};
pub use tabs::{AreaHeader, Card, Tab, Tabs};
pub use ticket::{
    live_updates, verification_text, Live, LiveNote, RecordingNotice, Thread, TicketHeader,
    TicketState,
};
pub use upload::{error_from_url, FileUpload, RowErrors};
pub use wechat_qr::{ScanProblemNotice, SimOpen, WechatQr};

use crate::api::system::get_platform_info;
use crate::error::AppError;
use crate::model::system::PlatformInfo;
use leptos::prelude::*;

/// The operator's public facts, loaded once per page load and shared by every component.
pub type PlatformInfoResource = OnceResource<Result<PlatformInfo, AppError>>;

pub fn provide_platform_info() {
    provide_context::<PlatformInfoResource>(OnceResource::new(get_platform_info()));
}

pub fn use_platform_info() -> PlatformInfoResource {
    expect_context::<PlatformInfoResource>()
}

/// The header by which a page rendered with a failed load (a server fault, not the visitor's
/// mistake) tells the server's page cache not to keep it (`server::page_cache`, issue 14 §2).
pub const INCOMPLETE_HEADER: &str = "x-render-incomplete";

/// Marks the page being rendered on the server as incomplete: some of its data failed to load
/// because of a server fault, so it must not be kept for other visitors (no-op in the browser).
pub fn mark_incomplete() {
    #[cfg(feature = "ssr")]
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::HeaderName::from_static(INCOMPLETE_HEADER),
            http::HeaderValue::from_static("1"),
        );
    }
}

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_http_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(_code),
    ) {
        // A redirect set by the shell (a visitor sent to log in) wins over a page's status.
        let redirecting = res.0.read().is_ok_and(|parts| {
            parts.status.is_some_and(|s| s.is_redirection())
                || parts.headers.contains_key(http::header::LOCATION)
        });
        if !redirecting {
            res.set_status(status);
        }
    }
}
