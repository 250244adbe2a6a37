//! The operator console (`/ops`) for platform staff. Every page needs an operator who passed
//! the password and TOTP steps; others go to `/ops/login`. Areas join [`OPS_NAV`] as their
//! pages land.

mod applications;
mod enterprises;
mod login;
mod outbox;
mod system;

pub use applications::{ApplicationReviewPage, ApplicationsPage};
pub use enterprises::{EnterpriseDetailPage, EnterprisesPage};
pub use login::OpsLoginPage;
pub use outbox::OutboxPage;
pub use system::{AuditPage, OperatorsPage};

use crate::api::ops::{ops_whoami, OpsLogout, OpsState};
use crate::components::{ConsoleLayout, ErrorNotice, NavItem};
use crate::i18n::{t, AccMsg, Msg};
use crate::model::account::OperatorMe;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The console's navigation: only areas whose pages exist.
pub const OPS_NAV: &[NavItem] = &[
    NavItem {
        path: "/ops",
        label: Msg::AreaOpsHome,
    },
    NavItem {
        path: "/ops/applications",
        label: Msg::AreaApplications,
    },
    NavItem {
        path: "/ops/enterprises",
        label: Msg::AreaEnterprises,
    },
    NavItem {
        path: "/ops/outbox",
        label: Msg::AreaOutbox,
    },
    NavItem {
        path: "/ops/operators",
        label: Msg::AreaOperators,
    },
    NavItem {
        path: "/ops/audit",
        label: Msg::AreaAudit,
    },
];

#[component]
pub fn OpsShell() -> impl IntoView {
    let state = Resource::new(|| (), |_| ops_whoami());
    view! {
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || state.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(OpsState::In(me)) => {
                    provide_context(me.clone());
                    view! {
                        <ConsoleLayout title=Msg::NavConsole nav=OPS_NAV home="/ops">
                            <OperatorMenu me/>
                        </ConsoleLayout>
                    }.into_any()
                }
                Ok(_) => view! { <Redirect path="/ops/login"/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn OperatorMenu(me: OperatorMe) -> impl IntoView {
    let logout = ServerAction::<OpsLogout>::new();
    view! {
        <span class="user-chip" data-testid="operator-chip">
            <span class="user-name">{me.display_name}</span>
            <span class="muted">{me.login}</span>
        </span>
        <ActionForm action=logout attr:class="inline-form">
            <button type="submit" class="btn btn-ghost" data-testid="ops-logout">{t(AccMsg::Logout)}</button>
        </ActionForm>
    }
}

/// The operator provided by the shell.
pub fn use_operator() -> Option<OperatorMe> {
    use_context::<OperatorMe>()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::NavConsole)/>
        <section class="card" data-testid="ops-dashboard">
            <h1>{t(Msg::OpsWelcomeTitle)}</h1>
            <p>{use_operator().map(|o| o.display_name)}</p>
            <p>{t(Msg::OpsWelcomeText)}</p>
        </section>
    }
}
