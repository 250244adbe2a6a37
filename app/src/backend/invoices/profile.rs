//! The invoice profile (开票信息, issue 17): saved by the admin or a finance member, every
//! version kept (sealed) for the history, and a legacy taxpayer ID accepted or refused by a
//! reviewer with a reason — never silently.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::Email;
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::funds::mask_card;
use crate::model::invoice::{
    FieldChange, PendingTaxpayerId, ProfileChange, ProfileFacts, ProfileInput, ProfilePage,
    ProfileView, TaxpayerIdState, TaxpayerType,
};
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

fn ctx(column: &str, enterprise_id: &str) -> String {
    format!("invoice_profiles.{column}:{enterprise_id}")
}

/// A saved version of the profile, as the history keeps it (sealed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Snapshot {
    taxpayer_type: String,
    title: String,
    taxpayer_id: String,
    reg_address: String,
    reg_phone: String,
    bank_name: String,
    bank_account: String,
    mail_name: String,
    mail_phone: String,
    mail_address: String,
    emails: Vec<String>,
}

impl Snapshot {
    fn of(p: &ProfileInput) -> Snapshot {
        Snapshot {
            taxpayer_type: p.taxpayer_type.code().into(),
            title: p.title.clone(),
            taxpayer_id: p.taxpayer_id.as_str().into(),
            reg_address: p.reg_address.clone(),
            reg_phone: p.reg_phone.clone(),
            bank_name: p.bank_name.clone(),
            bank_account: p.bank_account.clone(),
            mail_name: p.mail_name.clone(),
            mail_phone: p.mail_phone.clone(),
            mail_address: p.mail_address.clone(),
            emails: p.emails.iter().map(|e| e.as_str().to_string()).collect(),
        }
    }

    /// The fields as the history shows them: account and phone masked.
    fn shown(&self) -> [(&'static str, String); 11] {
        let mask_phone = |p: &str| {
            if p.len() > 4 {
                format!("****{}", &p[p.len() - 4..])
            } else {
                p.to_string()
            }
        };
        [
            ("taxpayer_type", self.taxpayer_type.clone()),
            ("title", self.title.clone()),
            ("taxpayer_id", self.taxpayer_id.clone()),
            ("reg_address", self.reg_address.clone()),
            ("reg_phone", self.reg_phone.clone()),
            ("bank_name", self.bank_name.clone()),
            (
                "bank_account",
                if self.bank_account.is_empty() {
                    String::new()
                } else {
                    mask_card(&self.bank_account)
                },
            ),
            ("mail_name", self.mail_name.clone()),
            ("mail_phone", mask_phone(&self.mail_phone)),
            ("mail_address", self.mail_address.clone()),
            ("emails", self.emails.join(", ")),
        ]
    }
}

/// The stored profile row.
#[derive(sqlx::FromRow)]
struct ProfileRow {
    #[sqlx(try_from = "String")]
    taxpayer_type: TaxpayerType,
    title: String,
    taxpayer_id: String,
    #[sqlx(try_from = "String")]
    taxpayer_id_state: TaxpayerIdState,
    override_reason: String,
    reg_address: String,
    reg_phone: String,
    bank_name: String,
    bank_account_enc: String,
    bank_account_hint: String,
    mail_name: String,
    mail_phone_enc: String,
    mail_phone_hint: String,
    mail_address: String,
    emails_enc: String,
    updated_at: i64,
    updated_by: Option<String>,
}

/// The enterprise's profile, opened.
pub async fn get(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
) -> AppResult<Option<ProfileView>> {
    let row: Option<ProfileRow> = sqlx::query_as(
        "SELECT p.taxpayer_type, p.title, p.taxpayer_id, p.taxpayer_id_state, p.override_reason, p.reg_address, \
         p.reg_phone, p.bank_name, p.bank_account_enc, p.bank_account_hint, p.mail_name, p.mail_phone_enc, \
         p.mail_phone_hint, p.mail_address, p.emails_enc, p.updated_at, u.name AS updated_by \
         FROM invoice_profiles p LEFT JOIN users u ON u.id = p.updated_by WHERE p.enterprise_id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let open = |stored: &str, column: &str| {
        state
            .cipher
            .decrypt_text(stored, &ctx(column, enterprise_id))
            .map_err(AppError::internal)
    };
    Ok(Some(ProfileView {
        taxpayer_type: r.taxpayer_type,
        title: r.title,
        taxpayer_id: r.taxpayer_id,
        taxpayer_id_state: r.taxpayer_id_state,
        override_reason: r.override_reason,
        reg_address: r.reg_address,
        reg_phone: r.reg_phone,
        bank_name: r.bank_name,
        bank_account: open(&r.bank_account_enc, "bank_account")?,
        bank_account_masked: r.bank_account_hint,
        mail_name: r.mail_name,
        mail_phone: open(&r.mail_phone_enc, "mail_phone")?,
        mail_phone_masked: r.mail_phone_hint,
        mail_address: r.mail_address,
        emails: open(&r.emails_enc, "emails")?
            .lines()
            .map(str::to_string)
            .collect(),
        updated_at: UtcMillis(r.updated_at),
        updated_by: r.updated_by.unwrap_or_default(),
    }))
}

/// What an application checks of the profile.
pub fn facts(p: &ProfileView) -> ProfileFacts {
    ProfileFacts {
        has_reg_address: !p.reg_address.is_empty(),
        has_reg_phone: !p.reg_phone.is_empty(),
        has_bank: !p.bank_account.is_empty(),
        has_mailing: !p.mail_name.is_empty()
            && !p.mail_phone.is_empty()
            && !p.mail_address.is_empty(),
        email_count: p.emails.len(),
    }
}

/// Saves the profile. A credit code passing its check is valid at once; a legacy ID waits for
/// a reviewer, unless it is the same ID a reviewer already accepted.
pub async fn save(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    input: &ProfileInput,
) -> AppResult<ProfilePage> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // One writer of the enterprise's invoicing at a time: a reviewer's decision and a save (or
    // an application reading the profile) never interleave (PostgreSQL; SQLite has one writer).
    crate::backend::db::lock_key(
        &mut tx,
        state.db.engine(),
        &format!("invoice:{enterprise_id}"),
    )
    .await?;
    let before: Option<(String, String)> = sqlx::query_as(
        "SELECT taxpayer_id, taxpayer_id_state FROM invoice_profiles WHERE enterprise_id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(&mut *tx)
    .await?;
    let id = input.taxpayer_id.as_str();
    let (id_state, keep_override) = match (&before, input.taxpayer_id.needs_override()) {
        (_, false) => (TaxpayerIdState::Valid, false),
        (Some((old, state)), true) if old == id && state == "overridden" => {
            (TaxpayerIdState::Overridden, true)
        }
        (_, true) => (TaxpayerIdState::Pending, false),
    };
    let seal = |value: &str, column: &str| {
        state
            .cipher
            .encrypt_text(value, &ctx(column, enterprise_id))
    };
    let emails: Vec<&str> = input.emails.iter().map(Email::as_str).collect();
    let phone_hint = if input.mail_phone.len() > 4 {
        format!("****{}", &input.mail_phone[input.mail_phone.len() - 4..])
    } else {
        String::new()
    };
    let account_hint = if input.bank_account.is_empty() {
        String::new()
    } else {
        mask_card(&input.bank_account)
    };
    sqlx::query(
        "INSERT INTO invoice_profiles (enterprise_id, taxpayer_type, title, taxpayer_id, taxpayer_id_state, override_reason, \
         reg_address, reg_phone, bank_name, bank_account_enc, bank_account_hint, mail_name, mail_phone_enc, mail_phone_hint, \
         mail_address, emails_enc, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (enterprise_id) DO UPDATE SET taxpayer_type = excluded.taxpayer_type, title = excluded.title, \
         taxpayer_id = excluded.taxpayer_id, taxpayer_id_state = excluded.taxpayer_id_state, \
         override_reason = CASE WHEN $18 = 1 THEN invoice_profiles.override_reason ELSE '' END, \
         override_by = CASE WHEN $18 = 1 THEN invoice_profiles.override_by ELSE NULL END, \
         override_at = CASE WHEN $18 = 1 THEN invoice_profiles.override_at ELSE NULL END, \
         reg_address = excluded.reg_address, reg_phone = excluded.reg_phone, bank_name = excluded.bank_name, \
         bank_account_enc = excluded.bank_account_enc, bank_account_hint = excluded.bank_account_hint, \
         mail_name = excluded.mail_name, mail_phone_enc = excluded.mail_phone_enc, mail_phone_hint = excluded.mail_phone_hint, \
         mail_address = excluded.mail_address, emails_enc = excluded.emails_enc, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(enterprise_id)
    .bind(input.taxpayer_type.code())
    .bind(&input.title)
    .bind(id)
    .bind(id_state.code())
    .bind(&input.reg_address)
    .bind(&input.reg_phone)
    .bind(&input.bank_name)
    .bind(seal(&input.bank_account, "bank_account"))
    .bind(&account_hint)
    .bind(&input.mail_name)
    .bind(seal(&input.mail_phone, "mail_phone"))
    .bind(&phone_hint)
    .bind(&input.mail_address)
    .bind(seal(&emails.join("\n"), "emails"))
    .bind(&actor.id)
    .bind(now.0)
    .bind(i64::from(keep_override))
    .execute(&mut *tx)
    .await?;
    let history_id = crate::backend::ids::new_time_ordered_id();
    let snapshot = serde_json::to_string(&Snapshot::of(input)).map_err(AppError::internal)?;
    sqlx::query(
        "INSERT INTO invoice_profile_history (id, enterprise_id, snapshot_enc, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&history_id)
    .bind(enterprise_id)
    .bind(
        state
            .cipher
            .encrypt_text(&snapshot, &format!("invoice_profile_history.snapshot:{history_id}")),
    )
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "invoice.profile_save",
            target: &format!("enterprise:{enterprise_id}"),
            result: AuditResult::Ok,
            detail: &format!("taxpayer_id:{}", id_state.code()),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    page(state, enterprise_id).await
}

/// The profile and its history, newest change first.
pub async fn page(state: &AppState, enterprise_id: &str) -> AppResult<ProfilePage> {
    let mut conn = state.db.conn().await?;
    let profile = get(state, &mut conn, enterprise_id).await?;
    let rows: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT h.id, h.snapshot_enc, h.changed_at, u.name FROM invoice_profile_history h \
         LEFT JOIN users u ON u.id = h.changed_by WHERE h.enterprise_id = $1 ORDER BY h.changed_at, h.id",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut history = Vec::with_capacity(rows.len());
    let mut previous = Snapshot::default();
    for (id, sealed, at, by) in rows {
        let json = state
            .cipher
            .decrypt_text(&sealed, &format!("invoice_profile_history.snapshot:{id}"))
            .map_err(AppError::internal)?;
        let snap: Snapshot = serde_json::from_str(&json).map_err(AppError::internal)?;
        let changes: Vec<FieldChange> = previous
            .shown()
            .into_iter()
            .zip(snap.shown())
            .filter(|((_, before), (_, after))| before != after)
            .map(|((field, before), (_, after))| FieldChange {
                field: field.to_string(),
                before,
                after,
            })
            .collect();
        history.push(ProfileChange {
            at: UtcMillis(at),
            by: by.unwrap_or_default(),
            changes,
        });
        previous = snap;
    }
    history.reverse();
    Ok(ProfilePage { profile, history })
}

/// Legacy taxpayer IDs waiting for a reviewer.
pub async fn pending(state: &AppState) -> AppResult<Vec<PendingTaxpayerId>> {
    let mut conn = state.db.conn().await?;
    let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT p.enterprise_id, e.name, e.credit_code, p.title, p.taxpayer_id, p.updated_at FROM invoice_profiles p \
         JOIN enterprises e ON e.id = p.enterprise_id WHERE p.taxpayer_id_state = 'pending' ORDER BY p.updated_at LIMIT 200",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(enterprise_id, enterprise_name, credit_code, title, taxpayer_id, at)| {
                PendingTaxpayerId {
                    enterprise_id,
                    enterprise_name,
                    credit_code,
                    title,
                    taxpayer_id,
                    updated_at: UtcMillis(at),
                }
            },
        )
        .collect())
}

/// A reviewer accepts (`accept`) or refuses a legacy taxpayer ID, with a reason either way;
/// the enterprise's admins are told.
pub async fn decide_taxpayer_id(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    taxpayer_id: &str,
    accept: bool,
    reason: &str,
) -> AppResult<()> {
    let reason =
        crate::model::form::parse_text(reason, 200).map_err(|r| AppError::invalid("reason", r))?;
    let now = state.clock.now();
    let to = if accept {
        TaxpayerIdState::Overridden
    } else {
        TaxpayerIdState::Refused
    };
    let mut tx = state.db.begin().await?;
    crate::backend::db::lock_key(
        &mut tx,
        state.db.engine(),
        &format!("invoice:{enterprise_id}"),
    )
    .await?;
    // The ID the reviewer saw: a profile saved again meanwhile is decided afresh.
    let done = sqlx::query(
        "UPDATE invoice_profiles SET taxpayer_id_state = $1, override_reason = $2, override_by = $3, override_at = $4 \
         WHERE enterprise_id = $5 AND taxpayer_id = $6 AND taxpayer_id_state = 'pending'",
    )
    .bind(to.code())
    .bind(&reason)
    .bind(&actor.id)
    .bind(now.0)
    .bind(enterprise_id)
    .bind(taxpayer_id.trim())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::TaxpayerIdNotPending));
    }
    let title = crate::model::Bilingual::new(
        if accept {
            "纳税人识别号已确认"
        } else {
            "纳税人识别号被退回"
        },
        if accept {
            "Taxpayer ID accepted"
        } else {
            "Taxpayer ID refused"
        },
    );
    let body = crate::model::Bilingual::new(
        format!(
            "平台审核人员{}了开票信息中的纳税人识别号 {}：{reason}",
            if accept { "确认" } else { "退回" },
            taxpayer_id.trim()
        ),
        format!(
            "A platform reviewer {} the taxpayer ID {} of your invoice profile: {reason}",
            if accept { "accepted" } else { "refused" },
            taxpayer_id.trim()
        ),
    );
    super::tell_admins(state, &mut tx, enterprise_id, &title, &body, now).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: if accept {
                "invoice.taxpayer_id_accept"
            } else {
                "invoice.taxpayer_id_refuse"
            },
            target: &format!("enterprise:{enterprise_id}"),
            result: AuditResult::Ok,
            detail: &reason,
        },
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// A login person of `enterprise_id` is erased (P6.3): their e-mail address leaves the invoice
/// profile's receiving addresses, every saved version of it, and the applications' (where
/// invoices were sent). Other addresses stay.
pub async fn forget_address(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
    email: &str,
) -> AppResult<()> {
    // Serialised with the profile's saves, applications and issuing (PostgreSQL: an advisory
    // lock; SQLite has one writer), so none of them writes the address back meanwhile.
    crate::backend::db::lock_key(conn, state.db.engine(), &format!("invoice:{enterprise_id}"))
        .await?;
    let c = &state.cipher;
    let drop_it = |list: &str| -> Option<String> {
        let kept: Vec<&str> = list
            .lines()
            .filter(|l| !l.trim().eq_ignore_ascii_case(email))
            .collect();
        (kept.len() != list.lines().count()).then(|| kept.join("\n"))
    };
    let profile: Option<String> =
        sqlx::query_scalar("SELECT emails_enc FROM invoice_profiles WHERE enterprise_id = $1")
            .bind(enterprise_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(enc) = profile {
        let context = ctx("emails", enterprise_id);
        let list = c.decrypt_text(&enc, &context).map_err(AppError::internal)?;
        if let Some(kept) = drop_it(&list) {
            sqlx::query("UPDATE invoice_profiles SET emails_enc = $2 WHERE enterprise_id = $1")
                .bind(enterprise_id)
                .bind(c.encrypt_text(&kept, &context))
                .execute(&mut *conn)
                .await?;
        }
    }
    let versions: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, snapshot_enc FROM invoice_profile_history WHERE enterprise_id = $1",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    for (id, enc) in versions {
        let context = format!("invoice_profile_history.snapshot:{id}");
        let json = c.decrypt_text(&enc, &context).map_err(AppError::internal)?;
        let mut snapshot: Snapshot = serde_json::from_str(&json).map_err(AppError::internal)?;
        let before = snapshot.emails.len();
        snapshot.emails.retain(|e| !e.eq_ignore_ascii_case(email));
        if snapshot.emails.len() == before {
            continue;
        }
        let json = serde_json::to_string(&snapshot).map_err(AppError::internal)?;
        sqlx::query("UPDATE invoice_profile_history SET snapshot_enc = $2 WHERE id = $1")
            .bind(&id)
            .bind(c.encrypt_text(&json, &context))
            .execute(&mut *conn)
            .await?;
    }
    let applications: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, emails_enc FROM invoice_applications WHERE enterprise_id = $1 AND emails_enc <> ''",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    for (id, enc) in applications {
        let context = super::store::ctx("emails", &id);
        let list = c.decrypt_text(&enc, &context).map_err(AppError::internal)?;
        if let Some(kept) = drop_it(&list) {
            sqlx::query("UPDATE invoice_applications SET emails_enc = $2 WHERE id = $1")
                .bind(&id)
                .bind(c.encrypt_text(&kept, &context))
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
