//! `GET /files/{id}`: an uploaded file, for its applicant, the members of its enterprise,
//! reviewers (and super-admins), and the privacy officers for a correction request's new licence
//! (every operator's look audited, P5.1). Anyone else gets 404, so a file's existence
//! is not disclosed. Files are sandboxed (`Content-Security-Policy: sandbox`) and never cached.

use crate::http::{error, session_token};
use crate::state::ServerState;
use app::backend::accounts::operators;
use app::backend::accounts::sessions::{self, PrincipalKind};
use app::backend::accounts::users;
use app::backend::applications::{self, Reader};
use app::backend::audit::Actor;
use app::backend::AppState;
use app::error::AppError;
use app::model::account::OperatorRole;
use app::model::audit::ActorKind;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::net::SocketAddr;

pub async fn serve_file(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ip = ip.map(|e| e.0 .0).unwrap_or_else(|| peer.ip().to_string());
    match read(&state.app, &id, &headers, &ip).await {
        Ok((info, bytes)) => {
            crate::http::sandboxed_file(&info.original_name, info.kind.mime(), bytes)
        }
        Err(e) => error(e),
    }
}

async fn read(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    ip: &str,
) -> Result<(app::model::application::StoredFileInfo, Vec<u8>), AppError> {
    let now = state.clock.now();
    if let Some(token) = session_token(headers, state, PrincipalKind::Operator) {
        if let Some(s) = sessions::lookup(
            &state.db,
            PrincipalKind::Operator,
            &token,
            state.sessions,
            now,
        )
        .await?
        .filter(|s| s.second_factor_ok)
        {
            let mut conn = state.db.pool().acquire().await?;
            if let Some(op) = operators::get(&mut conn, &s.principal_id)
                .await?
                .filter(|o| o.status == app::model::account::AccountStatus::Active)
            {
                // A privacy officer opens the new licence of a correction request waiting for an
                // officer (issue 16 §4); reviewers open every application file. Each look is
                // audited.
                let correction_licence = op.has_any(&[OperatorRole::PrivacyOfficer])
                    && sqlx::query_scalar::<_, String>(
                        "SELECT id FROM privacy_requests WHERE licence_file_id = $1 \
                         AND status IN ('verified', 'in_progress')",
                    )
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?
                    .is_some();
                drop(conn);
                if correction_licence || op.has_any(&[OperatorRole::Reviewer]) {
                    let actor = Actor {
                        kind: ActorKind::Operator,
                        id: op.id.clone(),
                        role: op.role_codes(),
                        ip: ip.to_string(),
                    };
                    return applications::read_file(state, id, Reader::Reviewer(&actor)).await;
                }
            }
        }
    }
    if let Some(token) = session_token(headers, state, PrincipalKind::User) {
        if let Some((_, user)) = users::by_session(state, &token).await? {
            // P9: business files wait until the policies in force are accepted.
            app::backend::policy::gate::require_accepted(state, &user.id).await?;
            return applications::read_file(state, id, Reader::User(&user)).await;
        }
    }
    Err(AppError::NotFound)
}
