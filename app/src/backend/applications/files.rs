//! The applicant's files (P1.1.1): uploads typed by content, stripped of metadata and
//! encrypted; removal while editable; reading by the applicant, their enterprise and
//! reviewers (every reviewer look audited).

use super::{own, store};
use crate::backend::accounts::users::UserRow;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::sha256_hex;
use crate::backend::files::strip;
use crate::backend::ids::new_id;
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::application::{FileKind, FilePurpose, StoredFileInfo, MAX_UPLOAD_BYTES};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;

/// A file name safe to show: the last path segment, no control characters, at most 100.
pub(crate) fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let s: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if s.trim().is_empty() {
        "file".into()
    } else {
        s
    }
}

/// An upload checked, stripped, encrypted and in the file store (its row not yet written:
/// a caller that fails to write it deletes the bytes with [`Sealed::discard`]).
pub struct Sealed {
    pub id: String,
    pub kind: FileKind,
    pub size: usize,
    pub sha256: String,
}

impl Sealed {
    pub fn discard(&self, state: &AppState) {
        let _ = state.files.delete(&self.id);
    }
}

/// Checks an upload for `purpose` — the type read from the content (JPEG, PNG or PDF; photos
/// JPEG or PNG), its size and pixels — strips its metadata (PDFs in the helper process),
/// encrypts it bound to a new id, and puts it in the file store.
pub async fn seal_upload(
    state: &AppState,
    purpose: FilePurpose,
    bytes: Vec<u8>,
) -> AppResult<Sealed> {
    seal_checked(state, |k| purpose.allows(k), bytes).await
}

/// [`seal_upload`] for a file of any kind `allows` takes (a support ticket's: JPEG, PNG or PDF).
pub async fn seal_checked(
    state: &AppState,
    allows: impl Fn(FileKind) -> bool,
    bytes: Vec<u8>,
) -> AppResult<Sealed> {
    if bytes.is_empty() {
        return Err(AppError::invalid("file", Rule::Required));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(AppError::invalid(
            "file",
            Rule::FileTooLarge {
                max_mb: (MAX_UPLOAD_BYTES >> 20) as u32,
            },
        ));
    }
    let kind = FileKind::sniff(&bytes)
        .filter(|k| allows(*k))
        .ok_or(AppError::invalid("file", Rule::FileType))?;
    // Issue 14: an image that declares more pixels than a reviewer's browser should draw.
    if strip::dimensions(&bytes).is_some_and(|d| !strip::dimensions_allowed(d)) {
        return Err(AppError::invalid("file", Rule::ImageTooLarge));
    }
    // Issue 14: a PDF is parsed only in the helper process, which has limits.
    let stripped = match kind {
        FileKind::Pdf => state
            .pdf_helper
            .strip(bytes)
            .await
            .map_err(AppError::internal)?,
        FileKind::Jpeg | FileKind::Png => tokio::task::spawn_blocking(move || {
            let image = if kind == FileKind::Jpeg {
                strip::strip_jpeg(&bytes)
            } else {
                strip::strip_png(&bytes)
            };
            image.map_err(|_| Rule::FileDamaged)
        })
        .await
        .map_err(AppError::internal)?,
    };
    let clean = stripped.map_err(|rule| AppError::invalid("file", rule))?;
    let id = new_id();
    let sealed = state
        .cipher
        .encrypt(&clean, format!("file:{id}").as_bytes());
    let store = state.files.clone();
    let key = id.clone();
    tokio::task::spawn_blocking(move || store.put(&key, &sealed))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    Ok(Sealed {
        id,
        kind,
        size: clean.len(),
        sha256: sha256_hex(&clean),
    })
}

/// Stores an upload for the caller's application ([`seal_upload`]).
pub async fn upload(
    state: &AppState,
    user: &UserRow,
    purpose: FilePurpose,
    original_name: &str,
    bytes: Vec<u8>,
    actor: &Actor,
) -> AppResult<StoredFileInfo> {
    let now = state.clock.now();
    let row = own(state, user).await?;
    if !row.status.editable() {
        return Err(AppError::Conflict(Conflict::ApplicationLocked));
    }
    let file = seal_upload(state, purpose, bytes).await?;
    let (id, kind) = (file.id.clone(), file.kind);
    let name = clean_name(original_name);
    let result = async {
        let mut tx = state.db.begin().await?;
        // Status and counts are checked after locking the application, so parallel uploads
        // cannot pass the limits or reach a submitted application.
        store::lock_editable(&mut tx, &row.id, now).await?;
        let same: Vec<_> = store::files_of(&mut tx, &row.id)
            .await?
            .into_iter()
            .filter(|f| f.info.purpose == purpose)
            .collect();
        // A new licence replaces the old one; photos are limited to 9.
        let replaced = if purpose == FilePurpose::Licence {
            same.into_iter().next()
        } else {
            if same.len() >= purpose.max_count() {
                return Err(AppError::invalid(
                    "file",
                    Rule::TooMany {
                        max: purpose.max_count() as u32,
                    },
                ));
            }
            None
        };
        if let Some(old) = &replaced {
            store::delete_file(&mut tx, &old.info.id).await?;
        }
        store::insert_file(
            &mut tx,
            &id,
            &row.id,
            purpose,
            kind,
            file.size,
            &file.sha256,
            &name,
            &user.id,
            now,
        )
        .await?;
        audit::append(
            &mut tx,
            &Event {
                actor,
                enterprise_id: None,
                action: "application.file.upload",
                target: &format!("file:{id}"),
                result: AuditResult::Ok,
                detail: &format!("{} {} {} bytes", purpose.code(), kind.mime(), file.size),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(replaced)
    }
    .await;
    match result {
        Err(e) => {
            // Nothing half-written: the row is not there, so the bytes go too.
            file.discard(state);
            return Err(e);
        }
        Ok(Some(old)) => {
            let _ = state.files.delete(&old.storage_key);
        }
        Ok(None) => {}
    }
    Ok(StoredFileInfo {
        id,
        purpose,
        kind,
        size_bytes: file.size as i64,
        original_name: name,
        uploaded_at: now,
    })
}

/// Removes one of the caller's files while the application is editable.
pub async fn delete_file(
    state: &AppState,
    user: &UserRow,
    file_id: &str,
    actor: &Actor,
) -> AppResult<()> {
    let now = state.clock.now();
    let row = own(state, user).await?;
    if !row.status.editable() {
        return Err(AppError::Conflict(Conflict::ApplicationLocked));
    }
    let mut tx = state.db.begin().await?;
    store::lock_editable(&mut tx, &row.id, now).await?;
    let file = store::file(&mut tx, file_id)
        .await?
        .filter(|f| f.application_id == row.id)
        .ok_or(AppError::NotFound)?;
    store::delete_file(&mut tx, file_id).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: None,
            action: "application.file.delete",
            target: &format!("file:{file_id}"),
            result: AuditResult::Ok,
            detail: file.info.purpose.code(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    let _ = state.files.delete(&file.storage_key);
    Ok(())
}

/// Who may read a file.
pub enum Reader<'a> {
    /// A login person: their own application's files, or their enterprise's.
    User(&'a UserRow),
    /// A reviewer (role checked by the caller); the look is audited.
    Reviewer(&'a Actor),
}

/// A file's bytes, decrypted, for a reader allowed to see them. Anyone else gets `NotFound`
/// (not `Forbidden`: a file's existence is not disclosed).
pub async fn read_file(
    state: &AppState,
    file_id: &str,
    reader: Reader<'_>,
) -> AppResult<(StoredFileInfo, Vec<u8>)> {
    let mut conn = state.db.conn().await?;
    let file = store::file(&mut conn, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let app = store::by_id(&mut conn, &file.application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    match reader {
        Reader::User(u) => {
            let own = app.user_id == u.id;
            let same_enterprise =
                app.enterprise_id.is_some() && app.enterprise_id == u.enterprise_id;
            if !own && !same_enterprise {
                return Err(AppError::NotFound);
            }
        }
        Reader::Reviewer(actor) => {
            audit::record(
                &state.db,
                &Event {
                    actor,
                    enterprise_id: app.enterprise_id.as_deref(),
                    action: "application.file.view",
                    target: &format!("file:{file_id}"),
                    result: AuditResult::Ok,
                    detail: &format!("application:{}", app.id),
                },
                state.clock.now(),
            )
            .await?;
        }
    }
    // A file replaced or removed just now (its row read a moment before) is simply gone.
    let bytes = crate::backend::files::open_sealed(state, &file.storage_key, &file.info.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((file.info, bytes))
}
