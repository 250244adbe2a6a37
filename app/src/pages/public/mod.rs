//! Public pages (no login).

mod announcement;
mod entry;
mod home;
mod not_found;

pub use announcement::AnnouncementPage;
pub use entry::{LoginPage, PrivacyPage, RegisterPage, TermsPage};
pub use home::HomePage;
pub use not_found::NotFound;
