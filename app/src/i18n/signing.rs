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
        SignedEarlier => "该工人签署的是《灵活用工服务协议》的较早版本：平台发布新版本时已短信通知其签署，新版本自其签署时适用，此前的签约继续有效。如链接已过期，可再发邀请。", "This worker signed an earlier version of the worker service agreement. The platform texted them when it published the new version, which applies once they sign it; until then their signature stands. If their link has expired, send another invitation.";
        EarlierVersion => "较早版本", "Earlier version";
        NewVersionIntro => "这是协议的新版本，自您签署时适用；在此之前，您已签署的版本继续有效。您已签署的版本：", "This is a new version of the agreement; it applies once you sign it, and until then the version you signed stands. The version you signed:";
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
        AgreementTitle => "工人服务协议", "Worker agreement";
        AgreementIntro => "工人通过短信链接签署《灵活用工服务协议》的最新版本。发布新版本后，已签署较早版本的工人都会收到短信，用自己的链接阅读并签署新版本；新版本自其签署时适用，在此之前其已签署的版本继续有效。已发布的版本不能修改。", "Workers sign the newest version of the worker service agreement from a link sent by text. Publishing a new version texts every worker who signed an earlier one a link of their own to read and sign it; the new version applies to each once they sign it, and until then the version they signed stands. A published version cannot be changed.";
        AgreementVersions => "已发布的版本", "Published versions";
        AgreementCurrent => "现行", "Current";
        AgreementSignedCount => "以此版本签约的工人", "Workers signed on it";
        AgreementToldCount => "发布时短信通知", "Texted when published";
        AgreementHash => "内容摘要（SHA-256）", "Content hash (SHA-256)";
        AgreementReadText => "阅读协议文本", "Read the text";
        AgreementNew => "发布新版本", "Publish a new version";
        AgreementVersionHint => "数字和点，须高于现行版本，例如 1.1", "Digits and dots, newer than the current version, e.g. 1.1";
        AgreementPublish => "发布并短信通知已签约工人", "Publish and text the signed workers";
        AgreementPublished => "新版本已发布。短信通知的工人数：", "The new version is published. Workers texted:";
    }
}

pub fn signing_status_label(s: SigningStatus) -> SignMsg {
    match s {
        SigningStatus::NotSigned => SignMsg::NotSigned,
        SigningStatus::Signed => SignMsg::Signed,
        SigningStatus::Released => SignMsg::Released,
    }
}
