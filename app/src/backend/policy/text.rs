//! The product's own first versions of the privacy policy and the account terms, written for
//! this platform. `{operator}`, `{email}`, `{affiliates}` and `{region}` come from the
//! configuration. Format: see [`crate::model::policy`] (`## ` heading, `!! ` important clause).

pub const PRIVACY_ZH: &str = r#"## 引言

本政策说明{operator}（"我们"）在运营综合服务平台（"平台"）时，如何处理企业用户及其管理员、登录人员的信息。平台只面向企业提供服务。

!! 请在注册前完整阅读本政策。您勾选同意并提交注册，即表示您已理解并接受本政策；不同意的，您可以不注册，也不会被收集任何注册信息。

## 一、我们处理哪些信息，用于什么目的

开户与入驻审核：企业名称、统一社会信用代码、注册地址、经营范围、营业执照，以及您经营的平台名称、网址或应用名称、业务内容、外包的工作类型和作业场景照片。我们用这些材料判断企业能否开通账户。

管理员与登录人员：姓名、手机号、电子邮箱和密码（只保存不可逆的摘要），用于登录、身份核验和安全通知。

业务与资金：预付款、转账、付款订单、任务、发票申请及相关操作记录。这些记录是完成交易、对账和履行法定义务所必需的。

!! 个性化推荐等扩展功能默认关闭，只有在您明确开启后才会处理相关信息，您可以随时关闭。

## 二、Cookie 与同类技术

平台只使用保障登录和安全所必需的 Cookie。记住登录名、语言等便利功能所用的 Cookie 只有在您于 Cookie 横幅中同意后才会设置，并可随时撤回。

## 三、共享、转让与公开披露

!! 未经您的明确同意，我们不会向第三方提供可识别您的信息，法律法规另有规定或经去标识化处理且无法重新识别的除外。

我们的关联方（{affiliates}）仅在为您提供服务所必需的范围内接收信息，并受本政策约束；用途改变时我们会重新征得您的同意。我们不会公开披露您的信息，除非法律要求或取得您的单独同意。

## 四、存储与传输

您的信息存储在{region}，不向境外传输。我们只在提供服务所必需的期间保存信息；账户注销后，除法律要求保存的会计和交易记录外，我们会删除或匿名化处理。敏感字段加密存储，比对时使用加密后的摘要。

## 五、安全保护

我们采取访问控制、加密存储、操作留痕、防篡改审计日志和备份等措施。密码须至少 8 位并包含三类字符，连续输错 5 次账户锁定 30 分钟。

!! 如发生安全事件，我们会及时告知事件情况、可能的影响、已采取的措施和您可以采取的防范建议。

## 六、您的权利

您可以查阅、复制（导出）、更正和删除您的信息，撤回同意或注销账户。撤回同意不影响撤回前已进行的处理。我们在核验身份后处理您的请求，原则上免费。

## 七、我们发送的信息

我们可能通过站内信、电子邮件或短信向您发送服务通知。推广信息可以按其中的说明退订；与服务相关的公告（如维护通知）无法退订。

## 八、适用范围

本政策适用于平台的网站和企业门户。通过平台访问的第三方服务受其自身规则约束，相关链接会标明将离开本平台。

## 九、本政策的修改

!! 本政策修改时我们会发布新版本并注明发布日期和生效日期。对您权利有实质影响的修改，会在生效前通过首页显著提示或电子邮件通知，并在生效后请您重新确认。

## 十、联系我们

如对本政策有任何疑问，请发送邮件至 {email}。我们会在收到后 15 日内答复。您也可以向网信、市场监管等主管部门投诉。
"#;

pub const PRIVACY_EN: &str = r#"## Introduction

This policy explains how {operator} ("we") handles the information of enterprise users, their admins and their login persons while running the enterprise service platform (the "platform"). The platform serves enterprises only.

!! Please read this policy in full before you register. By ticking the box and submitting the registration you confirm that you understand and accept it; if you do not agree, do not register and nothing about you is collected.

## 1. What we process and why

Opening an account and the admission review: enterprise name, unified social credit code, registered address, business scope, business licence, and the name, URL or app name of the platform you run, what it does, the kind of work it outsources and photos of the work scene. We use them to decide whether the account can open.

Admins and login persons: name, mobile number, e-mail address and password (kept only as an irreversible hash), for logging in, verifying identity and security notices.

Business and funds: prepayments, transfers, payment orders, tasks, invoice applications and the related operation records. These are needed to complete transactions, reconcile accounts and meet legal duties.

!! Extended features such as personalised recommendations are off by default and process information only after you switch them on; you can switch them off at any time.

## 2. Cookies and similar technologies

The platform uses only the cookies that keep logins working and safe. Convenience cookies, such as remembering your login name or language, are set only after you accept them in the cookie banner, and you can withdraw that choice at any time.

## 3. Sharing, transfer and public disclosure

!! We do not give information that identifies you to third parties without your explicit consent, unless the law requires it or the data has been de-identified so that it cannot be linked back to you.

Our affiliates ({affiliates}) receive only what is needed to serve you and are bound by this policy; if the purpose changes we ask for your consent again. We do not disclose your information publicly unless the law requires it or you separately agree.

## 4. Storage and transmission

Your information is stored in {region} and is not transferred abroad. We keep it only as long as the service needs it; after an account is closed we delete or anonymise it, except accounting and transaction records that the law requires us to keep. Sensitive fields are encrypted at rest and compared through keyed hashes.

## 5. Security

We use access control, encryption at rest, operation records, a tamper-evident audit log and backups. Passwords need at least 8 characters from three character classes, and five wrong attempts lock the account for 30 minutes.

!! If a security incident happens we will tell you promptly what happened, its possible impact, what we have done, and what you can do to protect yourself.

## 6. Your rights

You can access, copy (export), correct and delete your information, withdraw consent or close the account. Withdrawing consent does not affect processing that happened before. We act on a request once we have verified your identity, free of charge in principle.

## 7. Messages we send

We may send service notices by in-site message, e-mail or SMS. Promotional messages can be unsubscribed as each message explains; service announcements, such as maintenance notices, cannot.

## 8. Scope

This policy covers the platform's website and enterprise portal. Third-party services reached through the platform have their own rules, and links to them are marked as leaving the platform.

## 9. Changes to this policy

!! When this policy changes we publish a new version with its publish date and effective date. Changes that materially affect your rights are announced before they take effect, prominently on the home page or by e-mail, and you are asked to confirm the new version once it takes effect.

## 10. Contact us

Questions about this policy are welcome at {email}. We reply within 15 days of receiving them. You may also complain to the cyberspace or market-regulation authorities.
"#;

pub const TERMS_ZH: &str = r#"## 一、账户与适用

本规则约定企业在{operator}运营的综合服务平台开立和使用企业账户的权利与义务，与隐私政策一并适用。

## 二、开户与审核

企业须如实提交营业执照、企业信息和经营平台信息。平台审核通过后开通企业账户，申请人成为该账户的管理员。

!! 提交虚假材料的，平台可以拒绝开户，已开通的账户可以被暂停或关闭。

## 三、管理员与登录人员

管理员可以邀请登录人员、设置其角色和权限、停用或恢复其账号，并可将管理员身份移交给其他登录人员。

!! 企业对其管理员和登录人员在平台上的全部操作负责，请妥善保管密码，不要与他人共用账号。

## 四、资金与付款

预付资金只能用于向个人服务者付款及支付平台服务费。付款以账户可用余额为限，平台不垫付资金。

## 五、禁止行为

不得利用平台从事违法活动、虚构交易、拆分或转移资金，不得干扰平台的正常运行或试图访问他人的数据。

## 六、暂停与终止

企业违反本规则的，平台可以暂停相关功能或关闭账户，并在法律允许的范围内保留相关记录。企业可以随时申请注销账户。

## 七、规则的修改与联系

本规则修改时会发布新版本并注明生效日期；重大修改将在生效前通知。如有疑问，请联系 {email}。
"#;

pub const TERMS_EN: &str = r#"## 1. The account and these rules

These rules set out the rights and duties of an enterprise that opens and uses a business account on the enterprise service platform run by {operator}. They apply together with the privacy policy.

## 2. Opening the account and the review

The enterprise must submit its true business licence, business details and operating-platform details. The account opens once the platform approves the application, and the applicant becomes the account's admin.

!! If false material is submitted, the platform may refuse the account, and an account already open may be suspended or closed.

## 3. Admin and login persons

The admin can invite login persons, set their roles and permissions, disable or re-enable them, and hand the admin role to another login person.

!! The enterprise is responsible for everything its admin and login persons do on the platform. Keep passwords safe and never share a login.

## 4. Funds and payments

Prepaid funds may be used only to pay individual workers and the platform's service fees. Payments are limited to the available balance; the platform does not advance funds.

## 5. What is not allowed

Do not use the platform for unlawful activities, fictitious transactions, or splitting or diverting funds, and do not disrupt the platform or try to reach other users' data.

## 6. Suspension and termination

If an enterprise breaks these rules, the platform may suspend functions or close the account and keep the related records as far as the law allows. An enterprise may ask to close its account at any time.

## 7. Changes and contact

When these rules change we publish a new version with its effective date; material changes are announced before they take effect. Questions are welcome at {email}.
"#;
