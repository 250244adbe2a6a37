//! SQL of applications and their files.

use crate::error::{AppError, AppResult};
use crate::model::application::{
    ApplicationInput, ApplicationStatus, ApplicationSummary, Duplicates, FileKind, FilePurpose,
    StoredFileInfo,
};
use crate::model::conflict::Conflict;
use crate::model::{UnknownCode, UtcMillis};
use sqlx::AnyConnection;

/// An application row.
#[derive(Clone, Debug)]
pub struct AppRow {
    pub id: String,
    pub user_id: String,
    pub status: ApplicationStatus,
    pub input: ApplicationInput,
    pub credit_code_check_ok: bool,
    pub reviewer_message: String,
    pub override_reason: String,
    pub enterprise_id: Option<String>,
    pub submitted_at: Option<UtcMillis>,
    pub decided_at: Option<UtcMillis>,
}

const COLUMNS: &str = "id, user_id, status, enterprise_name, credit_code, credit_code_check_ok, \
    duplicate_review, registered_address, business_scope, platform_name, platform_url, platform_description, \
    outsourced_work, reviewer_message, override_reason, enterprise_id, submitted_at, decided_at";

/// One `applications` row as [`COLUMNS`] selects it.
#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: String,
    user_id: String,
    #[sqlx(try_from = "String")]
    status: ApplicationStatus,
    enterprise_name: String,
    credit_code: String,
    credit_code_check_ok: i64,
    duplicate_review: i64,
    registered_address: String,
    business_scope: String,
    platform_name: String,
    platform_url: String,
    platform_description: String,
    outsourced_work: String,
    reviewer_message: String,
    override_reason: String,
    enterprise_id: Option<String>,
    submitted_at: Option<i64>,
    decided_at: Option<i64>,
}

impl From<ApplicationRow> for AppRow {
    fn from(r: ApplicationRow) -> Self {
        let check_ok = r.credit_code_check_ok != 0;
        AppRow {
            id: r.id,
            user_id: r.user_id,
            status: r.status,
            input: ApplicationInput {
                enterprise_name: r.enterprise_name,
                credit_code: r.credit_code,
                credit_code_manual_check: !check_ok,
                duplicate_review: r.duplicate_review != 0,
                registered_address: r.registered_address,
                business_scope: r.business_scope,
                platform_name: r.platform_name,
                platform_url: r.platform_url,
                platform_description: r.platform_description,
                outsourced_work: r.outsourced_work,
            },
            credit_code_check_ok: check_ok,
            reviewer_message: r.reviewer_message,
            override_reason: r.override_reason,
            enterprise_id: r.enterprise_id,
            submitted_at: r.submitted_at.map(UtcMillis),
            decided_at: r.decided_at.map(UtcMillis),
        }
    }
}

pub async fn by_user(conn: &mut AnyConnection, user_id: &str) -> AppResult<Option<AppRow>> {
    let row: Option<ApplicationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications WHERE user_id = $1"
    )))
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(AppRow::from))
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> AppResult<Option<AppRow>> {
    let row: Option<ApplicationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(AppRow::from))
}

/// Locks an application for a change by its applicant (the row lock on PostgreSQL; SQLite
/// transactions hold the write lock already); `application_locked` unless it is editable.
pub async fn lock_editable(conn: &mut AnyConnection, id: &str, now: UtcMillis) -> AppResult<()> {
    let r = sqlx::query(
        "UPDATE applications SET updated_at = $1 WHERE id = $2 AND status IN ('draft', 'more_info', 'rejected')",
    )
    .bind(now.0)
    .bind(id)
    .execute(&mut *conn)
    .await
    ?;
    if r.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict(Conflict::ApplicationLocked))
    }
}

/// Saves the typed fields (a draft may be incomplete).
pub async fn save_fields(
    conn: &mut AnyConnection,
    id: &str,
    input: &ApplicationInput,
    check_ok: bool,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE applications SET enterprise_name = $1, credit_code = $2, credit_code_check_ok = $3, \
         registered_address = $4, business_scope = $5, platform_name = $6, platform_url = $7, \
         platform_description = $8, outsourced_work = $9, updated_at = $10, duplicate_review = $11 \
         WHERE id = $12",
    )
    .bind(&input.enterprise_name)
    .bind(&input.credit_code)
    .bind(i64::from(check_ok))
    .bind(&input.registered_address)
    .bind(&input.business_scope)
    .bind(&input.platform_name)
    .bind(&input.platform_url)
    .bind(&input.platform_description)
    .bind(&input.outsourced_work)
    .bind(now.0)
    .bind(i64::from(input.duplicate_review))
    .bind(id)
    .execute(&mut *conn)
    .await
    ?;
    Ok(())
}

/// Moves an application from one of `from` to `to`; false when its status was another.
pub async fn transition(
    conn: &mut AnyConnection,
    id: &str,
    from: &[ApplicationStatus],
    to: ApplicationStatus,
    now: UtcMillis,
) -> AppResult<bool> {
    // At most three source states: bind them as a fixed list.
    let f = |i: usize| from.get(i).or(from.first()).map(|s| s.code()).unwrap_or("");
    let r = sqlx::query(
        "UPDATE applications SET status = $1, updated_at = $2, \
         submitted_at = CASE WHEN $1 = 'submitted' THEN $2 ELSE submitted_at END, \
         decided_at = CASE WHEN $1 = 'submitted' THEN decided_at ELSE $2 END \
         WHERE id = $3 AND status IN ($4, $5, $6)",
    )
    .bind(to.code())
    .bind(now.0)
    .bind(id)
    .bind(f(0))
    .bind(f(1))
    .bind(f(2))
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn record_decision(
    conn: &mut AnyConnection,
    id: &str,
    reviewer: &str,
    message: &str,
    override_reason: &str,
    enterprise_id: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE applications SET reviewed_by = $1, reviewer_message = $2, override_reason = $3, \
         enterprise_id = $4 WHERE id = $5",
    )
    .bind(reviewer)
    .bind(message)
    .bind(override_reason)
    .bind(enterprise_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A stored file row, with where its bytes are.
#[derive(Clone, Debug)]
pub struct FileRow {
    pub info: StoredFileInfo,
    pub application_id: String,
    pub storage_key: String,
}

/// One `stored_files` row as [`FILE_COLUMNS`] selects it.
#[derive(sqlx::FromRow)]
struct StoredFileRow {
    id: String,
    application_id: String,
    #[sqlx(try_from = "String")]
    purpose: FilePurpose,
    content_type: String,
    size_bytes: i64,
    original_name: String,
    storage_key: String,
    created_at: i64,
}

impl TryFrom<StoredFileRow> for FileRow {
    type Error = UnknownCode;
    fn try_from(r: StoredFileRow) -> Result<Self, UnknownCode> {
        // Only the three accepted kinds are ever stored; anything else fails the read.
        let kind = FileKind::from_mime(&r.content_type).ok_or_else(|| {
            UnknownCode::new(
                "FileKind",
                "application_files.content_type",
                &r.content_type,
            )
        })?;
        Ok(FileRow {
            info: StoredFileInfo {
                id: r.id,
                purpose: r.purpose,
                kind,
                size_bytes: r.size_bytes,
                original_name: r.original_name,
                uploaded_at: UtcMillis(r.created_at),
            },
            application_id: r.application_id,
            storage_key: r.storage_key,
        })
    }
}

const FILE_COLUMNS: &str =
    "id, application_id, purpose, content_type, size_bytes, original_name, storage_key, created_at";

pub async fn files_of(conn: &mut AnyConnection, application_id: &str) -> AppResult<Vec<FileRow>> {
    let rows: Vec<StoredFileRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {FILE_COLUMNS} FROM stored_files WHERE application_id = $1 ORDER BY created_at, id"
    )))
    .bind(application_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(FileRow::try_from)
        .collect::<Result<_, _>>()?)
}

pub async fn file(conn: &mut AnyConnection, id: &str) -> AppResult<Option<FileRow>> {
    let row: Option<StoredFileRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {FILE_COLUMNS} FROM stored_files WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(FileRow::try_from).transpose()?)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_file(
    conn: &mut AnyConnection,
    id: &str,
    application_id: &str,
    purpose: FilePurpose,
    kind: FileKind,
    size: usize,
    sha256: &str,
    original_name: &str,
    uploaded_by: &str,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO stored_files (id, application_id, purpose, content_type, size_bytes, sha256, \
         storage_key, original_name, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $8, $9)",
    )
    .bind(id)
    .bind(application_id)
    .bind(purpose.code())
    .bind(kind.mime())
    .bind(size as i64)
    .bind(sha256)
    .bind(original_name)
    .bind(uploaded_by)
    .bind(now.0)
    .execute(&mut *conn)
    .await
    ?;
    Ok(())
}

pub async fn delete_file(conn: &mut AnyConnection, id: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM stored_files WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An application in the review queue (its duplicates are looked up afterwards).
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    #[sqlx(try_from = "String")]
    status: ApplicationStatus,
    enterprise_name: String,
    credit_code: String,
    credit_code_check_ok: i64,
    submitted_at: Option<i64>,
}

impl From<SummaryRow> for ApplicationSummary {
    fn from(r: SummaryRow) -> Self {
        ApplicationSummary {
            id: r.id,
            status: r.status,
            enterprise_name: r.enterprise_name,
            credit_code: r.credit_code,
            credit_code_check_ok: r.credit_code_check_ok != 0,
            duplicates: Duplicates::default(),
            submitted_at: r.submitted_at.map(UtcMillis),
        }
    }
}

/// The review queue: applications in `status`, oldest submission first.
pub async fn queue(
    conn: &mut AnyConnection,
    status: ApplicationStatus,
) -> AppResult<Vec<ApplicationSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, status, enterprise_name, credit_code, credit_code_check_ok, submitted_at \
         FROM applications WHERE status = $1 ORDER BY submitted_at, id LIMIT 200",
    )
    .bind(status.code())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut summary = ApplicationSummary::from(row);
        summary.duplicates = duplicates(conn, &summary.id, &summary.credit_code).await?;
        out.push(summary);
    }
    Ok(out)
}

/// Other holders of `credit_code`: open enterprises, and applications waiting for review
/// other than `application_id` (both looked up by index).
pub async fn duplicates(
    conn: &mut AnyConnection,
    application_id: &str,
    credit_code: &str,
) -> AppResult<Duplicates> {
    if credit_code.is_empty() {
        return Ok(Duplicates::default());
    }
    let registered = registered_holders(conn, credit_code, application_id).await?;
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applications WHERE credit_code = $1 AND status = 'submitted' AND id <> $2",
    )
    .bind(credit_code)
    .bind(application_id)
    .fetch_one(&mut *conn)
    .await
    ?;
    Ok(Duplicates {
        registered,
        pending: u32::try_from(pending).unwrap_or(u32::MAX),
    })
}

/// The names of the open enterprises that hold `credit_code`, other than the one opened from
/// `application_id` (an approved application does not duplicate itself).
pub async fn registered_holders(
    conn: &mut AnyConnection,
    credit_code: &str,
    application_id: &str,
) -> AppResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT name FROM enterprises WHERE credit_code = $1 AND status = 'active' \
         AND (application_id IS NULL OR application_id <> $2) ORDER BY created_at",
    )
    .bind(credit_code)
    .bind(application_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(AppError::internal)
}

/// Serialises the decisions on one credit code, so that two reviewers approving two
/// applications with the same code at once cannot both find it free.
pub async fn lock_credit_code(
    conn: &mut AnyConnection,
    engine: crate::backend::db::Engine,
    credit_code: &str,
) -> AppResult<()> {
    Ok(crate::backend::db::lock_key(conn, engine, credit_code).await?)
}
