//! The enterprise portal (`/portal`). Its areas (业务中心, 资金管理, 财务中心, 任务库, 消息中心,
//! 隐私中心, 客户服务) join [`PORTAL_NAV`] as their pages land. Every page needs a login person
//! of an open business account: visitors go to `/login`, applicants to `/register`.

mod account;
mod business;
mod members;

pub use account::AccountPage;
pub use business::BusinessPage;
pub use members::MembersPage;

use crate::api::account::{whoami, Logout};
use crate::components::{ConsoleLayout, ErrorNotice, NavItem};
use crate::i18n::{t, AccMsg, Msg};
use crate::model::account::Me;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// The portal's navigation: only areas whose pages exist.
pub const PORTAL_NAV: &[NavItem] = &[
    NavItem {
        path: "/portal",
        label: Msg::AreaOverview,
    },
    NavItem {
        path: "/portal/business",
        label: Msg::AreaBusiness,
    },
    NavItem {
        path: "/portal/account",
        label: Msg::AreaAccount,
    },
];

#[component]
pub fn PortalShell() -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    let location = use_location();
    view! {
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || me.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(None) => {
                    let next = location.pathname.get_untracked();
                    view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
                }
                Ok(Some(me)) if me.enterprise.is_none() => view! { <Redirect path="/register"/> }.into_any(),
                Ok(Some(me)) => {
                    provide_context(me.clone());
                    view! {
                        <ConsoleLayout title=Msg::NavPortal nav=PORTAL_NAV home="/portal">
                            <UserMenu me/>
                        </ConsoleLayout>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The top bar's user menu: who is logged in, for which enterprise, and logout.
#[component]
fn UserMenu(me: Me) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let enterprise = me.enterprise.map(|e| e.name).unwrap_or_default();
    view! {
        <span class="user-chip" data-testid="user-chip">
            <span class="user-name">{me.name}</span>
            <span class="muted">{enterprise}</span>
        </span>
        <ActionForm action=logout attr:class="inline-form">
            <button type="submit" class="btn btn-ghost" data-testid="logout">{t(AccMsg::Logout)}</button>
        </ActionForm>
    }
}

/// The logged-in login person, provided by the shell.
pub fn use_me() -> Option<Me> {
    use_context::<Me>()
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let me = use_me();
    view! {
        <Title text=t(Msg::NavPortal)/>
        <section class="card" data-testid="portal-overview">
            <h1>{t(Msg::PortalWelcomeTitle)}</h1>
            <p>{me.and_then(|m| m.enterprise).map(|e| e.name)}</p>
            <p>{t(Msg::PortalWelcomeText)}</p>
        </section>
    }
}
