//! Demo data for development: one operator, one enterprise with its admin, and a welcome
//! announcement. Never runs in production mode. Seeding happens once, in one transaction,
//! recorded in `app_meta`, so a restart neither duplicates nor half-writes it.

use super::announcement;
use super::db::Db;
use super::ids::new_id;
use super::password;
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
}

pub const DEMO: DemoLogins = DemoLogins {
    operator_login: "demo-operator",
    operator_password: "Demo-Operator-2026",
    enterprise_name: "演示科技有限公司",
    admin_email: "admin@demo.example.com",
    admin_mobile: "13800000000",
    admin_password: "Demo-Admin-2026",
};

/// A valid unified social credit code (GB 32100-2015 check character) for the demo.
const DEMO_CREDIT_CODE: &str = "91350100M000100Y43";

const SEEDED_KEY: &str = "demo_seeded_at";

/// Seeds the demo data unless it is already there. Returns whether it seeded now.
pub async fn seed_demo(db: &Db) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    let done = sqlx::query("SELECT value FROM app_meta WHERE key = $1")
        .bind(SEEDED_KEY)
        .fetch_optional(&mut *tx)
        .await?;
    if done.is_some() {
        return Ok(false);
    }
    let now = UtcMillis::now();
    let enterprise_id = new_id();
    sqlx::query(
        "INSERT INTO enterprises (id, name, credit_code, status, created_at) VALUES ($1, $2, $3, 'active', $4)",
    )
    .bind(&enterprise_id)
    .bind(DEMO.enterprise_name)
    .bind(DEMO_CREDIT_CODE)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO enterprise_users (id, enterprise_id, name, mobile, email, password_hash, role, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'admin', 'active', $7)",
    )
    .bind(new_id())
    .bind(&enterprise_id)
    .bind("演示管理员")
    .bind(DEMO.admin_mobile)
    .bind(DEMO.admin_email)
    .bind(password::hash(DEMO.admin_password).0)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO operators (id, login, display_name, password_hash, roles, status, created_at) \
         VALUES ($1, $2, $3, $4, 'super_admin', 'active', $5)",
    )
    .bind(new_id())
    .bind(DEMO.operator_login)
    .bind("演示运营")
    .bind(password::hash(DEMO.operator_password).0)
    .bind(now.0)
    .execute(&mut *tx)
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
    announcement::insert(&mut *tx, &welcome, now).await?;
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2)")
        .bind(SEEDED_KEY)
        .bind(now.rfc3339())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
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
