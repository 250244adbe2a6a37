//! Demo data for development: two operators (a super-admin and a second finance operator and privacy officer, for
//! the four-eyes approvals of issue 14; each with a documented TOTP secret), one
//! enterprise with its admin, and a welcome
//! announcement. Never runs in production mode. Seeding happens once, in one transaction,
//! recorded in `app_meta`, so a restart neither duplicates nor half-writes it.

use super::accounts::{operators, users};
use super::announcement;
use super::db::Db;
use super::ids::new_id;
use super::password;
use crate::error::{AppError, AppResult};
use crate::model::account::{Email, MemberRole, Mobile, OperatorRole, PersonName};
use crate::model::announcement::{Announcement, AnnouncementKind, Bilingual};
use crate::model::UtcMillis;

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
    /// A second finance operator and privacy officer: transfers, large credits (issue 14) and
    /// lawful disclosures (issue 19, P3.1.2) need two.
    pub checker_login: &'static str,
    pub checker_password: &'static str,
    pub checker_totp_secret: &'static str,
    /// An applicant whose application waits in the review queue.
    pub applicant_email: &'static str,
    pub applicant_mobile: &'static str,
    pub applicant_password: &'static str,
}

pub const DEMO: DemoLogins = DemoLogins {
    operator_login: "demo-operator",
    operator_password: "Demo-Operator-2026",
    enterprise_name: "演示科技有限公司",
    admin_email: "admin@demo.example.com",
    admin_mobile: "13800000000",
    admin_password: "Demo-Admin-2026",
    operator_totp_secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    checker_login: "demo-checker",
    checker_password: "Demo-Checker-2026",
    checker_totp_secret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
    applicant_email: "applicant@demo.example.com",
    applicant_mobile: "13900000000",
    applicant_password: "Demo-Apply-2026",
};

/// A valid unified social credit code (GB 32100-2015 check character) for the demo.
const DEMO_CREDIT_CODE: &str = "91350100M000100Y43";

const SEEDED_KEY: &str = "demo_seeded_at";

/// Seeds the demo data unless it is already there. Returns whether it seeded now.
pub async fn seed_demo(state: &super::AppState) -> AppResult<bool> {
    let (db, cipher, index) = (&state.db, &*state.cipher, &*state.index);
    let mut tx = db.begin().await?;
    let done = sqlx::query("SELECT value FROM app_meta WHERE key = $1")
        .bind(SEEDED_KEY)
        .fetch_optional(&mut *tx)
        .await?;
    if done.is_some() {
        return Ok(false);
    }
    let now = state.clock.now();
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
    ?;
    seed_funds(state, &mut tx, &enterprise_id, now).await?;
    let name = PersonName::parse("演示管理员").map_err(|_| AppError::internal("demo name"))?;
    let mobile = Mobile::parse(DEMO.admin_mobile).map_err(|_| AppError::internal("demo mobile"))?;
    let email = Email::parse(DEMO.admin_email).map_err(|_| AppError::internal("demo email"))?;
    let admin_id = users::insert(
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
    accept_policies(&mut tx, &admin_id, now).await?;
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
    operators::create(
        &mut tx,
        cipher,
        DEMO.checker_login,
        "演示复核",
        DEMO.checker_password,
        &[OperatorRole::Finance, OperatorRole::PrivacyOfficer],
        Some(DEMO.checker_totp_secret),
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
    announcement::insert(&mut *tx, &welcome, now).await?;
    // Published before any account existed: there are no inboxes to deliver it to.
    sqlx::query("UPDATE announcements SET delivered_at = published_at WHERE id = $1")
        .bind(&welcome.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2)")
        .bind(SEEDED_KEY)
        .bind(now.rfc3339())
        .execute(&mut *tx)
        .await?;
    seed_applicant(state, &mut tx, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The demo enterprise's accounts and a first top-up of ¥100,000.00, so payments can be
/// tried at once.
async fn seed_funds(
    state: &super::AppState,
    tx: &mut sqlx::AnyConnection,
    enterprise_id: &str,
    now: UtcMillis,
) -> AppResult<()> {
    super::funds::open_enterprise(tx, &state.settings, enterprise_id, now.0).await?;
    let account = super::funds::receiving_account(tx, enterprise_id)
        .await?
        .ok_or_else(|| AppError::internal("demo receiving account"))?;
    let credit = crate::model::orders::BankCreditInput {
        bank_ref: "DEMO-TOPUP-0001".into(),
        value_date: now.china_date(),
        payer_name: DEMO.enterprise_name.into(),
        payer_account: "6225880012345678".into(),
        receiving_account_no: account.account_no,
        amount: crate::model::Fen(10_000_000),
        bank_fee: crate::model::Fen(0),
    };
    super::funds::credits::record_in(
        tx,
        &state.cipher,
        // The demo's opening balance is booked at once (no second approval).
        crate::model::Fen(0),
        &credit,
        "demo",
        &super::audit::Actor::system(),
        now.0,
    )
    .await?
    .map_err(|_| AppError::internal("demo top-up"))?;
    Ok(())
}

/// Whether the demo data exists (so its logins are worth printing).
pub async fn demo_present(db: &Db) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) AS n FROM app_meta WHERE key = $1")
        .bind(SEEDED_KEY)
        .fetch_one(db.pool())
        .await?;
    Ok(n > 0)
}

/// A submitted application with a sample licence, so that the review queue has something in
/// it on a fresh install.
/// Records that a demo user accepted the documents in force, as registration does (P0.2, P9).
async fn accept_policies(
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    now: UtcMillis,
) -> AppResult<()> {
    use crate::model::policy::PolicyKind;
    let privacy = super::policy::current(tx, PolicyKind::Privacy, now).await?;
    let terms = super::policy::current(tx, PolicyKind::Terms, now).await?;
    let meta = super::accounts::sessions::ClientMeta {
        ip: "127.0.0.1".into(),
        user_agent: "demo seed".into(),
    };
    super::policy::acceptance::record_acceptance(
        tx,
        user_id,
        (&privacy.id, &terms.id),
        super::policy::acceptance::ACCEPT_AT_SIGNUP,
        &meta,
        now,
    )
    .await
}

async fn seed_applicant(
    state: &super::AppState,
    tx: &mut sqlx::AnyConnection,
    now: UtcMillis,
) -> AppResult<()> {
    use super::applications::store;
    use crate::model::application::{FileKind, FilePurpose};
    let name = PersonName::parse("演示申请人").map_err(|_| AppError::internal("demo name"))?;
    let mobile =
        Mobile::parse(DEMO.applicant_mobile).map_err(|_| AppError::internal("demo mobile"))?;
    let email = Email::parse(DEMO.applicant_email).map_err(|_| AppError::internal("demo email"))?;
    let user_id = users::insert(
        tx,
        &state.cipher,
        &state.index,
        &users::NewUser {
            enterprise_id: None,
            name: &name,
            mobile: &mobile,
            email: &email,
            password_hash: &password::hash(DEMO.applicant_password).0,
            role: None,
            permissions: &[],
        },
        now,
    )
    .await?;
    accept_policies(tx, &user_id, now).await?;
    let application_id = new_id();
    sqlx::query(
        "INSERT INTO applications (id, user_id, status, enterprise_name, credit_code, credit_code_check_ok, \
         registered_address, business_scope, platform_name, platform_url, platform_description, \
         outsourced_work, submitted_at, created_at, updated_at) \
         VALUES ($1, $2, 'submitted', $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $11, $11)",
    )
    .bind(&application_id)
    .bind(&user_id)
    .bind("演示众包服务有限公司")
    .bind("91440300708461136T")
    .bind("广东省深圳市南山区演示大道 8 号")
    .bind("信息技术服务；人力资源服务")
    .bind("演示众包")
    .bind("https://crowd.demo.example.com")
    .bind("为本地商户匹配配送与上门服务人员")
    .bind("同城配送、上门安装")
    .bind(now.0)
    .execute(&mut *tx)
    .await
    ?;
    // A sample "licence": a pale card with a red seal, enough to see the viewer work.
    let licence = super::files::png::encode_rgb(360, 240, |x, y| {
        let (dx, dy) = (x as i32 - 290, y as i32 - 170);
        if x < 6 || y < 6 || x > 353 || y > 233 {
            [176, 141, 87]
        } else if dx * dx + dy * dy < 40 * 40 && dx * dx + dy * dy > 34 * 34 {
            [200, 30, 30]
        } else if (40..320).contains(&x) && y % 28 == 0 && y > 40 {
            [120, 120, 120]
        } else {
            [250, 246, 236]
        }
    });
    let file_id = new_id();
    let sealed = state
        .cipher
        .encrypt(&licence, format!("file:{file_id}").as_bytes());
    state
        .files
        .put(&file_id, &sealed)
        .map_err(AppError::internal)?;
    store::insert_file(
        tx,
        &file_id,
        &application_id,
        FilePurpose::Licence,
        FileKind::Png,
        licence.len(),
        &super::crypto::sha256_hex(&licence),
        "营业执照（演示）.png",
        &user_id,
        now,
    )
    .await?;
    Ok(())
}
