//! Messages of WeChat scan-login and binding (P1.1.3; issue 15): the desktop's QR code, the
//! phone page, account settings' binding card, and the login history's methods.

use crate::model::account::LoginMethod;
use crate::model::scan::{DesktopState, Place, ScanProblem};

crate::messages! {
    pub enum WxMsg {
        TabPassword => "密码登录", "Password";
        TabWechat => "微信扫码登录", "WeChat QR code";
        ScanIntro => "用微信“扫一扫”扫描二维码，在手机上确认后即可登录。", "Scan the code with WeChat's Scan, then confirm on your phone to log in.";
        ScanIntroBind => "用要绑定的微信“扫一扫”扫描二维码，并在手机上授权和确认。", "Scan the code with the WeChat account to bind, then authorise and confirm on your phone.";
        QrLabel => "微信扫码二维码", "WeChat QR code";
        ExpiresAt => "二维码有效期至", "The code works until";
        StateWaiting => "等待扫码……", "Waiting for a scan…";
        StateScanned => "已扫码，请在手机上确认。", "Scanned: confirm on your phone.";
        StateConfirmed => "已在手机上确认，正在登录……", "Confirmed on the phone: logging you in…";
        StateConfirmedBind => "已在手机上确认，绑定完成。", "Confirmed on the phone: your WeChat account is bound.";
        StateCancelled => "已在手机上取消。", "Cancelled on the phone.";
        StateExpired => "二维码已过期。", "The code has expired.";
        StateDone => "该二维码已使用。", "This code has been used.";
        StateNotBound => "该微信尚未绑定平台账号：请先用密码登录，再在“账号设置”中绑定微信。", "This WeChat account is not bound to an account here: log in with your password, then bind WeChat in account settings.";
        Refresh => "刷新二维码", "New code";
        IConfirmed => "我已在手机上确认", "I have confirmed on my phone";
        NoScriptHint => "如果页面没有自动登录，请在手机上确认后点击下面的按钮。", "If this page does not log you in by itself, confirm on your phone, then press the button below.";
        PhoneTitle => "微信扫码登录", "WeChat scan-login";
        OutsideWechat => "请使用微信“扫一扫”扫描电脑上的二维码，在微信中打开此页面。", "Scan the code on the computer with WeChat's Scan, so that this page opens inside WeChat.";
        Gone => "二维码已过期或已使用，请在电脑上刷新二维码后重新扫码。", "The code has expired or was used: refresh it on the computer and scan again.";
        Continue => "继续", "Continue";
        AuthorizeHint => "将跳转到微信进行授权。", "You will be taken to WeChat to authorise.";
        LoginQuestion => "在电脑上登录？", "Log in on the computer?";
        BindQuestion => "将此微信绑定到以下账号？", "Bind this WeChat account to this account?";
        Account => "账号", "Account";
        Computer => "电脑", "Computer";
        Place => "网络位置", "Network";
        SameNetwork => "（与本手机在同一网络）", "(the same network as this phone)";
        WechatProfile => "微信昵称", "WeChat nickname";
        DecideHint => "如果不是您本人在电脑上操作，请点击“取消”。", "If you are not the one at the computer, press Cancel.";
        Confirm => "确认", "Confirm";
        Cancel => "取消", "Cancel";
        ConfirmedLogin => "已确认，请回到电脑继续。", "Confirmed: carry on at the computer.";
        ConfirmedBind => "绑定成功，可以用此微信扫码登录了。", "Bound: you can now log in by scanning with this WeChat account.";
        CancelledPhone => "已取消，电脑不会登录。", "Cancelled: the computer will not be logged in.";
        TryAgain => "重试", "Try again";
        PlaceThisMachine => "本机（与服务器同一台电脑）", "This machine (the server's own computer)";
        PlaceLocal => "局域网", "A local network";
        PlaceInternet => "互联网地址", "Internet address";
        ProblemRefused => "您在微信中拒绝了授权，未登录。", "You refused in WeChat, so nothing happened.";
        ProblemInvalidCode => "微信授权已失效，请重试。", "WeChat's authorisation is no longer valid; try again.";
        ProblemCodeUsed => "该次微信授权已使用过（可能是页面被刷新），请重试。", "That WeChat authorisation was used already (perhaps the page was reloaded); try again.";
        ProblemBadState => "该授权请求无效或已过期，请在电脑上刷新二维码后重新扫码。", "This authorisation request is not valid or has expired: refresh the code on the computer and scan again.";
        ProblemUnauthorized => "未获得读取微信资料的授权。", "The platform was not allowed to read the WeChat profile.";
        ProblemSnapshot => "请在微信中打开完整页面后再试（快照页无法登录）。", "Open the full page in WeChat and try again (a snapshot page cannot log in).";
        ProblemUnavailable => "暂时无法连接微信，请稍后再试。", "WeChat cannot be reached right now; try again later.";
        ProblemBoundElsewhere => "该微信已绑定另一个平台账号，请先在那个账号中解除绑定。", "This WeChat account is bound to another account here; unbind it there first.";
        ProblemAlreadyBound => "该账号已绑定微信。", "This account has a WeChat account bound already.";
        ProblemOtherPhone => "该二维码已被另一部手机扫描。", "Another phone scanned this code.";
        ProblemLoginRefused => "该账号现在无法登录（已停用，或因多次密码错误被暂时锁定）。", "This account cannot log in now (it is disabled, or locked for a while after wrong passwords).";
        ProblemRateLimited => "操作过于频繁，请稍后再试。", "Too many attempts just now; try again in a minute.";
        WebsiteBind => "用微信扫码绑定", "Bind by scanning with WeChat";
        WebsiteLogin => "用微信登录", "Log in with WeChat";
        WebsiteIntro => "将打开微信的扫码页面，用手机微信扫码并确认即可登录。", "WeChat's own QR page opens: scan it with WeChat on your phone and confirm to log in.";
        CardTitle => "微信绑定", "WeChat binding";
        CardIntro => "绑定后可用微信扫码登录。仅在您授权后保存微信昵称和头像；解除绑定即删除。", "Once bound, you can log in by scanning with WeChat. The WeChat nickname and avatar are kept only with your authorisation, and deleted when you unbind.";
        NotBound => "尚未绑定微信。", "No WeChat account is bound.";
        Bind => "绑定微信", "Bind WeChat";
        BindNeedsPassword => "为保护您的账号，绑定微信前请再次输入密码。", "To protect your account, enter your password again before binding WeChat.";
        Unbind => "解除绑定", "Unbind";
        BoundSince => "绑定时间", "Bound since";
        BoundBy => "识别方式", "Identified by";
        Avatar => "微信头像", "WeChat avatar";
        Unbound => "已解除绑定，微信昵称和头像已删除。", "Unbound: the WeChat nickname and avatar were deleted.";
        SimulatorHint => "开发环境：微信由模拟器代替。", "Development: WeChat is played by the simulator.";
        SimulatorOpen => "在新窗口中以“微信”打开手机页面", "Open the phone page in a new window as WeChat";
        Method => "方式", "Method";
        MethodPassword => "密码", "Password";
        MethodWechat => "微信扫码", "WeChat scan";
        MethodRegistration => "注册", "Registration";
        MethodInvitation => "接受邀请", "Invitation";
    }
}

/// What the desktop says in `state` (`bind`: a binding ticket).
pub fn desktop_state_label(state: DesktopState, bind: bool) -> WxMsg {
    match state {
        DesktopState::Waiting => WxMsg::StateWaiting,
        DesktopState::Scanned => WxMsg::StateScanned,
        DesktopState::Confirmed if bind => WxMsg::StateConfirmedBind,
        DesktopState::Confirmed => WxMsg::StateConfirmed,
        DesktopState::Cancelled => WxMsg::StateCancelled,
        DesktopState::Expired => WxMsg::StateExpired,
        DesktopState::Done => WxMsg::StateDone,
        DesktopState::NotBound => WxMsg::StateNotBound,
    }
}

/// What the phone says about a problem.
pub fn problem_label(p: ScanProblem) -> WxMsg {
    match p {
        ScanProblem::Refused => WxMsg::ProblemRefused,
        ScanProblem::InvalidCode => WxMsg::ProblemInvalidCode,
        ScanProblem::CodeUsed => WxMsg::ProblemCodeUsed,
        ScanProblem::BadState => WxMsg::ProblemBadState,
        ScanProblem::Unauthorized => WxMsg::ProblemUnauthorized,
        ScanProblem::SnapshotUser => WxMsg::ProblemSnapshot,
        ScanProblem::Unavailable => WxMsg::ProblemUnavailable,
        ScanProblem::BoundElsewhere => WxMsg::ProblemBoundElsewhere,
        ScanProblem::AlreadyBound => WxMsg::ProblemAlreadyBound,
        ScanProblem::OtherPhone => WxMsg::ProblemOtherPhone,
        ScanProblem::NotBound => WxMsg::StateNotBound,
        ScanProblem::LoginRefused => WxMsg::ProblemLoginRefused,
        ScanProblem::RateLimited => WxMsg::ProblemRateLimited,
    }
}

/// The kind of place, and the network when it is on the internet.
pub fn place_label(p: &Place) -> (WxMsg, Option<String>) {
    match p {
        Place::ThisMachine => (WxMsg::PlaceThisMachine, None),
        Place::LocalNetwork => (WxMsg::PlaceLocal, None),
        Place::Internet(net) => (WxMsg::PlaceInternet, Some(net.clone())),
    }
}

pub fn login_method_label(m: LoginMethod) -> WxMsg {
    match m {
        LoginMethod::Password => WxMsg::MethodPassword,
        LoginMethod::Wechat => WxMsg::MethodWechat,
        LoginMethod::Registration => WxMsg::MethodRegistration,
        LoginMethod::Invitation => WxMsg::MethodInvitation,
    }
}
