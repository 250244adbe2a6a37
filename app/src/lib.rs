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
pub mod routes;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, Link, Meta, MetaTags, Title};
use leptos_router::components::Router;

use i18n::{t, use_lang, Msg};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let hydrate = !server_rendered_only();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // `/pkg/platform.css`, or its hashed name in a release (`./x release`).
                <HashedStylesheet options=options.clone() id="leptos"/>
                {hydrate.then(|| view! { <HydrationScripts options/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages sent as HTML only, without the WASM client (issue 15): the phone's scan page and a
/// worker's signing page (issue 18), which a phone on a mobile network opens once; its forms and links work without scripts, and it
/// loads a few kilobytes instead of the client's hundreds.
pub const SERVER_RENDERED_ONLY: &[&str] = &["/wx/scan/", "/sign/"];

fn server_rendered_only() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|p| {
            SERVER_RENDERED_ONLY
                .iter()
                .any(|prefix| p.uri.path().starts_with(prefix))
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
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

    view! {
        <Html attr:lang=move || lang.get().code()/>
        <Title text=t(Msg::AppName)/>
        // `data-hydrated` flips to "true" once the WASM client has taken over (`mark_hydrated`).
        <div id="app" data-hydrated="false">
            <routes::AppRoutes/>
            <components::CookieBanner/>
        </div>
    }
}

/// Marks `#app` as hydrated: called by the WASM client once the whole page, including its lazy
/// route chunks, has been hydrated. End-to-end tests wait for it.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(app) = document().get_element_by_id("app") {
        let _ = app.set_attribute("data-hydrated", "true");
    }
}
