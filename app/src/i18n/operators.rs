//! Messages of operator management and operator enrolment.

crate::messages! {
    pub enum OpMsg {
        Intro => "新运营人员通过一次性开通链接设置密码并绑定身份验证器后才能登录。链接 72 小时内有效，只显示一次，请当面或通过安全渠道交给本人。", "A new operator can log in only after setting a password and an authenticator through a one-time enrolment link. The link works for 72 hours and is shown once: hand it over in person or over a secure channel.";
        Create => "新建运营人员", "New operator";
        DisplayName => "姓名", "Name";
        CreateButton => "创建并生成开通链接", "Create and make the enrolment link";
        LinkReady => "开通链接（只显示一次）：", "Enrolment link (shown once):";
        SaveRoles => "保存角色", "Save roles";
        Disable => "停用", "Disable";
        Enable => "恢复", "Re-enable";
        ResetPassword => "重置密码", "Reset password";
        ResetTotp => "重置身份验证器", "Reset authenticator";
        NotEnrolled => "待开通", "Not enrolled";
        EnrolTitle => "开通运营账号", "Set up your operator account";
        EnrolIntro => "设置登录密码，并用身份验证器（如 Google Authenticator、Microsoft Authenticator）完成绑定。", "Choose your password and confirm your authenticator app (Google Authenticator, Microsoft Authenticator, …).";
        ScanQr => "用身份验证器扫描二维码，或手动输入密钥：", "Scan the QR code with your authenticator, or type in the key:";
        KeepAuthenticator => "身份验证器保持不变，请输入其当前的动态码。", "Your authenticator stays as it is: enter its current code.";
        Code => "身份验证器上的 6 位动态码", "The 6-digit code from your authenticator";
        QrLabel => "身份验证器二维码", "QR code for your authenticator";
        RolesOf => "角色：", "Roles of ";
        Finish => "完成开通", "Finish";
        Enrolled => "账号已开通，请登录。", "Your account is ready: log in.";
    }
}
