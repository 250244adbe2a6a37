//! The hydrate entry point: the WASM client that takes over the server-rendered page.
#![recursion_limit = "512"]

/// Hydrates the page. The routes are lazy (`app::routes`): hydration waits for the current
/// area's WASM chunks, and only then is `#app` marked `data-hydrated="true"` (end-to-end tests
/// wait for it; an effect would run at the first chunk fetch, before the page is interactive).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("the page has a <body>");
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        app::mark_hydrated();
    });
}
