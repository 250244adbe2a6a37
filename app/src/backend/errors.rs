//! The server side of [`AppError`]: unexpected failures are logged under a reference, and
//! database errors and unknown stored codes convert with plain `?`.

use crate::error::AppError;

impl AppError {
    /// Logs an unexpected failure under a fresh reference and returns the error to show.
    /// The log line names the request (server functions called while rendering a page run
    /// outside the request's tracing span, so the id is taken from the request itself).
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let reference = crate::backend::ids::short_reference();
        let request_id = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get("x-request-id")?
                    .to_str()
                    .ok()
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        tracing::error!(%reference, %request_id, %cause, "internal error");
        AppError::Internal { reference }
    }
}

/// A database error is a fault on our side: logged with a reference, shown as `Internal`.
/// (So plain `?` works on sqlx results in services and stores.)
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

/// An unknown code read from the database is a fault on our side, never a default.
impl From<crate::model::UnknownCode> for AppError {
    fn from(e: crate::model::UnknownCode) -> Self {
        AppError::internal(e)
    }
}

/// So row readers that return `sqlx::Error` can use `?` on [`crate::model::UnknownCode`].
impl From<crate::model::UnknownCode> for sqlx::Error {
    fn from(e: crate::model::UnknownCode) -> Self {
        sqlx::Error::Decode(Box::new(e))
    }
}
