//! The route table, split by area (issue 14 §3). Each area (the home page, signing in, signing
//! up, the other public pages, the portal, the console) is one `#[lazy]` function that renders
//! any of its pages: built with `cargo leptos build --split`, an area's views (and the code only
//! they use) are compiled into WASM chunks fetched when the first page of the area is shown, so
//! a visitor to the home page downloads neither the portal nor the console. On the server
//! nothing changes: the page is rendered as before, and the chunks it needs are preloaded from
//! the `<head>`.
//!
//! One split point per area rather than per page: wasm-split gives every set of split points
//! that shares code its own chunk, and per page that made ~900 files and over a hundred requests
//! for the home page alone. For the same reason there are six areas, not nine (issue 17): with
//! the phone's page, the funds pages and the operators' login in areas of their own, the home
//! page needed 28 chunks (mostly under 2 KB), and on a link with a 150 ms round trip and six
//! HTTP/1.1 connections each round of six requests costs 150 ms.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Routes};
use leptos_router::{Lazy, LazyRoute, ParamSegment, SsrMode, StaticSegment};

use crate::model::access::{roles, MemberNeeds};
use crate::pages;
use crate::pages::ops::OperatorOnly;
use crate::pages::portal::{MemberOnly, FINANCE, FUNDS, TASKS};
use crate::pages::public::NotFound;

/// `area: Page => view, …` defines module `area` with one lazy route per page (`area::Page`).
/// A route loads no data before its chunk: each page starts its own resources, and on the first
/// load those arrive with the server-rendered page.
macro_rules! lazy_area {
    ($(#[$doc:meta])* $area:ident: $($page:ident => $view:expr,)*) => {
        $(#[$doc])*
        pub mod $area {
            use super::*;

            /// The pages of this area.
            #[derive(Clone, Copy)]
            pub enum Page {
                $($page,)*
            }

            /// Renders any page of the area: the one split point, named after the area.
            #[leptos::lazy($area)]
            fn area_view(page: Page) -> AnyView {
                match page {
                    $(Page::$page => ($view).into_any(),)*
                }
            }

            $(
                #[doc = concat!("The lazy route of `", stringify!($page), "`.")]
                pub struct $page;

                impl LazyRoute for $page {
                    fn data() -> Self {
                        $page
                    }

                    fn view(_: Self) -> impl Future<Output = AnyView> {
                        area_view(Page::$page)
                    }

                    // The router awaits this before it hydrates or shows the page, so that the
                    // area's chunk is there and `view` is ready at once (a page still loading
                    // would not match the server's HTML).
                    async fn preload() {
                        #[cfg(feature = "hydrate")]
                        __preload_area_view().await;
                    }
                }
            )*
        }
    };
}

lazy_area! {
    /// The home page, alone: the page most visitors open first.
    home:
    Home => view! { <pages::public::HomePage/> },
}

lazy_area! {
    /// Signing in: login and password reset.
    sign_in:
    Login => view! { <pages::public::LoginPage/> },
    ForgotPassword => view! { <pages::public::ForgotPasswordPage/> },
    ResetPassword => view! { <pages::public::ResetPasswordPage/> },
}

lazy_area! {
    /// Signing up: registration (with its uploads and checks) and invitations.
    sign_up:
    Register => view! { <pages::public::RegisterPage/> },
    RegisterVerify => view! { <pages::public::RegisterVerifyPage/> },
    Invite => view! { <pages::public::InvitePage/> },
}

lazy_area! {
    /// The other public pages: policies, cookies, unsubscribe and announcements.
    public:
    Privacy => view! { <pages::public::PrivacyPage/> },
    Terms => view! { <pages::public::TermsPage/> },
    CookiePolicy => view! { <pages::public::CookiePolicyPage/> },
    Unsubscribe => view! { <pages::public::UnsubscribePage/> },
    Announcement => view! { <pages::public::AnnouncementPage/> },
    // The phone's side of WeChat scan-login (issue 15) is sent without the WASM client
    // (`SERVER_RENDERED_ONLY`), so its place among the areas costs a phone nothing.
    Scan => view! { <pages::public::ScanPage/> },
}

lazy_area! {
    /// The enterprise portal: its shell, overview, business, members, account, messages, privacy
    /// centre, funds, invoices and tasks (and a worker's signing page).
    portal:
    Shell => view! { <pages::portal::PortalShell/> },
    Overview => view! { <pages::portal::OverviewPage/> },
    Business => view! { <pages::portal::BusinessPage/> },
    Members => view! { <MemberOnly needs=MemberNeeds::Admin><pages::portal::MembersPage/></MemberOnly> },
    ApiKeys => view! { <MemberOnly needs=MemberNeeds::Admin><pages::portal::ApiKeysPage/></MemberOnly> },
    Account => view! { <pages::portal::AccountPage/> },
    Messages => view! { <pages::portal::MessagesPage/> },
    MessagePreferences => view! { <pages::portal::MessagePreferencesPage/> },
    PrivacyCentre => view! { <pages::portal::PrivacyCentrePage/> },
    PrivacyRequests => view! { <pages::portal::PrivacyRequestsPage/> },
    Sharing => view! { <pages::portal::SharingPage/> },
    PrivacyRequest => view! { <pages::portal::PrivacyRequestPage/> },
    PolicyUpdate => view! { <pages::portal::PolicyUpdatePage/> },
    // The money pages: funds (资金管理, the funds permission) and invoices (财务中心, the finance
    // permission; issue 17). In an area of their own they kept 390 KB off the first portal page
    // but doubled the chunks of every other page (the home page's 13 became 21, and its
    // hydration on the 4G-like link went from 0.98 s to 1.23 s).
    Funds => view! { <MemberOnly needs=FUNDS><pages::portal::FundsPage/></MemberOnly> },
    Topups => view! { <MemberOnly needs=FUNDS><pages::portal::TopupsPage/></MemberOnly> },
    Orders => view! { <MemberOnly needs=FUNDS><pages::portal::OrdersPage/></MemberOnly> },
    Order => view! { <MemberOnly needs=FUNDS><pages::portal::OrderPage/></MemberOnly> },
    Receipt => view! { <MemberOnly needs=FUNDS><pages::portal::ReceiptPage/></MemberOnly> },
    Transfers => view! { <MemberOnly needs=FUNDS><pages::portal::TransfersPage/></MemberOnly> },
    Flow => view! { <MemberOnly needs=FUNDS><pages::portal::FlowPage/></MemberOnly> },
    Bills => view! { <MemberOnly needs=FUNDS><pages::portal::BillsPage/></MemberOnly> },
    Invoices => view! { <MemberOnly needs=FINANCE><pages::portal::InvoicesPage/></MemberOnly> },
    InvoiceProfile => view! { <MemberOnly needs=FINANCE><pages::portal::InvoiceProfilePage/></MemberOnly> },
    InvoiceStats => view! { <MemberOnly needs=FINANCE><pages::portal::InvoiceStatsPage/></MemberOnly> },
    // The task library (issue 18): tasks, completion records, the worker register and signing.
    // In an area of their own the first portal page was 1,813 KB instead of 2,023 KB, but the
    // home page needed 26 WASM files instead of 13 (hydrated after 1.22 s on the 4G-like link
    // in a full run instead of 0.89 s), too close to its 1.5 s in CI.
    Tasks => view! { <MemberOnly needs=TASKS><pages::portal::TasksPage/></MemberOnly> },
    Task => view! { <MemberOnly needs=TASKS><pages::portal::TaskPage/></MemberOnly> },
    Workers => view! { <MemberOnly needs=TASKS><pages::portal::WorkersPage/></MemberOnly> },
    Worker => view! { <MemberOnly needs=TASKS><pages::portal::WorkerPage/></MemberOnly> },
    // Customer service (issue 18 §3): any login person of the enterprise.
    Support => view! { <pages::portal::SupportPage/> },
    SupportTicket => view! { <pages::portal::SupportTicketPage/> },
    // A worker's signing page (issue 18): sent without the WASM client, so its area costs the
    // phone nothing; here rather than among the public pages, which would carry its code.
    Sign => view! { <pages::public::SignPage/> },
}

lazy_area! {
    /// The operator console: its login, enrolment, shell and every console page.
    ops:
    Shell => view! { <pages::ops::OpsShell/> },
    Login => view! { <pages::ops::OpsLoginPage/> },
    OperatorEnrol => view! { <pages::ops::OperatorEnrolPage/> },
    Dashboard => view! { <pages::ops::DashboardPage/> },
    Applications => view! { <OperatorOnly roles=roles::REVIEWERS><pages::ops::ApplicationsPage/></OperatorOnly> },
    ApplicationReview => view! { <OperatorOnly roles=roles::REVIEWERS><pages::ops::ApplicationReviewPage/></OperatorOnly> },
    Enterprises => view! { <OperatorOnly roles=roles::ENTERPRISE_VIEWERS><pages::ops::EnterprisesPage/></OperatorOnly> },
    EnterpriseDetail => view! { <OperatorOnly roles=roles::ENTERPRISE_VIEWERS><pages::ops::EnterpriseDetailPage/></OperatorOnly> },
    Outbox => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OutboxPage/></OperatorOnly> },
    Mailbox => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::MailboxPage/></OperatorOnly> },
    Announcements => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::AnnouncementsPage/></OperatorOnly> },
    Policies => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsPoliciesPage/></OperatorOnly> },
    Agreement => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsAgreementPage/></OperatorOnly> },
    RightsRequests => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::RequestsQueuePage/></OperatorOnly> },
    RightsRequest => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::RequestReviewPage/></OperatorOnly> },
    Incidents => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::IncidentsPage/></OperatorOnly> },
    SharingRegister => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsSharingPage/></OperatorOnly> },
    SharingRecipient => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsRecipientPage/></OperatorOnly> },
    Disclosures => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsDisclosuresPage/></OperatorOnly> },
    DataTransfers => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsDataTransfersPage/></OperatorOnly> },
    Incident => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::IncidentPage/></OperatorOnly> },
    Policy => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsPolicyPage/></OperatorOnly> },
    Stats => view! { <OperatorOnly roles=roles::ANY_OPERATOR><pages::ops::StatsPage/></OperatorOnly> },
    Retention => view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::RetentionPage/></OperatorOnly> },
    Operators => view! { <OperatorOnly roles=roles::SUPER_ADMINS><pages::ops::OperatorsPage/></OperatorOnly> },
    Audit => view! { <OperatorOnly roles=roles::SUPER_ADMINS><pages::ops::AuditPage/></OperatorOnly> },
    Funds => view! { <OperatorOnly roles=roles::FINANCE><pages::ops::OpsFundsPage/></OperatorOnly> },
    Transfers => view! { <OperatorOnly roles=roles::FINANCE><pages::ops::OpsTransfersPage/></OperatorOnly> },
    Payouts => view! { <OperatorOnly roles=roles::FINANCE><pages::ops::OpsPayoutsPage/></OperatorOnly> },
    Invoices => view! { <OperatorOnly roles=roles::FINANCE><pages::ops::OpsInvoicesPage/></OperatorOnly> },
    TaxpayerIds => view! { <OperatorOnly roles=roles::REVIEWERS><pages::ops::TaxpayerIdsPage/></OperatorOnly> },
    Tasks => view! { <OperatorOnly roles=roles::REVIEWERS><pages::ops::OpsTasksPage/></OperatorOnly> },
    Support => view! { <OperatorOnly roles=roles::SUPPORT><pages::ops::OpsSupportPage/></OperatorOnly> },
    SupportTicket => view! { <OperatorOnly roles=roles::SUPPORT><pages::ops::OpsTicketPage/></OperatorOnly> },
}

/// All routes. In-order streaming: every page is complete HTML without JavaScript (no
/// out-of-order fragments that need a script to be put in place).
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
    <Routes fallback=NotFound>
        <Route path=StaticSegment("") view={Lazy::<home::Home>::new()} ssr=SsrMode::InOrder/>
        // Async: the WeChat tab sets its browser's cookie before the page is sent.
        <Route path=StaticSegment("login") view={Lazy::<sign_in::Login>::new()} ssr=SsrMode::Async/>
        <Route path=(StaticSegment("wx"), StaticSegment("scan"), ParamSegment("ticket")) view={Lazy::<public::Scan>::new()} ssr=SsrMode::Async/>
        <Route path=(StaticSegment("sign"), ParamSegment("token")) view={Lazy::<portal::Sign>::new()} ssr=SsrMode::Async/>
        <Route path=StaticSegment("register") view={Lazy::<sign_up::Register>::new()} ssr=SsrMode::Async/>
        <Route path=(StaticSegment("register"), StaticSegment("verify"), ParamSegment("id")) view={Lazy::<sign_up::RegisterVerify>::new()} ssr=SsrMode::Async/>
        <Route path=StaticSegment("privacy") view={Lazy::<public::Privacy>::new()} ssr=SsrMode::InOrder/>
        <Route path=(StaticSegment("privacy"), StaticSegment("versions"), ParamSegment("v")) view={Lazy::<public::Privacy>::new()} ssr=SsrMode::Async/>
        <Route path=StaticSegment("terms") view={Lazy::<public::Terms>::new()} ssr=SsrMode::InOrder/>
        <Route path=StaticSegment("cookies") view={Lazy::<public::CookiePolicy>::new()} ssr=SsrMode::InOrder/>
        <Route path=(StaticSegment("terms"), StaticSegment("versions"), ParamSegment("v")) view={Lazy::<public::Terms>::new()} ssr=SsrMode::Async/>
        <Route path=(StaticSegment("invite"), ParamSegment("token")) view={Lazy::<sign_up::Invite>::new()} ssr=SsrMode::Async/>
        <Route path=StaticSegment("forgot-password") view={Lazy::<sign_in::ForgotPassword>::new()}/>
        <Route path=(StaticSegment("reset-password"), ParamSegment("token")) view={Lazy::<sign_in::ResetPassword>::new()} ssr=SsrMode::Async/>
        <Route path=(StaticSegment("unsubscribe"), ParamSegment("token")) view={Lazy::<public::Unsubscribe>::new()}/>
        // Async: the page's status (404 for an unknown id) is known before streaming.
        <Route
            path=(StaticSegment("announcements"), ParamSegment("id"))
            view={Lazy::<public::Announcement>::new()}
            ssr=SsrMode::Async
        />
        // Async: a visitor without the right session is redirected (302) before any
        // byte of the page is sent.
        <ParentRoute path=StaticSegment("portal") view={Lazy::<portal::Shell>::new()} ssr=SsrMode::Async>
            <Route path=StaticSegment("") view={Lazy::<portal::Overview>::new()}/>
            <Route path=StaticSegment("business") view={Lazy::<portal::Business>::new()}/>
            <Route path=(StaticSegment("business"), StaticSegment("members")) view={Lazy::<portal::Members>::new()}/>
            <Route path=(StaticSegment("business"), StaticSegment("api")) view={Lazy::<portal::ApiKeys>::new()}/>
            <Route path=StaticSegment("account") view={Lazy::<portal::Account>::new()}/>
            <Route path=StaticSegment("messages") view={Lazy::<portal::Messages>::new()}/>
            <Route path=(StaticSegment("messages"), StaticSegment("preferences")) view={Lazy::<portal::MessagePreferences>::new()}/>
            <Route path=StaticSegment("privacy") view={Lazy::<portal::PrivacyCentre>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("requests")) view={Lazy::<portal::PrivacyRequests>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("sharing")) view={Lazy::<portal::Sharing>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("requests"), ParamSegment("id")) view={Lazy::<portal::PrivacyRequest>::new()}/>
            <Route path=StaticSegment("policy-update") view={Lazy::<portal::PolicyUpdate>::new()}/>
            <Route path=StaticSegment("funds") view={Lazy::<portal::Funds>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("topups")) view={Lazy::<portal::Topups>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("orders")) view={Lazy::<portal::Orders>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("orders"), ParamSegment("id")) view={Lazy::<portal::Order>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("orders"), ParamSegment("id"), StaticSegment("receipt")) view={Lazy::<portal::Receipt>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("transfers")) view={Lazy::<portal::Transfers>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("flow")) view={Lazy::<portal::Flow>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("bills")) view={Lazy::<portal::Bills>::new()}/>
            <Route path=(StaticSegment("finance"), StaticSegment("invoices")) view={Lazy::<portal::Invoices>::new()}/>
            <Route path=(StaticSegment("finance"), StaticSegment("profile")) view={Lazy::<portal::InvoiceProfile>::new()}/>
            <Route path=(StaticSegment("finance"), StaticSegment("stats")) view={Lazy::<portal::InvoiceStats>::new()}/>
            <Route path=StaticSegment("tasks") view={Lazy::<portal::Tasks>::new()}/>
            <Route path=(StaticSegment("tasks"), StaticSegment("workers")) view={Lazy::<portal::Workers>::new()}/>
            <Route path=(StaticSegment("tasks"), StaticSegment("workers"), ParamSegment("id")) view={Lazy::<portal::Worker>::new()}/>
            <Route path=(StaticSegment("tasks"), ParamSegment("id")) view={Lazy::<portal::Task>::new()}/>
            <Route path=StaticSegment("support") view={Lazy::<portal::Support>::new()}/>
            <Route path=(StaticSegment("support"), ParamSegment("id")) view={Lazy::<portal::SupportTicket>::new()}/>
        </ParentRoute>
        <Route path=(StaticSegment("ops"), StaticSegment("login")) view={Lazy::<ops::Login>::new()} ssr=SsrMode::Async/>
        <Route path=(StaticSegment("ops"), StaticSegment("enrol"), ParamSegment("token")) view={Lazy::<ops::OperatorEnrol>::new()} ssr=SsrMode::Async/>
        <ParentRoute path=StaticSegment("ops") view={Lazy::<ops::Shell>::new()} ssr=SsrMode::Async>
            <Route path=StaticSegment("") view={Lazy::<ops::Dashboard>::new()}/>
            <Route path=StaticSegment("applications") view={Lazy::<ops::Applications>::new()}/>
            // Before `applications/{id}`: the router takes the first route that matches.
            <Route path=(StaticSegment("applications"), StaticSegment("taxpayer-ids")) view={Lazy::<ops::TaxpayerIds>::new()}/>
            <Route path=(StaticSegment("applications"), ParamSegment("id")) view={Lazy::<ops::ApplicationReview>::new()}/>
            <Route path=StaticSegment("enterprises") view={Lazy::<ops::Enterprises>::new()}/>
            <Route path=(StaticSegment("enterprises"), ParamSegment("id")) view={Lazy::<ops::EnterpriseDetail>::new()}/>
            <Route path=StaticSegment("outbox") view={Lazy::<ops::Outbox>::new()}/>
            <Route path=(StaticSegment("outbox"), StaticSegment("mailbox")) view={Lazy::<ops::Mailbox>::new()}/>
            <Route path=(StaticSegment("outbox"), StaticSegment("announcements")) view={Lazy::<ops::Announcements>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("requests")) view={Lazy::<ops::RightsRequests>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("requests"), ParamSegment("id")) view={Lazy::<ops::RightsRequest>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("policies")) view={Lazy::<ops::Policies>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("agreement")) view={Lazy::<ops::Agreement>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("incidents")) view={Lazy::<ops::Incidents>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("sharing")) view={Lazy::<ops::SharingRegister>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("sharing"), ParamSegment("code")) view={Lazy::<ops::SharingRecipient>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("disclosures")) view={Lazy::<ops::Disclosures>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("transfers")) view={Lazy::<ops::DataTransfers>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("incidents"), ParamSegment("id")) view={Lazy::<ops::Incident>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("policies"), ParamSegment("id")) view={Lazy::<ops::Policy>::new()}/>
            <Route path=StaticSegment("stats") view={Lazy::<ops::Stats>::new()}/>
            <Route path=(StaticSegment("privacy"), StaticSegment("retention")) view={Lazy::<ops::Retention>::new()}/>
            <Route path=StaticSegment("operators") view={Lazy::<ops::Operators>::new()}/>
            <Route path=StaticSegment("audit") view={Lazy::<ops::Audit>::new()}/>
            <Route path=StaticSegment("funds") view={Lazy::<ops::Funds>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("transfers")) view={Lazy::<ops::Transfers>::new()}/>
            <Route path=(StaticSegment("funds"), StaticSegment("payouts")) view={Lazy::<ops::Payouts>::new()}/>
            <Route path=StaticSegment("invoices") view={Lazy::<ops::Invoices>::new()}/>
            <Route path=StaticSegment("tasks") view={Lazy::<ops::Tasks>::new()}/>
            <Route path=StaticSegment("support") view={Lazy::<ops::Support>::new()}/>
            <Route path=(StaticSegment("support"), ParamSegment("id")) view={Lazy::<ops::SupportTicket>::new()}/>
        </ParentRoute>
    </Routes>
    }
}
