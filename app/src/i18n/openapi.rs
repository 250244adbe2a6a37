//! Messages of the open API's credentials in the portal (issue 19).

use super::Translate;
use crate::model::callbacks::{CallbackEvent, DeliveryStatus};
use crate::model::openapi::{CredentialStatus, Scope};

crate::messages! {
    pub enum ApiMsg {
        Title => "开放接口", "Open API";
        Intro => "贵企业的系统可以通过签名的接口创建和查询付款订单、查询余额。每个密钥有自己的权限范围、可选的 IP 白名单和有效期；密钥的每次使用都记入操作记录。签名方法和示例见接口文档。", "Your enterprise's own systems can create and query payment orders and read the balance through signed requests. Each key has its scopes, an optional IP allow-list and an expiry; every use of a key is in the operation records. The API documentation shows how to sign a request.";
        Docs => "接口文档（OpenAPI 3.1）与签名方法", "API reference (OpenAPI 3.1) and how to sign";
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
        CbTitle => "回调通知", "Callbacks";
        CbIntro => "设置回调地址后，贵企业的付款订单、发票申请和任务的状态变化会以签名的 JSON POST 到该地址（X-Callback-Id、X-Timestamp、X-Signature）。未收到 2xx 应答时按指数退避重试 24 小时；不跟随重定向。", "With a callback address set, status changes of your payment orders, invoice applications and tasks are POSTed to it as signed JSON (X-Callback-Id, X-Timestamp, X-Signature). Without a 2xx answer they are retried with exponential back-off for 24 hours; redirects are not followed.";
        CbUrl => "回调地址", "Callback address";
        CbUrlHint => "留空并保存即停止推送。生产环境只接受 https:// 的公网地址。", "Leave it empty and save to stop callbacks. In production only public https:// addresses are accepted.";
        CbNewSecret => "签发新的签名密钥（旧密钥立即失效）", "Issue a new signing secret (the old one stops at once)";
        CbSave => "保存回调设置", "Save the callback settings";
        CbOff => "未设置回调地址：不推送通知。", "No callback address is set: nothing is sent.";
        CbSecretOnce => "请立即保存签名密钥：它只显示这一次。用它验证每条回调的 X-Signature。", "Save the signing secret now: it is shown this once. Use it to check each callback's X-Signature.";
        CbSecret => "签名密钥", "Signing secret";
        CbLog => "推送记录", "Delivery log";
        CbNone => "还没有推送记录。", "No deliveries yet.";
        CbEvent => "事件", "Event";
        CbSubject => "对象", "About";
        CbAttempts => "尝试次数", "Attempts";
        CbLast => "最近结果", "Last result";
        CbNext => "下次尝试", "Next attempt";
        CbResend => "重新推送", "Re-send";
        EvOrder => "付款订单状态变化", "Payment order status changed";
        EvInvoice => "发票申请状态变化", "Invoice application status changed";
        EvTask => "任务状态变化", "Task status changed";
        DPending => "待推送", "Waiting";
        DDelivered => "已送达", "Delivered";
        DFailed => "未送达", "Not delivered";
    }
}

pub fn callback_event_label(e: CallbackEvent) -> ApiMsg {
    match e {
        CallbackEvent::OrderStatus => ApiMsg::EvOrder,
        CallbackEvent::InvoiceStatus => ApiMsg::EvInvoice,
        CallbackEvent::TaskStatus => ApiMsg::EvTask,
    }
}

pub fn delivery_status_label(s: DeliveryStatus) -> ApiMsg {
    match s {
        DeliveryStatus::Pending => ApiMsg::DPending,
        DeliveryStatus::Delivered => ApiMsg::DDelivered,
        DeliveryStatus::Failed => ApiMsg::DFailed,
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
