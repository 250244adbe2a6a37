//! WeChat scan-login and binding (P1.1.3; issue 15): the ticket a desktop's QR code names, its
//! life (waiting → scanned → confirmed → done, or cancelled, not bound, expired), what the
//! desktop and the phone are shown, and the pure rules both sides share.
//!
//! The protocol with WeChat itself is `model::wechat`.

use super::wechat::{IdentityKind, Scope, WechatError};
use super::UtcMillis;
use serde::{Deserialize, Serialize};

/// A ticket can be scanned for two minutes.
pub const TICKET_TTL_MS: i64 = 2 * 60_000;
/// Once confirmed on the phone, the desktop has this long to finish (even past the two minutes).
pub const FINISH_GRACE_MS: i64 = 60_000;
/// An OAuth `state` is good for this long (WeChat's codes last ten minutes; the ticket less).
pub const STATE_TTL_MS: i64 = 5 * 60_000;
/// Tickets one address may ask for in a minute.
pub const TICKETS_PER_MINUTE: usize = 10;
/// How often the desktop asks when it cannot hold a server-sent event stream open.
pub const POLL_MS: u32 = 2_000;

/// What a ticket is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketPurpose {
    /// Log the desktop browser in as the login person the WeChat account is bound to.
    Login,
    /// Bind the scanning WeChat account to the logged-in desktop's login person.
    Bind,
}
super::codes!(TicketPurpose { Login => "login", Bind => "bind" });

impl TicketPurpose {
    /// Logging in is silent (`snsapi_base`: the openid only); binding asks the user to let
    /// the platform read the nickname and avatar (`snsapi_userinfo`).
    pub fn scope(self) -> Scope {
        match self {
            TicketPurpose::Login => Scope::Base,
            TicketPurpose::Bind => Scope::UserInfo,
        }
    }
}

/// A ticket's stored status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    /// A phone inside WeChat authorised; it asks its user to confirm.
    Scanned,
    /// The WeChat account that scanned is bound to no login person (login only).
    NotBound,
    /// The phone confirmed: the desktop may finish (log in), or the binding is made.
    Confirmed,
    Cancelled,
    /// Finished: the desktop logged in. A ticket is used once.
    Done,
}
super::codes!(TicketStatus {
    Waiting => "waiting",
    Scanned => "scanned",
    NotBound => "not_bound",
    Confirmed => "confirmed",
    Cancelled => "cancelled",
    Done => "done",
});

/// What the desktop's page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesktopState {
    Waiting,
    Scanned,
    NotBound,
    Confirmed,
    Cancelled,
    Expired,
    Done,
}
super::codes!(DesktopState {
    Waiting => "waiting",
    Scanned => "scanned",
    NotBound => "not_bound",
    Confirmed => "confirmed",
    Cancelled => "cancelled",
    Expired => "expired",
    Done => "done",
});

impl DesktopState {
    /// Whether nothing more will happen to the ticket (the desktop stops following it).
    pub fn is_final(self) -> bool {
        !matches!(self, DesktopState::Waiting | DesktopState::Scanned)
    }
}

impl TicketStatus {
    /// The desktop's view of a ticket at `now`: one that passed its expiry before it was
    /// confirmed is expired, whatever the phone does later.
    pub fn desktop(self, expires_at: UtcMillis, now: UtcMillis) -> DesktopState {
        let live = now.0 < expires_at.0;
        match self {
            TicketStatus::Waiting if live => DesktopState::Waiting,
            TicketStatus::Scanned if live => DesktopState::Scanned,
            TicketStatus::Confirmed if live => DesktopState::Confirmed,
            TicketStatus::Waiting | TicketStatus::Scanned | TicketStatus::Confirmed => {
                DesktopState::Expired
            }
            TicketStatus::NotBound => DesktopState::NotBound,
            TicketStatus::Cancelled => DesktopState::Cancelled,
            TicketStatus::Done => DesktopState::Done,
        }
    }

    /// Whether a phone may still authorise on this ticket.
    pub fn scannable(self) -> bool {
        matches!(self, TicketStatus::Waiting)
    }

    /// Whether the phone may still confirm or cancel.
    pub fn decidable(self) -> bool {
        matches!(self, TicketStatus::Scanned)
    }
}

/// A new ticket, as the desktop draws it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub ticket: String,
    pub purpose: TicketPurpose,
    /// The phone page's full URL (what the QR code encodes).
    pub scan_url: String,
    /// The QR code, as SVG drawn on the server.
    pub qr_svg: String,
    pub expires_at: UtcMillis,
    /// With the development simulator: a link that opens the phone page in this browser as if
    /// it were WeChat's (to try scan-login on one machine).
    pub sim_open: Option<String>,
}

/// How the desktop logs in or binds: the platform's QR code, or (a website application of
/// WeChat's Open Platform) a link to WeChat's own QR page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WechatStart {
    Ticket(TicketView),
    Website { href: String },
}

/// Where a ticket stands, for the desktop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketProgress {
    pub state: DesktopState,
    pub expires_at: UtcMillis,
}

/// Why the phone's authorisation did not go through: each is worded for the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanProblem {
    /// The user pressed "refuse" in WeChat (the return carries no code).
    Refused,
    /// WeChat's code is wrong or expired (40029, 41008), or a token was refused.
    InvalidCode,
    /// WeChat's code was exchanged already (40163): a reload of the return page.
    CodeUsed,
    /// The `state` is unknown, used, expired or from another phone (CSRF).
    BadState,
    /// The token's scope does not allow reading the profile (48001).
    Unauthorized,
    /// A virtual account of WeChat's snapshot-page mode, not a person.
    SnapshotUser,
    /// WeChat could not be reached, or the platform's WeChat configuration is wrong.
    Unavailable,
    /// Binding: this WeChat account is bound to another login person already.
    BoundElsewhere,
    /// Binding: the login person has a WeChat account bound already.
    AlreadyBound,
    /// The ticket was scanned by another phone.
    OtherPhone,
    /// The WeChat account is bound to nobody (WeChat's own QR page: told on the login page).
    NotBound,
    /// The login person may not log in now (disabled, or locked after wrong passwords).
    LoginRefused,
    /// Too many codes or authorisations from this address just now.
    RateLimited,
}
super::codes!(ScanProblem {
    Refused => "refused",
    InvalidCode => "invalid_code",
    CodeUsed => "code_used",
    BadState => "bad_state",
    Unauthorized => "unauthorized",
    SnapshotUser => "snapshot_user",
    Unavailable => "unavailable",
    BoundElsewhere => "bound_elsewhere",
    AlreadyBound => "already_bound",
    OtherPhone => "other_phone",
    NotBound => "not_bound",
    LoginRefused => "login_refused",
    RateLimited => "rate_limited",
});

impl From<&WechatError> for ScanProblem {
    fn from(e: &WechatError) -> Self {
        match e {
            WechatError::InvalidCode | WechatError::TokenExpired | WechatError::RefreshExpired => {
                ScanProblem::InvalidCode
            }
            WechatError::CodeUsed => ScanProblem::CodeUsed,
            WechatError::Unauthorized => ScanProblem::Unauthorized,
            WechatError::Misconfigured
            | WechatError::Other { .. }
            | WechatError::Unreachable { .. } => ScanProblem::Unavailable,
        }
    }
}

/// Roughly where the desktop is, told from its address alone (no third-party look-up).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "net", rename_all = "snake_case")]
pub enum Place {
    /// The same machine as the server (a developer's own computer).
    ThisMachine,
    /// A private network (an office or home network behind the same router as the server).
    LocalNetwork,
    /// An address on the internet, shortened to its network (`203.0.113.0/24`).
    Internet(String),
}

/// Where an address is, as [`Place`] words it.
pub fn place_of(ip: &str) -> Place {
    use std::net::IpAddr;
    match ip.parse::<IpAddr>() {
        Ok(a) if a.is_loopback() => Place::ThisMachine,
        Ok(IpAddr::V4(v4)) if v4.is_private() || v4.is_link_local() => Place::LocalNetwork,
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()) => {
            Place::ThisMachine
        }
        Ok(IpAddr::V6(v6))
            if (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80 =>
        {
            Place::LocalNetwork
        }
        _ => Place::Internet(super::net::truncate_ip(ip)),
    }
}

/// Whether two addresses share a network (the same /24, or /48 for IPv6): the phone can say
/// "on the same network as this phone".
pub fn same_network(a: &str, b: &str) -> bool {
    let (a, b) = (super::net::truncate_ip(a), super::net::truncate_ip(b));
    a != "-" && a == b
}

/// What the phone asks its user to decide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanDecision {
    pub purpose: TicketPurpose,
    /// The login person: name and masked mobile ("张三 138****8000").
    pub account: String,
    /// The desktop's browser and system ("Chrome / Windows").
    pub desktop_device: String,
    pub desktop_place: Place,
    /// Whether the desktop is on the phone's network.
    pub same_network: bool,
    /// Binding with the user's authorisation: the WeChat nickname and avatar (a `data:` URL).
    pub nickname: Option<String>,
    pub avatar: Option<String>,
    pub expires_at: UtcMillis,
}

/// What the phone page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ScanView {
    /// Opened outside WeChat's browser: scan the code with WeChat (with the simulator, a link
    /// that makes this browser stand for WeChat's).
    OutsideWechat {
        sim_open: Option<String>,
    },
    /// Unknown, expired or finished.
    Gone,
    /// Inside WeChat, not yet authorised on this phone: go through WeChat's authorisation.
    Authorize {
        href: String,
    },
    Decide(ScanDecision),
    /// The WeChat account is bound to nobody: log in with the password, then bind.
    NotBound,
    Confirmed {
        purpose: TicketPurpose,
    },
    Cancelled,
    Problem {
        problem: ScanProblem,
        retry: Option<String>,
    },
}

/// A login person's bound WeChat account, as account settings show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WechatBinding {
    pub identity_kind: IdentityKind,
    /// Whether the user let the platform read the profile (`snsapi_userinfo`).
    pub profile_authorised: bool,
    pub nickname: Option<String>,
    /// The stored avatar, as a `data:` URL.
    pub avatar: Option<String>,
    pub bound_at: UtcMillis,
}

/// The largest avatar kept (WeChat's are 132 px square JPEGs of a few KB).
pub const AVATAR_MAX_BYTES: usize = 256 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_1_3_a_ticket_expires_unless_finished_and_states_are_final_or_not() {
        let t = UtcMillis(1_000);
        let (before, after) = (UtcMillis(999), UtcMillis(1_000));
        assert_eq!(
            TicketStatus::Waiting.desktop(t, before),
            DesktopState::Waiting
        );
        assert_eq!(
            TicketStatus::Waiting.desktop(t, after),
            DesktopState::Expired
        );
        assert_eq!(
            TicketStatus::Scanned.desktop(t, after),
            DesktopState::Expired
        );
        assert_eq!(
            TicketStatus::Confirmed.desktop(t, before),
            DesktopState::Confirmed
        );
        assert_eq!(
            TicketStatus::Confirmed.desktop(t, after),
            DesktopState::Expired
        );
        assert_eq!(TicketStatus::Done.desktop(t, after), DesktopState::Done);
        assert_eq!(
            TicketStatus::Cancelled.desktop(t, before),
            DesktopState::Cancelled
        );
        assert!(!DesktopState::Waiting.is_final() && !DesktopState::Scanned.is_final());
        for s in [
            DesktopState::Confirmed,
            DesktopState::Expired,
            DesktopState::NotBound,
        ] {
            assert!(s.is_final());
        }
        assert!(TicketStatus::Waiting.scannable() && !TicketStatus::Scanned.scannable());
        assert!(TicketStatus::Scanned.decidable() && !TicketStatus::Confirmed.decidable());
        assert_eq!(TicketPurpose::Login.scope(), Scope::Base);
        assert_eq!(TicketPurpose::Bind.scope(), Scope::UserInfo);
    }

    #[test]
    fn p1_1_3_every_wechat_error_has_a_problem_the_phone_words() {
        use WechatError as E;
        let cases = [
            (E::InvalidCode, ScanProblem::InvalidCode),
            (E::CodeUsed, ScanProblem::CodeUsed),
            (E::TokenExpired, ScanProblem::InvalidCode),
            (E::RefreshExpired, ScanProblem::InvalidCode),
            (E::Unauthorized, ScanProblem::Unauthorized),
            (E::Misconfigured, ScanProblem::Unavailable),
            (
                E::Other {
                    errcode: 1,
                    errmsg: "x".into(),
                },
                ScanProblem::Unavailable,
            ),
            (
                E::Unreachable { detail: "x".into() },
                ScanProblem::Unavailable,
            ),
        ];
        for (e, p) in cases {
            assert_eq!(ScanProblem::from(&e), p, "{e:?}");
        }
    }

    #[test]
    fn p1_1_3_only_the_simulator_lets_a_cookie_stand_for_wechat() {
        use super::super::wechat::inside_wechat;
        let phone = "Mozilla/5.0 (iPhone) MicroMessenger/8.0.47";
        assert!(inside_wechat(phone, false, None));
        assert!(
            !inside_wechat("Chrome/131", false, Some("1")),
            "production: never"
        );
        assert!(inside_wechat("Chrome/131", true, Some("1")));
        assert!(!inside_wechat("Chrome/131", true, Some("0")));
    }

    #[test]
    fn p1_1_3_the_desktop_place_is_told_from_the_address_alone() {
        assert_eq!(place_of("127.0.0.1"), Place::ThisMachine);
        assert_eq!(place_of("::1"), Place::ThisMachine);
        assert_eq!(place_of("192.168.1.20"), Place::LocalNetwork);
        assert_eq!(place_of("10.0.0.5"), Place::LocalNetwork);
        assert_eq!(place_of("fd00::1"), Place::LocalNetwork);
        assert_eq!(
            place_of("203.0.113.9"),
            Place::Internet("203.0.113.0/24".into())
        );
        assert!(same_network("203.0.113.9", "203.0.113.200"));
        assert!(!same_network("203.0.113.9", "198.51.100.1"));
        assert!(!same_network("x", "x"));
    }
}
