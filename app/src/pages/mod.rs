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
        res.set_status(status);
    }
}
