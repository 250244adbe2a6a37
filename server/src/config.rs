//! Configuration from flags and environment variables.

pub use crate::secret_arg::SecretArg;
use app::model::account::Email;
use app::model::rights::ComplaintRoute;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "综合服务平台 Enterprise Service Platform",
    args_override_self = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an operator account. Reads the password from the first line of standard input
    /// and prints the TOTP secret to enrol in an authenticator app (shown once).
    CreateOperator(CreateOperatorArgs),
    /// Verify the audit log's hash chain; names the first broken entry (exit 1 if any).
    VerifyAudit,
    /// Re-derive every ledger balance from the postings and report any drift (exit 1 if any).
    VerifyLedger,
    /// Make an encrypted, consistent copy of the database while the server runs, and keep the
    /// newest N (see the README).
    Backup(BackupArgs),
    /// Put a backup back into the configured database (stop the server first).
    Restore(RestoreArgs),
    /// Measure payment-order creation through the service layer (see the README).
    BenchOrders(BenchArgs),
    /// Measure payment-order creation through the signed open API over HTTP (see the README).
    BenchApi(BenchArgs),
    /// Measure building a copy of an enterprise's data (see the README).
    BenchExport(BenchExportArgs),
    /// Run a local simulator of Alibaba Cloud's SMS API (development; see the README).
    SmsSimulator(SmsSimulatorArgs),
    /// Run a local simulator of WeChat's login (development; see the README).
    WechatSim(WechatSimArgs),
    /// Internal: rewrite the PDF on standard input without its metadata, within limits (the
    /// server starts this for every uploaded PDF).
    #[command(hide = true)]
    StripPdf,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Where backups are written and rotated (default: `<data-dir>/backups`).
    #[arg(long = "backup-dir", env = "ESP_BACKUP_DIR")]
    pub dir: Option<PathBuf>,
    /// How many backups to keep: older ones are deleted after each new one (with the personal
    /// data deleted since, P6.3).
    #[arg(long, env = "ESP_BACKUP_KEEP", default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub keep: u16,
    /// The `pg_dump` program (PostgreSQL).
    #[arg(long, env = "ESP_PG_DUMP", default_value = "pg_dump")]
    pub pg_dump: String,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The backup file (`platform-….bak`).
    pub file: PathBuf,
    /// Restore even though a server used the database in the last ten minutes.
    #[arg(long)]
    pub force: bool,
    /// The `pg_restore` program (PostgreSQL).
    #[arg(long, env = "ESP_PG_RESTORE", default_value = "pg_restore")]
    pub pg_restore: String,
}

#[derive(Debug, Clone, Args)]
pub struct WechatSimArgs {
    /// Where the simulator listens.
    #[arg(long, default_value = "127.0.0.1:3400")]
    pub listen: SocketAddr,
    /// The simulated application's appid.
    #[arg(long, default_value = "wx-dev-app")]
    pub appid: String,
    /// The simulated application's secret (a development value, not a secret).
    #[arg(long, default_value = "wx-dev-secret")]
    pub secret: String,
    /// Answer with a `unionid` (the app bound to an Open Platform account).
    #[arg(long)]
    pub unionid: bool,
    /// A host registered for the app's callbacks (repeat for more): a `redirect_uri` on any
    /// other host is refused, as WeChat does.
    #[arg(long = "callback-host", default_values_t = ["127.0.0.1".to_string(), "localhost".to_string()])]
    pub callback_hosts: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SmsSimulatorArgs {
    /// Where the simulator listens.
    #[arg(long, default_value = "127.0.0.1:3300")]
    pub listen: SocketAddr,
    /// Where replies are pushed (the product's `/hooks/sms/aliyun/<token>`).
    #[arg(long)]
    pub reply_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct BenchExportArgs {
    /// Ledger lines of the enterprise whose copy is built.
    #[arg(long, default_value_t = 100_000)]
    pub lines: u32,
}

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Orders to create in total.
    #[arg(long, default_value_t = 50_000)]
    pub orders: u32,
    /// Enterprises the orders are spread over.
    #[arg(long, default_value_t = 50)]
    pub enterprises: u32,
    /// Concurrent callers.
    #[arg(long, default_value_t = 256)]
    pub callers: u32,
    /// Application states on the one database, each with its own pool and committer, as
    /// server processes behind a load balancer (the callers are split among them).
    #[arg(long, default_value_t = 1)]
    pub instances: u32,
}

#[derive(Debug, Clone, Args)]
pub struct CreateOperatorArgs {
    /// Login name: 3-32 of a-z, 0-9, `.`, `_`, `-`.
    #[arg(long)]
    pub login: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Comma-separated roles: reviewer, finance, privacy_officer, support, super_admin.
    #[arg(long, value_delimiter = ',', required = true)]
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ESP_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Database URL: `sqlite:PATH` or `postgres://…`. Default: SQLite in the data directory.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Data directory: SQLite database, generated development secrets, uploads.
    #[arg(long, env = "ESP_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Production mode: secrets are required, cookies are Secure, no demo data.
    #[arg(long, env = "ESP_PRODUCTION")]
    pub production: bool,

    /// Development mode on an address other machines reach. Without it, development mode
    /// listens only on loopback: its demo super-admin's password and TOTP secret are published
    /// in the README, and its payout simulator marks payments paid.
    #[arg(long, env = "ESP_EXPOSE_DEMO")]
    pub expose_demo: bool,

    /// The origin browsers use, e.g. `https://platform.example.com`, when a proxy in front
    /// rewrites the Host header. Cross-site requests are judged against it (default: Host).
    #[arg(long, env = "ESP_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,

    /// Take the client address from the last `X-Forwarded-For` entry (the one the proxy in
    /// front appends). Only behind a proxy that sets it: otherwise clients could choose their
    /// own address and escape the login rate limit.
    #[arg(long, env = "ESP_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// The site's file names carry their content's hash (`./x release` builds them so, and
    /// puts `hash.txt` beside the executable): `/pkg` is then cached for a year.
    #[arg(long, env = "LEPTOS_HASH_FILES")]
    pub hash_files: bool,

    /// The executable that parses uploaded PDFs as `<it> strip-pdf` in a process with limits
    /// (default: this server's own executable).
    #[arg(long, env = "ESP_PDF_HELPER")]
    pub pdf_helper: Option<PathBuf>,

    /// Directory with the built site (`pkg/` with the WASM, JS and CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Session key, 64 hex digits. Required in production; generated in development.
    /// Prefer the environment variable: a flag's value is visible in the process list.
    #[arg(long, env = "ESP_SESSION_KEY", hide_env_values = true)]
    pub session_key: Option<SecretArg>,

    /// Field-encryption key, 64 hex digits. Required in production; generated in development.
    #[arg(long, env = "ESP_FIELD_KEY", hide_env_values = true)]
    pub field_key: Option<SecretArg>,

    /// The operator's company name, shown in the footer, the policies and on receipts (P10.1).
    #[arg(
        long,
        env = "ESP_OPERATOR_NAME",
        default_value = "综合服务平台运营方（演示）"
    )]
    pub operator_name: String,

    /// The operator's name on English pages. Unset: the demo's English name while the name
    /// above is the demo's, else the name above (a configured name is never replaced by the
    /// demo's).
    #[arg(long, env = "ESP_OPERATOR_NAME_EN", default_value = "")]
    pub operator_name_en: String,

    /// The contact e-mail for privacy questions (P10.1).
    #[arg(
        long,
        env = "ESP_CONTACT_EMAIL",
        default_value = "privacy@platform.example.com"
    )]
    pub contact_email: String,

    /// Where personal data is stored (P4.1).
    #[arg(long, env = "ESP_STORAGE_REGION", default_value = "中国大陆")]
    pub storage_region: String,

    /// The storage region's code (P4.1): every outside service that receives personal data
    /// must be in it, or the server refuses to start.
    #[arg(long, env = "ESP_STORAGE_REGION_CODE", default_value = "cn-mainland")]
    pub storage_region_code: String,

    /// Where the SMTP server is (a region code such as `cn-mainland`; P4.1). Required in
    /// production with `--smtp-host`; in development it defaults to the storage region.
    #[arg(long, env = "ESP_SMTP_REGION")]
    pub smtp_region: Option<String>,

    /// Where personal data is stored, on English pages. Unset: "Mainland China" while the
    /// region above is the default, else the region above.
    #[arg(long, env = "ESP_STORAGE_REGION_EN", default_value = "")]
    pub storage_region_en: String,

    /// Affiliates named in the privacy policy (P3.1.3), comma-separated.
    #[arg(long, env = "ESP_AFFILIATES", value_delimiter = ',')]
    pub affiliates: Vec<String>,

    /// Where a person may complain to a regulator (P10.2), shown with every answer to a rights
    /// request and in the privacy centre: `中文名|English name|contact`, repeated. Unset: the
    /// CAC's reporting centre (12377) and the market regulator's line (12315).
    #[arg(
        long = "complaint-route",
        env = "ESP_COMPLAINT_ROUTES",
        value_delimiter = ';'
    )]
    pub complaint_routes: Vec<String>,

    /// Rights requests of one kind a person may make in 12 months before an officer may mark
    /// the next for a cost fee (P6.5).
    #[arg(long, env = "ESP_RIGHTS_FREE_PER_YEAR", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rights_free_per_year: u32,

    /// Retention (issue 16 §6, P4.2): days accounting records are kept (会计档案管理办法: 30 years;
    /// at least 10).
    #[arg(long, env = "ESP_RETENTION_ACCOUNTING_DAYS", default_value_t = 30 * 365, value_parser = clap::value_parser!(u32).range(3650..))]
    pub retention_accounting_days: u32,
    /// Days login events and message records are kept (网络安全法 Art. 21: at least 180).
    #[arg(long, env = "ESP_RETENTION_NETWORK_LOG_DAYS", default_value_t = 190, value_parser = clap::value_parser!(u32).range(180..))]
    pub retention_network_log_days: u32,
    /// Days after an enterprise's closure before its login persons are anonymised.
    #[arg(long, env = "ESP_RETENTION_CLOSED_ACCOUNT_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..))]
    pub retention_closed_account_days: u32,
    /// Days an application that never opened an account is kept after its last change.
    #[arg(long, env = "ESP_RETENTION_APPLICATION_DAYS", default_value_t = 180, value_parser = clap::value_parser!(u32).range(1..))]
    pub retention_application_days: u32,
    /// Days an invitation is kept after it was used or expired.
    #[arg(long, env = "ESP_RETENTION_INVITATION_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub retention_invitation_days: u32,
    /// Days a visitor's cookie decision (without an account) is kept.
    #[arg(long, env = "ESP_RETENTION_VISITOR_CONSENT_DAYS", default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..))]
    pub retention_visitor_consent_days: u32,

    /// Days a backup is kept at most: every `server backup` deletes older ones (besides keeping
    /// only the newest `--keep`), so that erased personal data leaves the backups (P6.3). The
    /// answer to a deletion request names this period.
    #[arg(long, env = "ESP_BACKUP_MAX_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub backup_max_days: u32,

    /// Where the daily digest of open rights requests goes (P10.2). Unset: the contact e-mail.
    #[arg(long, env = "ESP_PRIVACY_OFFICE_EMAIL", default_value = "")]
    pub privacy_office_email: String,

    /// Minutes of inactivity after which a session ends (P5.2).
    #[arg(long, env = "ESP_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub session_idle_minutes: u32,

    /// Hours after which a session ends however active it is (P5.2).
    #[arg(long, env = "ESP_SESSION_MAX_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_max_hours: u32,

    /// Login attempts allowed per IP address in 10 minutes (P5.2).
    #[arg(long, env = "ESP_LOGIN_ATTEMPTS_PER_IP", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_attempts_per_ip: u32,

    /// Seconds a WeChat scan-login QR code can be scanned (issue 15).
    #[arg(long, env = "ESP_WECHAT_TICKET_SECONDS", default_value_t = (app::model::scan::TICKET_TTL_MS / 1000) as u32, value_parser = clap::value_parser!(u32).range(10..=600))]
    pub wechat_ticket_seconds: u32,

    /// WeChat scan-login QR codes one IP address may ask for in a minute (issue 15).
    #[arg(long, env = "ESP_WECHAT_TICKETS_PER_MINUTE", default_value_t = app::model::scan::TICKETS_PER_MINUTE as u32, value_parser = clap::value_parser!(u32).range(1..))]
    pub wechat_tickets_per_minute: u32,

    /// Largest number of database connections.
    #[arg(long, env = "ESP_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// Log format.
    #[arg(long, env = "ESP_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// The platform's service fee on payment orders, in basis points (600 = 6.00%).
    #[arg(long, env = "ESP_SERVICE_FEE_BP", default_value_t = 600, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub service_fee_bp: u32,

    /// The smallest service fee of an order, in fen, when the fee rate is not zero: an order
    /// of ¥0.08 would otherwise round its fee to nothing.
    #[arg(long, env = "ESP_MIN_SERVICE_FEE_FEN", default_value_t = 1, value_parser = clap::value_parser!(i64).range(0..=100_000))]
    pub min_service_fee_fen: i64,

    /// Bank credits above this amount, in fen, are held until a second finance operator (not
    /// the one who recorded them) approves them; 0 turns the check off. Transfers out always
    /// need two.
    #[arg(long, env = "ESP_CREDIT_CHECK_ABOVE_FEN", default_value_t = 5_000_000, value_parser = clap::value_parser!(i64).range(0..))]
    pub credit_check_above_fen: i64,

    /// The largest amount of one invoice, in fen (issue 17): an application above it is split
    /// into several invoices. Default ¥100,000.00 (a common limit of a 数电 invoice quota).
    #[arg(long, env = "ESP_INVOICE_LIMIT_FEN", default_value_t = 10_000_000, value_parser = clap::value_parser!(i64).range(100..))]
    pub invoice_limit_fen: i64,

    /// The goods or service names an invoice application may choose (issue 17), separated by
    /// `;`.
    #[arg(
        long = "invoice-goods",
        env = "ESP_INVOICE_GOODS",
        value_delimiter = ';',
        default_value = "*现代服务*服务费;*信息技术服务*信息技术服务费;*人力资源服务*劳务派遣服务费"
    )]
    pub invoice_goods: Vec<String>,

    /// The task library's and customer service's settings (issue 18).
    #[command(flatten)]
    pub work: crate::config_work::WorkArgs,

    /// DKIM signing of e-mail (issue 19, P3.1.4).
    #[command(flatten)]
    pub dkim: crate::dkim::DkimArgs,

    /// Tax withheld from each payment, in basis points (100 = 1.00%).
    #[arg(long, env = "ESP_TAX_BP", default_value_t = 100, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub tax_bp: u32,

    /// The bank holding the enterprises' receiving accounts.
    #[arg(
        long,
        env = "ESP_RECEIVING_BANK",
        default_value = "招商银行股份有限公司上海分行营业部"
    )]
    pub receiving_bank: String,

    /// The digits every receiving account number starts with (numbers are 19 digits).
    #[arg(long, env = "ESP_RECEIVING_PREFIX", default_value = "955880")]
    pub receiving_prefix: String,

    /// How often the payout worker runs, in milliseconds (0: not at all).
    #[arg(long, env = "ESP_PAYOUT_INTERVAL_MS", default_value_t = 1000)]
    pub payout_interval_ms: u64,

    /// How long the payout simulator takes to settle a payout, in milliseconds.
    #[arg(long, env = "ESP_PAYOUT_SETTLE_MS", default_value_t = 3000)]
    pub payout_settle_ms: u64,

    /// Days of notice a material policy change needs before it takes effect (P9).
    #[arg(long, env = "ESP_POLICY_NOTICE_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=365))]
    pub policy_notice_days: u32,

    /// The SMTP server that sends e-mail. Without it (and outside production) every message
    /// goes to the development mailbox in the console (`/ops/outbox/mailbox`).
    #[arg(long, env = "ESP_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// The SMTP server's port (default: 587 with STARTTLS, 465 with TLS, 25 without).
    #[arg(long, env = "ESP_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    /// How the connection to the SMTP server is protected.
    #[arg(
        long,
        env = "ESP_SMTP_SECURITY",
        value_enum,
        default_value = "starttls"
    )]
    pub smtp_security: SmtpSecurity,

    /// The SMTP user name, if the server asks for one.
    #[arg(long, env = "ESP_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// The SMTP password (better in the environment than on the command line).
    #[arg(long, env = "ESP_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<SecretArg>,

    /// The sender of e-mail.
    #[arg(
        long,
        env = "ESP_MAIL_FROM",
        default_value = "综合服务平台 <noreply@platform.localhost>"
    )]
    pub mail_from: String,

    /// Production only: run without sending any message (they wait in the outbox). Without
    /// it, production refuses to start until `--smtp-host` is given.
    #[arg(long, env = "ESP_NO_OUTBOUND")]
    pub no_outbound: bool,

    /// Alibaba Cloud SMS: the AccessKey ID. With it, text messages go through the gateway
    /// (`SendSms`); without it, to the development mailbox (outside production) or nowhere.
    #[arg(long, env = "ESP_SMS_ACCESS_KEY_ID")]
    pub sms_access_key_id: Option<String>,

    /// Alibaba Cloud SMS: the AccessKey secret (better in the environment).
    #[arg(long, env = "ESP_SMS_ACCESS_KEY_SECRET", hide_env_values = true)]
    pub sms_access_key_secret: Option<SecretArg>,

    /// Alibaba Cloud SMS: the API endpoint (a simulator's address in development).
    #[arg(
        long,
        env = "ESP_SMS_ENDPOINT",
        default_value = "https://dysmsapi.aliyuncs.com/"
    )]
    pub sms_endpoint: String,

    /// Alibaba Cloud SMS: the registered sign (签名), shown as 【…】 before every text.
    #[arg(long, env = "ESP_SMS_SIGN_NAME", default_value = "")]
    pub sms_sign_name: String,

    /// Alibaba Cloud SMS: the template code of each text, `notice=SMS_…,code=SMS_…,promotion=SMS_…,request_code=SMS_…,signing_link=SMS_…,agreement_changed=SMS_…`
    /// (add `notice.en=SMS_…` and so on for English templates). The wording to register is in
    /// the README.
    #[arg(long, env = "ESP_SMS_TEMPLATES", value_delimiter = ',')]
    pub sms_template: Vec<String>,

    /// WeChat login (issue 15): the application's appid at WeChat. Without it, development runs
    /// WeChat's simulator inside this server (under `/wxsim`); production has no WeChat login.
    #[arg(long, env = "ESP_WECHAT_APPID")]
    pub wechat_appid: Option<String>,

    /// WeChat login: the application's secret (better in the environment).
    #[arg(long, env = "ESP_WECHAT_SECRET", hide_env_values = true)]
    pub wechat_secret: Option<SecretArg>,

    /// WeChat login: the authorisation host (the pages a browser is sent to).
    #[arg(
        long,
        env = "ESP_WECHAT_OPEN_BASE",
        default_value = "https://open.weixin.qq.com"
    )]
    pub wechat_open_base: String,

    /// WeChat login: the appid is a website application of WeChat's Open Platform (网站应用):
    /// desktops log in on WeChat's own QR page (`qrconnect`, `snsapi_login`) instead of the
    /// platform's QR code and phone page.
    #[arg(long, env = "ESP_WECHAT_WEBSITE")]
    pub wechat_website: bool,

    /// WeChat login: the API host (code exchange, token refresh, profile).
    #[arg(
        long,
        env = "ESP_WECHAT_API_BASE",
        default_value = "https://api.weixin.qq.com"
    )]
    pub wechat_api_base: String,

    /// The secret part of the address the SMS provider pushes replies to:
    /// `<public origin>/hooks/sms/aliyun/<token>`. Without it replies are not received.
    #[arg(long, env = "ESP_SMS_REPLY_TOKEN", hide_env_values = true)]
    pub sms_reply_token: Option<SecretArg>,

    /// How often the delivery worker runs, in milliseconds (0: not at all).
    #[arg(long, env = "ESP_DELIVERY_INTERVAL_MS", default_value_t = 1000)]
    pub delivery_interval_ms: u64,

    /// Development only: a clock that `POST /dev/clock/advance?days=N` moves forward, for the
    /// browser tests of dated features (policy versions). Refused in production mode.
    #[arg(long, env = "ESP_DEV_CLOCK")]
    pub dev_clock: bool,
}

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SmtpSecurity {
    /// Plain SMTP: only for a relay on the same host or a private network.
    None,
    /// STARTTLS, required (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl ServeArgs {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("platform.db").display()))
    }

    /// The regulators' complaint routes (P10.2): those configured, else the defaults.
    pub fn complaint_routes(&self) -> Result<Vec<ComplaintRoute>, String> {
        let configured: Vec<&str> = self
            .complaint_routes
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
            .collect();
        let routes = if configured.is_empty() {
            app::model::rights::DEFAULT_COMPLAINT_ROUTES.to_vec()
        } else {
            configured
        };
        routes
            .into_iter()
            .map(|r| {
                ComplaintRoute::parse(r).ok_or_else(|| {
                    format!("--complaint-route {r:?}: expected `中文名|English name|contact`")
                })
            })
            .collect()
    }

    /// Where the daily digest of rights requests goes: `--privacy-office-email`, else the
    /// contact e-mail.
    pub fn privacy_office_email(&self) -> Result<Email, String> {
        let address = match self.privacy_office_email.trim() {
            "" => self.contact_email.trim(),
            a => a,
        };
        Email::parse(address).map_err(|_| format!("not an e-mail address: {address:?}"))
    }
}

/// A configured list, each entry trimmed, empty ones left out.
pub fn list(items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|g| g.trim().to_string())
        .filter(|g| !g.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let cli = Cli::try_parse_from(["server", "--session-key", "00ff00ff"]).unwrap();
        assert_eq!(
            cli.serve.session_key.as_ref().map(SecretArg::expose),
            Some("00ff00ff")
        );
        assert!(!format!("{cli:?}").contains("00ff00ff"));
    }
}
