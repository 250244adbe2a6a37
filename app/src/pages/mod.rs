//! Pages, in separate route trees: public pages, the enterprise portal (`/portal`) and the
//! operator console (`/ops`).

pub mod ops;
pub mod portal;
pub mod public;

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
