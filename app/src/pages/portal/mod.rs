//! The enterprise portal (`/portal`). Its areas (业务中心, 资金管理, 财务中心, 任务库, 消息中心,
//! 隐私中心, 客户服务) join [`PORTAL_NAV`] as their pages land. Every page needs a login person
//! of an open business account: visitors go to `/login`, applicants to `/register`, and a user
//! who has not accepted a material policy version in force to `/portal/policy-update` (P9).

mod account;
mod api_callbacks;
mod api_keys;
mod business;
mod data_held;
mod finance;
mod funds;
mod members;
mod messages;
mod privacy;
mod requests;
mod sharing;
mod support;
mod task_work;
mod tasks;
mod wechat_binding;
mod worker;

pub use account::AccountPage;
pub use api_keys::ApiKeysPage;
pub use business::BusinessPage;
pub use finance::{InvoiceProfilePage, InvoiceStatsPage, InvoicesPage, FINANCE};
pub use funds::{
    BillsPage, FlowPage, FundsPage, OrderPage, OrdersPage, ReceiptPage, TopupsPage, TransfersPage,
};
pub use members::MembersPage;
pub use messages::{MessagePreferencesPage, MessagesPage};
pub use privacy::{PolicyUpdatePage, PrivacyCentrePage};
pub use requests::{PrivacyRequestPage, PrivacyRequestsPage};
pub use sharing::SharingPage;
pub use support::{SupportPage, SupportTicketPage};
pub use task_work::WorkersPage;
pub use tasks::{TaskPage, TasksPage, TASKS};
pub use worker::WorkerPage;

use crate::api::account::{whoami, Logout};
use crate::components::{
    load_once, ConsoleLayout, ErrorNotice, Forbidden, LocalRedirect, NavItem, NavNeeds,
    PolicyNotices, QueueTiles,
};
use crate::i18n::{encode_component, switch_href, t, AccMsg, Lang, Msg};
use crate::model::access::MemberNeeds;
use crate::model::account::{Me, Permission};
use crate::model::policy_change::{open_to_applicants, open_while_gated};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// The portal's navigation: only areas whose pages exist.
pub const PORTAL_NAV: &[NavItem] = &[
    NavItem {
        path: "/portal",
        label: Msg::AreaOverview,
        needs: NavNeeds::Member(MemberNeeds::Member),
    },
    NavItem {
        path: "/portal/business",
        label: Msg::AreaBusiness,
        needs: NavNeeds::Member(MemberNeeds::Member),
    },
    NavItem {
        path: "/portal/funds",
        label: Msg::AreaFunds,
        needs: NavNeeds::Member(FUNDS),
    },
    NavItem {
        path: "/portal/finance/invoices",
        label: Msg::AreaFinance,
        needs: NavNeeds::Member(FINANCE),
    },
    NavItem {
        path: "/portal/tasks",
        label: Msg::AreaTasks,
        needs: NavNeeds::Member(TASKS),
    },
    NavItem {
        path: "/portal/messages",
        label: Msg::AreaMessages,
        needs: NavNeeds::Anyone,
    },
    NavItem {
        path: "/portal/privacy",
        label: Msg::AreaPrivacy,
        needs: NavNeeds::Anyone,
    },
    NavItem {
        path: "/portal/support",
        label: Msg::AreaSupport,
        needs: NavNeeds::Member(MemberNeeds::Member),
    },
    NavItem {
        path: "/portal/account",
        label: Msg::AreaAccount,
        needs: NavNeeds::Anyone,
    },
];

/// What the funds pages need (the same permission their server functions check).
pub const FUNDS: MemberNeeds = MemberNeeds::Permission(Permission::Funds);

/// The logged-in login person, loaded once by the shell and shared with its pages.
#[derive(Clone, Copy)]
pub struct MeResource(pub Resource<Result<Option<Me>, crate::error::AppError>>);

/// The shell: the layout with the page, and the login check. The page is not built inside a
/// closure over the check's result (which would build it, and run its queries, more than
/// once); a visitor is redirected before anything is sent (async SSR).
#[component]
pub fn PortalShell() -> impl IntoView {
    let me = load_once(whoami);
    provide_context(MeResource(me));
    let location = use_location();
    let viewer = use_me();
    let may = Callback::new(move |needs: NavNeeds| match needs {
        NavNeeds::Anyone => true,
        NavNeeds::Member(n) => viewer
            .get()
            .and_then(|m| m.enterprise)
            .is_some_and(|e| e.may(n)),
        NavNeeds::Operator(_) => false,
    });
    view! {
        <Suspense fallback=|| ()>
            {move || me.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(None) => {
                    // Back to this very page after the login (its filters too), in its language.
                    let query: Vec<(String, String)> = location.query.with_untracked(|q| {
                        q.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
                    });
                    let here = switch_href(&location.pathname.get_untracked(), &query, Lang::ZhCn);
                    view! { <LocalRedirect path=format!("/login?next={}", encode_component(&here))/> }.into_any()
                }
                // P9: until the versions in force are accepted, only the privacy centre, the
                // re-consent page and account security are open (the server refuses the rest),
                // to applicants too.
                Ok(Some(Me { policy_gate: Some(gate), .. })) => {
                    if open_while_gated(&location.pathname.get()) {
                        ().into_any()
                    } else {
                        let to = if gate.declined_at.is_some() { "/portal/privacy" } else { "/portal/policy-update" };
                        view! { <LocalRedirect path=to/> }.into_any()
                    }
                }
                Ok(Some(me)) if me.enterprise.is_none() && !open_to_applicants(&location.pathname.get()) => {
                    view! { <LocalRedirect path="/register"/> }.into_any()
                }
                Ok(Some(_)) => ().into_any(),
            })}
        </Suspense>
        <ConsoleLayout title=Msg::NavPortal nav=PORTAL_NAV home="/portal" may notice=ViewFn::from(|| view! { <PolicyNotices/> })>
            <UserMenu/>
        </ConsoleLayout>
    }
}

/// The top bar's user menu: who is logged in, for which enterprise, and logout.
#[component]
fn UserMenu() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let me = use_me();
    view! {
        <Suspense fallback=|| ()>
            {move || me.get().map(|me| view! {
                <UnreadBadge count=me.unread_messages/>
                <span class="user-chip" data-testid="user-chip">
                    <span class="user-name">{me.name}</span>
                    <span class="muted">{me.enterprise.map(|e| e.name).unwrap_or_default()}</span>
                </span>
            })}
        </Suspense>
        <ActionForm action=logout attr:class="inline-form">
            <button type="submit" class="btn btn-ghost" data-testid="logout">{t(AccMsg::Logout)}</button>
        </ActionForm>
    }
}

/// The top bar's link to the message centre, with the number of unread messages (P7.1).
#[component]
fn UnreadBadge(count: u32) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    view! {
        <a class="unread-link" data-testid="unread-badge" data-count=count.to_string()
            href=move || crate::i18n::localized_href("/portal/messages", lang.get())
            aria-label=move || {
                use crate::i18n::Translate;
                let l = lang.get();
                format!("{}: {count} {}", Msg::AreaMessages.text(l), crate::i18n::InboxMsg::UnreadBadge.text(l))
            }>
            {t(Msg::AreaMessages)}
            {(count > 0).then(|| view! { " " <span class="count-badge">{count}</span> })}
        </a>
    }
}

/// A page only some login persons may open: anyone else gets the 403 page naming the
/// enterprise's admins instead. The page itself is built once, outside any reactive closure
/// (a closure under `Suspense` runs more than once while rendering on the server, and would
/// build the page, and run its queries, each time); for a refused user it stays hidden, and
/// its server functions refuse them anyway.
#[component]
pub fn MemberOnly(needs: MemberNeeds, children: Children) -> impl IntoView {
    let me = use_me();
    // Read under the `Suspense` (not through a memo created outside it), so that the server
    // waits for the login before it renders the answer.
    let answer = move || {
        me.get()
            .and_then(|m| m.enterprise)
            .map(|e| if e.may(needs) { Ok(()) } else { Err(e.admins) })
    };
    view! {
        <Suspense fallback=|| ()>
            {move || answer().and_then(Result::err).map(|admins| view! { <Forbidden admins/> })}
            <div class="guarded" hidden=move || !matches!(answer(), Some(Ok(())))>{children()}</div>
        </Suspense>
    }
}

/// Whether the logged-in login person may do what `needs` names (read it inside a
/// `Suspense`; `false` while loading).
pub fn use_may(needs: MemberNeeds) -> Signal<bool> {
    let me = use_me();
    Signal::derive(move || {
        me.get()
            .and_then(|m| m.enterprise)
            .is_some_and(|e| e.may(needs))
    })
}

/// The logged-in login person (read it inside a `Suspense`).
pub fn use_me() -> Signal<Option<Me>> {
    let me = use_context::<MeResource>();
    Signal::derive(move || me.and_then(|m| m.0.get()).and_then(Result::ok).flatten())
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let me = use_me();
    // Asked only for a member (an applicant is on the way to /register, and would be refused).
    let member = move || me.get().is_some_and(|m| m.enterprise.is_some());
    let dashboard = Resource::new(member, |member| async move {
        match member {
            true => crate::api::dashboard::portal_dashboard().await,
            false => Ok(crate::model::dashboard::Dashboard::default()),
        }
    });
    view! {
        <Title text=t(Msg::NavPortal)/>
        <section class="card" data-testid="portal-overview">
            <h1>{t(Msg::PortalWelcomeTitle)}</h1>
            <Suspense fallback=|| ()>
                <p>{move || me.get().and_then(|m| m.enterprise).map(|e| e.name)}</p>
            </Suspense>
            <p>{t(Msg::PortalWelcomeText)}</p>
        </section>
        <Suspense fallback=|| ()>
            {move || {
                let e = me.get().and_then(|m| m.enterprise)?;
                let funds = e.may(FUNDS);
                Some(view! {
                    <QueueTiles dashboard/>
                    {funds.then(|| view! { <funds::BalanceSummary/> <funds::RecentOrders/> })}
                })
            }}
        </Suspense>
        <crate::pages::public::AnnouncementList/>
        <privacy::FrequentAreas/>
    }
}
