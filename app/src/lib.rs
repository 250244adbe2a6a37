//! The shared application: models, server functions, services (server only), pages and
//! components. The server renders it; the WASM client hydrates it.

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub use model::error;
pub mod i18n;
pub mod model;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use i18n::{t, use_lang, Msg};
use model::access::{roles, MemberNeeds};
use pages::ops::OperatorOnly;
use pages::portal::{MemberOnly, FUNDS};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // `/pkg/platform.css`, or its hashed name in a release (`./x release`).
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="color-scheme" content="light"/>
        <Router>
            <Root/>
        </Router>
    }
}

/// Everything under the router: the language context, the hydration marker and the routes.
#[component]
fn Root() -> impl IntoView {
    i18n::provide_i18n();
    components::provide_platform_info();
    let lang = use_lang();
    // `data-hydrated` flips to "true" once the WASM client has taken over: effects only run
    // in the browser. End-to-end tests wait for it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Html attr:lang=move || lang.get().code()/>
        <Title text=t(Msg::AppName)/>
        <div id="app" data-hydrated=move || if hydrated.get() { "true" } else { "false" }>
            // In-order streaming: every page is complete HTML without JavaScript (no
            // out-of-order fragments that need a script to be put in place).
            <Routes fallback=pages::public::NotFound>
                <Route path=StaticSegment("") view=pages::public::HomePage ssr=SsrMode::InOrder/>
                <Route path=StaticSegment("login") view=pages::public::LoginPage ssr=SsrMode::InOrder/>
                <Route path=StaticSegment("register") view=pages::public::RegisterPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("register"), StaticSegment("verify"), ParamSegment("id")) view=pages::public::RegisterVerifyPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("privacy") view=pages::public::PrivacyPage ssr=SsrMode::InOrder/>
                <Route path=(StaticSegment("privacy"), StaticSegment("versions"), ParamSegment("v")) view=pages::public::PrivacyPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("terms") view=pages::public::TermsPage ssr=SsrMode::InOrder/>
                <Route path=StaticSegment("cookies") view=pages::public::CookiePolicyPage ssr=SsrMode::InOrder/>
                <Route path=(StaticSegment("terms"), StaticSegment("versions"), ParamSegment("v")) view=pages::public::TermsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("invite"), ParamSegment("token")) view=pages::public::InvitePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("forgot-password") view=pages::public::ForgotPasswordPage/>
                <Route path=(StaticSegment("reset-password"), ParamSegment("token")) view=pages::public::ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("unsubscribe"), ParamSegment("token")) view=pages::public::UnsubscribePage/>
                // Async: the page's status (404 for an unknown id) is known before streaming.
                <Route
                    path=(StaticSegment("announcements"), ParamSegment("id"))
                    view=pages::public::AnnouncementPage
                    ssr=SsrMode::Async
                />
                // Async: a visitor without the right session is redirected (302) before any
                // byte of the page is sent.
                <ParentRoute path=StaticSegment("portal") view=pages::portal::PortalShell ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view=pages::portal::OverviewPage/>
                    <Route path=StaticSegment("business") view=pages::portal::BusinessPage/>
                    <Route path=(StaticSegment("business"), StaticSegment("members")) view=|| view! { <MemberOnly needs=MemberNeeds::Admin><pages::portal::MembersPage/></MemberOnly> }/>
                    <Route path=StaticSegment("account") view=pages::portal::AccountPage/>
                    <Route path=StaticSegment("messages") view=pages::portal::MessagesPage/>
                    <Route path=(StaticSegment("messages"), StaticSegment("preferences")) view=pages::portal::MessagePreferencesPage/>
                    <Route path=StaticSegment("privacy") view=pages::portal::PrivacyCentrePage/>
                    <Route path=StaticSegment("policy-update") view=pages::portal::PolicyUpdatePage/>
                    <Route path=StaticSegment("funds") view=|| view! { <MemberOnly needs=FUNDS><pages::portal::FundsPage/></MemberOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("topups")) view=|| view! { <MemberOnly needs=FUNDS><pages::portal::TopupsPage/></MemberOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("orders")) view=|| view! { <MemberOnly needs=FUNDS><pages::portal::OrdersPage/></MemberOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("orders"), ParamSegment("id")) view=|| view! { <MemberOnly needs=FUNDS><pages::portal::OrderPage/></MemberOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("orders"), ParamSegment("id"), StaticSegment("receipt")) view=|| view! { <MemberOnly needs=FUNDS><pages::portal::ReceiptPage/></MemberOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("transfers")) view=|| view! { <MemberOnly needs=FUNDS><pages::portal::TransfersPage/></MemberOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("flow")) view=|| view! { <MemberOnly needs=FUNDS><pages::portal::FlowPage/></MemberOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("bills")) view=|| view! { <MemberOnly needs=FUNDS><pages::portal::BillsPage/></MemberOnly> }/>
                </ParentRoute>
                <Route path=(StaticSegment("ops"), StaticSegment("login")) view=pages::ops::OpsLoginPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("ops"), StaticSegment("enrol"), ParamSegment("token")) view=pages::ops::OperatorEnrolPage ssr=SsrMode::Async/>
                <ParentRoute path=StaticSegment("ops") view=pages::ops::OpsShell ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view=pages::ops::DashboardPage/>
                    <Route path=StaticSegment("applications") view=|| view! { <OperatorOnly roles=roles::REVIEWERS><pages::ops::ApplicationsPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("applications"), ParamSegment("id")) view=|| view! { <OperatorOnly roles=roles::REVIEWERS><pages::ops::ApplicationReviewPage/></OperatorOnly> }/>
                    <Route path=StaticSegment("enterprises") view=|| view! { <OperatorOnly roles=roles::ENTERPRISE_VIEWERS><pages::ops::EnterprisesPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("enterprises"), ParamSegment("id")) view=|| view! { <OperatorOnly roles=roles::ENTERPRISE_VIEWERS><pages::ops::EnterpriseDetailPage/></OperatorOnly> }/>
                    <Route path=StaticSegment("outbox") view=|| view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OutboxPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("outbox"), StaticSegment("mailbox")) view=|| view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::MailboxPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("outbox"), StaticSegment("announcements")) view=|| view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::AnnouncementsPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("privacy"), StaticSegment("policies")) view=|| view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsPoliciesPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("privacy"), StaticSegment("incidents")) view=|| view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::IncidentsPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("privacy"), StaticSegment("incidents"), ParamSegment("id")) view=|| view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::IncidentPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("privacy"), StaticSegment("policies"), ParamSegment("id")) view=|| view! { <OperatorOnly roles=roles::PRIVACY_OFFICERS><pages::ops::OpsPolicyPage/></OperatorOnly> }/>
                    <Route path=StaticSegment("operators") view=|| view! { <OperatorOnly roles=roles::SUPER_ADMINS><pages::ops::OperatorsPage/></OperatorOnly> }/>
                    <Route path=StaticSegment("audit") view=|| view! { <OperatorOnly roles=roles::SUPER_ADMINS><pages::ops::AuditPage/></OperatorOnly> }/>
                    <Route path=StaticSegment("funds") view=|| view! { <OperatorOnly roles=roles::FINANCE><pages::ops::OpsFundsPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("transfers")) view=|| view! { <OperatorOnly roles=roles::FINANCE><pages::ops::OpsTransfersPage/></OperatorOnly> }/>
                    <Route path=(StaticSegment("funds"), StaticSegment("payouts")) view=|| view! { <OperatorOnly roles=roles::FINANCE><pages::ops::OpsPayoutsPage/></OperatorOnly> }/>
                </ParentRoute>
            </Routes>
            <components::CookieBanner/>
        </div>
    }
}
