//! Messages of policy versions (the console editor, notices, re-consent, P9) and of the
//! privacy centre's consent centre (P1.2, P1.3, P6.4).

use crate::model::purpose::{Area, HistoryKind, LegalBasis, Purpose};

crate::messages! {
    pub enum PolicyMsg {
        AreaPrivacy => "隐私", "Privacy";
        VersionsTitle => "政策版本", "Policy versions";
        NewDraft => "起草新版本", "Draft a new version";
        Document => "文件", "Document";
        Version => "版本号", "Version";
        Status => "状态", "Status";
        StatusDraft => "草稿", "Draft";
        StatusScheduled => "待生效", "Scheduled";
        StatusInForce => "生效中", "In force";
        StatusSuperseded => "已被取代", "Superseded";
        StatusWithdrawn => "已撤回", "Withdrawn";
        Material => "重大变更", "Material change";
        NotMaterial => "一般变更", "Minor change";
        MaterialField => "这是重大变更（影响用户权利，须提前公告并重新确认）", "This is a material change (it affects users' rights: announced ahead and accepted again)";
        Published => "发布", "Published";
        Effective => "生效", "Effective";
        Updated => "更新", "Updated";
        Edit => "编辑", "Edit";
        Withdraw => "撤回", "Withdraw";
        SummaryZh => "变更摘要（中文）", "Summary of changes (Chinese)";
        SummaryEn => "变更摘要（英文）", "Summary of changes (English)";
        ContentZh => "正文（中文）", "Text (Chinese)";
        ContentEn => "正文（英文）", "Text (English)";
        FormatHelp => "段落之间空一行。以“## ”开头的段落是标题，以“!! ”开头的是重要条款：加粗显示，并在确认页列出。中英文的重要条款数量须一致。", "Leave a blank line between paragraphs. A paragraph starting with \"## \" is a heading; one starting with \"!! \" is an important clause: shown in bold and listed on the acceptance page. Both languages need the same number of important clauses.";
        SaveDraft => "保存草稿", "Save draft";
        Saved => "草稿已保存。", "Draft saved.";
        Diff => "与现行版本的对比", "Compared with the version in force";
        DiffAgainst => "现行版本", "Version in force";
        Added => "新增", "Added";
        Removed => "删除", "Removed";
        NoChanges => "正文与现行版本相同。", "The text is the same as the version in force.";
        Schedule => "发布并定于该日生效", "Publish, effective on this date";
        EffectiveDate => "生效日期（北京时间 0 点起）", "Effective date (from 00:00 China time)";
        NotEditable => "该版本已发布，不能再修改。", "This version is published and can no longer be changed.";
        NoticeMaterial => "这是一项重大变更：生效后，您再次使用企业门户时需要确认新版本。", "This is a material change: after it takes effect you will be asked to accept it in the portal.";
        ReadVersion => "阅读新版本", "Read the new version";
        SeeChanges => "查看变更", "See what changed";
        Changes => "本版变更", "What changed in this version";
        UpdateTitle => "请确认更新后的政策", "Please review the updated policies";
        UpdateIntro => "以下文件已更新并生效。请阅读变更摘要和重要条款，确认后即可继续使用业务功能。", "The documents below have changed and are now in force. Read the summary of changes and the important clauses; once you accept, business functions open again.";
        ImportantClauses => "重要条款", "Important clauses";
        ReadFull => "阅读全文及对比", "Read the full text and comparison";
        Accept => "我已阅读并同意", "I have read and accept";
        Decline => "不同意", "I do not accept";
        DeclineHint => "不同意时，您仍可使用隐私中心（查看和管理您的同意、联系我们）、账号安全设置和退出登录；在您同意前，业务功能不可用。", "If you do not accept, you keep the privacy centre (your consents, how to reach us), account security and logout; business functions stay closed until you accept.";
        NothingToAccept => "您已接受现行的全部版本。", "You have accepted every version in force.";
        ReviewAgain => "查看并确认", "Review and accept";
        CentreTitle => "隐私中心", "Privacy centre";
        CentreIntro => "这里列出我们为什么处理您的信息、依据是什么，以及您做过的每一次同意选择。", "Why we process your information, on what basis, and every consent choice you have made.";
        Purposes => "处理目的与法律依据", "Purposes and legal bases";
        PurposesIntro => "基于同意的目的可以随时开启或关闭，默认关闭。其他目的有别的法律依据，无法关闭，原因写在旁边。", "Purposes based on your consent can be switched on or off at any time and start off. The others rest on another legal basis and cannot be switched off; the reason is given next to each.";
        Basis => "法律依据", "Legal basis";
        On => "已开启", "On";
        Off => "已关闭", "Off";
        TurnOn => "开启", "Switch on";
        TurnOff => "关闭", "Switch off";
        WithdrawalNote => "关闭（撤回同意）后，我们从那一刻起停止为该目的处理您的信息；撤回前已进行的处理不受影响，也不会被撤销。", "When you switch a purpose off (withdraw consent), we stop processing for it from that moment; processing done before the withdrawal is not affected or undone.";
        CookiesHere => "便利 Cookie 是每个浏览器各自的选择，在此浏览器上更改：", "Convenience cookies are a choice of each browser; change it for this browser:";
        History => "同意记录", "Consent history";
        HistoryEmpty => "还没有记录。", "Nothing recorded yet.";
        When => "时间", "When";
        What => "事项", "What";
        Detail => "内容", "Details";
        HistAccepted => "接受政策", "Accepted the policies";
        HistDeclined => "未接受政策", "Did not accept the policies";
        HistCookies => "Cookie 选择", "Cookie choice";
        HistOn => "开启", "Switched on";
        HistOff => "关闭（撤回同意）", "Switched off (consent withdrawn)";
        ContactBefore => "如有个人信息方面的疑问，也可以发送邮件至 ", "For questions about personal information you can also write to ";
        ContactAfter => "；我们会在 15 日内答复。", "; we reply within 15 days.";
        RequestsBefore => "获取信息副本、更正或删除信息、注销账户，请在此提交：", "For a copy of your data, a correction or deletion, or closing the account, make a request here: ";
        Operator => "个人信息处理者", "Who handles your information";
        StorageRegion => "存储地点", "Where it is stored";
        Frequent => "常用功能", "Your frequent areas";
        FrequentHint => "根据您最近 90 天的操作推荐（个性化功能已开启，可在隐私中心关闭）。", "From your actions in the last 90 days (personalised features are on; switch them off in the privacy centre).";
        AOrders => "付款订单", "Payment orders";
        ATransfers => "转账", "Transfers";
        AMembers => "成员", "Members";
        AAccount => "账号设置", "Account settings";
        ScheduleHint => "发布的是已保存的草稿：请先保存修改。", "Publishing uses the saved draft: save your changes first.";
        WithdrawnNotice => "该版本在生效前已撤回，从未生效。", "This version was withdrawn before it took effect; it never applied.";
        PAdmission => "开户与入驻审核", "Account opening and admission review";
        PAdmissionText => "企业信息、营业执照和经营平台信息，用于判断能否开通企业账户。", "Enterprise details, the business licence and the operating platform, to decide whether the account can open.";
        PAccountSecurity => "登录与账户安全", "Login and account security";
        PAccountSecurityText => "手机号、邮箱、密码摘要、登录记录和会话，用于登录、锁定异常尝试和安全通知。", "Mobile, e-mail, password hash, login records and sessions, to log you in, lock out repeated failures and send security notices.";
        PPayments => "资金与付款", "Funds and payments";
        PTasks => "任务发布与审核", "Publishing and reviewing tasks";
        PSupport => "客户服务", "Customer service";
        PSupportText => "您提交的客服工单及对话记录（会被记录并按期限保存），以及客服查看账户信息前的身份验证。", "Your support tickets and their conversations (recorded, and kept for a set period), and the identity check before support staff look at your account.";
        PTasksText => "企业发布的任务及其审核记录，用于开放任务并向发布人告知审核结果。", "The tasks an enterprise publishes and their review, to open them and tell the publisher the outcome.";
        PPaymentsText => "预付款、付款订单、转账和账单，用于完成您发起的交易。", "Prepayments, payment orders, transfers and bills, to carry out the transactions you start.";
        PRecords => "法定记录保存", "Records the law requires";
        PRecordsText => "会计与交易记录、操作日志和网络日志，按法律规定的期限保存。", "Accounting and transaction records, operation logs and network logs, kept for the periods the law sets.";
        PServiceNotices => "服务通知", "Service notices";
        PServiceNoticesText => "维护、安全事件和政策变更等与服务相关的通知。", "Notices about the service: maintenance, security incidents, policy changes.";
        PPersonalisation => "个性化功能", "Personalised features";
        PPersonalisationText => "门户概览根据您最近的操作推荐常用功能入口。", "The portal overview suggests the areas you use most, from your recent actions.";
        PPromotions => "推广信息", "Promotional messages";
        PPromotionsText => "通过电子邮件或短信向您介绍平台的新功能和活动。", "E-mails or text messages about the platform's new features and offers.";
        PCookies => "便利 Cookie", "Convenience cookies";
        PCookiesText => "在此浏览器上记住登录名和界面语言。", "Remember your login name and interface language in this browser.";
        BConsent => "您的同意", "Your consent";
        BContract => "订立和履行合同所必需", "Needed for the contract with your enterprise";
        BLegalDuty => "履行法定义务所必需", "Needed to meet a legal duty";
        BSecurity => "保障账户和平台安全所必需", "Needed to keep accounts and the platform secure";
        WhyContract => "没有这些处理，我们无法为您的企业提供账户和服务。", "Without it we cannot provide the account and its services to your enterprise.";
        WhyLegalDuty => "法律要求我们保存这些记录，撤回同意不会改变这一义务。", "The law requires us to keep these records; withdrawing consent does not change that duty.";
        WhySecurity => "这些处理保护您和其他用户的账户，不能关闭。", "This protects your account and everyone else's, so it cannot be switched off.";
    }
}

/// A purpose's name and description.
pub fn purpose_text(p: Purpose) -> (PolicyMsg, PolicyMsg) {
    use PolicyMsg as M;
    match p {
        Purpose::Admission => (M::PAdmission, M::PAdmissionText),
        Purpose::AccountSecurity => (M::PAccountSecurity, M::PAccountSecurityText),
        Purpose::Payments => (M::PPayments, M::PPaymentsText),
        Purpose::Tasks => (M::PTasks, M::PTasksText),
        Purpose::CustomerService => (M::PSupport, M::PSupportText),
        Purpose::Records => (M::PRecords, M::PRecordsText),
        Purpose::ServiceNotices => (M::PServiceNotices, M::PServiceNoticesText),
        Purpose::Personalisation => (M::PPersonalisation, M::PPersonalisationText),
        Purpose::Promotions => (M::PPromotions, M::PPromotionsText),
        Purpose::ConvenienceCookies => (M::PCookies, M::PCookiesText),
    }
}

/// A legal basis's label, and why a purpose on it cannot be switched off (P1.3).
pub fn basis_text(b: LegalBasis) -> (PolicyMsg, Option<PolicyMsg>) {
    use PolicyMsg as M;
    match b {
        LegalBasis::Consent => (M::BConsent, None),
        LegalBasis::Contract => (M::BContract, Some(M::WhyContract)),
        LegalBasis::LegalDuty => (M::BLegalDuty, Some(M::WhyLegalDuty)),
        LegalBasis::Security => (M::BSecurity, Some(M::WhySecurity)),
    }
}

pub fn history_label(k: HistoryKind) -> PolicyMsg {
    match k {
        HistoryKind::PolicyAccepted => PolicyMsg::HistAccepted,
        HistoryKind::PolicyDeclined => PolicyMsg::HistDeclined,
        HistoryKind::CookieChoice => PolicyMsg::HistCookies,
        HistoryKind::PurposeOn => PolicyMsg::HistOn,
        HistoryKind::PurposeOff => PolicyMsg::HistOff,
    }
}

pub fn area_label(a: Area) -> PolicyMsg {
    match a {
        Area::Orders => PolicyMsg::AOrders,
        Area::Transfers => PolicyMsg::ATransfers,
        Area::Members => PolicyMsg::AMembers,
        Area::Account => PolicyMsg::AAccount,
    }
}
