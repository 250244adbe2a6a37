//! Public pages (no login).

mod announcement;
mod application;
mod cookies;
mod home;
mod invite;
mod login;
mod not_found;
mod policy;
mod recovery;
mod register;
mod scan;
mod sign;
mod unsubscribe;

pub use announcement::AnnouncementPage;
pub use application::{status_label, ApplicationSummaryView, FileList};
pub use cookies::CookiePolicyPage;
pub use home::{AnnouncementList, HomePage};
pub use invite::InvitePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use policy::{PolicyContent, PolicyDiff, PrivacyPage, TermsPage};
pub use recovery::{ForgotPasswordPage, ResetPasswordPage};
pub use register::{RegisterPage, RegisterVerifyPage};
pub use scan::ScanPage;
pub use sign::SignPage;
pub use unsubscribe::UnsubscribePage;
