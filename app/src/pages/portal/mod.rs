//! The enterprise portal (`/portal`). Its areas (业务中心, 资金管理, 财务中心, 任务库, 消息中心,
//! 隐私中心, 客户服务) join [`PORTAL_NAV`] as their pages land.

use crate::components::{ConsoleLayout, NavItem};
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

/// The portal's navigation: only areas whose pages exist.
pub const PORTAL_NAV: &[NavItem] = &[NavItem {
    path: "/portal",
    label: Msg::AreaOverview,
}];

#[component]
pub fn PortalShell() -> impl IntoView {
    view! { <ConsoleLayout title=Msg::NavPortal nav=PORTAL_NAV home="/portal"/> }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::NavPortal)/>
        <section class="card" data-testid="portal-overview">
            <h1>{t(Msg::PortalWelcomeTitle)}</h1>
            <p>{t(Msg::PortalWelcomeText)}</p>
        </section>
    }
}
