//! Messages of the business area: business info, the application and its review, members.

crate::messages! {
    pub enum BizMsg {
        BusinessInfo => "业务信息", "Business info";
        EnterpriseName => "企业名称", "Enterprise name";
        CreditCode => "统一社会信用代码", "Unified social credit code";
        RegisteredAddress => "注册地址", "Registered address";
        BusinessScope => "经营范围", "Business scope";
        AccountOpen => "已开通", "Open";
        OpenedAt => "开通时间", "Opened";
        OperationRecords => "操作记录", "Operation records";
        Applicant => "申请人", "Applicant";
        Approve => "通过", "Approve";
        Approved => "您的企业账户已开通。", "Your business account is open.";
        BackToQueue => "← 返回审核队列", "← Back to the queue";
        BusinessSection => "企业信息", "Business details";
        PlatformSection => "经营平台信息", "Operating platform";
        Channel => "渠道", "Channel";
        CreditCodeHint => "18 位，字母不含 I、O、S、V、Z；输入时即校验校验位。", "18 characters without I, O, S, V or Z; the check character is verified as you type.";
        Decision => "审核决定", "Decision";
        FileName => "文件", "File";
        Licence => "营业执照", "Business licence";
        LicenceHint => "JPEG、PNG 或 PDF，最大 10 MB；重新上传会替换原文件。", "JPEG, PNG or PDF, up to 10 MB; a new upload replaces the old one.";
        ScenePhotos => "作业场景照片", "Work-scene photos";
        ScenePhoto => "作业场景照片", "Work-scene photo";
        ScenePhotosHint => "JPEG 或 PNG，最多 9 张，每张最大 10 MB；照片中的位置等元数据会被删除。", "JPEG or PNG, up to 9 photos of 10 MB each; location and other metadata are removed.";
        ManualCheck => "我的代码为早期发放、无法通过校验位，申请人工核验", "My code was issued early and fails the check character: ask for a manual check";
        ManualCheckBadge => "需人工核验", "Manual check";
        Material => "材料", "Material";
        Materials => "申请材料", "Materials";
        MessageHint => "驳回或要求补充材料时必填，申请人可见。", "Required to reject or ask for more; the applicant reads it.";
        MessageToApplicant => "给申请人的意见", "Message to the applicant";
        OutboxNotice => "产品发送的每一条消息都记在这里：发送失败会退避重试，多次失败后停止并可重发。", "Every message the product sends is kept here: a failed delivery is retried with back-off, and after the last attempt it stops and can be re-sent.";
        OutboxTitle => "发件箱", "Outbox";
        Attempts => "尝试次数", "Attempts";
        Delivery => "投递", "Delivery";
        Resend => "重新发送", "Send again";
        DevMailbox => "开发邮箱", "Development mailbox";
        DevMailboxIntro => "未配置 SMTP 服务器时（开发环境），产品发出的每封邮件和短信都投递到这里，可完整阅读。生产环境没有此页面。", "Without an SMTP server (development), every e-mail and SMS the product sends is delivered here, in full. Production has no such page.";
        Attachment => "附件", "Attachment";
        OverrideHint => "该代码未通过校验位或已有开户企业。确需通过时须填写理由，理由会记入审计日志。", "This code fails the check character or already has an account. To approve anyway, give the reason; it is kept in the audit log.";
        OverrideReason => "例外理由", "Reason for the exception";
        DuplicateReview => "请审核人员核实：我认为已有的开户有误，或本企业确需第二个账户", "Ask a reviewer to check: I think the existing account is wrong, or we need a second one";
        AskAdmin => "请平台通知该账户的管理员邀请我", "Have the platform ask that account's admin to invite me";
        AskAdminDone => "已通知该账户的管理员。对方邀请您后，您会收到邀请链接。", "That account's admin has been told. Once they invite you, you receive the invitation link.";
        DuplicateBadge => "代码重复", "Duplicate code";
        PlatformDescription => "平台业务内容", "What the platform does";
        PlatformName => "经营平台名称", "Platform name";
        PlatformUrl => "网址或应用名称", "URL or app name";
        OutsourcedWork => "外包的工作类型", "Kind of work outsourced";
        Purpose => "用途", "Purpose";
        QueueEmpty => "没有需要处理的申请。", "Nothing to review.";
        Recipient => "收件人", "Recipient";
        Reject => "驳回", "Reject";
        Remove => "删除", "Remove";
        RequestMore => "要求补充材料", "Ask for more material";
        ReviewerMessage => "审核意见", "Reviewer's message";
        SaveDraft => "保存草稿", "Save draft";
        Size => "大小", "Size";
        StatusDraft => "草稿", "Draft";
        StatusSubmitted => "审核中", "Under review";
        StatusMoreInfo => "待补充材料", "More material needed";
        StatusRejected => "未通过", "Rejected";
        StatusApproved => "已通过", "Approved";
        Subject => "主题", "Subject";
        SubmitForReview => "提交审核", "Submit for review";
        SubmittedAt => "提交时间", "Submitted";
        UnderReview => "申请已提交，平台正在审核，结果将在此显示。", "Your application is with the platform's reviewers; the result will show here.";
        Upload => "上传", "Upload";
        NoFilesYet => "尚未上传材料。", "No material uploaded yet.";
    }
}

pub fn application_status_label(s: crate::model::application::ApplicationStatus) -> BizMsg {
    use crate::model::application::ApplicationStatus as S;
    match s {
        S::Draft => BizMsg::StatusDraft,
        S::Submitted => BizMsg::StatusSubmitted,
        S::MoreInfo => BizMsg::StatusMoreInfo,
        S::Rejected => BizMsg::StatusRejected,
        S::Approved => BizMsg::StatusApproved,
    }
}
