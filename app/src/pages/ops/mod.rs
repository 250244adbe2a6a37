//! The operator console (`/ops`) for platform staff. Its areas join [`OPS_NAV`] as their
//! pages land.

use crate::components::{ConsoleLayout, NavItem};
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

/// The console's navigation: only areas whose pages exist.
pub const OPS_NAV: &[NavItem] = &[NavItem {
    path: "/ops",
    label: Msg::AreaOpsHome,
}];

#[component]
pub fn OpsShell() -> impl IntoView {
    view! { <ConsoleLayout title=Msg::NavConsole nav=OPS_NAV home="/ops"/> }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::NavConsole)/>
        <section class="card" data-testid="ops-dashboard">
            <h1>{t(Msg::OpsWelcomeTitle)}</h1>
            <p>{t(Msg::OpsWelcomeText)}</p>
        </section>
    }
}
