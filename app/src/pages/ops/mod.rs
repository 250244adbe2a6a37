//! The operator console (`/ops`) for platform staff. Every page needs an operator who passed
//! the password and TOTP steps; others go to `/ops/login`. Areas join [`OPS_NAV`] as their
//! pages land.

mod agreement;
mod announcements;
mod applications;
mod data_transfers;
mod disclosures;
mod enrol;
mod enterprises;
mod funds;
mod incidents;
mod invoices;
mod login;
mod operators;
mod outbox;
mod policies;
mod receipts;
mod requests;
mod retention;
mod sharing;
mod stats;
mod support;
mod system;
mod tasks;

pub use agreement::OpsAgreementPage;
pub use announcements::AnnouncementsPage;
pub use applications::{ApplicationReviewPage, ApplicationsPage};
pub use data_transfers::OpsDataTransfersPage;
pub use disclosures::OpsDisclosuresPage;
pub use enrol::OperatorEnrolPage;
pub use enterprises::{EnterpriseDetailPage, EnterprisesPage};
pub use funds::{OpsFundsPage, OpsPayoutsPage, OpsTransfersPage};
pub use incidents::{IncidentPage, IncidentsPage};
pub use invoices::{OpsInvoicesPage, TaxpayerIdsPage};
pub use login::OpsLoginPage;
pub use operators::OperatorsPage;
pub use outbox::{MailboxPage, OutboxPage};
pub use policies::{OpsPoliciesPage, OpsPolicyPage};
pub use requests::{RequestReviewPage, RequestsQueuePage};
pub use retention::RetentionPage;
pub use sharing::{OpsRecipientPage, OpsSharingPage};
pub use stats::StatsPage;
pub use support::{OpsSupportPage, OpsTicketPage};
pub use system::AuditPage;
pub use tasks::OpsTasksPage;

use crate::api::ops::{ops_whoami, OpsLogout, OpsState};
use crate::components::{
    load_once, ConsoleLayout, ErrorNotice, Forbidden, LocalRedirect, NavItem, NavNeeds, QueueTiles,
};
use crate::i18n::{t, AccMsg, Msg};
use crate::model::access::roles::*;
use crate::model::account::OperatorMe;
use crate::model::account::OperatorRole;
use leptos::prelude::*;
use leptos_meta::Title;

/// The console's navigation: only areas whose pages exist.
pub const OPS_NAV: &[NavItem] = &[
    NavItem {
        path: "/ops",
        label: Msg::AreaOpsHome,
        needs: NavNeeds::Operator(ANY_OPERATOR),
    },
    NavItem {
        path: "/ops/applications",
        label: Msg::AreaApplications,
        needs: NavNeeds::Operator(REVIEWERS),
    },
    NavItem {
        path: "/ops/tasks",
        label: Msg::AreaOpsTasks,
        needs: NavNeeds::Operator(REVIEWERS),
    },
    NavItem {
        path: "/ops/support",
        label: Msg::AreaOpsSupport,
        needs: NavNeeds::Operator(SUPPORT),
    },
    NavItem {
        path: "/ops/enterprises",
        label: Msg::AreaEnterprises,
        needs: NavNeeds::Operator(ENTERPRISE_VIEWERS),
    },
    NavItem {
        path: "/ops/funds",
        label: Msg::AreaFunds,
        needs: NavNeeds::Operator(FINANCE),
    },
    NavItem {
        path: "/ops/invoices",
        label: Msg::AreaInvoices,
        needs: NavNeeds::Operator(FINANCE),
    },
    NavItem {
        path: "/ops/privacy/requests",
        label: Msg::AreaOpsPrivacy,
        needs: NavNeeds::Operator(PRIVACY_OFFICERS),
    },
    NavItem {
        path: "/ops/privacy/retention",
        label: Msg::AreaRetention,
        needs: NavNeeds::Operator(PRIVACY_OFFICERS),
    },
    NavItem {
        path: "/ops/outbox",
        label: Msg::AreaOutbox,
        needs: NavNeeds::Operator(PRIVACY_OFFICERS),
    },
    NavItem {
        path: "/ops/stats",
        label: Msg::AreaStats,
        needs: NavNeeds::Operator(ANY_OPERATOR),
    },
    NavItem {
        path: "/ops/operators",
        label: Msg::AreaOperators,
        needs: NavNeeds::Operator(SUPER_ADMINS),
    },
    NavItem {
        path: "/ops/audit",
        label: Msg::AreaAudit,
        needs: NavNeeds::Operator(SUPER_ADMINS),
    },
];

/// The operator's login state, loaded once by the shell and shared with its pages.
#[derive(Clone, Copy)]
pub struct OpsStateResource(pub Resource<Result<OpsState, crate::error::AppError>>);

/// The console shell: the layout with the page, and the login check (see the portal shell
/// for why the page is not built inside a closure over the check).
#[component]
pub fn OpsShell() -> impl IntoView {
    let state = load_once(ops_whoami);
    provide_context(OpsStateResource(state));
    let viewer = use_operator();
    let may = Callback::new(move |needs: NavNeeds| match needs {
        NavNeeds::Anyone => true,
        NavNeeds::Operator(roles) => viewer.get().is_some_and(|o| o.may(roles)),
        NavNeeds::Member(_) => false,
    });
    view! {
        <Suspense fallback=|| ()>
            {move || state.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(OpsState::In(_)) => ().into_any(),
                Ok(_) => view! { <LocalRedirect path="/ops/login"/> }.into_any(),
            })}
        </Suspense>
        <ConsoleLayout title=Msg::NavConsole nav=OPS_NAV home="/ops" may>
            <OperatorMenu/>
        </ConsoleLayout>
    }
}

#[component]
fn OperatorMenu() -> impl IntoView {
    let logout = ServerAction::<OpsLogout>::new();
    let me = use_operator();
    view! {
        <Suspense fallback=|| ()>
            {move || me.get().map(|me| view! {
                <span class="user-chip" data-testid="operator-chip">
                    <span class="user-name">{me.display_name}</span>
                    <span class="muted">{me.login}</span>
                </span>
            })}
        </Suspense>
        <ActionForm action=logout attr:class="inline-form">
            <button type="submit" class="btn btn-ghost" data-testid="ops-logout">{t(AccMsg::Logout)}</button>
        </ActionForm>
    }
}

/// The logged-in operator (read it inside a `Suspense`).
pub fn use_operator() -> Signal<Option<OperatorMe>> {
    let state = use_context::<OpsStateResource>();
    Signal::derive(move || match state.and_then(|s| s.0.get()) {
        Some(Ok(OpsState::In(me))) => Some(me),
        _ => None,
    })
}

/// A console page only some roles may open: other operators get the 403 page instead (built
/// as the portal's `MemberOnly` is: the page once, hidden from a refused operator, whom its
/// server functions refuse anyway).
#[component]
pub fn OperatorOnly(roles: &'static [OperatorRole], children: Children) -> impl IntoView {
    let me = use_operator();
    // Read under the `Suspense` (see the portal's `MemberOnly`).
    let allowed = move || me.get().map(|o| o.may(roles));
    view! {
        <Suspense fallback=|| ()>
            {move || (allowed() == Some(false)).then(|| view! { <Forbidden admins=Vec::new()/> })}
            <div class="guarded" hidden=move || allowed() != Some(true)>{children()}</div>
        </Suspense>
    }
}

/// 工作台: a tile for each queue the operator's roles work (`backend::dashboard`).
#[component]
pub fn DashboardPage() -> impl IntoView {
    let operator = use_operator();
    let dashboard = load_once(crate::api::dashboard::ops_dashboard);
    view! {
        <Title text=t(Msg::NavConsole)/>
        <section class="card" data-testid="ops-dashboard">
            <h1>{t(Msg::OpsWelcomeTitle)}</h1>
            <Suspense fallback=|| ()>
                <p>{move || operator.get().map(|o| o.display_name)}</p>
            </Suspense>
        </section>
        <QueueTiles dashboard/>
    }
}
