//! Thin `#[server]` functions: authenticate, authorise, parse, call the service, map errors.
//! Nothing else belongs here.
//!
//! Every server function starts with exactly one access check from [`access`], so that a
//! reviewer can see at a glance who may call it. Endpoints are fixed (`/api/<name>`) so that
//! clients and tests can call them over plain HTTP.

pub mod announcement;
pub mod system;

#[cfg(feature = "ssr")]
pub(crate) mod access {
    use crate::backend::AppState;
    use crate::error::{AppError, AppResult};

    /// A function any visitor may call: it reads only public data. (Authenticated checks for
    /// enterprise users and operators join this module with the accounts capability.)
    pub fn public() -> AppResult<AppState> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            AppError::internal("application state is missing from the request context")
        })
    }
}
