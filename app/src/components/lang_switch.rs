use crate::i18n::{switch_href, t, use_lang, Lang, Msg};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// 中文 / English. Plain links to the same page with `?lang=`, so it works before the WASM
/// loads; once hydrated the router switches in place without a reload.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let items = Lang::ALL.map(|target| {
        let href = move || {
            let query: Vec<(String, String)> = location.query.with(|q| {
                q.into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            });
            switch_href(&location.pathname.read(), &query, target)
        };
        let current = move || (lang.get() == target).then_some("true");
        view! {
            <li>
                <a href=href hreflang=target.code() lang=target.code() aria-current=current>
                    {target.native_name()}
                </a>
            </li>
        }
    });
    view! {
        <nav class="lang-switch" aria-label=t(Msg::Language)>
            <ul>{items.into_iter().collect_view()}</ul>
        </nav>
    }
}
