//! Messages of accounts: registration, login, account settings, the operator login and the
//! console's system pages.

crate::messages! {
    pub enum AccMsg {
        Name => "姓名", "Name";
        Mobile => "手机号", "Mobile number";
        Email => "电子邮箱", "E-mail";
        Password => "密码", "Password";
        PasswordPolicy => "至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类。", "At least 8 characters from at least three of: upper case, lower case, digits, symbols.";
        StrengthEmpty => "请输入密码", "Enter a password";
        StrengthWeak => "强度：不符合要求", "Strength: does not meet the policy";
        StrengthFair => "强度：一般", "Strength: fair";
        StrengthGood => "强度：良好", "Strength: good";
        StrengthStrong => "强度：强", "Strength: strong";
        LoginId => "手机号或邮箱", "Mobile number or e-mail";
        LoginSubmit => "登录", "Log in";
        NoAccountYet => "还没有账号？", "No account yet?";
        HaveAccount => "已有账号？", "Already registered?";
        RegisterSubmit => "同意并注册", "Accept and register";
        StepLogin => "注册登录账号", "Register a login";
        StepApplication => "提交开户资料", "Submit the application";
        StepReview => "平台审核", "Platform review";
        ImportantClauses => "请重点阅读以下条款", "Please read these clauses in particular";
        AcceptPrefix => "我已阅读并同意", "I have read and accept the";
        And => "和", "and the";
        Logout => "退出登录", "Log out";
        LogoutAll => "退出所有设备", "Log out on every device";
        Profile => "个人资料", "Profile";
        CurrentPassword => "当前密码", "Current password";
        ContactChangeNeedsPassword => "修改手机号或邮箱时需要输入当前密码。", "Needed when you change your mobile number or e-mail.";
        Save => "保存", "Save";
        Saved => "已保存。", "Saved.";
        ChangePassword => "修改密码", "Change password";
        NewPassword => "新密码", "New password";
        ForgotTitle => "忘记密码", "Forgotten password";
        ForgotLink => "忘记密码？", "Forgotten your password?";
        ForgotIntro => "输入注册时的手机号或电子邮箱。如果有对应的账号：输入手机号，验证码以短信发到该手机；输入邮箱，重置链接发到该邮箱。两者均 30 分钟内有效。", "Enter the mobile number or e-mail address you registered with. If an account has it, a mobile number gets a code by text message and an e-mail address a reset link; both work for 30 minutes.";
        SendResetLink => "发送验证码或重置链接", "Send the code or link";
        CodeSent => "如果该手机号对应一个账号，验证码已通过短信发送（30 分钟内有效）。请输入验证码并设置新密码。", "If an account has this mobile number, a code is on its way by text message (it works for 30 minutes). Enter it and choose a new password.";
        SmsCode => "短信验证码", "Code from the text message";
        ResetSent => "如果该手机号或邮箱对应一个账号，重置链接已发送到该账号的电子邮箱。请查收邮件。", "If an account has this mobile number or e-mail address, a reset link is on its way to the account's e-mail address.";
        ResetTitle => "设置新密码", "Set a new password";
        ResetIntro => "设置新密码后，所有已登录的设备都会退出，请用新密码重新登录。", "Once the new password is set, every device is logged out; log in again with the new password.";
        SetPassword => "设置新密码", "Set the new password";
        PasswordWasReset => "密码已重新设置，请用新密码登录。", "Your password has been reset; log in with the new password.";
        PasswordChanged => "密码已修改，其他设备上的登录已退出。", "Password changed; your other sessions have been ended.";
        Sessions => "登录中的设备", "Active sessions";
        Device => "设备", "Device";
        Ip => "IP 地址", "IP address";
        Since => "开始时间", "Since";
        LastActive => "最近活动", "Last active";
        ThisSession => "当前设备", "This session";
        EndSession => "退出该设备", "End session";
        LoginHistory => "登录记录", "Login history";
        LoginHistoryKept => "登录记录至少保存 180 天。", "Login records are kept for at least 180 days.";
        Time => "时间", "Time";
        Result => "结果", "Result";
        OutcomeOk => "成功", "Success";
        OutcomeBadPassword => "密码错误", "Wrong password";
        OutcomeLocked => "账号锁定中", "Account locked";
        OutcomeDisabled => "账号已停用", "Login disabled";
        OutcomeBadTotp => "动态码错误", "Wrong code";
        OutcomeUnknownLogin => "无此账号", "No such login";
        ResultDenied => "已拒绝", "Denied";
        ResultFailed => "未通过", "Failed";
        ResultGenuine => "真实", "Genuine";
        ResultUnknown => "未找到", "Not found";
        ApplicationTitle => "企业开户申请", "Business account application";
        ApplicationHello => "您好，", "Hello,";
        PolicyVersion => "版本", "Version";
        PolicyPublished => "发布日期", "Published";
        PolicyEffective => "生效日期", "Effective";
        PolicyCurrent => "现行版本", "Current";
        PolicyHash => "内容摘要（SHA-256）", "Content hash (SHA-256)";
        PolicyOldVersion => "您正在查看历史版本，现行版本见下方列表。", "You are reading a past version; the current one is in the list below.";
        PolicyAllVersions => "全部版本", "All versions";
        OpsLoginTitle => "运营后台登录", "Operator console login";
        OpsLoginIntro => "平台工作人员使用运营账号和密码登录，随后输入身份验证器中的动态码。", "Platform staff log in with their operator login and password, then the code from their authenticator app.";
        OperatorLogin => "运营账号", "Operator login";
        Next => "下一步", "Next";
        TotpIntro => "请输入身份验证器应用中显示的 6 位动态码。", "Enter the 6-digit code shown in your authenticator app.";
        TotpCode => "动态码", "Code";
        Verify => "验证并登录", "Verify and log in";
        OperatorsCli => "运营账号通过命令行创建：", "Operator accounts are created from the command line:";
        Roles => "角色", "Roles";
        RoleReviewer => "审核", "Reviewer";
        RoleFinance => "财务", "Finance";
        RolePrivacyOfficer => "隐私专员", "Privacy officer";
        RoleSupport => "客服", "Support";
        RoleSuperAdmin => "超级管理员", "Super-admin";
        ChannelEmail => "电子邮件", "E-mail";
        ChannelSms => "短信", "SMS";
        PurposeInvitation => "成员邀请", "Invitation";
        PurposeApplicationResult => "审核结果", "Review result";
        PurposeJoinRequest => "加入企业请求", "Request to join";
        PurposePolicyChange => "政策变更通知", "Policy change notice";
        PurposePasswordReset => "重置密码", "Password reset";
        PurposePasswordChanged => "密码已更改", "Password changed";
        PurposeAnnouncement => "公告", "Announcement";
        PurposePromotion => "推广消息", "Promotion";
        PurposeIncident => "安全事件通知", "Incident notice";
        PurposeContactVerification => "新联系方式验证码", "Code for a new contact";
        PurposeContactChanged => "联系方式已更改", "Contact details changed";
        PurposeWithdrawalAccountChanged => "提现账户已更改", "Withdrawal account changed";
        PurposeWechatBinding => "微信绑定变更", "WeChat binding changed";
        PurposeRightsVerification => "个人信息请求验证码", "Personal-information request code";
        PurposeRightsRequest => "个人信息请求", "Personal-information request";
        PurposeInvoiceStatus => "发票申请进度", "Invoice application";
        PurposeInvoiceFile => "电子发票", "Electronic invoice";
        PurposeTaskReview => "任务审核", "Task review";
        PurposeWorkerSigning => "工人签约", "Worker signing";
        PurposeWorkerSigningCode => "工人签约验证码", "Worker signing code";
        PurposeSupportReply => "客服回复", "Support reply";
        PurposeSupportVerification => "客服身份验证码", "Support identity code";
        PurposeLawfulDisclosure => "依法披露告知", "Lawful disclosure notice";
        PurposeDataTransfer => "信息转让告知", "Transfer notice";
        PurposeRegistrationCode => "注册验证码", "Registration code";
        VerifyTitle => "验证联系方式", "Confirm your contact details";
        VerifyCode => "邮箱验证码", "Code from the e-mail";
        VerifySubmit => "完成注册", "Finish registering";
        VerifyNext => "下一步", "Next";
        VerifyGone => "该注册已完成或已过期。请重新注册。", "This registration is finished or has expired. Register again.";
        RegisterAgain => "重新注册", "Register again";
        ContactKindMobile => "手机号", "mobile number";
        ContactKindEmail => "邮箱", "e-mail address";
        VerificationCode => "验证码", "Code";
        ConfirmChange => "确认修改", "Confirm the change";
        ContactChanged => "联系方式已更新。", "Your contact details were updated.";
        OutboxPending => "待发送", "Pending";
        OutboxSent => "已发送", "Sent";
        OutboxSending => "发送中", "Sending";
        OutboxDead => "发送失败", "Failed";
        Status => "状态", "Status";
        VerifyChain => "校验审计链", "Verify the audit chain";
        ChainIntact => "审计链完整", "The audit chain is intact";
        SealedThrough => "已封存至", "sealed through";
        ChainBroken => "审计链在此条目处被破坏：", "The audit chain is broken at entry";
        Actor => "操作人", "Actor";
        Action => "操作", "Action";
        Target => "对象", "Target";
        Detail => "说明", "Detail";
        Search => "搜索", "Search";
        Older => "更早的记录", "Older entries";
        ActorUser => "登录人员", "Login person";
        ActorOperator => "运营人员", "Operator";
        ActorSystem => "系统", "System";
        ActorApiKey => "开放接口密钥", "API key";
    }
}

use crate::model::account::OperatorRole;

pub fn operator_role_label(r: OperatorRole) -> AccMsg {
    match r {
        OperatorRole::Reviewer => AccMsg::RoleReviewer,
        OperatorRole::Finance => AccMsg::RoleFinance,
        OperatorRole::PrivacyOfficer => AccMsg::RolePrivacyOfficer,
        OperatorRole::Support => AccMsg::RoleSupport,
        OperatorRole::SuperAdmin => AccMsg::RoleSuperAdmin,
    }
}

use super::{Lang, Translate};
use crate::model::audit::{ActorKind, ActorRole};

pub fn actor_kind_label(k: ActorKind) -> AccMsg {
    match k {
        ActorKind::User => AccMsg::ActorUser,
        ActorKind::Operator => AccMsg::ActorOperator,
        ActorKind::System => AccMsg::ActorSystem,
        ActorKind::ApiKey => AccMsg::ActorApiKey,
    }
}

/// An audited actor's role in `lang` (an operator's roles joined).
pub fn actor_role_text(r: &ActorRole, lang: Lang) -> String {
    match r {
        ActorRole::Applicant => super::BizMsg::Applicant.text(lang).to_string(),
        ActorRole::Member(role) => super::role_label(*role).text(lang).to_string(),
        ActorRole::Operator(roles) => roles
            .iter()
            .map(|r| operator_role_label(*r).text(lang))
            .collect::<Vec<_>>()
            .join(super::list_separator(lang)),
        ActorRole::System => AccMsg::ActorSystem.text(lang).to_string(),
        ActorRole::Api => AccMsg::ActorApiKey.text(lang).to_string(),
    }
}

use crate::model::outbox::{OutboxChannel, OutboxPurpose, OutboxStatus};

pub fn outbox_channel_label(c: OutboxChannel) -> AccMsg {
    match c {
        OutboxChannel::Email => AccMsg::ChannelEmail,
        OutboxChannel::Sms => AccMsg::ChannelSms,
    }
}

pub fn outbox_purpose_label(p: OutboxPurpose) -> AccMsg {
    match p {
        OutboxPurpose::Invitation => AccMsg::PurposeInvitation,
        OutboxPurpose::ApplicationResult => AccMsg::PurposeApplicationResult,
        OutboxPurpose::JoinRequest => AccMsg::PurposeJoinRequest,
        OutboxPurpose::PolicyChange => AccMsg::PurposePolicyChange,
        OutboxPurpose::PasswordReset => AccMsg::PurposePasswordReset,
        OutboxPurpose::PasswordChanged => AccMsg::PurposePasswordChanged,
        OutboxPurpose::Announcement => AccMsg::PurposeAnnouncement,
        OutboxPurpose::Promotion => AccMsg::PurposePromotion,
        OutboxPurpose::Incident => AccMsg::PurposeIncident,
        OutboxPurpose::ContactVerification => AccMsg::PurposeContactVerification,
        OutboxPurpose::ContactChanged => AccMsg::PurposeContactChanged,
        OutboxPurpose::WithdrawalAccountChanged => AccMsg::PurposeWithdrawalAccountChanged,
        OutboxPurpose::WechatBinding => AccMsg::PurposeWechatBinding,
        OutboxPurpose::RightsVerification => AccMsg::PurposeRightsVerification,
        OutboxPurpose::RightsRequest => AccMsg::PurposeRightsRequest,
        OutboxPurpose::InvoiceStatus => AccMsg::PurposeInvoiceStatus,
        OutboxPurpose::InvoiceFile => AccMsg::PurposeInvoiceFile,
        OutboxPurpose::TaskReview => AccMsg::PurposeTaskReview,
        OutboxPurpose::WorkerSigning => AccMsg::PurposeWorkerSigning,
        OutboxPurpose::WorkerSigningCode => AccMsg::PurposeWorkerSigningCode,
        OutboxPurpose::SupportReply => AccMsg::PurposeSupportReply,
        OutboxPurpose::SupportVerification => AccMsg::PurposeSupportVerification,
        OutboxPurpose::LawfulDisclosure => AccMsg::PurposeLawfulDisclosure,
        OutboxPurpose::DataTransfer => AccMsg::PurposeDataTransfer,
        OutboxPurpose::RegistrationCode => AccMsg::PurposeRegistrationCode,
    }
}

pub fn outbox_status_label(s: OutboxStatus) -> AccMsg {
    match s {
        OutboxStatus::Pending => AccMsg::OutboxPending,
        OutboxStatus::Sending => AccMsg::OutboxSending,
        OutboxStatus::Sent => AccMsg::OutboxSent,
        OutboxStatus::Dead => AccMsg::OutboxDead,
    }
}
