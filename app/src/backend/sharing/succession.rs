//! Transfers in a merger, an acquisition, a bankruptcy or an asset transfer (issue 19; P3.2;
//! console `/ops/privacy/transfers`, privacy officers). Recording one, in one transaction:
//! registers the successor as a recipient, logs a sharing event for each affected enterprise
//! (every field of the data map goes), and tells every active login person of those
//! enterprises — who the successor is, what happens, on which basis and from when — through the
//! messages capability. Audited.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::Translate;
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::purpose::Purpose;
use crate::model::sharing::RecipientKind;
use crate::model::succession::{
    SuccessionBasis, SuccessionDraft, SuccessionForm, SuccessionKind, SuccessionView,
};
use crate::model::{Bilingual, Lang, UtcMillis};
use sqlx::AnyConnection;

/// Every field of the data map (`table.column`): a successor takes all of it.
fn every_field() -> Vec<String> {
    crate::model::data_map::tables()
        .flat_map(|t| {
            t.fields
                .iter()
                .map(move |f| format!("{}.{}", t.table, f.column))
        })
        .collect()
}

/// The affected enterprises' ids: every open one, or those with the named credit codes (an
/// unknown code is a field error).
async fn affected(conn: &mut AnyConnection, d: &SuccessionDraft) -> AppResult<Vec<String>> {
    if d.enterprises.is_empty() {
        return Ok(sqlx::query_scalar(
            "SELECT id FROM enterprises WHERE status = 'active' ORDER BY id",
        )
        .fetch_all(&mut *conn)
        .await?);
    }
    crate::backend::business::accounts_with_codes(conn, &d.enterprises, "enterprises").await
}

/// What every affected person is told.
fn notice_text(d: &SuccessionDraft) -> (Bilingual, Bilingual) {
    let kind = |l| crate::i18n::succession_kind_label(d.kind).text(l);
    let basis = |l| crate::i18n::succession_basis_label(d.basis).text(l);
    let date = d.effective_on.china_date();
    let title = Bilingual::new(
        format!("您的信息将转让给{}", d.successor),
        format!("Your information is to be transferred to {}", d.successor),
    );
    let body = Bilingual::new(
        format!(
            "因{}，自 {date} 起，平台持有的您的信息将转让给{}。依据：{}。\n\n{}\n\n详情见隐私中心的“数据共享记录”。",
            kind(Lang::ZhCn),
            d.successor,
            basis(Lang::ZhCn),
            d.summary.zh
        ),
        format!(
            "Because of a {}, from {date} the information the platform holds about you is transferred to {}. Basis: {}.\n\n{}\n\nThe privacy centre's \"Who received what\" shows it.",
            kind(Lang::En).to_lowercase(),
            d.successor,
            basis(Lang::En),
            d.summary.en
        ),
    );
    (title, body)
}

/// Records a transfer and tells everyone it affects; returns its id.
pub async fn record(state: &AppState, actor: &Actor, form: &SuccessionForm) -> AppResult<String> {
    let now = state.clock.now();
    let d = form.parse().map_err(AppError::Invalid)?;
    let mut tx = state.db.begin().await?;
    let enterprises = affected(&mut tx, &d).await?;
    let id = crate::backend::ids::new_id();
    // The successor, in the register: every field, the storage region, from the date on.
    let fields = every_field();
    let recipient = crate::model::sharing::Recipient {
        id: crate::backend::ids::new_id(),
        code: format!("successor_{}", &id[..12]),
        name: Bilingual::new(d.successor.clone(), d.successor.clone()),
        kind: RecipientKind::Successor,
        purpose: Purpose::Records,
        fields: fields.clone(),
        region: state.settings.storage_region_code.clone(),
        contract_ref: format!("{} · {}", d.kind.code(), d.basis.code()),
        active_from: d.effective_on,
        active_to: None,
    };
    super::register::insert(&mut tx, &recipient, now).await?;
    let (title, body) = notice_text(&d);
    let source = format!("succession:{id}");
    let notice = Notice {
        category: MessageCategory::Privacy,
        purpose: OutboxPurpose::DataTransfer,
        title: &title,
        body: &body,
        source: &source,
        email_only: false,
    };
    let reference = d.effective_on.china_date();
    let mut told = 0u32;
    for enterprise_id in &enterprises {
        let whose = super::Whose {
            enterprise_id: Some(enterprise_id),
            user_id: None,
        };
        super::record_fields(&mut tx, &recipient, &fields, whose, &reference, now).await?;
        let people: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM users WHERE enterprise_id = $1 AND status = 'active' ORDER BY id",
        )
        .bind(enterprise_id)
        .fetch_all(&mut *tx)
        .await?;
        for user in people {
            messages::tell(state, &mut tx, &user, &notice, now).await?;
            told += 1;
        }
    }
    sqlx::query(
        "INSERT INTO data_successions (id, successor, kind, basis, effective_on, everyone, \
         summary_zh, summary_en, recipient_id, enterprises, told, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(&d.successor)
    .bind(d.kind.code())
    .bind(d.basis.code())
    .bind(d.effective_on.0)
    .bind(i64::from(d.enterprises.is_empty()))
    .bind(&d.summary.zh)
    .bind(&d.summary.en)
    .bind(&recipient.id)
    .bind(enterprises.len() as i64)
    .bind(i64::from(told))
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "successor={} kind={} basis={} effective={reference} enterprises={} told={told}",
        d.successor,
        d.kind.code(),
        d.basis.code(),
        enterprises.len()
    );
    let target = format!("succession:{id}");
    let event = Event::ok(actor, "succession.record", &target, &detail);
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    successor: String,
    #[sqlx(try_from = "String")]
    kind: SuccessionKind,
    #[sqlx(try_from = "String")]
    basis: SuccessionBasis,
    effective_on: i64,
    summary_zh: String,
    summary_en: String,
    enterprises: i64,
    told: i64,
    recorded_by: String,
    recorded_at: i64,
}

impl From<Row> for SuccessionView {
    fn from(r: Row) -> Self {
        SuccessionView {
            id: r.id,
            successor: r.successor,
            kind: r.kind,
            basis: r.basis,
            effective_on: UtcMillis(r.effective_on),
            summary: Bilingual::new(r.summary_zh, r.summary_en),
            enterprises: r.enterprises.try_into().unwrap_or(u32::MAX),
            told: r.told.try_into().unwrap_or(u32::MAX),
            recorded_by: r.recorded_by,
            recorded_at: UtcMillis(r.recorded_at),
        }
    }
}

/// Every recorded transfer, newest first.
pub async fn list(state: &AppState) -> AppResult<Vec<SuccessionView>> {
    let mut conn = state.db.conn().await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, successor, kind, basis, effective_on, summary_zh, summary_en, enterprises, \
         told, recorded_by, recorded_at FROM data_successions ORDER BY recorded_at DESC, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(SuccessionView::from).collect())
}
