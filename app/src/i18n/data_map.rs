//! Messages of the data map as the privacy centre shows it: "what we hold about you"
//! (issue 16 §1, P1.4, P6.1).

use super::{text, Lang, Translate};
use crate::model::data_map::{Category, Erasure, Hold, Method, Retention};
use crate::model::retention::RetentionDays;

crate::messages! {
    pub enum MapMsg {
        HeldTitle => "我们保存的信息", "What we hold";
        HeldIntro => "以下内容按数据地图自动生成：平台保存的每一类信息、用途、保存期限，以及您要求删除或注销账户时如何处理。", "Generated from the platform's data map: every kind of information it keeps, why, for how long, and what happens to it when you ask for deletion or close your account.";
        AboutYou => "关于您本人", "About you";
        AboutEnterprise => "关于贵企业", "About your enterprise";
        Category => "信息类别", "Kind of information";
        Purpose => "用途", "Purpose";
        Kept => "保存期限", "Kept";
        OnDeletion => "删除时", "On deletion";
        Sensitive => "（敏感个人信息）", " (sensitive personal information)";
        CIdentity => "姓名", "Names";
        CContact => "手机号、邮箱", "Mobile numbers and e-mail addresses";
        CCredentials => "密码（仅存散列值）与动态码密钥", "Passwords (as hashes only) and authenticator secrets";
        CDevice => "IP 地址与浏览器信息", "IP addresses and browser details";
        CActivity => "登录记录", "Login records";
        CFinancialAccount => "银行卡号与收付款账户", "Bank card and payment account numbers";
        CIdNumber => "身份证号", "Identity card numbers";
        CTransaction => "金额、余额与交易", "Amounts, balances and transactions";
        CBusiness => "企业登记与业务信息", "The enterprise's registration and business details";
        CCommunication => "收发的消息", "Messages sent and received";
        CConsent => "同意与选择记录", "Consent and choices";
        CThirdParty => "微信账号（openid、unionid、昵称、头像）", "WeChat account (openid, unionid, nickname, avatar)";
        CFiles => "上传的文件", "Uploaded files";
        WhileAccount => "账户存续期间", "While the account exists";
        Published => "作为平台公告保存", "Kept as the platform's published record";
        EDelete => "删除", "Deleted";
        EBlank => "清空", "Emptied";
        EPlaceholder => "替换为“已注销用户”", "Replaced by “closed account”";
        ETruncate => "截短（如 IP 仅保留网段）", "Shortened (an IP address to its network)";
        Erased => "您的个人信息已按数据地图删除或匿名化，您的登录账户已停用，所有登录已退出。", "Your personal information has been deleted or anonymised as the data map says; your login is disabled and every session has ended.";
        KeptByLaw => "以下信息须依法保留，保留期满后删除：", "The law requires us to keep the following; it is deleted when its period is over:";
        KeptRecord => "本请求的记录（类型、理由与时间）作为已答复的凭证保留，其中填写的内容已清空。", "The record of this request (its kind, ground and times) is kept as proof that it was answered; what was written in it is emptied.";
    }
}

pub fn data_category_label(c: Category) -> MapMsg {
    use MapMsg as M;
    match c {
        Category::Identity => M::CIdentity,
        Category::Contact => M::CContact,
        Category::Credentials => M::CCredentials,
        Category::Device => M::CDevice,
        Category::Activity => M::CActivity,
        Category::FinancialAccount => M::CFinancialAccount,
        Category::IdNumber => M::CIdNumber,
        Category::Transaction => M::CTransaction,
        Category::Business => M::CBusiness,
        Category::Communication => M::CCommunication,
        Category::Consent => M::CConsent,
        Category::ThirdPartyAccount => M::CThirdParty,
        Category::Files => M::CFiles,
    }
}

/// A legal hold with its period (the privacy centre shows the defaults; an answer the
/// configured periods).
fn hold_text(h: Hold, p: &RetentionDays, lang: Lang) -> String {
    match h {
        Hold::AccountingArchives => text::kept_books(lang, p.accounting / 365),
        Hold::AuditTrail => text::kept_audit(lang, p.accounting / 365),
        Hold::NetworkLogs => text::kept_logs(lang, p.network_logs),
    }
}

pub fn retention_text(r: Retention, lang: Lang) -> String {
    match r {
        Retention::UntilExpiry { hours_after } => text::deleted_after_expiry(lang, hours_after),
        Retention::WhileAccount => MapMsg::WhileAccount.text(lang).to_string(),
        Retention::Days(n) => text::days(lang, n),
        Retention::AfterClosing(n) => text::days_after_closing(lang, n),
        Retention::Legal(h) => hold_text(h, &RetentionDays::default(), lang),
        Retention::Published => MapMsg::Published.text(lang).to_string(),
    }
}

pub fn erasure_text(e: Erasure, lang: Lang) -> String {
    match e {
        Erasure::Delete => MapMsg::EDelete.text(lang).to_string(),
        Erasure::Anonymise(Method::Blank) => MapMsg::EBlank.text(lang).to_string(),
        Erasure::Anonymise(Method::Placeholder) => MapMsg::EPlaceholder.text(lang).to_string(),
        Erasure::Anonymise(Method::Truncate) => MapMsg::ETruncate.text(lang).to_string(),
        Erasure::Keep(h) => hold_text(h, &RetentionDays::default(), lang),
    }
}

/// What the answer to a completed deletion adds (P6.3): what was erased, what the law keeps and
/// for how long (from the data map, with the configured periods), and when the backups follow.
pub fn deletion_done(p: &RetentionDays, backup_days: u32, lang: Lang) -> String {
    let mut out = format!(
        "{}\n\n{}",
        MapMsg::Erased.text(lang),
        MapMsg::KeptByLaw.text(lang)
    );
    for (category, hold) in crate::model::data_map::kept_after_deletion() {
        let sep = if lang == Lang::ZhCn { "：" } else { ": " };
        out.push_str(&format!(
            "\n- {}{sep}{}",
            data_category_label(category).text(lang),
            hold_text(hold, p, lang)
        ));
    }
    out.push_str(&format!(
        "\n\n{}\n{}",
        MapMsg::KeptRecord.text(lang),
        text::backups_rotate(lang, backup_days)
    ));
    out
}
