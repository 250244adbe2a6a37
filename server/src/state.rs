//! What the router and its handlers share: the server state, and why a start can fail. Its own
//! module, so that handlers and middleware need nothing from `startup` (which imports them).

use app::backend::db::DbError;
use app::backend::AppState;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;

/// Why the server could not start. Each renders as one line an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("secrets: {0}")]
    Secret(String),
    #[error("database: {0}")]
    Database(#[from] DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("initial data: {0}")]
    Seed(String),
}

/// The router's state: the Leptos options and the application state. Extractors clone it for
/// every request, so it is one reference count (as [`AppState`] is).
#[derive(Clone)]
pub struct ServerState(Arc<ServerParts>);

impl std::ops::Deref for ServerState {
    type Target = ServerParts;
    fn deref(&self) -> &ServerParts {
        &self.0
    }
}

impl From<ServerParts> for ServerState {
    fn from(parts: ServerParts) -> Self {
        ServerState(Arc::new(parts))
    }
}

/// What [`ServerState`] holds.
pub struct ServerParts {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
    /// See `--public-origin`.
    pub public_origin: Option<Arc<str>>,
    /// See `--trust-forwarded-for`.
    pub trust_forwarded_for: bool,
    /// See `--sms-reply-token`: the secret part of the address the SMS provider pushes replies
    /// to.
    pub sms_reply_token: Option<Arc<str>>,
    /// The open API's nonces and per-key limits (issue 19).
    pub api: Arc<crate::openapi_guard::Guard>,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> Self {
        s.leptos_options.clone()
    }
}

/// The PDF helper: `--pdf-helper`, or this process's own executable.
pub(crate) fn pdf_helper(
    args: &crate::config::ServeArgs,
) -> Result<app::backend::files::pdf_helper::PdfHelper, StartupError> {
    let exe = match &args.pdf_helper {
        Some(path) => path.clone(),
        None => std::env::current_exe().map_err(|e| {
            StartupError::Config(format!(
                "cannot find this server's executable for the PDF helper ({e}): give --pdf-helper"
            ))
        })?,
    };
    Ok(app::backend::files::pdf_helper::PdfHelper { exe })
}
