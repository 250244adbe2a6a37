//! The message of every [`Conflict`]: one exhaustive match, so a new conflict without a
//! message in both languages does not compile.

use crate::model::conflict::Conflict;

crate::messages! {
    pub enum ConflictMsg {
        ContactTaken => "该手机号或邮箱已被其他登录人员使用。", "Another login person already uses this mobile number or e-mail address.";
        LoginTaken => "该登录名已被其他运营人员使用。", "Another operator already uses this login name.";
        PolicyChanged => "政策在您阅读期间又有更新。请重新阅读当前版本后再确认。", "The policies changed while you were reading. Read the current versions, then answer again.";
        InviteUsed => "该邀请链接已使用，请直接登录，或联系企业管理员重新邀请。", "This invitation has already been used; log in, or ask your admin for a new one.";
        InviteExpired => "该邀请链接已过期，请联系企业管理员重新邀请。", "This invitation has expired; ask your admin for a new one.";
        InviteRevoked => "该邀请已被管理员撤回。", "Your admin has withdrawn this invitation.";
        OwnRole => "不能修改自己的角色；如需移交管理员，请使用“移交管理员”。", "You cannot change your own role; to hand over the admin role, use \"Make admin (hand over)\".";
        OwnStatus => "不能停用自己的账号。", "You cannot disable your own account.";
        LastAdmin => "企业至少需要一位正常状态的管理员。请先指定另一位管理员。", "The enterprise needs at least one active admin. Make someone else admin first.";
        MemberDisabled => "该成员已停用，请先恢复后再修改。", "This member is disabled; re-enable them before changing their access.";
        AlreadyMember => "您已是一家企业的登录人员，不能再申请开户。", "You already belong to an enterprise and cannot apply for another account.";
        ApplicationLocked => "申请已提交审核或已有结论，不能再修改。", "The application is under review or decided and can no longer be changed.";
        ApplicationNotPending => "该申请已有审核结论或已退回补充。", "This application has already been decided or sent back for more information.";
        PolicyPending => "该文件已有一个待生效的版本。请等它生效或先撤回它。", "A version of this document is already waiting for its date. Wait for it, or withdraw it first.";
        PolicyEdited => "该草稿已被他人修改。请重新打开后再保存或发布。", "Someone else changed this draft. Reopen it, then save or publish.";
        PolicyNotDraft => "该版本已发布，不能再修改。", "This version is already published and can no longer be changed.";
        PolicyNotPending => "只有尚未生效的版本可以撤回。", "Only a version that has not taken effect can be withdrawn.";
        Insufficient => "可用余额不足。", "The available balance is not enough.";
        OrderIdReused => "该商户订单号已用于另一笔内容不同的订单，请使用新的订单号。", "This order ID was already used for an order with other details; use a new order ID.";
        KeyReused => "该申请已提交过，且金额不同；请刷新页面后重新提交。", "This request was already sent with another amount; reload the page and try again.";
        NoWithdrawalAccount => "请先登记企业对公账户。", "Register your company's bank account first.";
        NotCancellable => "该订单已在付款或已完成，不能取消。", "This order is being paid or is finished; it cannot be cancelled.";
        NotSuspended => "只有已挂起的订单可以重新付款。", "Only a suspended order can be retried.";
        BatchDecided => "该批次已确认或已取消。", "This batch has already been confirmed or cancelled.";
        TransferDecided => "该转出申请已处理。", "This transfer request has already been decided.";
        CreditNotUnmatched => "该笔入账已入账或已不在待匹配队列中。", "This credit has already been applied or is no longer waiting.";
        SecondApproverNeeded => "需由另一位财务人员复核：初审人或录入人不能再作复核。", "A second finance operator must approve this: whoever gave the first approval or recorded it cannot give the second.";
        SecondOfficerNeeded => "须由另一名隐私官复核：登记人不能批准自己登记的披露。", "A second privacy officer must approve this: whoever recorded a disclosure cannot approve it.";
        NoCallbackAddress => "尚未设置回调地址：请先设置，再重新推送。", "No callback address is set: set one, then re-send.";
        CredentialEnded => "该密钥已吊销、过期或已轮换，请新建一个。", "This key is revoked, expired or already rotated: create a new one.";
        CreditNotHeld => "该笔入账不在待复核状态，可能已由他人处理。", "This credit is not waiting for a second approval; someone may have decided it already.";
        PayoutNotPaid => "只有已付款的付款可以退回。", "Only a paid payout can be sent back.";
        AlreadyDone => "该操作已完成。", "This has already been done.";
        NotResendable => "该消息正在等待或正在发送，无需重发。", "This message is waiting or being sent; there is nothing to re-send.";
        ResetUsed => "该重置链接已使用。如需再次重置，请重新申请。", "This reset link has already been used. Ask for a new one to reset again.";
        ResetExpired => "该重置链接已过期（有效期 30 分钟），请重新申请。", "This reset link has expired (links work for 30 minutes); ask for a new one.";
        ResetCodeWrong => "验证码不正确或已失效（有效期 30 分钟，最多尝试 5 次）。请检查后重试，或重新获取验证码。", "The code is wrong or no longer valid (codes work for 30 minutes and five tries). Check it, or ask for a new one.";
        RegistrationCodeWrong => "验证码不正确或已失效（有效期 30 分钟，最多尝试 5 次）。请检查，或重新注册以获取新验证码。", "The code is wrong or no longer valid (codes work for 30 minutes and five tries). Check it, or register again for a new code.";
        ContactCodeWrong => "验证码不正确或已失效（有效期 30 分钟，最多尝试 5 次）。请检查，或重新保存以获取新验证码。", "The code is wrong or no longer valid (codes work for 30 minutes and five tries). Check it, or save again for a new code.";
        SmsUnavailable => "平台暂时无法发送短信，无法验证新手机号。请稍后再试或联系客服。", "The platform cannot send text messages right now, so a new mobile number cannot be verified. Try later or contact support.";
        LastSuperAdmin => "平台至少需要一位正常状态的超级管理员。请先为另一位运营人员授予超级管理员角色。", "The platform needs at least one active super-admin. Give another operator the super-admin role first.";
        OwnOperator => "不能停用、重置或更改自己的账号，请由另一位超级管理员操作。", "You cannot disable, reset or change your own account; ask another super-admin.";
        EnrolmentUsed => "该开通链接已使用，请直接登录，或请超级管理员重新发放。", "This enrolment link has already been used; log in, or ask a super-admin for a new one.";
        EnrolmentExpired => "该开通链接已过期（有效期 72 小时），请超级管理员重新发放。", "This enrolment link has expired (links work for 72 hours); ask a super-admin for a new one.";
        AffectedChanged => "受影响人数在您确认后发生了变化，请核对新的人数后再发送。", "The number of affected people changed after you confirmed it; check the new number, then send.";
        WechatUnavailable => "本平台未开通微信登录，请使用手机号或邮箱和密码登录。", "WeChat login is not available on this platform; log in with your mobile number or e-mail and password.";
        WechatAlreadyBound => "您已绑定一个微信账号。如需更换，请先解除绑定。", "You have a WeChat account bound already. To use another one, unbind it first.";
        ScanNotConfirmed => "尚未在手机上确认登录，或二维码已过期、已使用。请在手机上确认，或刷新二维码后重新扫码。", "The login has not been confirmed on the phone, or the QR code expired or was used. Confirm on the phone, or refresh the code and scan again.";
        WechatBindNeedsPassword => "绑定二维码已过期。请重新输入密码，以显示新的二维码。", "The binding code has expired. Enter your password again to show a new code.";
        RightsCodeWrong => "验证码不正确或已失效（有效期 10 分钟，最多尝试 3 次）。请检查，或重新获取验证码。", "The code is wrong or no longer valid (codes work for 10 minutes and three tries). Check it, or ask for a new code.";
        RequestNotOpen => "该请求的状态已变化（已答复、已撤回或尚未完成身份验证），此操作不再适用。请刷新页面。", "This request has moved on (answered, withdrawn, or not yet verified), so this step no longer applies. Reload the page.";
        FeeNotAllowed => "该主体 12 个月内同类请求未超过免费次数，不能收取成本费用。", "This person has not made more same-kind requests in 12 months than the free number, so no cost fee may be charged.";
        ClosureHasBalance => "企业账户仍有可用余额：请先在“资金管理 → 转出”把余额转到企业的银行账户，到账后再申请注销。", "The account still has an available balance: transfer it to the enterprise's bank account first (Funds → Transfers), then ask for the closure.";
        ClosureInFlight => "还有处理中的付款订单、批次或转出（或有冻结的资金）：请等它们完成或取消后再申请注销。", "Payment orders, batches or transfers are still being processed (or money is reserved): wait until they finish or cancel them, then ask for the closure.";
        ClosureNotAdmin => "申请注销的人已不是该企业启用的管理员：不能按此请求注销，请拒绝它或让现任管理员重新申请。", "The person who asked for the closure is no longer the enterprise's active admin: refuse the request or ask the current admin to make a new one.";
        RequesterNotAdmin => "提出请求的人已不是该企业启用的管理员：不能按此请求办理，请拒绝它或让现任管理员重新申请。", "The person who made this request is no longer the enterprise's active admin: refuse it, or ask the current admin to make a new one.";
        CorrectionNeedsLicence => "更正企业名称或注册地址须附新的营业执照：请申请人先上传，再应用更正。", "A correction of the enterprise's name or address needs the new business licence: the requester uploads it first, then the correction can be applied.";
        LicenceNotNeeded => "此请求不需要或已不能再上传营业执照。", "This request does not need a licence, or can no longer take one.";
        DeletionAdmin => "申请人是一家未注销企业唯一启用的管理员：企业账户须有管理员，不能删除其个人信息。请拒绝此请求并说明：先把管理员交给他人（成员管理），或申请注销企业账户。", "The requester is the only active admin of an enterprise that is still open, and its account needs its admin, so their information cannot be deleted. Refuse the request and explain: hand the admin role to someone else first (Members), or ask for the account's closure.";
        DeletionHeld => "申请人所在企业处于法律保全中：保全期间不能删除其信息。请以“与履行法定义务相关”等理由拒绝，或待保全解除后再办理。", "The requester's enterprise is under a legal hold: nothing of it may be deleted while the hold lasts. Refuse the request (for example, as related to a legal obligation), or complete it once the hold is released.";
        InvoiceNoProfile => "请先填写开票信息（财务中心 → 开票信息），再申请发票。", "Fill in the invoice profile first (Finance → Invoice profile), then apply for invoices.";
        TaxpayerIdNotAccepted => "开票信息中的纳税人识别号不是有效的统一社会信用代码，须经平台审核人员确认后才能开票；若已被退回，请更正后重新保存。", "The profile's taxpayer ID is not a valid unified social credit code: a platform reviewer must accept it before invoices are issued. If it was refused, correct it and save the profile again.";
        SpecialNeedsProfile => "增值税专用发票需要完整的开票信息：注册地址、电话、开户银行和账号都须填写。", "A special VAT invoice needs the whole profile: the registered address, phone, bank and account must all be filled in.";
        PaperNeedsMailing => "纸质发票需要开票信息中的收件人、电话和邮寄地址。", "A paper invoice needs the profile's mailing contact, phone and address.";
        InvoiceOverAmount => "申请金额超过了未开票金额（包括同时提交的其他申请）。请刷新页面查看最新的可开票金额。", "The amount is more than the amount not yet invoiced (other applications sent at the same time included). Reload the page to see the current amount.";
        TaskEnded => "该任务的结束日期已过，不能开放。请要求发布人修改日期。", "This task's end date has passed, so it cannot open. Ask the publisher for new dates.";
        TaskNotOpen => "只能为已开放（或已关闭）的任务登记完成记录。", "Completions are recorded on an open (or closed) task only.";
        OverBudget => "登记后完成记录的金额（或数量）将超过任务预算。", "With this record the task's completions would exceed its budget (or its units).";
        CompletionMovedOn => "该完成记录的状态已变化（已验收、已撤回或已付款），此操作不再适用。请刷新页面。", "This completion record has moved on (accepted, withdrawn or paid), so this step no longer applies. Reload the page.";
        NothingToPay => "该任务没有待付款的已验收完成记录。", "This task has no accepted completion left to pay.";
        WorkerSigned => "该工人已签约，无需再次邀请。", "This worker has signed the agreement: no invitation is needed.";
        WorkerNotSigned => "该工人当前没有有效的签约，无法解约。", "This worker has no standing signature to release.";
        PayeeNotSigned => "收款人尚未签署服务协议，订单将在其签约后继续。", "The payee has not signed the service agreement; the order continues once they sign.";
        SigningLinkGone => "该签约链接无效、已过期或已使用。请联系发出邀请的企业重新发送。", "This signing link is unknown, expired or used. Ask the enterprise that invited you to send a new one.";
        SigningCodeWrong => "验证码不正确或已失效（有效期 30 分钟，最多尝试 5 次）。请检查，或重新获取验证码。", "The code is wrong or no longer valid (codes work for 30 minutes and five tries). Check it, or ask for a new code.";
        SigningCodeTooSoon => "验证码刚刚发送过，请一分钟后再试。", "A code was just sent: try again in a minute.";
        AgreementChanged => "协议已更新为新版本，请阅读新版本后再签署。", "The agreement has a new version: read it, then sign.";
        TaskMovedOn => "该任务的状态已变化（已提交审核、已审核或已关闭），此操作不再适用。请刷新页面。", "This task has moved on (sent for review, decided or closed), so this step no longer applies. Reload the page.";
        InvoiceMovedOn => "该发票申请的状态已变化（已开具、已驳回、已取消或已红冲），此操作不再适用。请刷新页面。", "This invoice application has moved on (issued, rejected, cancelled or reversed), so this step no longer applies. Reload the page.";
        InvoiceNumberTaken => "该发票号码已登记过，请核对号码。", "This invoice number is already recorded; check the number.";
        InvoiceCheckerSame => "红字冲销须由另一位财务人员审核：开具蓝字发票或登记红字发票的人不能审核。", "Another finance operator must approve the reversal: whoever issued the invoice or recorded the red letter cannot approve it.";
        TaxpayerIdNotPending => "该纳税人识别号没有待审核的确认请求，可能已由他人处理。", "This taxpayer ID is not waiting for a decision; someone may have decided it already.";
        TicketMovedOn => "该工单的状态已变化（已关闭、已解决或已评价），此操作不再适用。请刷新页面。", "This ticket has moved on (closed, resolved or rated), so this step no longer applies. Reload the page.";
        IdentityNotVerified => "客户身份尚未验证：验证通过前不能查看账户信息。", "The customer's identity is not verified: the account details stay closed until it is.";
        VerificationNotRequested => "该工单当前没有待完成的身份验证。", "No identity check is waiting on this ticket.";
        SupportCodeWrong => "验证码错误、已过期或已超过尝试次数。", "The code is wrong, expired or out of tries.";
        SupportCodeTooSoon => "刚刚已向客户发送过验证码，请一分钟后再请求。", "A code was just sent to the customer: ask again in a minute.";
        NotTicketOpener => "只有提交该工单的人可以完成身份验证。", "Only the person who opened this ticket can confirm their identity.";
        TooManyAttachments => "该工单的附件已达上限。", "This ticket already holds as many files as it may.";
    }
}

/// The message a user reads for `c`.
pub fn conflict_message(c: Conflict) -> ConflictMsg {
    use Conflict as C;
    use ConflictMsg as M;
    match c {
        C::ContactTaken => M::ContactTaken,
        C::LoginTaken => M::LoginTaken,
        C::PolicyChanged => M::PolicyChanged,
        C::InviteUsed => M::InviteUsed,
        C::InviteExpired => M::InviteExpired,
        C::InviteRevoked => M::InviteRevoked,
        C::OwnRole => M::OwnRole,
        C::OwnStatus => M::OwnStatus,
        C::LastAdmin => M::LastAdmin,
        C::MemberDisabled => M::MemberDisabled,
        C::AlreadyMember => M::AlreadyMember,
        C::ApplicationLocked => M::ApplicationLocked,
        C::ApplicationNotPending => M::ApplicationNotPending,
        C::PolicyPending => M::PolicyPending,
        C::PolicyEdited => M::PolicyEdited,
        C::PolicyNotDraft => M::PolicyNotDraft,
        C::PolicyNotPending => M::PolicyNotPending,
        C::InsufficientBalance => M::Insufficient,
        C::OrderIdReused => M::OrderIdReused,
        C::KeyReused => M::KeyReused,
        C::NoWithdrawalAccount => M::NoWithdrawalAccount,
        C::OrderNotCancellable => M::NotCancellable,
        C::OrderNotSuspended => M::NotSuspended,
        C::BatchAlreadyDecided => M::BatchDecided,
        C::TransferAlreadyDecided => M::TransferDecided,
        C::CreditNotUnmatched => M::CreditNotUnmatched,
        C::SecondApproverNeeded => M::SecondApproverNeeded,
        C::SecondOfficerNeeded => M::SecondOfficerNeeded,
        C::CredentialEnded => M::CredentialEnded,
        C::NoCallbackAddress => M::NoCallbackAddress,
        C::CreditNotHeld => M::CreditNotHeld,
        C::PayoutNotPaid => M::PayoutNotPaid,
        C::AlreadyDone => M::AlreadyDone,
        C::NotResendable => M::NotResendable,
        C::ResetUsed => M::ResetUsed,
        C::ResetExpired => M::ResetExpired,
        C::ResetCodeWrong => M::ResetCodeWrong,
        C::ContactCodeWrong => M::ContactCodeWrong,
        C::RegistrationCodeWrong => M::RegistrationCodeWrong,
        C::SmsUnavailable => M::SmsUnavailable,
        C::LastSuperAdmin => M::LastSuperAdmin,
        C::OwnOperator => M::OwnOperator,
        C::EnrolmentUsed => M::EnrolmentUsed,
        C::EnrolmentExpired => M::EnrolmentExpired,
        C::AffectedChanged => M::AffectedChanged,
        C::WechatUnavailable => M::WechatUnavailable,
        C::WechatAlreadyBound => M::WechatAlreadyBound,
        C::ScanNotConfirmed => M::ScanNotConfirmed,
        C::WechatBindNeedsPassword => M::WechatBindNeedsPassword,
        C::RightsCodeWrong => M::RightsCodeWrong,
        C::RequestNotOpen => M::RequestNotOpen,
        C::FeeNotAllowed => M::FeeNotAllowed,
        C::ClosureHasBalance => M::ClosureHasBalance,
        C::ClosureInFlight => M::ClosureInFlight,
        C::ClosureNotAdmin => M::ClosureNotAdmin,
        C::RequesterNotAdmin => M::RequesterNotAdmin,
        C::CorrectionNeedsLicence => M::CorrectionNeedsLicence,
        C::LicenceNotNeeded => M::LicenceNotNeeded,
        C::DeletionAdmin => M::DeletionAdmin,
        C::DeletionHeld => M::DeletionHeld,
        C::InvoiceNoProfile => M::InvoiceNoProfile,
        C::TaxpayerIdNotAccepted => M::TaxpayerIdNotAccepted,
        C::SpecialNeedsProfile => M::SpecialNeedsProfile,
        C::PaperNeedsMailing => M::PaperNeedsMailing,
        C::InvoiceOverAmount => M::InvoiceOverAmount,
        C::InvoiceMovedOn => M::InvoiceMovedOn,
        C::TaskMovedOn => M::TaskMovedOn,
        C::TaskEnded => M::TaskEnded,
        C::TaskNotOpen => M::TaskNotOpen,
        C::OverBudget => M::OverBudget,
        C::CompletionMovedOn => M::CompletionMovedOn,
        C::NothingToPay => M::NothingToPay,
        C::WorkerSigned => M::WorkerSigned,
        C::WorkerNotSigned => M::WorkerNotSigned,
        C::PayeeNotSigned => M::PayeeNotSigned,
        C::SigningLinkGone => M::SigningLinkGone,
        C::SigningCodeWrong => M::SigningCodeWrong,
        C::SigningCodeTooSoon => M::SigningCodeTooSoon,
        C::AgreementChanged => M::AgreementChanged,
        C::InvoiceNumberTaken => M::InvoiceNumberTaken,
        C::InvoiceCheckerSame => M::InvoiceCheckerSame,
        C::TaxpayerIdNotPending => M::TaxpayerIdNotPending,
        C::TicketMovedOn => M::TicketMovedOn,
        C::IdentityNotVerified => M::IdentityNotVerified,
        C::VerificationNotRequested => M::VerificationNotRequested,
        C::SupportCodeWrong => M::SupportCodeWrong,
        C::SupportCodeTooSoon => M::SupportCodeTooSoon,
        C::NotTicketOpener => M::NotTicketOpener,
        C::TooManyAttachments => M::TooManyAttachments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use crate::i18n::Lang;

    #[test]
    fn every_conflict_says_what_went_wrong() {
        let mut seen = std::collections::HashSet::new();
        for c in Conflict::ALL {
            let e = AppError::Conflict(*c);
            assert_eq!(e.status(), 409);
            for lang in Lang::ALL {
                assert!(seen.insert(e.message(lang)), "{c:?} shares its message");
            }
        }
        assert_eq!(
            AppError::Conflict(Conflict::InsufficientBalance).message(Lang::En),
            "The available balance is not enough."
        );
        assert_eq!(
            AppError::Conflict(Conflict::LastAdmin).message(Lang::ZhCn),
            "企业至少需要一位正常状态的管理员。请先指定另一位管理员。"
        );
    }
}
