//! Accounts: login persons, operators, credentials and sessions (P1.1.2, P5.2, P5.4).
//! Newtypes parse user input at the boundary; the same rules run in the browser.

use crate::model::error::Rule;
use crate::model::form::parse_text;
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// A person's name as shown to colleagues: 1 to 40 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX: u32 = 40;
    pub fn parse(input: &str) -> Result<Self, Rule> {
        parse_text(input, Self::MAX).map(PersonName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mainland mobile number: 11 digits starting with 1, optionally written with +86 and
/// spaces or dashes. Stored as the 11 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mobile(String);

impl Mobile {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let compact: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if compact.is_empty() {
            return Err(Rule::Required);
        }
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .unwrap_or(&compact);
        if digits.len() == 11
            && digits.starts_with('1')
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            Ok(Mobile(digits.to_string()))
        } else {
            Err(Rule::Format)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `138****0000`, for lists and logs.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// An e-mail address, lower-cased. Deliberately simple: one `@`, a dot in the domain, no
/// spaces, at most 254 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(Rule::Required);
        }
        if s.len() > 254 {
            return Err(Rule::TooLong { max: 254 });
        }
        let ok = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if ok {
            Ok(Email(s))
        } else {
            Err(Rule::Format)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `a***@example.com`, for lists and logs.
    pub fn masked(&self) -> String {
        match self.0.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".into(),
        }
    }
}

/// What a login form accepts: a mobile number or an e-mail address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginId {
    Mobile(Mobile),
    Email(Email),
}

impl LoginId {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        if input.contains('@') {
            Email::parse(input).map(LoginId::Email)
        } else {
            Mobile::parse(input).map(LoginId::Mobile)
        }
    }
}

/// How strong a candidate password is, for the live meter (P5.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strength {
    pub length: u32,
    /// How many of lower case, upper case, digits and symbols it uses.
    pub classes: u32,
    /// 0 (unacceptable) to 4 (strong).
    pub score: u32,
    pub acceptable: bool,
}

pub const PASSWORD_MIN: u32 = 8;
pub const PASSWORD_MAX: u32 = 128;

/// The password policy: at least 8 characters from at least 3 of the 4 character classes
/// (MLPS level-3 baseline, P5.2/P5.4), at most 128.
pub fn password_strength(pw: &str) -> Strength {
    let length = pw.chars().count() as u32;
    let classes = [
        pw.chars().any(|c| c.is_lowercase()),
        pw.chars().any(|c| c.is_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        // Symbols, and any other non-space character (such as Chinese characters).
        pw.chars().any(|c| {
            !c.is_lowercase() && !c.is_uppercase() && !c.is_ascii_digit() && !c.is_whitespace()
        }),
    ]
    .iter()
    .filter(|b| **b)
    .count() as u32;
    let acceptable = (PASSWORD_MIN..=PASSWORD_MAX).contains(&length) && classes >= 3;
    let score = if !acceptable {
        if length >= PASSWORD_MIN / 2 && classes >= 2 {
            1
        } else {
            0
        }
    } else if length >= 14 && classes == 4 {
        4
    } else if length >= 12 {
        3
    } else {
        2
    };
    Strength {
        length,
        classes,
        score,
        acceptable,
    }
}

/// A password that satisfies the policy. Never serialised back to a client.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl Password {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        if input.is_empty() {
            return Err(Rule::Required);
        }
        let s = password_strength(input);
        if s.length > PASSWORD_MAX {
            return Err(Rule::TooLong { max: PASSWORD_MAX });
        }
        if s.acceptable {
            Ok(Password(input.to_string()))
        } else {
            Err(Rule::WeakPassword)
        }
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A login person's role in their enterprise (P1.1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Admin,
    Member,
}

super::codes!(MemberRole { Admin => "admin", Member => "member" });

/// Whether a login person or an operator may log in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Disabled,
}

super::codes!(AccountStatus { Active => "active", Disabled => "disabled" });

/// A business area a member may be allowed into. Admins have all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    Funds,
    Finance,
    Tasks,
}

super::codes!(Permission { Funds => "funds", Finance => "finance", Tasks => "tasks" });

impl Permission {
    /// `funds,tasks` ⇄ a list; unknown codes are dropped.
    pub fn list_to_codes(perms: &[Permission]) -> String {
        Self::ALL
            .iter()
            .copied()
            .filter(|p| perms.contains(p))
            .map(Permission::code)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A platform staff role (site map: console areas by role).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorRole {
    Reviewer,
    Finance,
    PrivacyOfficer,
    Support,
    SuperAdmin,
}

super::codes!(OperatorRole {
    Reviewer => "reviewer",
    Finance => "finance",
    PrivacyOfficer => "privacy_officer",
    Support => "support",
    SuperAdmin => "super_admin",
});

impl OperatorRole {
    pub fn list_to_codes(roles: &[OperatorRole]) -> String {
        roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
    }
}

/// A registration waiting for its code (issue 14): where the code went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationStarted {
    pub id: String,
    pub email_masked: String,
    /// Where the texted code will go once the e-mailed one is entered (`None` without an SMS
    /// gateway: only the e-mailed code is asked for).
    pub mobile_masked: Option<String>,
}

/// Which code a pending registration asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStep {
    /// The e-mailed code.
    Email,
    /// The code texted to the number (after the e-mailed one was right).
    Text,
}

/// What a right registration code led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationOutcome {
    /// A code was texted to the number: enter it next.
    Texted,
    /// The account exists and its session is open.
    Registered,
}

/// The code page's view of a pending registration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRegistration {
    pub email_masked: String,
    /// Where the texted code goes (`None` when the number is not confirmed by a text).
    pub mobile_masked: Option<String>,
    pub step: RegistrationStep,
    pub expires_at: crate::model::UtcMillis,
}

/// Who is calling, as the UI needs to know it. Never contains secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user_id: String,
    pub name: String,
    pub mobile_masked: String,
    pub email_masked: String,
    /// `None` while the business account is still being applied for.
    pub enterprise: Option<MyEnterprise>,
    /// Set while a material policy version in force waits for their acceptance (P9).
    pub policy_gate: Option<super::policy_change::PolicyGate>,
    /// Unread in-site messages: the top bar's badge (P7.1).
    pub unread_messages: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyEnterprise {
    pub id: String,
    pub name: String,
    pub role: MemberRole,
    pub permissions: Vec<Permission>,
    /// The names of the enterprise's admins: whom a member asks for more access.
    pub admins: Vec<String>,
}

/// A login person's own profile, shown in full to themselves only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub mobile: String,
    pub email: String,
    /// New contacts waiting for the code sent to them (P1.1.2).
    pub pending: Vec<PendingContact>,
}

/// Which contact a change is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Mobile,
    Email,
}

super::codes!(ContactKind { Mobile => "mobile", Email => "email" });

/// A new mobile number or e-mail address that takes effect once the code sent to it is
/// entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingContact {
    pub kind: ContactKind,
    /// The new address, masked (`138****2222`, `z***@example.com`).
    pub masked: String,
    pub expires_at: UtcMillis,
}

/// One login attempt, for the user's own login history (P5.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginEvent {
    pub at: UtcMillis,
    pub ip: String,
    pub device: String,
    pub success: bool,
    pub outcome: LoginOutcome,
    pub method: LoginMethod,
}

/// How a login was made, as the login history and the audit log keep it (issue 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginMethod {
    Password,
    /// Scanning the QR code with a bound WeChat account (P1.1.3).
    Wechat,
    /// The last step of registering (the code sent to the new account's contact).
    Registration,
    /// Accepting an invitation to an enterprise.
    Invitation,
}
super::codes!(LoginMethod {
    Password => "password",
    Wechat => "wechat",
    Registration => "registration",
    Invitation => "invitation",
});

/// How a login attempt ended, as the login history keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginOutcome {
    Ok,
    BadPassword,
    BadTotp,
    Locked,
    Disabled,
    /// No such login (kept without a principal, so nobody's history shows it).
    UnknownLogin,
}
super::codes!(LoginOutcome {
    Ok => "ok",
    BadPassword => "bad_password",
    BadTotp => "bad_totp",
    Locked => "locked",
    Disabled => "disabled",
    UnknownLogin => "unknown_login",
});

/// One of the user's active sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// A short public handle (not the secret token).
    pub handle: String,
    pub created_at: UtcMillis,
    pub last_seen_at: UtcMillis,
    pub ip: String,
    pub device: String,
    pub current: bool,
}

/// The operator who is calling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorMe {
    pub operator_id: String,
    pub login: String,
    pub display_name: String,
    pub roles: Vec<OperatorRole>,
}

/// An operator as the console's operator list shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorSummary {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub roles: Vec<OperatorRole>,
    pub status: AccountStatus,
    pub created_at: UtcMillis,
    /// Whether they finished enrolment (a password and a confirmed authenticator).
    pub enrolled: bool,
    /// The operator looking at the list.
    pub is_self: bool,
}

/// A short, readable summary of a browser's user agent ("Chrome on Windows").
pub fn device_summary(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("MicroMessenger") {
        "WeChat"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.is_empty() {
        "-"
    } else {
        "Other"
    };
    let os = if ua.contains("Windows") {
        " / Windows"
    } else if ua.contains("Android") {
        " / Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        " / iOS"
    } else if ua.contains("Mac OS X") {
        " / macOS"
    } else if ua.contains("Linux") {
        " / Linux"
    } else {
        ""
    };
    format!("{browser}{os}")
}

/// P5.4 / P1.1.2: the password policy and the contact fields.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p5_4_password_policy_needs_8_chars_from_3_classes() {
        assert_eq!(Password::parse(""), Err(Rule::Required));
        assert_eq!(Password::parse("Ab1!"), Err(Rule::WeakPassword));
        assert_eq!(Password::parse("abcdefgh"), Err(Rule::WeakPassword));
        assert_eq!(Password::parse("abcdefg1"), Err(Rule::WeakPassword));
        assert!(Password::parse("abcdef1!").is_ok());
        assert!(Password::parse("Abcdefg1").is_ok());
        assert!(Password::parse("密码Abc12345").is_ok());
        assert_eq!(
            Password::parse(&format!("Aa1{}", "x".repeat(200))),
            Err(Rule::TooLong { max: 128 })
        );
    }

    #[test]
    fn p5_4_strength_feedback_grows_with_length_and_classes() {
        let weak = password_strength("abc");
        let ok = password_strength("Abcdefg1");
        let strong = password_strength("Abcdefg1!xyz-Q9");
        assert!(!weak.acceptable && weak.score == 0);
        assert!(ok.acceptable && ok.score == 2);
        assert!(strong.acceptable && strong.score == 4);
        assert_eq!(strong.classes, 4);
    }

    #[test]
    fn p1_1_2_mobile_numbers() {
        assert_eq!(
            Mobile::parse("+86 138-0000-0000").unwrap().as_str(),
            "13800000000"
        );
        assert_eq!(
            Mobile::parse("19912345678").unwrap().masked(),
            "199****5678"
        );
        assert_eq!(Mobile::parse("2380000000"), Err(Rule::Format));
        assert_eq!(Mobile::parse("23800000000"), Err(Rule::Format));
        assert_eq!(Mobile::parse("1380000000a"), Err(Rule::Format));
        assert_eq!(Mobile::parse(" "), Err(Rule::Required));
    }

    #[test]
    fn p1_1_2_email_addresses() {
        assert_eq!(
            Email::parse(" A@Example.COM ").unwrap().as_str(),
            "a@example.com"
        );
        assert_eq!(
            Email::parse("alice@example.com").unwrap().masked(),
            "a***@example.com"
        );
        for bad in ["a@b", "@b.cn", "a b@c.cn", "a@@b.cn", "a@.cn", "a@b.cn."] {
            assert_eq!(Email::parse(bad), Err(Rule::Format), "{bad}");
        }
    }

    #[test]
    fn login_id_is_mobile_or_email() {
        assert!(matches!(
            LoginId::parse("13800000000"),
            Ok(LoginId::Mobile(_))
        ));
        assert!(matches!(LoginId::parse("a@b.cn"), Ok(LoginId::Email(_))));
        assert!(LoginId::parse("alice").is_err());
    }

    #[test]
    fn role_and_permission_codes_round_trip() {
        let perms = vec![Permission::Tasks, Permission::Funds];
        assert_eq!(Permission::list_to_codes(&perms), "funds,tasks");
        assert_eq!(
            Permission::list_from_stored("funds,tasks", "users.permissions"),
            Ok(vec![Permission::Funds, Permission::Tasks])
        );
        assert_eq!(
            Permission::list_from_stored("", "users.permissions"),
            Ok(vec![])
        );
        assert!(Permission::list_from_stored("funds,bogus", "users.permissions").is_err());
        for &r in OperatorRole::ALL {
            assert_eq!(OperatorRole::from_code(r.code()), Some(r));
        }
        assert_eq!(OperatorRole::from_code("root"), None);
    }

    #[test]
    fn device_summaries() {
        assert_eq!(
            device_summary(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
            ),
            "Chrome / Linux"
        );
        assert_eq!(device_summary(""), "-");
    }
}
