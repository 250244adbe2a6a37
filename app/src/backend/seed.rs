//! Demo data for development: one operator (super-admin, with a documented TOTP secret), one
//! enterprise with its admin, and a welcome
//! announcement. Never runs in production mode. Seeding happens once, in one transaction,
//! recorded in `app_meta`, so a restart neither duplicates nor half-writes it.

use super::accounts::{operators, users};
use super::announcement;
use super::crypto::{BlindIndex, FieldCipher};
use super::db::Db;
use super::ids::new_id;
use super::password;
use crate::error::{AppError, AppResult};
use crate::model::account::{Email, MemberRole, Mobile, OperatorRole, PersonName};
use crate::model::announcement::{Announcement, AnnouncementKind, Bilingual};
use crate::model::UtcMillis;
use sqlx::Row;

/// The demo logins, printed at start-up in development mode.
pub struct DemoLogins {
    pub operator_login: &'static str,
    pub operator_password: &'static str,
    pub enterprise_name: &'static str,
    pub admin_email: &'static str,
    pub admin_mobile: &'static str,
    pub admin_password: &'static str,
    /// The demo operator's TOTP secret (base32), to add to an authenticator app. Demo only:
    /// real operators get a random secret from `server create-operator`.
    pub operator_totp_secret: &'static str,
}

pub const DEMO: DemoLogins = DemoLogins {
    operator_login: "demo-operator",
    operator_password: "Demo-Operator-2026",
    enterprise_name: "演示科技有限公司",
    admin_email: "admin@demo.example.com",
    admin_mobile: "13800000000",
    admin_password: "Demo-Admin-2026",
    operator_totp_secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
};

/// A valid unified social credit code (GB 32100-2015 check character) for the demo.
const DEMO_CREDIT_CODE: &str = "91350100M000100Y43";

const SEEDED_KEY: &str = "demo_seeded_at";

/// Seeds the demo data unless it is already there. Returns whether it seeded now.
pub async fn seed_demo(db: &Db, cipher: &FieldCipher, index: &BlindIndex) -> AppResult<bool> {
    let mut tx = db.begin().await.map_err(AppError::internal)?;
    let done = sqlx::query("SELECT value FROM app_meta WHERE key = $1")
        .bind(SEEDED_KEY)
        .fetch_optional(&mut *tx)
        .await
        .map_err(AppError::internal)?;
    if done.is_some() {
        return Ok(false);
    }
    let now = UtcMillis::now();
    let enterprise_id = new_id();
    sqlx::query(
        "INSERT INTO enterprises (id, name, credit_code, status, registered_address, business_scope, created_at) \
         VALUES ($1, $2, $3, 'active', $4, $5, $6)",
    )
    .bind(&enterprise_id)
    .bind(DEMO.enterprise_name)
    .bind(DEMO_CREDIT_CODE)
    .bind("福建省福州市鼓楼区演示路 1 号")
    .bind("信息技术服务；软件开发")
    .bind(now.0)
    .execute(&mut *tx)
    .await
    .map_err(AppError::internal)?;
    let name = PersonName::parse("演示管理员").map_err(|_| AppError::internal("demo name"))?;
    let mobile = Mobile::parse(DEMO.admin_mobile).map_err(|_| AppError::internal("demo mobile"))?;
    let email = Email::parse(DEMO.admin_email).map_err(|_| AppError::internal("demo email"))?;
    users::insert(
        &mut tx,
        cipher,
        index,
        &users::NewUser {
            enterprise_id: Some(&enterprise_id),
            name: &name,
            mobile: &mobile,
            email: &email,
            password_hash: &password::hash(DEMO.admin_password).0,
            role: Some(MemberRole::Admin),
            permissions: &[],
        },
        now,
    )
    .await?;
    operators::create(
        &mut tx,
        cipher,
        DEMO.operator_login,
        "演示运营",
        DEMO.operator_password,
        &[OperatorRole::SuperAdmin],
        Some(DEMO.operator_totp_secret),
        "ESP demo",
        now,
    )
    .await?;
    let welcome = Announcement {
        id: new_id(),
        kind: AnnouncementKind::Service,
        title: Bilingual {
            zh: "平台服务上线公告".into(),
            en: "The platform is open".into(),
        },
        body: Bilingual {
            zh: "综合服务平台现已开放企业开户申请。如有疑问，请通过页面底部的联系邮箱与我们联系。".into(),
            en: "Enterprises can now apply for a business account. Questions are welcome at the contact e-mail at the foot of every page.".into(),
        },
        published_at: now,
    };
    announcement::insert(&mut *tx, &welcome, now)
        .await
        .map_err(AppError::internal)?;
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2)")
        .bind(SEEDED_KEY)
        .bind(now.rfc3339())
        .execute(&mut *tx)
        .await
        .map_err(AppError::internal)?;
    tx.commit().await.map_err(AppError::internal)?;
    Ok(true)
}

/// Whether the demo data exists (so its logins are worth printing).
pub async fn demo_present(db: &Db) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM app_meta WHERE key = $1")
        .bind(SEEDED_KEY)
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}
