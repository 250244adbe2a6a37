//! The list the authorisation walk (`authz.rs`) goes through: every server function with
//! its access rule and arguments. A new server function must be added here.

use app::model::account::OperatorRole;

/// Who may call a server function.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Access {
    /// Anyone (it reads public data, or its token is the credential).
    Public,
    /// A logged-in login person (applicants included).
    User,
    /// A login person of an open business account.
    Member,
    /// That account's admin.
    Admin,
    /// A login person of an open business account with the funds permission (or the admin).
    Funds,
    /// A login person of an open business account with the finance permission (or the admin).
    Finance,
    /// A login person of an open business account with the tasks permission (or the admin).
    Tasks,
    /// An operator after TOTP with one of these roles (super-admins hold all; empty = super-admin only).
    Operator(&'static [OperatorRole]),
    /// The operator's second login step: needs the password step's session.
    OperatorHalf,
}

pub use crate::authz_fixture::Fixture;

pub type Args = fn(&Fixture) -> Vec<(&'static str, String)>;

pub(crate) fn none(_: &Fixture) -> Vec<(&'static str, String)> {
    vec![]
}

pub struct Endpoint {
    pub name: &'static str,
    pub access: Access,
    pub args: Args,
}

pub(crate) const REVIEWER: &[OperatorRole] = &[OperatorRole::Reviewer];
pub const PRIVACY: &[OperatorRole] = &[OperatorRole::PrivacyOfficer];
const SUPER: &[OperatorRole] = &[];
pub(crate) const VIEWERS: &[OperatorRole] = &[OperatorRole::Reviewer, OperatorRole::Support];
pub(crate) const FINANCE: &[OperatorRole] = &[OperatorRole::Finance];
const ANY: &[OperatorRole] = app::model::access::roles::ANY_OPERATOR;

fn order_args(_: &Fixture) -> Vec<(&'static str, String)> {
    crate::helpers::order_form("WALK-1", "bank", "6222021234561234", "1")
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

fn a_ticket(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("ticket", f.a_ticket.clone())]
}

fn a_request(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("id", f.a_request_id.clone())]
}

fn a_order(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("id", f.a_order_id.clone())]
}

/// Server functions that take a multipart upload, and the file the walk sends.
pub const UPLOADS: &[(&str, &str)] = &[
    ("upload_application_file", "licence"),
    ("upload_batch", "order_id,payee_name,id_number,channel,account,mobile,amount\nW-1,张三,11010519491231002X,bank,6222021234561234,13800000001,1\n"),
    ("import_statement", "bank_ref,value_date,payer_name,payer_account,receiving_account_no,amount\nWALK-1,2026-11-29,x,62258800123456,9999999999999999,1\n"),
    ("upload_correction_licence", "licence"),
    ("issue_invoice", "%PDF-1.7\n%%EOF\n"),
    // A ticket's file (issue 18 §3): a PNG to A's ticket (see `authz::call`).
    ("attach_ticket_file", "png"),
    ("ops_attach_ticket_file", "png"),
];

macro_rules! ep {
    ($name:literal, $access:expr) => {
        Endpoint {
            name: $name,
            access: $access,
            args: none,
        }
    };
    ($name:literal, $access:expr, $args:expr) => {
        Endpoint {
            name: $name,
            access: $access,
            args: $args,
        }
    };
}
pub(crate) use ep;

/// Every server function: the list below and the invoices' and task library's (`authz_business.rs`).
pub fn all() -> impl Iterator<Item = &'static Endpoint> {
    ENDPOINTS
        .iter()
        .chain(crate::authz_business::BUSINESS_ENDPOINTS)
}

pub const ENDPOINTS: &[Endpoint] = &[
    ep!("platform_info", Access::Public),
    ep!("announcements", Access::Public, |_| vec![(
        "limit",
        "5".into()
    )]),
    ep!("announcement", Access::Public, |_| vec![(
        "id",
        "0".repeat(32)
    )]),
    ep!("policy_page", Access::Public, |_| vec![(
        "kind",
        "privacy".into()
    )]),
    ep!("current_policies", Access::Public),
    ep!("consent_state", Access::Public, |_| vec![(
        "lang",
        "zh-CN".into()
    )]),
    ep!("save_consent", Access::Public, |_| vec![
        ("choice", "reject_all".into()),
        ("lang", "zh-CN".into())
    ]),
    ep!("remembered_login", Access::Public),
    ep!("my_consents", Access::User),
    // Policy versions and re-consent (P9), the consent centre (P1.2, P6.4).
    ep!("policy_notices", Access::Public),
    ep!("policy_versions", Access::Operator(PRIVACY)),
    ep!("policy_draft", Access::Operator(PRIVACY), |_| vec![(
        "id",
        "nope".into()
    )]),
    ep!("start_policy_draft", Access::Operator(PRIVACY), |_| vec![(
        "kind",
        "terms".into()
    )]),
    ep!("save_policy_draft", Access::Operator(PRIVACY), |_| vec![
        ("id", "nope".into()),
        ("updated_at", "0".into()),
        ("version", "9.9".into()),
        ("summary_zh", "x".into()),
        ("summary_en", "x".into()),
        ("content_zh", "## x".into()),
        ("content_en", "## x".into())
    ]),
    ep!("schedule_policy", Access::Operator(PRIVACY), |_| vec![
        ("id", "nope".into()),
        ("updated_at", "0".into()),
        ("effective_date", "2099-01-01".into())
    ]),
    ep!("withdraw_policy", Access::Operator(PRIVACY), |_| vec![(
        "id",
        "nope".into()
    )]),
    ep!("policy_update_page", Access::User),
    ep!("answer_policy_update", Access::User, |_| vec![
        ("answer", "decline".into()),
        ("privacy_version_id", "x".into()),
        ("terms_version_id", "x".into())
    ]),
    ep!("privacy_centre", Access::User),
    ep!("frequent_areas", Access::Member),
    ep!("set_purpose", Access::User, |_| vec![
        ("purpose", "promotions".into()),
        ("on", "off".into())
    ]),
    ep!("register", Access::Public, |_| vec![
        ("name", "x".into()),
        ("mobile", "1".into()),
        ("email", "x".into()),
        ("password", "x".into()),
        ("privacy_version_id", "x".into()),
        ("terms_version_id", "x".into()),
    ]),
    ep!("pending_registration", Access::Public, |_| vec![(
        "id",
        "0".repeat(32)
    )]),
    ep!("confirm_registration", Access::Public, |_| vec![
        ("id", "0".repeat(32)),
        ("code", "000000".into())
    ]),
    ep!("login", Access::Public, |_| vec![
        ("login", "13000000000".into()),
        ("password", "x".into())
    ]),
    ep!("logout", Access::Public),
    ep!("request_password_reset", Access::Public, |_| vec![(
        "login",
        "13000000000".into()
    )]),
    ep!("check_password_reset", Access::Public, |_| vec![(
        "token",
        "0".repeat(64)
    )]),
    ep!("reset_password_with_code", Access::Public, |_| vec![
        ("login", "13000000000".into()),
        ("code", "123456".into()),
        ("password", "x".into())
    ]),
    ep!("reset_password", Access::Public, |_| vec![
        ("token", "0".repeat(64)),
        ("password", "x".into())
    ]),
    ep!("whoami", Access::Public),
    ep!("ops_login", Access::Public, |_| vec![
        ("login", "nobody".into()),
        ("password", "x".into())
    ]),
    ep!("ops_logout", Access::Public),
    ep!("ops_whoami", Access::Public),
    ep!("invite_preview", Access::Public, |_| vec![(
        "token",
        "0".repeat(64)
    )]),
    ep!("accept_invite", Access::Public, |_| vec![
        ("token", "0".repeat(64)),
        ("password", "x".into()),
        ("privacy_version_id", "x".into()),
        ("terms_version_id", "x".into()),
    ]),
    ep!("ops_totp", Access::OperatorHalf, |_| vec![(
        "code",
        "000000".into()
    )]),
    ep!("logout_all", Access::User),
    ep!("end_session", Access::User, |f| vec![(
        "handle",
        f.a_session_handle.clone()
    )]),
    ep!("my_profile", Access::User),
    ep!("update_profile", Access::User, |_| vec![
        ("name", "改名".into()),
        ("mobile", "13900000000".into()),
        ("email", "x@example.com".into())
    ]),
    ep!("confirm_contact_change", Access::User, |_| vec![
        ("kind", "mobile".into()),
        ("code", "123456".into())
    ]),
    ep!("change_password", Access::User, |_| vec![
        ("current_password", "x".into()),
        ("new_password", "Abcdefg-123".into())
    ]),
    ep!("login_history", Access::User),
    ep!("my_sessions", Access::User),
    ep!("my_application", Access::User),
    // WeChat scan-login and binding (issue 15): a ticket belongs to the browser that asked for
    // it, and to the phone that scanned it.
    ep!("start_wechat_scan", Access::Public, |_| vec![
        ("purpose", "login".into()),
        ("lang", "zh-CN".into())
    ]),
    ep!("begin_wechat_bind", Access::User, |_| vec![
        ("password", "x".into()),
        ("lang", "zh-CN".into())
    ]),
    ep!("wechat_scan_progress", Access::Public, a_ticket),
    ep!("finish_wechat_login", Access::Public, a_ticket),
    ep!("wechat_scan_view", Access::Public, a_ticket),
    ep!("decide_wechat_scan", Access::Public, |f| vec![
        ("ticket", f.a_ticket.clone()),
        ("decision", "confirm".into())
    ]),
    ep!("my_wechat", Access::User),
    ep!("unbind_wechat", Access::User),
    ep!("request_to_join", Access::User, |_| vec![(
        "credit_code",
        "91350100M000100Y43".into()
    )]),
    ep!("save_application", Access::User, |_| vec![
        ("enterprise_name", "x".into()),
        ("credit_code", "x".into()),
        ("registered_address", "x".into()),
        ("business_scope", "x".into()),
        ("platform_name", "x".into()),
        ("platform_url", "x".into()),
        ("platform_description", "x".into()),
        ("outsourced_work", "x".into()),
        ("intent", "save".into()),
    ]),
    ep!("upload_application_file", Access::User),
    ep!("delete_application_file", Access::User, |f| vec![(
        "id",
        f.a_file_id.clone()
    )]),
    ep!("business_info", Access::Member),
    ep!("portal_dashboard", Access::Member),
    ep!("ops_dashboard", Access::Operator(ANY)),
    ep!("operation_records", Access::Admin),
    ep!("list_members", Access::Admin),
    ep!("invite_member", Access::Admin, |_| vec![
        ("name", "x".into()),
        ("mobile", "13211112222".into()),
        ("email", "walk@example.com".into()),
        ("role", "member".into()),
    ]),
    ep!("set_member_access", Access::Admin, |f| vec![
        ("id", f.a_member_id.clone()),
        ("role", "admin".into())
    ]),
    ep!("set_member_status", Access::Admin, |f| vec![
        ("id", f.a_member_id.clone()),
        ("active", "false".into())
    ]),
    ep!("transfer_admin", Access::Admin, |f| vec![
        ("id", f.a_member_id.clone()),
        ("password", crate::helpers::APPLICANT_PW.into())
    ]),
    ep!("revoke_invite", Access::Admin, |f| vec![(
        "id",
        f.a_invite_id.clone()
    )]),
    ep!("list_operators", Access::Operator(SUPER)),
    ep!("search_audit", Access::Operator(SUPER), |_| vec![(
        "query[limit]",
        "5".into()
    )]),
    ep!("verify_audit", Access::Operator(SUPER)),
    ep!("review_queue", Access::Operator(REVIEWER)),
    ep!("review_application", Access::Operator(REVIEWER), |f| vec![
        ("id", f.a_application_id.clone())
    ]),
    ep!("decide_application", Access::Operator(REVIEWER), |f| vec![
        ("id", f.a_application_id.clone()),
        ("decision", "reject".into()),
        ("message", "walk".into())
    ]),
    ep!("list_outbox", Access::Operator(PRIVACY)),
    ep!("resend_outbox", Access::Operator(PRIVACY), |_| vec![(
        "id",
        "00000000000000000000000000000000".into()
    )]),
    ep!("dev_mailbox", Access::Operator(PRIVACY)),
    ep!("create_operator", Access::Operator(SUPER), |_| vec![
        ("login", "walk.op".into()),
        ("display_name", "走查".into()),
        ("reviewer", "on".into()),
    ]),
    ep!("set_operator_roles", Access::Operator(SUPER), |_| vec![
        ("id", "0".repeat(32)),
        ("reviewer", "on".into()),
    ]),
    ep!("set_operator_status", Access::Operator(SUPER), |_| vec![
        ("id", "0".repeat(32)),
        ("active", "off".into()),
    ]),
    ep!("reset_operator", Access::Operator(SUPER), |_| vec![
        ("id", "0".repeat(32)),
        ("what", "totp".into()),
    ]),
    ep!("operator_enrolment", Access::Public, |_| vec![(
        "token",
        "0".repeat(64)
    )]),
    ep!("enrol_operator", Access::Public, |_| vec![
        ("token", "0".repeat(64)),
        ("password", "Walk-Pass-2026".into()),
        ("code", "000000".into()),
    ]),
    // Rights requests (issue 16): a request is its requester's alone; officers answer them.
    // (The submission's kind is invalid, so that no password is tried by the walk.)
    ep!("my_privacy_requests", Access::User),
    ep!("submit_privacy_request", Access::User, |_| vec![
        ("key", "walk-key".into()),
        ("kind", "x".into()),
        ("channel", "email".into()),
        ("password", "x".into()),
    ]),
    ep!("my_privacy_request", Access::User, a_request),
    ep!("verify_privacy_request", Access::User, |f| vec![
        ("id", f.a_request_id.clone()),
        ("code", "000000".into()),
    ]),
    ep!("resend_privacy_code", Access::User, |f| vec![
        ("id", f.a_request_id.clone()),
        ("channel", "email".into()),
    ]),
    ep!("withdraw_privacy_request", Access::User, a_request),
    ep!("upload_correction_licence", Access::User),
    ep!("business_corrections", Access::Member),
    ep!("privacy_request_queue", Access::Operator(PRIVACY)),
    ep!("privacy_request", Access::Operator(PRIVACY), a_request),
    ep!(
        "start_privacy_request",
        Access::Operator(PRIVACY),
        |_| vec![("id", "0".repeat(32))]
    ),
    ep!(
        "complete_privacy_request",
        Access::Operator(PRIVACY),
        |_| vec![("id", "0".repeat(32)), ("answer", "x".into()),]
    ),
    ep!(
        "refuse_privacy_request",
        Access::Operator(PRIVACY),
        |_| vec![
            ("id", "0".repeat(32)),
            ("reason", "impractical".into()),
            ("answer", "x".into()),
        ]
    ),
    ep!("mark_privacy_fee", Access::Operator(PRIVACY), |_| vec![
        ("id", "0".repeat(32)),
        ("fee_reason", "x".into()),
    ]),
    ep!("platform_stats", Access::Operator(ANY)),
    // Retention (issue 16 §6): privacy officers.
    ep!("retention_page", Access::Operator(PRIVACY)),
    ep!("run_retention", Access::Operator(PRIVACY), |_| vec![(
        "dry",
        "true".into()
    )]),
    ep!("place_legal_hold", Access::Operator(PRIVACY), |_| vec![
        ("credit_code", "x".into()),
        ("reason", "x".into()),
    ]),
    ep!("release_legal_hold", Access::Operator(PRIVACY), |_| vec![(
        "id",
        "0".repeat(32)
    )]),
    ep!("list_incidents", Access::Operator(PRIVACY)),
    ep!("get_incident", Access::Operator(PRIVACY), |_| vec![(
        "id",
        "0".repeat(32)
    )]),
    ep!("save_incident", Access::Operator(PRIVACY), |_| vec![
        ("title_zh", "走查".into()),
        ("title_en", "Walk".into()),
        ("what_happened", "x".into()),
        ("discovered_at", "2026-11-30T09:00".into()),
        ("impact", "x".into()),
        ("measures", "x".into()),
        ("advice_zh", "x".into()),
        ("advice_en", "x".into()),
        ("remedies", "x".into()),
        ("enterprises", "91350100M000100Y43".into()),
    ]),
    ep!("notify_incident", Access::Operator(PRIVACY), |_| vec![
        ("id", "0".repeat(32)),
        ("expected", "0".into()),
    ]),
    ep!("announce_incident", Access::Operator(PRIVACY), |_| vec![(
        "id",
        "0".repeat(32)
    )]),
    ep!("all_announcements", Access::Operator(PRIVACY)),
    ep!("save_announcement", Access::Operator(PRIVACY), |_| vec![
        ("id", String::new()),
        ("kind", "maintenance".into()),
        ("title_zh", "走查".into()),
        ("title_en", "Walk".into()),
        ("body_zh", "走查".into()),
        ("body_en", "Walk".into()),
        ("publish_at", "2099-01-01T00:00".into()),
    ]),
    ep!(
        "withdraw_announcement",
        Access::Operator(PRIVACY),
        |_| vec![("id", "0".repeat(32))]
    ),
    ep!("my_inbox", Access::User, |_| vec![(
        "cursor",
        String::new()
    )]),
    ep!("mark_message_read", Access::User, |f| vec![(
        "id",
        f.a_message_id.clone()
    )]),
    ep!("mark_all_messages_read", Access::User),
    ep!("message_preferences", Access::User),
    ep!("set_message_preference", Access::User, |_| vec![
        ("category", "funds".into()),
        ("channel", "sms".into()),
        ("on", "off".into())
    ]),
    ep!("set_message_lang", Access::User, |_| vec![(
        "lang",
        "en".into()
    )]),
    ep!("unsubscribe", Access::Public, |_| vec![(
        "token",
        format!("{}.{}", "0".repeat(32), "0".repeat(64))
    )]),
    ep!("list_enterprises", Access::Operator(VIEWERS)),
    ep!("enterprise_detail", Access::Operator(VIEWERS), |f| vec![(
        "id",
        f.a_enterprise_id.clone()
    )]),
    ep!("funds_overview", Access::Funds),
    ep!("list_topups", Access::Funds),
    ep!("create_order", Access::Funds, order_args),
    ep!("list_orders", Access::Funds, |f| vec![
        ("status", String::new()),
        ("batch", f.a_batch_id.clone()),
        ("cursor", String::new())
    ]),
    ep!("get_order", Access::Funds, a_order),
    ep!("get_receipt", Access::Funds, a_order),
    ep!("reveal_order", Access::Funds, a_order),
    ep!("cancel_order", Access::Funds, a_order),
    ep!("retry_order", Access::Funds, a_order),
    ep!("upload_batch", Access::Funds),
    ep!("list_batches", Access::Funds),
    ep!("decide_batch", Access::Funds, |f| vec![
        ("id", f.a_batch_id.clone()),
        ("confirm", "false".into())
    ]),
    ep!("fund_flow", Access::Funds, |_| vec![
        ("from", String::new()),
        ("to", String::new()),
        ("category", String::new()),
        ("cursor", String::new())
    ]),
    ep!("bill_months", Access::Funds),
    ep!("get_bill", Access::Funds, |_| vec![(
        "month",
        "2026-11".into()
    )]),
    ep!("transfers_page", Access::Admin),
    ep!("set_withdrawal_account", Access::Admin, |_| vec![
        ("account_name", "x".into()),
        ("bank_name", "y".into()),
        ("account_no", "62122612345678".into()),
        ("password", crate::helpers::APPLICANT_PW.into())
    ]),
    ep!("request_transfer", Access::Admin, |_| vec![
        ("amount", "1".into()),
        ("key", "walk".into())
    ]),
    ep!("record_credit", Access::Operator(FINANCE), |_| vec![
        ("bank_ref", "WALK-2".into()),
        ("value_date", "2026-11-29".into()),
        ("payer_name", "x".into()),
        ("payer_account", "62258800123456".into()),
        ("receiving_account_no", "9999999999999999".into()),
        ("amount", "1".into()),
        ("bank_fee", String::new()),
        ("confirm", "yes".into())
    ]),
    ep!("import_statement", Access::Operator(FINANCE)),
    ep!("list_credits", Access::Operator(FINANCE), |_| vec![(
        "unmatched_only",
        "false".into()
    )]),
    ep!("assign_credit", Access::Operator(FINANCE), |_| vec![
        ("id", "0".repeat(32)),
        ("enterprise", "x".into())
    ]),
    ep!(
        "list_transfer_requests",
        Access::Operator(FINANCE),
        |_| vec![("waiting_only", "true".into())]
    ),
    ep!("decide_transfer", Access::Operator(FINANCE), |_| vec![
        ("id", "0".repeat(32)),
        ("approve", "true".into()),
        ("reason", String::new())
    ]),
    ep!("list_held_credits", Access::Operator(FINANCE)),
    ep!("decide_credit", Access::Operator(FINANCE), |_| vec![
        ("id", "0".repeat(32)),
        ("approve", "true".into()),
        ("reason", String::new())
    ]),
    ep!("payout_status", Access::Operator(FINANCE)),
    ep!("verify_receipt", Access::Operator(FINANCE), |f| vec![
        ("reference", f.a_order_id.clone()),
        ("code", "0000-0000-0000-0000".into())
    ]),
    ep!("simulate_return", Access::Operator(FINANCE), |f| vec![(
        "key",
        f.a_order_id.clone()
    )]),
];
