//! Messages of signing the worker service agreement (issue 18 §2, P6.1): the worker's page on
//! the enterprise's side, the phone's signing page, and the operator's look.

use crate::model::worker::SigningStatus;

crate::messages! {
    pub enum SignMsg {
        Signing => "签约", "Signing";
        Status => "签约状态", "Signing";
        NotSigned => "未签约", "Not signed";
        Signed => "已签约", "Signed";
        Released => "已解约", "Released";
        Version => "协议版本", "Version";
        SignedAt => "签署时间", "Signed";
        Method => "方式", "Method";
        SmsCode => "短信验证码", "Code by text";
        Ip => "网络地址（截短）", "Network (truncated)";
        Browser => "浏览器", "Browser";
        ReleasedAt => "解约", "Released";
        History => "签约记录", "Signing history";
        NoHistory => "还没有签约记录。", "No signatures yet.";
        Invites => "签约邀请", "Invitations";
        NoInvites => "还没有发送过邀请。", "No invitations sent.";
        Used => "已使用或已作废", "Used or revoked";
        Unused => "有效或已过期", "Open or expired";
        Invite => "发送签约邀请短信", "Text an invitation to sign";
        InviteIntro => "工人会收到一条短信，用手机打开链接阅读《灵活用工服务协议》，并以短信验证码确认签署。链接 7 天内有效。", "The worker gets a text; on their phone they open the link, read the worker service agreement and sign it with a code sent by text. The link works for 7 days.";
        Invited => "邀请已发送。", "The invitation was sent.";
        Release => "解约", "Release";
        ReleaseReason => "解约原因", "Reason for the release";
        ReleaseIntro => "解约会被记录；解约后付给该工人的订单将等待其重新签约（开启“仅向已签约工人付款”时）。", "A release is recorded; orders to the worker then wait until they sign again (when paying signed workers only).";
        Worker => "工人", "Worker";
        Back => "返回工人名册", "Back to the workers";
        PhoneTitle => "签署服务协议", "Sign the service agreement";
        InvitedBy => "邀请企业", "Invited by";
        YourMobile => "验证码将发送至", "The code goes to";
        SendCode => "获取验证码", "Send me a code";
        CodeSent => "验证码已发送，30 分钟内有效。", "A code was sent; it works for 30 minutes.";
        WrongTries => "验证码错误次数", "Wrong codes entered";
        TriesLeft => "剩余尝试次数", "Tries left";
        Code => "短信验证码", "Code from the text";
        Agree => "我已阅读并同意《灵活用工服务协议》", "I have read and agree to the worker service agreement";
        Sign => "确认签署", "Sign";
        Done => "您已签署服务协议。", "You have signed the service agreement.";
        Gone => "该签约链接无效、已过期或已使用。请联系发出邀请的企业重新发送。", "This signing link is unknown, expired or used. Ask the enterprise that invited you to send a new one.";
        Record => "签署记录将保存协议版本、时间、方式、网络地址（截短）和浏览器信息。", "The record of your signature keeps the version, the time, the method, your network address (truncated) and your browser.";
        OpsTitle => "工人与签约", "Workers and signing";
        OpsShow => "查看工人与签约记录（会被记录）", "Show the workers and their signing (the look is recorded)";
    }
}

pub fn signing_status_label(s: SigningStatus) -> SignMsg {
    match s {
        SigningStatus::NotSigned => SignMsg::NotSigned,
        SigningStatus::Signed => SignMsg::Signed,
        SigningStatus::Released => SignMsg::Released,
    }
}
