//! Messages of the open API's credentials in the portal (issue 19).

use super::Translate;
use crate::model::openapi::{CredentialStatus, Scope};

crate::messages! {
    pub enum ApiMsg {
        Title => "开放接口", "Open API";
        Intro => "贵企业的系统可以通过签名的接口创建和查询付款订单、查询余额。每个密钥有自己的权限范围、可选的 IP 白名单和有效期；密钥的每次使用都记入操作记录。签名方法和示例见接口文档。", "Your enterprise's own systems can create and query payment orders and read the balance through signed requests. Each key has its scopes, an optional IP allow-list and an expiry; every use of a key is in the operation records. The API documentation shows how to sign a request.";
        Docs => "接口文档与签名示例（README：开放接口）", "API documentation and signing example (README: Open API)";
        Keys => "密钥", "Keys";
        NoKeys => "还没有密钥。", "No keys yet.";
        Name => "名称", "Name";
        KeyId => "密钥 ID", "Key ID";
        Scopes => "权限范围", "Scopes";
        IpAllow => "IP 白名单（每行一个地址或网段，留空为不限）", "IP allow-list (one address or network per line; empty: any)";
        IpAllowCol => "IP 白名单", "IP allow-list";
        AnyIp => "不限", "Any";
        ValidDays => "有效期", "Valid for";
        Days30 => "30 天", "30 days";
        Days90 => "90 天", "90 days";
        Days180 => "180 天", "180 days";
        Days365 => "365 天", "365 days";
        Created => "创建时间", "Created";
        Expires => "到期时间", "Expires";
        LastUsed => "最近使用", "Last used";
        Never => "从未", "Never";
        Status => "状态", "Status";
        Issue => "新建密钥", "Create a key";
        NewKey => "新建密钥", "Create a key";
        Rotate => "轮换", "Rotate";
        Revoke => "吊销", "Revoke";
        SecretOnce => "请立即保存密钥：它只显示这一次，平台不会再显示。", "Save the secret now: it is shown this once and never again.";
        Secret => "密钥", "Secret";
        ScopeOrders => "付款订单（创建、查询）", "Payment orders (create, query)";
        ScopeFundsRead => "资金查询（余额、流水、账单、回单）", "Funds (balance, flow, bills, receipts)";
        ScopeInvoices => "发票", "Invoices";
        ScopeTasks => "任务", "Tasks";
        SActive => "有效", "Active";
        SRotating => "轮换过渡中", "Rotating out";
        SExpired => "已过期", "Expired";
        SRevoked => "已吊销", "Revoked";
        Until => "过渡期至", "Works until";
    }
}

pub fn api_scope_label(s: Scope) -> ApiMsg {
    match s {
        Scope::Orders => ApiMsg::ScopeOrders,
        Scope::FundsRead => ApiMsg::ScopeFundsRead,
        Scope::Invoices => ApiMsg::ScopeInvoices,
        Scope::Tasks => ApiMsg::ScopeTasks,
    }
}

pub fn credential_status_label(s: CredentialStatus) -> ApiMsg {
    match s {
        CredentialStatus::Active => ApiMsg::SActive,
        CredentialStatus::Rotating => ApiMsg::SRotating,
        CredentialStatus::Expired => ApiMsg::SExpired,
        CredentialStatus::Revoked => ApiMsg::SRevoked,
    }
}

/// The scopes' labels, joined.
pub fn scopes_text(scopes: &[Scope], lang: super::Lang) -> String {
    scopes
        .iter()
        .map(|s| api_scope_label(*s).text(lang))
        .collect::<Vec<_>>()
        .join(super::list_separator(lang))
}
