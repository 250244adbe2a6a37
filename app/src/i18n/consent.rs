//! Messages of the cookie banner, the cookie policy and the consent centre.

crate::messages! {
    pub enum ConsentMsg {
        Title => "我们使用的 Cookie", "Cookies on this site";
        Text => "必要的 Cookie 用于登录和记住您的选择，始终开启；便利 Cookie 可记住登录名和语言，只有您同意后才会设置。您可以随时在隐私中心更改。", "Necessary cookies keep you logged in and remember this choice; they are always on. Convenience cookies remember your login name and language, and are set only if you agree. You can change this any time in the privacy centre.";
        Policy => "Cookie 政策", "Cookie policy";
        AcceptAll => "全部接受", "Accept all";
        RejectAll => "全部拒绝", "Reject all";
        Customise => "自定义", "Customise";
        Save => "保存选择", "Save my choice";
        Necessary => "必要（始终开启）", "Strictly necessary (always on)";
        NecessaryText => "登录会话和您的 Cookie 选择。没有它们网站无法工作，因此无需同意。", "Login sessions and your cookie choice. The site cannot work without them, so they need no consent.";
        Convenience => "便利", "Convenience";
        ConvenienceText => "记住登录名和界面语言，省去重复输入。默认关闭。", "Remembers your login name and interface language so you need not enter them again. Off by default.";
        PolicyTitle => "Cookie 政策", "Cookie policy";
        PolicyIntro => "本网站只使用下表列出的 Cookie，全部由本网站自己设置，不含任何第三方或广告 Cookie。", "This site uses only the cookies listed here, all set by the site itself; there are no third-party or advertising cookies.";
        Name => "名称", "Name";
        Category => "类别", "Category";
        Purpose => "用途", "Purpose";
        Lifetime => "有效期", "Lifetime";
        SessionLifetime => "随登录会话结束", "Until the session ends";
        Revision => "修订版本", "Revision";
    }
}
