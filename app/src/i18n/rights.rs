//! Messages of rights requests (issue 16 §2; P6.2, P6.3, P6.5, P10.2), and the label of each
//! of their codes.

use crate::model::rights::{
    DeletionGround, RefusalReason, RequestAction, RequestKind, RequestScope, RequestStatus, StepBy,
};

crate::messages! {
    pub enum RightsMsg {
        Title => "个人信息请求", "Privacy requests";
        CorrectionLegend => "更正信息：填写新的值（只填需要更正的项；其他类型的请求不使用）", "A correction: the new values (fill in only what is to change; other kinds of request leave these empty)";
        CorrectionHint => "更正企业名称或注册地址，须在提交后于请求页面上传新的营业执照。统一社会信用代码不能更正。", "A new enterprise name or registered address needs the new business licence, uploaded on the request's page after submitting. The credit code cannot be corrected.";
        DeletionHint => "删除会按“我们保存的信息”所列方式删除或匿名化您的个人信息，并停用您的登录账户；法律要求保留的记录保留至期满。企业唯一的管理员须先把管理员移交他人或申请注销企业账户。", "A deletion deletes or anonymises your personal information as “What we hold” shows, and disables your login; records the law requires are kept until their period ends. An enterprise's only admin first hands the admin role to someone else, or asks for the account's closure.";
        NewName => "您的姓名（新）", "Your name (new)";
        NewEnterpriseName => "企业名称（新）", "Enterprise name (new)";
        NewAddress => "注册地址（新）", "Registered address (new)";
        NewScope => "经营范围（新）", "Business scope (new)";
        ChangesTitle => "更正内容", "The correction";
        FieldCol => "项目", "Item";
        BeforeCol => "原值", "Before";
        AfterCol => "新值", "After";
        StateCol => "状态", "State";
        Applied => "已更正", "Applied";
        NotApplied => "未更正", "Not applied";
        Proposed => "待审核", "Proposed";
        LicenceTitle => "新的营业执照", "The new business licence";
        LicenceNeeded => "名称或地址的更正须附新的营业执照，审核人员核对后才能更正。", "A change of name or address needs the new business licence; the reviewer checks it before applying the change.";
        LicenceUpload => "上传新的营业执照", "Upload the new business licence";
        LicenceView => "查看已上传的营业执照", "Open the uploaded licence";
        HistoryTitle => "信息更正记录", "Corrections";
        HistoryIntro => "经您的更正请求修改过的企业信息，保留原值与新值。", "The enterprise's details changed by correction requests, with the values before and after.";
        HistoryEmpty => "暂无更正记录。", "No corrections yet.";
        Request => "请求", "Request";
        CopyTitle => "信息副本", "Your copy";
        CopyBuilding => "正在生成您的信息副本，请稍候。生成后我们会通知您。", "Your copy is being prepared. We will tell you when it is ready.";
        CopyDownload => "下载信息副本（ZIP）", "Download your copy (ZIP)";
        CopyExpired => "该副本的 7 天下载期已过，文件已删除。如仍需要，请重新提交申请。", "The copy's 7 days are over and its file is deleted. Submit a new request if you still need one.";
        CopyFailed => "副本未能生成，隐私保护负责人已收到通知，将尽快处理。", "The copy could not be prepared. The privacy office has been told and will see to it.";
        CopyReload => "刷新进度", "Refresh progress";
        CopyIndexTitle => "我的信息副本", "A copy of my data";
        CopyIndexIntro => "此压缩包包含平台按数据地图保存的关于您的全部可导出信息：每类信息一个 JSON 文件（机器可读，格式见 schema.json），每张表一个 CSV 文件（可用 Excel 打开），以及您上传的文件。时间均为 UTC；金额单位为分。", "This archive holds everything the platform's data map marks exportable about you: one JSON file per kind of information (machine-readable; the format is in schema.json), one CSV file per table (opens in Excel), and the files you uploaded. Times are UTC; amounts are in fen (0.01 yuan).";
        CopyIndexRows => "条记录", "rows";
        CopyIndexFiles => "上传的文件", "Uploaded files";
        CopyIndexTables => "表格（CSV）", "Tables (CSV)";
        Intro => "您可以在这里申请获取信息副本、更正或删除信息、注销账户，或咨询、投诉个人信息问题。提交前须再次输入密码，并输入发送到您注册手机或邮箱的验证码，以确认是您本人。我们会在提交后 15 天内答复。", "Here you can ask for a copy of your data, a correction or a deletion, the closure of the account, or ask a question or complain about personal information. Before a request goes in you enter your password again and a code sent to your registered mobile or e-mail, so that we know it is you. We answer within 15 days of submission.";
        ConsentElsewhere => "修改或撤回授权同意请直接在隐私中心的“处理目的”中操作，立即生效。", "To change or withdraw consent, use the purposes in the privacy centre: it takes effect at once.";
        New => "提交新请求", "Make a request";
        Mine => "我的请求", "My requests";
        None => "您还没有提交过请求。", "You have not made any requests.";
        Kind => "请求类型", "Type";
        Scope => "涉及的信息", "About";
        Ground => "删除的理由（隐私政策列出的五种情形）", "Why delete (one of the five situations the policy lists)";
        Details => "说明", "Details";
        DetailsHint => "写明您的问题，或需要更正的信息及其正确内容。请勿在此填写密码或银行卡号。", "Say what you want to know, or what is wrong and what it should be. Do not write passwords or card numbers here.";
        Channel => "验证码发送至", "Send the code to";
        Password => "当前密码", "Current password";
        Submit => "提交并发送验证码", "Submit and send the code";
        Status => "状态", "Status";
        Submitted => "提交时间", "Submitted";
        DueDate => "答复期限", "Answer due";
        Answered => "答复时间", "Answered";
        Open => "查看", "Open";
        Verify => "验证身份", "Verify your identity";
        CodeLabel => "验证码", "Code";
        VerifyButton => "确认", "Confirm";
        NewCode => "重新发送验证码", "Send a new code";
        NoLiveCode => "验证码已失效或尝试次数已用完，请重新获取。", "The code has expired or its tries are used up: ask for a new one.";
        Withdraw => "撤回请求", "Withdraw the request";
        WithdrawHint => "撤回后该请求不再处理；如有需要可重新提交。", "A withdrawn request is no longer handled; you can make a new one.";
        Timeline => "处理记录", "Steps";
        Answer => "答复", "Answer";
        RefusalReason => "拒绝理由", "Reason for refusal";
        FeeMarked => "此请求将收取成本费用", "A cost fee applies to this request";
        FeeWhy => "对多次重复、超出合理限度的请求，平台可视情况收取一定成本费用（隐私政策第六条）。", "For repeated requests beyond a reasonable limit the platform may charge a cost fee (privacy policy, section 6).";
        ComplaintRoutes => "如对处理结果不满意，您可以向以下部门投诉或举报：", "If you are not satisfied with the answer, you can complain to:";
        ComplaintTitle => "监管投诉渠道", "Complaining to a regulator";
        AnsweredInTime => "已在期限内答复", "Answered in time";
        AnsweredLate => "超过期限答复", "Answered late";
        AdminOnly => "企业范围的请求（企业信息副本、注销账户）须由企业管理员提交。", "Enterprise-wide requests (a copy of the enterprise's data, closing the account) are made by the enterprise's admin.";
        BackToList => "返回请求列表", "Back to the requests";
        ChooseKind => "请选择", "Choose";
        ScopeAsKind => "按请求类型（注销为企业，其余为本人）", "As the type requires (a closure: the enterprise; others: yourself)";
        ClockAfterVerify => "验证身份后开始计算 15 天", "The 15 days start once you verify";
        RequesterFull => "申请人（姓名 · 手机 · 账号）", "Requester (name · mobile · account)";
        SmsOff => "平台暂时无法发送短信，验证码只能发到邮箱。", "The platform cannot send text messages right now: codes go by e-mail.";
        DueToday => "今天到期", "Due today";
        NoGround => "不适用（非删除请求）", "Not applicable (not a deletion)";
        CentreLink => "个人信息请求（副本、更正、删除、注销、咨询、投诉）", "Privacy requests (copy, correction, deletion, closure, questions, complaints)";
        // The console.
        Queue => "权利请求", "Rights requests";
        QueueIntro => "每个请求须在提交后 15 天内答复（按北京时间的日历日计算）。绿色：剩余 10 天及以上；橙色：5–9 天；红色：不足 5 天；过了答复期限的请求标为逾期。每天的摘要会发送到隐私办公室邮箱。", "Every request is answered within 15 days of submission (China calendar days). Green: 10 days or more left; amber: 5–9; red: under 5; past the due date, a request is flagged overdue. A daily digest goes to the privacy office's mailbox.";
        FilterOpen => "待处理", "To handle";
        FilterUnverified => "待验证身份", "Not verified";
        FilterClosed => "已结束", "Closed";
        FilterAll => "全部", "All";
        Requester => "申请人", "Requester";
        Enterprise => "企业", "Enterprise";
        Start => "开始处理", "Start";
        Complete => "完成并答复", "Complete and answer";
        CompleteHint => "答复会通过站内信和邮件告知申请人（此类通知无法关闭），并附上监管投诉渠道。", "The answer goes to the requester by in-site message and e-mail (these notices cannot be turned off), with the regulators' complaint routes.";
        DeletionWarning => "完成此请求将按数据地图删除或匿名化申请人的个人信息，并停用其登录账户，无法撤销。申请人是未注销企业唯一启用的管理员、或其企业处于法律保全中时，系统会拒绝执行（不做任何改动）。", "Completing this request deletes or anonymises the requester's personal information as the data map says and disables their login; it cannot be undone. It is refused, with nothing changed, while they are the only active admin of an open enterprise or their enterprise is under a legal hold.";
        Refuse => "拒绝", "Refuse";
        RefuseHint => "拒绝必须选择隐私政策列出的理由，并向申请人说明。", "A refusal names one of the reasons the policy lists, and explains it to the requester.";
        MarkFee => "标记收取成本费用", "Mark for a cost fee";
        FeeReason => "收费理由", "Why a fee";
        SameKind => "该主体 12 个月内同类请求（含本次）：", "Same-kind requests by this person in 12 months (this one included):";
        FeeNotYet => "未超过免费次数，不能收取费用。", "Not beyond the free number: no fee may be charged.";
        Overdue => "已逾期", "Overdue";
        DueSoon => "5 天内到期", "Due within 5 days";
        AwaitingVerification => "待验证身份", "Awaiting verification";
        DigestTitle => "个人信息请求每日摘要", "Daily digest of privacy requests";
    }
}

crate::templates! {
    pub fn days_left(n) => "剩余 {n} 天", "{n} days left";
    pub fn days_overdue(n) => "已逾期 {n} 天", "{n} days overdue";
    pub fn code_sent_to(to, until, tries) => "验证码已发送至 {to}，{until} 前有效，还可尝试 {tries} 次。", "A code was sent to {to}. It works until {until}, for {tries} more tries.";
    pub fn digest_body(open, overdue, soon, unverified) => "待处理的个人信息请求 {open} 个，其中已逾期 {overdue} 个、5 天内到期 {soon} 个；另有 {unverified} 个待申请人验证身份。请登录运营后台“隐私 → 权利请求”处理。", "{open} privacy requests wait for an answer: {overdue} overdue, {soon} due within 5 days; {unverified} more wait for the requester to verify. Handle them in the console under Privacy → Rights requests.";
    pub fn copy_ready(until, size) => "您的信息副本已生成（{size}），可在 {until} 前下载。", "Your copy is ready ({size}). You can download it until {until}.";
    pub fn copy_progress(pct) => "已完成 {pct}%", "{pct}% done";
    pub fn copy_index_subject(who, at) => "{who} · 生成于 {at}", "{who} · made {at}";
    pub fn same_kind(n, free) => "{n}（免费 {free} 次）", "{n} (free: {free})";
}

/// The words for a clock that is `days_left` days from its due date.
pub fn due_text(lang: crate::i18n::Lang, days_left: i64) -> String {
    use crate::i18n::Translate;
    match days_left {
        d if d < 0 => days_overdue(lang, -d),
        0 => RightsMsg::DueToday.text(lang).to_string(),
        d => self::days_left(lang, d),
    }
}

crate::messages! {
    pub enum RightsCode {
        KindCopy => "获取信息副本", "A copy of my data";
        KindCorrection => "更正信息", "Correct information";
        KindDeletion => "删除信息", "Delete information";
        KindClosure => "注销企业账户", "Close the business account";
        KindQuestion => "个人信息咨询", "A privacy question";
        KindComplaint => "投诉", "A complaint";
        ScopePerson => "本人的信息", "My own information";
        ScopeEnterprise => "企业的信息（管理员）", "The enterprise's information (admin)";
        StatusUnverified => "待验证身份", "Not verified";
        StatusVerified => "待处理", "Waiting";
        StatusInProgress => "处理中", "In progress";
        StatusCompleted => "已完成", "Completed";
        StatusRefused => "已拒绝", "Refused";
        StatusWithdrawn => "已撤回", "Withdrawn";
        StatusLapsed => "未验证，已失效", "Lapsed (never verified)";
        ActSubmitted => "提交请求", "Submitted";
        ActCodeSent => "发送验证码", "Code sent";
        ActVerified => "身份已验证", "Identity verified";
        ActStarted => "开始处理", "Handling started";
        ActFeeMarked => "标记收取成本费用", "Marked for a cost fee";
        ActCompleted => "完成并答复", "Completed and answered";
        ActRefused => "拒绝", "Refused";
        ActWithdrawn => "撤回", "Withdrawn";
        ActLapsed => "7 天内未验证身份，请求失效", "Not verified within 7 days: lapsed";
        FieldPersonName => "姓名", "Name";
        FieldEnterpriseName => "企业名称", "Enterprise name";
        FieldAddress => "注册地址", "Registered address";
        FieldScope => "经营范围", "Business scope";
        ByRequester => "申请人", "Requester";
        ByOfficer => "隐私专员", "Privacy officer";
        ByPlatform => "平台", "Platform";
        GroundPurposeDone => "处理目的已实现、无法实现或者为实现处理目的不再必要", "The purpose is achieved, cannot be achieved, or no longer needs it";
        GroundServiceEnded => "平台停止提供产品或者服务，或者保存期限已届满", "The platform stopped the service, or the retention period is over";
        GroundConsentWithdrawn => "我撤回了同意", "I withdrew my consent";
        GroundUnlawful => "处理违反法律、行政法规或者违反约定", "The processing broke a law, a regulation or the agreement";
        GroundOtherLaw => "法律、行政法规规定的其他情形", "Another situation laws and regulations provide for";
        RefRepeated => "无端重复的请求", "A groundlessly repeated request";
        RefExcessiveMeans => "需要过多技术手段（例如开发新系统或从根本上改变现行惯例）", "It would need excessive technical means (a new system, or a fundamental change of practice)";
        RefRiskToOthers => "会给他人合法权益带来风险", "It would put others' lawful rights and interests at risk";
        RefImpractical => "非常不切实际", "It is very impractical";
        RefLegalObligation => "与平台履行法律法规规定的义务相关", "It relates to the platform's obligations under laws and regulations";
        RefNationalSecurity => "与国家安全、国防安全直接相关", "It directly concerns national security or national defence";
        RefPublicInterest => "与公共安全、公共卫生、重大公共利益直接相关", "It directly concerns public safety, public health or a major public interest";
        RefCriminalJustice => "与犯罪侦查、起诉、审判和执行判决等直接相关", "It directly concerns criminal investigation, prosecution, trial or enforcement";
        RefAbuse => "有充分证据表明信息主体存在主观恶意或滥用权利", "There is sufficient evidence of malice or abuse of rights";
        RefVitalInterests => "为维护信息主体或其他个人的生命、财产等重大合法权益但又很难得到本人同意", "It protects the life or property of the person or others when consent is hard to obtain";
        RefSeriousHarm => "响应请求将导致信息主体或其他个人、组织的合法权益受到严重损害", "Responding would seriously harm the lawful rights of the person or others";
        RefTradeSecret => "涉及商业秘密", "Trade secrets are involved";
        RefNoDeletionGround => "不属于隐私政策列出的五种可以删除的情形", "None of the five situations in which the policy provides for deletion applies";
    }
}

pub fn field_label(f: crate::model::rights::CorrectionField) -> RightsCode {
    use crate::model::rights::CorrectionField as F;
    match f {
        F::PersonName => RightsCode::FieldPersonName,
        F::EnterpriseName => RightsCode::FieldEnterpriseName,
        F::RegisteredAddress => RightsCode::FieldAddress,
        F::BusinessScope => RightsCode::FieldScope,
    }
}

pub fn kind_label(k: RequestKind) -> RightsCode {
    match k {
        RequestKind::Copy => RightsCode::KindCopy,
        RequestKind::Correction => RightsCode::KindCorrection,
        RequestKind::Deletion => RightsCode::KindDeletion,
        RequestKind::Closure => RightsCode::KindClosure,
        RequestKind::Question => RightsCode::KindQuestion,
        RequestKind::Complaint => RightsCode::KindComplaint,
    }
}

pub fn scope_label(s: RequestScope) -> RightsCode {
    match s {
        RequestScope::Person => RightsCode::ScopePerson,
        RequestScope::Enterprise => RightsCode::ScopeEnterprise,
    }
}

pub fn request_status_label(s: RequestStatus) -> RightsCode {
    match s {
        RequestStatus::Unverified => RightsCode::StatusUnverified,
        RequestStatus::Verified => RightsCode::StatusVerified,
        RequestStatus::InProgress => RightsCode::StatusInProgress,
        RequestStatus::Completed => RightsCode::StatusCompleted,
        RequestStatus::Refused => RightsCode::StatusRefused,
        RequestStatus::Withdrawn => RightsCode::StatusWithdrawn,
        RequestStatus::Lapsed => RightsCode::StatusLapsed,
    }
}

pub fn action_label(a: RequestAction) -> RightsCode {
    match a {
        RequestAction::Submitted => RightsCode::ActSubmitted,
        RequestAction::CodeSent => RightsCode::ActCodeSent,
        RequestAction::Verified => RightsCode::ActVerified,
        RequestAction::Started => RightsCode::ActStarted,
        RequestAction::FeeMarked => RightsCode::ActFeeMarked,
        RequestAction::Completed => RightsCode::ActCompleted,
        RequestAction::Refused => RightsCode::ActRefused,
        RequestAction::Withdrawn => RightsCode::ActWithdrawn,
        RequestAction::Lapsed => RightsCode::ActLapsed,
    }
}

pub fn step_by_label(b: StepBy) -> RightsCode {
    match b {
        StepBy::Requester => RightsCode::ByRequester,
        StepBy::Officer => RightsCode::ByOfficer,
        StepBy::Platform => RightsCode::ByPlatform,
    }
}

pub fn ground_label(g: DeletionGround) -> RightsCode {
    match g {
        DeletionGround::PurposeDone => RightsCode::GroundPurposeDone,
        DeletionGround::ServiceEnded => RightsCode::GroundServiceEnded,
        DeletionGround::ConsentWithdrawn => RightsCode::GroundConsentWithdrawn,
        DeletionGround::Unlawful => RightsCode::GroundUnlawful,
        DeletionGround::OtherLaw => RightsCode::GroundOtherLaw,
    }
}

pub fn refusal_label(r: RefusalReason) -> RightsCode {
    match r {
        RefusalReason::Repeated => RightsCode::RefRepeated,
        RefusalReason::ExcessiveMeans => RightsCode::RefExcessiveMeans,
        RefusalReason::RiskToOthers => RightsCode::RefRiskToOthers,
        RefusalReason::Impractical => RightsCode::RefImpractical,
        RefusalReason::LegalObligation => RightsCode::RefLegalObligation,
        RefusalReason::NationalSecurity => RightsCode::RefNationalSecurity,
        RefusalReason::PublicInterest => RightsCode::RefPublicInterest,
        RefusalReason::CriminalJustice => RightsCode::RefCriminalJustice,
        RefusalReason::Abuse => RightsCode::RefAbuse,
        RefusalReason::VitalInterests => RightsCode::RefVitalInterests,
        RefusalReason::SeriousHarm => RightsCode::RefSeriousHarm,
        RefusalReason::TradeSecret => RightsCode::RefTradeSecret,
        RefusalReason::NoDeletionGround => RightsCode::RefNoDeletionGround,
    }
}
