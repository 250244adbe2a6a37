//! Messages of the shell, the public pages and the shared error texts.

crate::messages! {
    pub enum Msg {
        AppName => "综合服务平台", "Enterprise Service Platform";
        SkipToContent => "跳到主要内容", "Skip to main content";
        LeavesPlatform => "（在新窗口打开，将离开本平台）", " (opens in a new window and leaves the platform)";
        ThirdPartyNotice => "第三方网站，不适用本平台的隐私政策。", "A third party's site: our privacy policy does not cover it.";
        Language => "语言", "Language";
        Menu => "菜单", "Menu";
        UserMenu => "语言与账号", "Language and account";
        MainNavigation => "主导航", "Main navigation";

        NavHome => "首页", "Home";
        NavLogin => "登录", "Log in";
        NavRegister => "注册开户", "Open an account";
        NavPrivacy => "隐私政策", "Privacy policy";
        NavTerms => "账户使用规则", "Account terms";
        NavPortal => "企业门户", "Enterprise portal";
        NavConsole => "运营后台", "Operator console";

        AreaOverview => "概览", "Overview";
        AreaBusiness => "业务中心", "Business";
        AreaFunds => "资金管理", "Funds";
        AreaFinance => "财务中心", "Finance";
        AreaInvoices => "发票", "Invoices";
        AreaTasks => "任务库", "Tasks";
        AreaOpsTasks => "任务审核", "Task review";
        AreaOpsSupport => "客服工单", "Support";
        AreaMessages => "消息中心", "Messages";
        AreaPrivacy => "隐私中心", "Privacy centre";
        AreaSupport => "客户服务", "Support";
        AreaOpsHome => "工作台", "Dashboard";
        AreaAccount => "账号设置", "Account settings";
        AreaOpsPrivacy => "隐私", "Privacy";
        AreaOperators => "运营账号", "Operators";
        AreaApplications => "入驻审核", "Applications";
        AreaOutbox => "发件箱", "Outbox";
        AreaEnterprises => "企业", "Enterprises";
        AreaAudit => "审计日志", "Audit log";
        AreaStats => "统计", "Statistics";
        AreaRetention => "数据保存期限", "Retention";

        HomeHeroTitle => "为平台企业提供合规的灵活用工综合服务", "Compliant flexible-work services for platform businesses";
        HomeHeroLead => "在线开通企业账户，管理登录人员，预付资金，并通过付款订单向个人服务者付款。", "Open a business account online, manage your login persons, prepay funds and pay individual workers through payment orders.";
        HomeFeatureAccountTitle => "企业开户", "Business account";
        HomeFeatureAccountText => "提交营业执照与经营平台信息，经入驻审核后开通，管理员可管理登录人员。", "Submit your business licence and platform details; after the admission review your admin manages the login persons.";
        HomeFeatureFundsTitle => "资金与付款", "Funds and payouts";
        HomeFeatureFundsText => "预付资金到专属收款账户，批量创建付款订单，每笔资金变动都有流水与回单。", "Prepay into your own receiving account, pay workers in batches, and get a flow line and receipt for every movement.";
        HomeFeaturePrivacyTitle => "隐私与安全", "Privacy and security";
        HomeFeaturePrivacyText => "敏感信息加密存储，操作全程留痕；您可在隐私中心查看各项处理目的并管理您的同意。", "Sensitive data is encrypted at rest and every operation is recorded; in the privacy centre you see every purpose we process data for and manage your consent.";
        HomeCtaRegister => "申请开户", "Apply for an account";
        HomeCtaLogin => "登录企业门户", "Log in to the portal";

        AnnouncementsTitle => "平台公告", "Announcements";
        HomeServicesTitle => "服务内容", "What we offer";
        AnnouncementsEmpty => "暂无公告。", "No announcements yet.";

        LoginTitle => "登录", "Log in";
        LoginIntro => "企业管理员与登录人员使用手机号或邮箱登录。", "Enterprise admins and login persons log in with their mobile number or e-mail.";
        RegisterTitle => "注册并申请企业账户", "Register and apply for a business account";
        RegisterIntro => "注册登录账号后提交企业信息、经营平台信息和营业执照，平台审核通过后开通企业账户。", "Register a login, then submit your business details, operating-platform details and business licence; the account opens once the platform approves it.";

        PrivacyTitle => "隐私政策", "Privacy policy";
        TermsTitle => "账户使用规则", "Account terms";
        PolicyPublisher => "发布方", "Published by";
        PolicyContact => "联系邮箱", "Contact e-mail";
        PolicyNotPublished => "当前尚无已发布的版本。", "No version has been published yet.";

        PortalWelcomeTitle => "企业门户", "Enterprise portal";
        PortalWelcomeText => "左侧菜单列出您可以使用的功能。", "The menu lists what you can use.";
        OpsWelcomeTitle => "运营后台", "Operator console";

        FooterOperator => "运营方", "Operated by";
        FooterContact => "联系我们", "Contact";
        FooterStorage => "数据存储地", "Data stored in";
        FooterVersion => "版本", "Version";

        ForbiddenTitle => "没有访问权限", "You may not open this page";
        ForbiddenText => "您的账号没有使用此功能的权限。", "Your login does not have the permission this page needs.";
        ForbiddenAskSuperAdmin => "如需使用，请联系平台超级管理员为您的运营账号分配相应角色。", "To use it, ask a platform super-admin to give your operator login the role it needs.";
        NotFoundTitle => "页面不存在", "Page not found";
        NotFoundText => "您访问的页面不存在或已被移除。", "The page you asked for does not exist or has been removed.";
        BackHome => "返回首页", "Back to the home page";
        Loading => "加载中…", "Loading…";
        NoRows => "暂无记录。", "Nothing here yet.";
        More => "更多 →", "More →";
        Actions => "操作", "Actions";

        ErrInvalid => "提交的信息有误，请检查标出的字段。", "Some of the information is not valid; please check the marked fields.";
        ErrUnauthenticated => "请先登录。", "Please log in first.";
        ErrForbidden => "您没有执行此操作的权限。", "You are not allowed to do this.";
        ErrPolicyNotAccepted => "隐私政策已更新。请先在门户中阅读并接受新版本，才能继续使用业务功能。", "The privacy policy has changed. Review and accept the new version in the portal to use business functions again.";
        ErrNotFound => "要找的记录不存在。", "The record was not found.";
        ErrRateLimited => "操作过于频繁，请稍后再试。", "Too many attempts; please try again later.";
        ErrUnavailable => "服务暂时不可用，请稍后再试。", "The service is temporarily unavailable; please try again later.";
        ErrInternal => "系统出现错误，我们已记录。请稍后再试，如需帮助请提供参考编号：", "Something went wrong on our side and it has been logged. Please try again later; if you need help, quote reference:";
        ErrNetwork => "无法连接服务器，请检查网络后重试。", "Could not reach the server; please check your connection and try again.";

        RuleRequired => "此项为必填项", "This field is required";
        RuleTooShort => "内容太短", "This is too short";
        RuleTooLong => "内容太长", "This is too long";
        RuleFormat => "格式不正确", "The format is not valid";
        RuleOutOfRange => "数值超出允许范围", "The value is out of range";
        RuleWeakPassword => "密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少三类", "Use at least 8 characters from at least three of: upper case, lower case, digits, symbols";
        RuleCheckCharacter => "统一社会信用代码校验位不正确，请核对", "The credit code's check character is wrong; please check the code";
        RuleTaken => "已被其他账号使用", "Another account already uses this";
        RuleMustAccept => "请阅读并勾选同意", "Please read and tick to accept";
        RuleUnknownField => "含有数据清单中没有的字段（格式：表名.字段名）", "Names a field the data map does not have (form: table.column)";
        RuleOutsideRegion => "须与本平台的存储地区一致：个人信息不出境", "Must be the platform's storage region: personal information does not leave it";
        RulePurposeFixed => "接收方的目的不能更改：新目的须重新取得同意，请登记新的接收方", "A recipient's purpose cannot change: a new purpose needs new consent, so register a new recipient";
        RuleProductSends => "平台自身向该接收方发送这些信息，不能删除或停用", "The platform itself sends this to the recipient: it cannot be removed or ended";
        RuleNotMember => "不是该企业的登录人员", "Not a login person of this enterprise";
        RuleHttpsRequired => "须以 https:// 开头", "Must start with https://";
        RulePublicAddress => "须为公网地址，不能是本机或内网地址", "Must be a public internet address, not a local or private one";
        RuleMandatory => "服务公告和安全通知无法关闭", "Service announcements and security notices cannot be turned off";
        RuleMismatch => "不正确，请重新输入", "This does not match; please try again";
        ErrBadCredentials => "账号或密码不正确。", "The login or the password is not correct.";
        ErrAccountDisabled => "该账号已被停用，请联系企业管理员。", "This login has been disabled; please contact your admin.";
        RuleFileTooLarge => "文件太大", "The file is too large";
        RuleFileType => "只接受 JPEG、PNG 或 PDF 文件（照片只接受 JPEG 或 PNG）", "Only JPEG, PNG or PDF files are accepted (photos: JPEG or PNG)";
        RuleFileDamaged => "文件已损坏或不完整", "The file is damaged or incomplete";
        RulePdfEncrypted => "不接受加密（设有密码）的 PDF，请导出未加密的副本后重新上传", "Password-protected PDFs are not accepted; save a copy without a password and upload that";
        RuleImageTooLarge => "图片尺寸过大（最多 8000×8000 像素，共 4000 万像素），请缩小后重新上传", "The image is too large (at most 8000×8000 pixels, 40 megapixels in all); scale it down and upload it again";
        RuleTooMany => "数量已达上限", "No more can be added";
        RuleEncoding => "文件既不是 UTF-8 也不是 GB18030 编码，请另存为“CSV UTF-8”或“CSV (逗号分隔)”后重新上传", "The file is neither UTF-8 nor GB18030: save it as “CSV UTF-8” or “CSV (comma delimited)” and upload it again";
        RuleDuplicate => "与前面的内容重复", "Repeats an earlier value";
        RuleMissingColumn => "缺少此列", "This column is missing";
        RuleNotNewer => "版本号须高于已发布的版本", "The version must be newer than every published version";
        RuleUnchanged => "与最新版本相同：新版本须有改动", "The same as the latest version: a new version must change something";
        RuleNoticeTooShort => "重大变更须提前公告", "A material change must be announced ahead";
        RuleCreditCodeRegistered => "此统一社会信用代码已在平台开户，一家企业只开一个账户。请该账户的管理员在“业务中心 → 成员”中邀请您为登录人员（不知道是谁时，可点击下方按钮请平台代为通知）；如认为开户有误，请勾选下方“请审核人员核实”后再次提交。", "An enterprise with this credit code already has an account here, and each enterprise has one. Ask that account's admin to invite you as a login person (Business → Members); if you do not know who that is, the button below has the platform tell them. If you think that account is wrong, tick “Ask a reviewer to check” below and submit again.";
        RuleNotRegistered => "此代码在平台上没有开户企业，可直接提交申请", "No enterprise has an account with this code: submit your application";
        RuleAmbiguous => "对应多个企业，请输入企业的专属收款账号", "More than one enterprise has this: enter the enterprise's receiving account number";
        RuleAmount => "请输入金额，最多两位小数", "Enter an amount with at most two decimals";
    }
}
