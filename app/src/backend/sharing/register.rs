//! The console's sharing register (issue 19; P3.1.1, P3.1.3, P4.1; privacy officers): adding a
//! recipient or changing one under the register's rules ([`RecipientForm::parse`]: the data
//! map's fields only, the storage region only, a purpose that never changes, the product's own
//! recipients kept able to receive what it sends them), audited.

use super::recipients;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::sharing::{Recipient, RecipientForm, Register};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// The register: every recipient, the storage region and the lawful disclosures (`actor_id`:
/// the reading officer, who may approve only disclosures someone else recorded).
pub async fn register(state: &AppState, actor_id: &str) -> AppResult<Register> {
    let mut conn = state.db.conn().await?;
    let recipients = recipients(&mut conn).await?;
    let disclosures = super::disclosures::list(&mut conn, actor_id).await?;
    Ok(Register {
        recipients,
        storage_region: state.settings.storage_region_code.clone(),
        disclosures,
    })
}

/// Adds the recipient `form` describes, or changes the one registered under its code. Every
/// problem is a field error and nothing is written; the change is audited with what it holds.
pub async fn save(state: &AppState, actor: &Actor, form: &RecipientForm) -> AppResult<String> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let existing = super::find(&mut tx, form.code.trim()).await?;
    let r = form
        .parse(&state.settings.storage_region_code, existing.as_ref(), now)
        .map_err(AppError::Invalid)?;
    let fields = r.fields.join(",");
    let (id, action) = match &existing {
        Some(e) => {
            sqlx::query(
                "UPDATE sharing_recipients SET name_zh = $1, name_en = $2, kind = $3, fields = $4, \
                 region = $5, contract_ref = $6, active_from = $7, active_to = $8 WHERE id = $9",
            )
            .bind(&r.name.zh)
            .bind(&r.name.en)
            .bind(r.kind.code())
            .bind(&fields)
            .bind(&r.region)
            .bind(&r.contract_ref)
            .bind(r.active_from.0)
            .bind(r.active_to.map(|t| t.0))
            .bind(&e.id)
            .execute(&mut *tx)
            .await?;
            (e.id.clone(), "sharing.recipient_change")
        }
        None => {
            let r = Recipient {
                id: crate::backend::ids::new_id(),
                ..r.clone()
            };
            insert(&mut tx, &r, now).await?;
            (r.id, "sharing.recipient_add")
        }
    };
    let detail = format!(
        "kind={} purpose={} fields={fields} region={} from={} to={}",
        r.kind.code(),
        r.purpose.code(),
        r.region,
        r.active_from.china_date(),
        r.active_to.map(|t| t.china_date()).unwrap_or_default(),
    );
    let target = format!("recipient:{}", r.code);
    audit::append(&mut tx, &Event::ok(actor, action, &target, &detail), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a new recipient (its id set by the caller); a code registered meanwhile (two saves
/// at once) is a field error, not a fault.
pub async fn insert(conn: &mut AnyConnection, r: &Recipient, now: UtcMillis) -> AppResult<()> {
    let done = sqlx::query(
        "INSERT INTO sharing_recipients (id, code, name_zh, name_en, kind, purpose, fields, \
         region, contract_ref, active_from, active_to, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (code) DO NOTHING",
    )
    .bind(&r.id)
    .bind(&r.code)
    .bind(&r.name.zh)
    .bind(&r.name.en)
    .bind(r.kind.code())
    .bind(r.purpose.code())
    .bind(r.fields.join(","))
    .bind(&r.region)
    .bind(&r.contract_ref)
    .bind(r.active_from.0)
    .bind(r.active_to.map(|t| t.0))
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::invalid("code", crate::error::Rule::Taken));
    }
    Ok(())
}
