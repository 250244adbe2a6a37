//! Server-only services and stores (feature `ssr`). Each domain has a folder with a service
//! (the rules, in transactions) and a store (its SQL, shared by SQLite and PostgreSQL).

pub mod accounts;
pub mod announcement;
pub mod applications;
pub mod audit;
pub mod business;
pub mod callbacks;
pub mod clock;
pub mod consent;
pub mod crypto;
pub mod dashboard;
pub mod db;
pub mod delivery;
mod errors;
pub mod files;
pub mod funds;
pub mod ids;
pub mod incidents;
pub mod invoices;
pub mod leases;
pub mod ledger;
pub mod members;
pub mod messages;
pub mod openapi;
pub mod orders;
pub mod outbox;
pub mod password;
pub mod payouts;
pub mod policy;
pub mod public_pages;
pub mod purpose_switch;
pub mod purposes;
pub mod ratelimit;
pub mod request;
pub mod retention;
pub mod rights;
pub mod seed;
pub mod sharing;
pub mod signing;
pub mod stats;
pub mod support;
pub mod tasks;
pub mod totp;
pub mod wechat;
pub mod workers;

use crate::model::system::PlatformInfo;
use std::sync::Arc;

/// Operator-facing configuration that pages and services read (P4.1, P10.1).
#[derive(Clone, Debug)]
pub struct Settings {
    pub operator_name: crate::model::Bilingual,
    pub contact_email: String,
    pub storage_region: crate::model::Bilingual,
    /// The storage region's code (`cn-mainland`): every recipient of the sharing register
    /// must be in it (P4.1).
    pub storage_region_code: String,
    /// Affiliates named in the privacy policy (P3.1.3); may be empty.
    pub affiliates: Vec<String>,
    /// The origin browsers use (for links in messages), when configured.
    pub public_origin: Option<String>,
    /// Production mode: secure cookies, no demo data, secrets required.
    pub production: bool,
    /// The platform's service fee and tax withheld on payment orders (P1.1.5).
    pub fees: crate::model::funds::FeeRule,
    /// The bank holding the enterprises' dedicated receiving accounts.
    pub receiving_bank: String,
    /// The digits every receiving account number starts with.
    pub receiving_prefix: String,
    /// Days of notice a material policy change needs (P9).
    pub policy_notice_days: u32,
    /// The sender of e-mail (`Name <address>`); its domain names the Message-IDs.
    pub mail_from: String,
    /// Bank credits above this amount wait for a second finance operator (issue 14); zero
    /// turns the check off.
    pub credit_check_above: crate::model::Fen,
    /// The largest amount of one invoice: larger applications are split (issue 17).
    pub invoice_limit: crate::model::Fen,
    /// The goods or service names an invoice application may choose (issue 17).
    pub invoice_goods: Vec<String>,
    /// The categories a task may have (issue 18).
    pub task_categories: Vec<String>,
    /// Terms that flag a task for a reviewer's attention (never decide it).
    pub task_forbidden_terms: Vec<String>,
    /// Orders to workers who have not signed the service agreement wait until they sign.
    pub pay_signed_workers_only: bool,
    /// Customer service's timeliness targets (issue 18 §3).
    pub support_targets: crate::model::support::Targets,
    /// How long a WeChat scan-login QR code can be scanned (issue 15; two minutes).
    pub wechat_ticket_ttl_ms: i64,
    /// Where a person may complain to a regulator (P10.2).
    pub complaint_routes: Vec<crate::model::rights::ComplaintRoute>,
    /// Same-kind rights requests a year before a cost fee may be marked (P6.5).
    pub rights_free_per_year: u32,
    /// Days a backup is kept at most (`server backup` deletes older ones; P6.3).
    pub backup_max_days: u32,
    /// The retention job's periods (issue 16 §6, P4.2).
    pub retention: crate::model::retention::RetentionDays,
    /// Where the daily digest of open rights requests goes (P10.2).
    pub privacy_office_email: crate::model::account::Email,
}

impl Settings {
    pub fn platform_info(&self) -> PlatformInfo {
        PlatformInfo {
            operator_name: self.operator_name.clone(),
            contact_email: self.contact_email.clone(),
            storage_region: self.storage_region.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            complaint_routes: self.complaint_routes.clone(),
        }
    }
}

/// Everything a request handler needs, provided to server functions through Leptos context.
/// It is cloned for every request (the router's state, the server functions' context), so a
/// clone is one reference count: the parts sit behind one `Arc` (issue 19's benchmark found
/// the per-field reference counts at 6% of the open API's CPU).
#[derive(Clone)]
pub struct AppState(Arc<AppParts>);

impl std::ops::Deref for AppState {
    type Target = AppParts;
    fn deref(&self) -> &AppParts {
        &self.0
    }
}

impl From<AppParts> for AppState {
    fn from(parts: AppParts) -> Self {
        AppState(Arc::new(parts))
    }
}

impl AppState {
    /// The parts, to change while starting (`None` once the state is shared).
    pub fn parts_mut(&mut self) -> Option<&mut AppParts> {
        Arc::get_mut(&mut self.0)
    }
}

/// What [`AppState`] holds.
pub struct AppParts {
    pub db: db::Db,
    pub settings: Arc<Settings>,
    pub cipher: Arc<crypto::FieldCipher>,
    /// Key for session and anti-forgery tokens.
    pub session_key: Arc<crypto::SecretKey>,
    /// Key of the audit chain's seals (derived from the field key; never in the database).
    pub audit_key: Arc<crypto::SecretKey>,
    /// Keyed hashes for finding encrypted fields (P4.3).
    pub index: Arc<crypto::BlindIndex>,
    pub clock: clock::SharedClock,
    pub sessions: accounts::sessions::SessionPolicy,
    /// Login attempts per IP (P5.2).
    pub login_limiter: Arc<ratelimit::RateLimiter>,
    /// Global Privacy Control decisions recorded per IP (issue 14): a client that keeps no
    /// cookies would otherwise write a record with every page.
    pub gpc_limiter: Arc<ratelimit::RateLimiter>,
    /// WeChat scan-login tickets asked for per IP (issue 15).
    pub scan_limiter: Arc<ratelimit::RateLimiter>,
    /// The helper process that parses uploaded PDFs with limits (issue 14).
    pub pdf_helper: Arc<files::pdf_helper::PdfHelper>,
    /// Where uploaded files are kept (encrypted).
    pub files: Arc<dyn files::FileStore>,
    /// Where copies of people's data wait, encrypted, for their download (issue 16 §3).
    pub exports_dir: Arc<std::path::PathBuf>,
    /// The erasure journal (`<data-dir>/erasures.log`): the ids of persons erased on request,
    /// outside the database, so that a restored backup cannot bring them back (P6.3).
    pub erasure_journal: Arc<std::path::PathBuf>,
    /// The material policy versions in force (the re-consent gate's question), cached until
    /// the next one takes effect or one is published or withdrawn (issue 14 §2).
    pub policy_in_force: Arc<policy::in_force::InForceCache>,
    /// Moved on when what the anonymous public pages show changes (the server's rendered-page
    /// cache, issue 14 §2).
    pub public_pages: Arc<public_pages::PublicPages>,
    /// Group commit of payment orders.
    pub orders: orders::committer::Committer,
    /// Where payouts to workers go.
    pub payouts: Arc<dyn payouts::PayoutChannel>,
    /// The payout simulator, when it is the channel (development and tests).
    pub simulator: Option<Arc<payouts::simulator::SimulatedChannel>>,
    /// Where the outbox's messages go: SMTP, or the development mailbox.
    pub transport: Arc<dyn delivery::Transport>,
    /// WeChat login (issue 15), when configured (or simulated in development).
    pub wechat: Option<wechat::WechatSetup>,
    /// Where the open API's callbacks go (issue 19): the server's HTTP client, which in
    /// production calls public addresses only.
    pub callbacks: Arc<dyn callbacks::deliver::Sender>,
    /// The open API's credentials as verification last read them (issue 19).
    pub api_keys: Arc<openapi::keys::KeyCache>,
    /// Secrets issued by a form posted without the WASM, waiting for their page (issue 19).
    pub shown_once: Arc<openapi::shown_once::ShownOnceStore>,
}
