//! The authorisation walk's list (`authz_endpoints.rs`), its part for invoices (issue 17), the
//! task library (issue 18: tasks, completion records, the worker register and signing) and
//! customer service (issue 18 §3).

use crate::authz_endpoints::{
    ep, none, Access, Endpoint, Fixture, FINANCE, PRIVACY, REVIEWER, VIEWERS,
};

fn a_worker(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("id", f.a_worker_id.clone())]
}

fn a_task(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("id", f.a_task_id.clone())]
}

fn task_args(f: &Fixture) -> Vec<(&'static str, String)> {
    // B's change to A's task (a draft of B's own when there is no such task).
    vec![
        ("id", f.a_task_id.clone()),
        ("key", "walk-task".into()),
        ("intent", "draft".into()),
        ("title", "乙改甲".into()),
        ("description", String::new()),
        ("category", String::new()),
        ("city", String::new()),
        ("pay_kind", String::new()),
        ("unit_price", String::new()),
        ("units", String::new()),
        ("budget", String::new()),
        ("workers", String::new()),
        ("starts_on", String::new()),
        ("ends_on", String::new()),
    ]
}

fn a_ticket(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("id", f.a_support_ticket_id.clone())]
}

const SUPPORT: &[app::model::account::OperatorRole] = app::model::access::roles::SUPPORT;

fn a_invoice(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("id", f.a_invoice_id.clone())]
}

fn invoice_profile_args(_: &Fixture) -> Vec<(&'static str, String)> {
    crate::invoice_helpers::profile_form("乙方抬头")
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

pub const BUSINESS_ENDPOINTS: &[Endpoint] = &[
    // Invoices (issue 17).
    ep!("invoice_profile", Access::Finance),
    ep!(
        "save_invoice_profile",
        Access::Finance,
        invoice_profile_args
    ),
    ep!("invoices_page", Access::Finance),
    ep!("apply_invoice", Access::Finance, |_| vec![
        ("amount", "1".into()),
        ("kind", "ordinary".into()),
        ("medium", "electronic".into()),
        ("goods", "*现代服务*服务费".into()),
        ("remark", String::new()),
        ("emails", "walk@example.com".into()),
        ("key", "walk".into())
    ]),
    ep!("cancel_invoice", Access::Finance, a_invoice),
    ep!("invoice_stats", Access::Finance),
    ep!("invoice_queue", Access::Operator(FINANCE), |_| vec![
        ("status", String::new()),
        ("kind", String::new()),
        ("medium", String::new())
    ]),
    ep!("start_invoice", Access::Operator(FINANCE), a_invoice),
    ep!("issue_invoice", Access::Operator(FINANCE)),
    ep!("reject_invoice", Access::Operator(FINANCE), |f| vec![
        ("id", f.a_invoice_id.clone()),
        ("reason", "walk".into())
    ]),
    ep!("mail_invoice", Access::Operator(FINANCE), |f| vec![
        ("id", f.a_invoice_id.clone()),
        ("courier", "SF".into()),
        ("waybill", "SF123".into())
    ]),
    ep!("record_red_invoice", Access::Operator(FINANCE), |f| vec![
        ("id", f.a_invoice_id.clone()),
        ("number", "0".repeat(20)),
        ("date", "2026-11-29".into()),
        ("reason", "walk".into())
    ]),
    ep!("approve_red_invoice", Access::Operator(FINANCE), a_invoice),
    ep!("withdraw_red_invoice", Access::Operator(FINANCE), |f| vec![
        ("id", f.a_invoice_id.clone()),
        ("reason", "walk".into())
    ]),
    ep!("pending_taxpayer_ids", Access::Operator(REVIEWER)),
    ep!("decide_taxpayer_id", Access::Operator(REVIEWER), |f| vec![
        ("enterprise_id", f.a_enterprise_id.clone()),
        ("taxpayer_id", "110108000000016".into()),
        ("accept", "true".into()),
        ("reason", "walk".into())
    ]),
    // The task library (issue 18).
    ep!("my_tasks", Access::Tasks),
    ep!("task", Access::Tasks, a_task),
    ep!("save_task", Access::Tasks, task_args),
    ep!("close_task", Access::Tasks, a_task),
    ep!("record_completion", Access::Tasks, |f| {
        let mut args = vec![("task_id", f.a_open_task_id.clone())];
        for (k, v) in [
            ("name", "乙工人"),
            ("id_number", "110105199001011232"),
            ("mobile", "13900000011"),
        ] {
            args.push((k, v.into()));
        }
        for (k, v) in [
            ("channel", "bank"),
            ("account", "6222021234561234"),
            ("quantity", "1"),
        ] {
            args.push((k, v.into()));
        }
        args.extend([("milestone", String::new()), ("amount", String::new())]);
        args
    }),
    ep!("completion_step", Access::Tasks, |f| vec![
        ("id", f.a_completion_id.clone()),
        ("step", "accept".into())
    ]),
    ep!("pay_completions", Access::Funds, |f| vec![(
        "task_id",
        f.a_open_task_id.clone()
    )]),
    ep!("workers", Access::Tasks),
    ep!("worker", Access::Tasks, a_worker),
    ep!("invite_worker", Access::Tasks, a_worker),
    ep!("release_worker", Access::Tasks, |f| vec![
        ("id", f.a_worker_id.clone()),
        ("reason", "walk".into())
    ]),
    ep!("enterprise_workers", Access::Operator(VIEWERS), |f| vec![(
        "enterprise_id",
        f.a_enterprise_id.clone()
    )]),
    // The sharing log (issue 19, P3.1.3): a member's own, the admin's enterprise's; never
    // another enterprise's (the page is filtered by the caller's enterprise).
    ep!("sharing_log", Access::Member),
    // The console's register and lawful disclosures (P3.1.2): privacy officers only; the walk's
    // calls are refused on their content (a region outside the storage region, no ground, no
    // such disclosure), so nothing is written.
    ep!("sharing_register", Access::Operator(PRIVACY)),
    ep!("save_recipient", Access::Operator(PRIVACY), |_| vec![
        ("code", "walk_recipient".into()),
        ("name_zh", "走查".into()),
        ("name_en", "Walk".into()),
        ("kind", "affiliate".into()),
        ("purpose", "records".into()),
        ("fields", "payment_orders.amount".into()),
        ("region", "us-east-1".into()),
        ("contract_ref", "walk".into()),
        ("active_from", "2026-01-01".into())
    ]),
    ep!("record_disclosure", Access::Operator(PRIVACY), |_| vec![
        ("authority", "walk".into()),
        ("ground", String::new()),
        ("legal_basis", "walk".into()),
        ("document_ref", "walk".into()),
        ("fields", "payment_orders.amount".into()),
        ("credit_code", "91350100M000100Y43".into()),
        ("disclosed_at", "2026-01-01T00:00".into()),
        ("tell", "yes".into())
    ]),
    ep!("decide_disclosure", Access::Operator(PRIVACY), |_| vec![
        ("id", "0".repeat(32)),
        ("approve", "true".into()),
        ("reason", String::new())
    ]),
    // The open API's credentials (issue 19): the admin's; another enterprise's key is not
    // found. The walk's issue names no scope, so nothing is issued.
    ep!("api_credentials", Access::Admin),
    // What a form posted without the WASM issued waits for its own session only.
    ep!("api_shown_once", Access::Admin),
    ep!("create_api_credential", Access::Admin, |_| vec![
        ("name", "walk".into()),
        ("valid_days", "90".into())
    ]),
    ep!("rotate_api_credential", Access::Admin, |f| vec![(
        "id",
        f.a_api_credential_id.clone()
    )]),
    ep!("revoke_api_credential", Access::Admin, |f| vec![(
        "id",
        f.a_api_credential_id.clone()
    )]),
    // The open API's callbacks (issue 19): the walk's address is refused (not http(s)), so no
    // one's is changed; another enterprise's delivery is not found.
    ep!("api_callbacks", Access::Admin),
    ep!("save_api_callback", Access::Admin, |_| vec![(
        "url",
        "ftp://walk.example".into()
    )]),
    ep!("resend_api_callback", Access::Admin, |f| vec![(
        "id",
        f.a_callback_delivery_id.clone()
    )]),
    // Transfers (P3.2): the walk's record names no basis, so it is refused and tells no one.
    ep!("successions", Access::Operator(PRIVACY)),
    ep!("record_succession", Access::Operator(PRIVACY), |_| vec![
        ("successor", "walk".into()),
        ("kind", "merger".into()),
        ("basis", String::new()),
        ("effective_on", "2027-01-01".into()),
        ("everyone", "on".into()),
        ("summary_zh", "walk".into()),
        ("summary_en", "walk".into())
    ]),
    // New versions of the worker service agreement: the privacy officer's (an old label is
    // refused, nothing is written or texted).
    ep!("agreement_versions", Access::Operator(PRIVACY)),
    ep!("publish_agreement", Access::Operator(PRIVACY), |_| vec![
        ("version", "1.0".into()),
        ("content_zh", "x".into()),
        ("content_en", "x".into())
    ]),
    // The link's token is the credential: a wrong one finds nothing.
    ep!("signing_view", Access::Public, |_| vec![
        ("token", "0".repeat(32)),
        ("lang", "zh-CN".into())
    ]),
    ep!("send_signing_code", Access::Public, |_| vec![(
        "token",
        "0".repeat(32)
    )]),
    ep!("sign_agreement", Access::Public, |_| vec![
        ("token", "0".repeat(32)),
        ("code", "123456".into()),
        ("agree", "on".into()),
        ("version", "1.0".into())
    ]),
    ep!("task_review_queue", Access::Operator(REVIEWER), |_| vec![(
        "status",
        String::new()
    )]),
    ep!("decide_task", Access::Operator(REVIEWER), |f| vec![
        ("id", f.a_task_id.clone()),
        ("decision", "reject".into()),
        ("note", "walk".into())
    ]),
    // Customer service (issue 18 §3): the portal's tickets (any member: their own, the admin's
    // enterprise's), the console's (support).
    ep!("support_home", Access::Member),
    ep!("support_ticket", Access::Member, a_ticket),
    ep!("open_ticket", Access::Member, |_| vec![
        ("key", "walk-ticket".into()),
        ("category", "other".into()),
        ("subject", "乙的工单".into()),
        ("body", "walk".into())
    ]),
    ep!("reply_ticket", Access::Member, |f| vec![
        ("id", f.a_support_ticket_id.clone()),
        ("body", "乙的回复".into())
    ]),
    ep!("attach_ticket_file", Access::Member),
    ep!("close_ticket", Access::Member, a_ticket),
    ep!("rate_ticket", Access::Member, |f| vec![
        ("id", f.a_support_ticket_id.clone()),
        ("rating", "1".into()),
        ("note", String::new())
    ]),
    ep!("confirm_ticket_identity", Access::Member, |f| vec![
        ("id", f.a_support_ticket_id.clone()),
        ("code", "000000".into())
    ]),
    ep!("support_queue", Access::Operator(SUPPORT), |_| vec![(
        "status",
        String::new()
    )]),
    ep!("ops_ticket", Access::Operator(SUPPORT), a_ticket),
    ep!("ops_reply_ticket", Access::Operator(SUPPORT), |f| vec![
        ("id", f.a_support_ticket_id.clone()),
        ("body", "walk".into())
    ]),
    ep!("ops_attach_ticket_file", Access::Operator(SUPPORT)),
    ep!("resolve_ticket", Access::Operator(SUPPORT), a_ticket),
    ep!("ops_close_ticket", Access::Operator(SUPPORT), a_ticket),
    ep!(
        "request_ticket_verification",
        Access::Operator(SUPPORT),
        |f| vec![
            ("id", f.a_support_ticket_id.clone()),
            ("method", "portal".into())
        ]
    ),
    ep!("ticket_account_panel", Access::Operator(SUPPORT), a_ticket),
];
