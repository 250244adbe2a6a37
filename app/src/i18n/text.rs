//! Messages with values, as typed functions: `text::import_done(lang, credited, unmatched,
//! recorded)`. A call without one of the values does not compile, and every value appears in
//! both languages (`every_value_is_shown_in_both_languages`).

crate::templates! {
    pub fn registration_code_then_text(to, phone) => "验证码已发送至 {to}（30 分钟内有效）。输入后，我们会再向 {phone} 发送一条短信验证码。如果该邮箱已有账号，邮件会告诉您如何登录。", "A code was sent to {to} (it works for 30 minutes). Once you enter it, another code is texted to {phone}. If the address already has an account, the e-mail says how to log in.";
    pub fn registration_text_sent(phone) => "短信验证码已发送至 {phone}（30 分钟内有效）。输入后即完成注册。如果该手机号已有账号，短信会告诉您如何登录。", "A code was texted to {phone} (it works for 30 minutes). Enter it to finish registering. If the number already has an account, the text says so.";
    pub fn registration_code_sent(to) => "验证码已发送至 {to}（30 分钟内有效）。输入验证码即可完成注册。如果该邮箱已有账号，邮件会告诉您如何登录。", "A code was sent to {to} (it works for 30 minutes). Enter it to finish registering. If the address already has an account, the e-mail says how to log in.";
    pub fn contact_code_sent(kind, to) => "验证码已发送至新的{kind}：{to}（30 分钟内有效）。输入验证码后修改才生效。", "A code was sent to the new {kind}, {to} (it works for 30 minutes). The change takes effect once you enter it.";
    pub fn forbidden_ask_admins(names) => "如需使用，请联系企业管理员（{names}）在“业务中心 → 成员”中为您开通。", "To use it, ask your enterprise's admin ({names}) to grant it under Business → Members.";
    pub fn rule_at_least_chars(n) => "（至少 {n} 个字符）", " (at least {n} characters)";
    pub fn rule_at_most_chars(n) => "（最多 {n} 个字符）", " (at most {n} characters)";
    pub fn err_locked(time) => "密码连续输错次数过多，账号已锁定至 {time}。", "Too many wrong passwords: the account is locked until {time}.";
    pub fn rule_at_least_days(n) => "（至少提前 {n} 天）", " (at least {n} days ahead)";
    pub fn rule_at_most_mb(n) => "（最大 {n} MB）", " (at most {n} MB)";
    pub fn rule_at_most_count(n) => "（最多 {n} 个）", " (at most {n})";
    pub fn days(n) => "{n} 天", "{n} days";
    pub fn days_after_closing(n) => "结束后保存 {n} 天", "{n} days after it is closed";
    pub fn support_recorded(n) => "本次对话会被记录，工单关闭后保存 {n} 天，用于核实服务质量和处理争议。", "This conversation is recorded and kept for {n} days after the ticket is closed, to check the quality of our service and settle disputes.";
    pub fn support_code_sent(hint) => "验证码已发送至注册手机（尾号 {hint}）。", "A code was sent to the registered mobile ending in {hint}.";
    pub fn deleted_after_expiry(n) => "过期后 {n} 小时内删除", "Deleted within {n} hours after it expires";
    pub fn kept_books(n) => "依《会计档案管理办法》保存 {n} 年", "Kept {n} years under the accounting-archives rules";
    pub fn backups_rotate(n) => "加密备份中的副本随备份轮换清除：每次备份时删除超过 {n} 天的备份。", "Copies in the encrypted backups go as the backups rotate: each backup run deletes backups older than {n} days.";
    pub fn kept_audit(n) => "作为特权操作的审计记录保存 {n} 年（证明谁改动了账目，期限同会计档案）", "Kept {n} years in the audit trail of privileged actions (it proves who changed the books, so it is kept as long as the accounting archives)";
    pub fn kept_logs(n) => "依《网络安全法》保存 {n} 天", "Kept {n} days under the Cybersecurity Law (network logs)";
    pub fn duplicate_registered(names) => "此代码已有开户企业：{names}。如确需再开一个账户，须填写理由后方可通过。", "This code already has an account: {names}. To open another one anyway, give the reason.";
    pub fn duplicate_pending(n) => "另有 {n} 份使用此代码的申请在审核中。", "{n} other application(s) with this code are under review.";
    pub fn decided_approve(enterprise, applicant, to) => "已通过：{enterprise} 的企业账户已开通，{applicant} 为管理员。给申请人的通知已放入发件箱（{to}）。", "Approved: {enterprise} has its business account, with {applicant} as its admin. The notice to the applicant is in the outbox ({to}).";
    pub fn decided_reject(enterprise, applicant, to) => "已驳回 {enterprise} 的申请。给 {applicant} 的通知已放入发件箱（{to}）。", "Rejected the application of {enterprise}. The notice to {applicant} is in the outbox ({to}).";
    pub fn decided_request_more(enterprise, applicant, to) => "已要求 {enterprise} 补充材料。给 {applicant} 的通知已放入发件箱（{to}）。", "Asked {enterprise} for more material. The notice to {applicant} is in the outbox ({to}).";
    pub fn fee_rule(fee, tax, min) => "服务费率 {fee}%（每笔至少 {min}），代扣税率 {tax}%（按金额四舍五入到分）", "Service fee {fee}% (at least {min} an order), tax withheld {tax}% (each rounded half up to the fen)";
    pub fn line(n) => "第 {n} 行", "Line {n}";
    pub fn receipt_check_hint(issuer) => "本回单由 {issuer} 出具。核验真伪时，请向平台提供平台流水号和验证码。", "Issued by {issuer}. To check that it is genuine, give the platform the platform reference and the verification code.";
    pub fn credit_preview_owner(enterprise, amount, credited) => "收款账户属于「{enterprise}」。确认后入账 {amount}，扣除银行手续费后计入其可用余额 {credited}。", "The receiving account belongs to “{enterprise}”. Confirming records {amount} and adds {credited} (after the bank fee) to its available balance.";
    pub fn credit_preview_nobody(credited) => "此收款账户不属于任何企业。确认后 {credited} 进入待匹配队列，由财务人工匹配。", "This receiving account belongs to no enterprise. Confirming puts {credited} in the to-be-matched queue for finance to assign.";
    pub fn credit_done(enterprise, credited) => "已入账：{credited} 已计入「{enterprise}」的可用余额。", "Recorded: {credited} added to the available balance of “{enterprise}”.";
    pub fn credit_queued(credited) => "已记录：{credited} 已进入待匹配队列。", "Recorded: {credited} waits in the to-be-matched queue.";
    pub fn import_done(c, u, h, a) => "导入完成：入账 {c} 笔，待匹配 {u} 笔，待复核 {h} 笔，已登记过 {a} 笔。", "Imported: {c} credited, {u} to be matched, {h} held for a second approval, {a} already recorded.";
    pub fn credit_held(credited, limit) => "已记录：{credited} 超过 {limit}，须由另一位财务人员复核后才会入账。", "Recorded: {credited} is above {limit}, so it is booked only after a second finance operator approves it.";
    pub fn checked_by(name) => "初审：{name}", "First approval: {name}";
    pub fn recorded_by(name) => "录入：{name}", "Recorded by {name}";
    pub fn versions_intro(n) => "起草新版本时，先保存草稿并检查与现行版本的对比，再定好生效日期发布。重大变更须提前 {n} 天公告，并以电子邮件通知所有账户用户；生效后，用户须重新确认才能继续使用业务功能。", "Save a draft, check the comparison with the version in force, then publish it with its effective date. A material change must be announced {n} days ahead and is e-mailed to every account user; once it takes effect, users must accept it again before they can use business functions.";
    pub fn earliest_material(date) => "重大变更最早可于 {date} 生效。", "A material change can take effect on {date} at the earliest.";
    pub fn notice_upcoming(doc, date, v) => "{doc}将于 {date} 更新为 {v} 版。", "Our {doc} changes to version {v} on {date}.";
    pub fn notice_updated(doc, date, v) => "{doc}已于 {date} 更新为 {v} 版。", "Our {doc} was updated to version {v} on {date}.";
    pub fn compared_with(v) => "与 {v} 版逐段对比", "Paragraph by paragraph against version {v}";
    pub fn declined(date) => "您于 {date} 未同意更新后的政策，业务功能暂不可用。", "On {date} you did not accept the updated policies, so business functions are closed.";
    pub fn since(date) => "自 {date}", "since {date}";
    pub fn not_yet_in_force(date) => "该版本将于 {date} 生效，在此之前现行版本继续适用。", "This version takes effect on {date}; until then the current version applies.";
    pub fn agreement_will_tell(n) => "发布后，{n} 名已签约的工人将收到短信，请其阅读并签署新版本。", "Once published, {n} signed workers will be texted to read and sign the new version.";
    pub fn withdraw_version(v) => "撤回 {v} 版", "Withdraw version {v}";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_value_is_shown_in_both_languages() {
        for lang in Lang::ALL {
            let s = import_done(lang, 11, 22, 44, 33);
            assert!(
                s.contains("11") && s.contains("22") && s.contains("33") && s.contains("44"),
                "{s}"
            );
            let s = credit_preview_owner(lang, "甲公司", "1.00", "0.99");
            assert!(
                s.contains("甲公司") && s.contains("1.00") && s.contains("0.99"),
                "{s}"
            );
            let s = decided_approve(lang, "甲公司", "张三", "a@b.cn");
            assert!(s.contains("张三") && s.contains("a@b.cn"), "{s}");
        }
    }
}
