//! Correction requests carried out (issue 16 §4, P6.2): the proposed values are kept with the
//! request (encrypted); a change of the enterprise's name or address waits for the new business
//! licence, uploaded on the request's page; when the officer completes the request the values
//! are applied in the same transaction, the values before kept beside them; a refusal changes
//! nothing. Both sides see before and after, and the business info page lists the enterprise's
//! applied corrections.

use super::store::RequestRow;
use crate::backend::accounts::users::UserRow;
use crate::backend::applications::{clean_name, seal_upload};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::FieldCipher;
use crate::backend::ids::new_id;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::application::FilePurpose;
use crate::model::conflict::Conflict;
use crate::model::rights::{
    CorrectionDetail, CorrectionField, CorrectionRecord, CorrectionView, RequestKind, RequestScope,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

fn seal(cipher: &FieldCipher, id: &str, column: &str, value: &str) -> String {
    cipher.encrypt_text(value, &format!("privacy_corrections.{column}:{id}"))
}

fn open(cipher: &FieldCipher, id: &str, column: &str, value: &str) -> AppResult<String> {
    cipher
        .decrypt_text(value, &format!("privacy_corrections.{column}:{id}"))
        .map_err(AppError::internal)
}

/// Keeps a new request's proposals (in its transaction).
pub async fn record(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    request_id: &str,
    proposals: &[(CorrectionField, String)],
) -> AppResult<()> {
    for (field, value) in proposals {
        let id = new_id();
        sqlx::query(
            "INSERT INTO privacy_corrections (id, request_id, field, proposed_enc) VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(request_id)
        .bind(field.code())
        .bind(seal(cipher, &id, "proposed", value))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Proposal {
    id: String,
    #[sqlx(try_from = "String")]
    field: CorrectionField,
    proposed_enc: String,
    before_enc: Option<String>,
    applied_at: Option<i64>,
}

async fn proposals(conn: &mut AnyConnection, request_id: &str) -> AppResult<Vec<Proposal>> {
    Ok(sqlx::query_as(
        "SELECT id, field, proposed_enc, before_enc, applied_at FROM privacy_corrections \
         WHERE request_id = $1 ORDER BY field",
    )
    .bind(request_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// The value a field holds now.
async fn current(
    conn: &mut AnyConnection,
    row: &RequestRow,
    field: CorrectionField,
) -> AppResult<String> {
    let (sql, id) = match field {
        CorrectionField::PersonName => ("SELECT name FROM users WHERE id = $1", Some(&row.user_id)),
        CorrectionField::EnterpriseName => (
            "SELECT name FROM enterprises WHERE id = $1",
            row.enterprise_id.as_ref(),
        ),
        CorrectionField::RegisteredAddress => (
            "SELECT registered_address FROM enterprises WHERE id = $1",
            row.enterprise_id.as_ref(),
        ),
        CorrectionField::BusinessScope => (
            "SELECT business_scope FROM enterprises WHERE id = $1",
            row.enterprise_id.as_ref(),
        ),
    };
    let id =
        id.ok_or_else(|| AppError::internal("an enterprise correction without its enterprise"))?;
    let value: Option<String> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(value.unwrap_or_default())
}

/// A correction request's proposals with the values before (now, while it is open), and its
/// licence; `None` for other kinds.
pub async fn detail(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    row: &RequestRow,
    licence_file_id: Option<String>,
) -> AppResult<Option<CorrectionDetail>> {
    if row.kind != RequestKind::Correction {
        return Ok(None);
    }
    let mut changes = Vec::new();
    for p in proposals(conn, &row.id).await? {
        let before = match &p.before_enc {
            Some(b) => open(cipher, &p.id, "before", b)?,
            None => current(conn, row, p.field).await?,
        };
        changes.push(CorrectionView {
            field: p.field,
            before,
            proposed: open(cipher, &p.id, "proposed", &p.proposed_enc)?,
            applied_at: p.applied_at.map(UtcMillis),
        });
    }
    Ok(Some(CorrectionDetail {
        needs_licence: changes.iter().any(|c| c.field.needs_licence()),
        changes,
        licence_file_id,
    }))
}

/// Applies a correction request's proposals (in the officer's completing transaction): each
/// value is written, and the value before kept. A change of the enterprise's name or address
/// needs its new licence first. Returns the fields applied (for the audit entry).
pub async fn apply(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    row: &RequestRow,
    licence_file_id: Option<&str>,
    now: UtcMillis,
) -> AppResult<Vec<CorrectionField>> {
    let list = proposals(conn, &row.id).await?;
    if licence_file_id.is_none() && list.iter().any(|p| p.field.needs_licence()) {
        return Err(AppError::Conflict(Conflict::CorrectionNeedsLicence));
    }
    let mut applied = Vec::new();
    for p in list.iter().filter(|p| p.applied_at.is_none()) {
        let value = open(cipher, &p.id, "proposed", &p.proposed_enc)?;
        let before = current(conn, row, p.field).await?;
        let no_enterprise =
            || AppError::internal("an enterprise correction without its enterprise");
        let column = match p.field {
            CorrectionField::PersonName => None,
            CorrectionField::EnterpriseName => Some("name"),
            CorrectionField::RegisteredAddress => Some("registered_address"),
            CorrectionField::BusinessScope => Some("business_scope"),
        };
        match column {
            None => {
                sqlx::query("UPDATE users SET name = $2, updated_at = $3 WHERE id = $1")
                    .bind(&row.user_id)
                    .bind(&value)
                    .bind(now.0)
                    .execute(&mut *conn)
                    .await?;
            }
            Some(column) => {
                let sql = format!("UPDATE enterprises SET {column} = $2 WHERE id = $1");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(row.enterprise_id.as_deref().ok_or_else(no_enterprise)?)
                    .bind(&value)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        sqlx::query(
            "UPDATE privacy_corrections SET before_enc = $2, applied_at = $3 WHERE id = $1",
        )
        .bind(&p.id)
        .bind(seal(cipher, &p.id, "before", &before))
        .bind(now.0)
        .execute(&mut *conn)
        .await?;
        applied.push(p.field);
    }
    Ok(applied)
}

/// The enterprise's applied corrections, newest first (its business info page).
pub async fn history(state: &AppState, enterprise_id: &str) -> AppResult<Vec<CorrectionRecord>> {
    let mut conn = state.db.conn().await?;
    type Row = (String, String, String, String, String, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.id, c.request_id, c.field, c.proposed_enc, c.before_enc, c.applied_at \
         FROM privacy_corrections c JOIN privacy_requests r ON r.id = c.request_id \
         WHERE r.enterprise_id = $1 AND r.scope = 'enterprise' AND c.applied_at IS NOT NULL \
         ORDER BY c.applied_at DESC, c.field",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, request_id, field, proposed, before, at)| {
            Ok(CorrectionRecord {
                request_id,
                field: CorrectionField::from_stored(&field, "privacy_corrections.field")?,
                before: open(&state.cipher, &id, "before", &before)?,
                after: open(&state.cipher, &id, "proposed", &proposed)?,
                applied_at: UtcMillis(at),
            })
        })
        .collect()
}

/// The requester uploads the new business licence for their open correction of the
/// enterprise's name or address (the admin who asked). It is kept with the enterprise's
/// application (so its reviewers, and the privacy officer handling the request, can open it);
/// a second upload replaces the first.
pub async fn attach_licence(
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    request_id: &str,
    original_name: &str,
    bytes: Vec<u8>,
) -> AppResult<String> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let row = super::store::get(&mut conn, request_id)
        .await?
        .filter(|r| r.user_id == user.id)
        .ok_or(AppError::NotFound)?;
    let needs = proposals(&mut conn, &row.id)
        .await?
        .iter()
        .any(|p| p.field.needs_licence());
    if !needs || !row.status.is_open() || row.scope != RequestScope::Enterprise {
        return Err(AppError::Conflict(Conflict::LicenceNotNeeded));
    }
    let eid = row.enterprise_id.clone().ok_or(AppError::NotFound)?;
    if !super::still_admin(&mut conn, &user.id, &eid).await? {
        return Err(AppError::Conflict(Conflict::RequesterNotAdmin));
    }
    let application: Option<String> =
        sqlx::query_scalar("SELECT application_id FROM enterprises WHERE id = $1")
            .bind(&eid)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    let application =
        application.ok_or_else(|| AppError::internal("an enterprise without its application"))?;
    drop(conn);
    let file = seal_upload(state, FilePurpose::CorrectionLicence, bytes).await?;
    let name = clean_name(original_name);
    let result = async {
        let mut tx = state.db.begin().await?;
        let old: Option<Option<String>> = sqlx::query_scalar(
            "SELECT licence_file_id FROM privacy_requests WHERE id = $1 \
             AND status IN ('unverified', 'verified', 'in_progress')",
        )
        .bind(&row.id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(old) = old else {
            return Err(AppError::Conflict(Conflict::LicenceNotNeeded));
        };
        crate::backend::applications::store::insert_file(
            &mut tx,
            &file.id,
            &application,
            FilePurpose::CorrectionLicence,
            file.kind,
            file.size,
            &file.sha256,
            &name,
            &user.id,
            now,
        )
        .await?;
        // Only while it is open and nobody replaced the licence meanwhile (an officer's
        // completion or a second upload at the same moment finds it moved on).
        let moved = sqlx::query(
            "UPDATE privacy_requests SET licence_file_id = $2, updated_at = $3 WHERE id = $1 \
             AND status IN ('unverified', 'verified', 'in_progress') \
             AND COALESCE(licence_file_id, '') = $4",
        )
        .bind(&row.id)
        .bind(&file.id)
        .bind(now.0)
        .bind(old.as_deref().unwrap_or(""))
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(AppError::Conflict(Conflict::LicenceNotNeeded));
        }
        if let Some(old) = &old {
            crate::backend::applications::store::delete_file(&mut tx, old).await?;
        }
        let target = super::target(&row.id);
        let event = Event {
            enterprise_id: Some(&eid),
            ..Event::ok(actor, "rights.licence_uploaded", &target, file.kind.mime())
        };
        audit::append(&mut tx, &event, now).await?;
        tx.commit().await?;
        Ok(old)
    }
    .await;
    match result {
        Err(e) => {
            file.discard(state);
            Err(e)
        }
        Ok(old) => {
            if let Some(old) = old {
                let _ = state.files.delete(&old);
            }
            Ok(file.id)
        }
    }
}
