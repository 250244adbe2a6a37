//! The cookie banner (P2.1, P2.2). The server renders it (its buttons are forms, so choices
//! work without JavaScript); once hydrated it updates in place, keeps keyboard focus inside
//! while it is open, gives focus back when it closes, and honours
//! `navigator.globalPrivacyControl`. "Accept all", "Reject all" and "Customise" are buttons
//! of the same kind: rejecting is as easy as accepting.

use crate::api::consent::{load_consent_state, SaveConsent};
use crate::i18n::{t, use_lang, ConsentMsg, Lang};
use crate::model::consent::{CookieCategory, COOKIES};
use leptos::prelude::*;

/// The cookies of a category, named, with their purpose in `lang`.
pub fn cookie_lines(category: CookieCategory, lang: Lang) -> Vec<(String, String)> {
    COOKIES
        .iter()
        .filter(|c| c.category == category)
        .map(|c| {
            let purpose = if lang == Lang::En {
                c.purpose.1
            } else {
                c.purpose.0
            };
            (c.name.to_string(), purpose.to_string())
        })
        .collect()
}

#[component]
pub fn CookieBanner() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveConsent>::new();
    let state = Resource::new(
        || (),
        move |_| load_consent_state(lang.get_untracked().code().to_string()),
    );
    let closed = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            closed.set(true);
        }
    });
    #[cfg(feature = "hydrate")]
    focus::manage(closed, state, save, lang);
    let trap = move |ev: leptos::ev::KeyboardEvent| {
        #[cfg(feature = "hydrate")]
        focus::trap(&ev);
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let open = move || !closed.get() && state.get().and_then(Result::ok).is_some_and(|s| s.ask);
    let hidden_lang = move || lang.get().code();
    view! {
        <Suspense fallback=|| ()>
            <Show when=open>
                <div class="cookie-banner" role="dialog" aria-modal="true" aria-labelledby="cookie-title"
                    aria-describedby="cookie-text" data-testid="cookie-banner" on:keydown=trap>
                    <h2 id="cookie-title">{t(ConsentMsg::Title)}</h2>
                    <p id="cookie-text">{t(ConsentMsg::Text)} " "
                        <a href=move || crate::i18n::localized_href("/cookies", lang.get())>{t(ConsentMsg::Policy)}</a>
                    </p>
                    <div class="cookie-actions">
                        <ActionForm action=save attr:class="inline-form">
                            <input type="hidden" name="choice" value="accept_all"/>
                            <input type="hidden" name="lang" value=hidden_lang/>
                            <button type="submit" class="btn btn-secondary" data-testid="cookie-accept" autofocus=true>{t(ConsentMsg::AcceptAll)}</button>
                        </ActionForm>
                        <ActionForm action=save attr:class="inline-form">
                            <input type="hidden" name="choice" value="reject_all"/>
                            <input type="hidden" name="lang" value=hidden_lang/>
                            <button type="submit" class="btn btn-secondary" data-testid="cookie-reject">{t(ConsentMsg::RejectAll)}</button>
                        </ActionForm>
                    </div>
                    <details class="cookie-customise">
                        <summary class="btn btn-secondary" data-testid="cookie-customise">{t(ConsentMsg::Customise)}</summary>
                        <ActionForm action=save attr:class="form compact">
                            <input type="hidden" name="choice" value="custom"/>
                            <input type="hidden" name="lang" value=hidden_lang/>
                            <CategoryToggles convenience=false/>
                            <button type="submit" class="btn btn-primary" data-testid="cookie-save">{t(ConsentMsg::Save)}</button>
                        </ActionForm>
                    </details>
                </div>
            </Show>
        </Suspense>
    }
}

/// The categories with their descriptions and cookies: necessary read-only and on,
/// convenience as a checkbox named `convenience`.
#[component]
pub fn CategoryToggles(convenience: bool) -> impl IntoView {
    let lang = use_lang();
    let list = move |category: CookieCategory| {
        move || {
            cookie_lines(category, lang.get())
                .into_iter()
                .map(|(name, purpose)| view! { <li><code>{name}</code> " — " {purpose}</li> })
                .collect_view()
        }
    };
    view! {
        <fieldset class="cookie-category">
            <legend>
                <label class="check">
                    <input type="checkbox" checked=true disabled=true/>
                    <span>{t(ConsentMsg::Necessary)}</span>
                </label>
            </legend>
            <p class="muted">{t(ConsentMsg::NecessaryText)}</p>
            <ul>{list(CookieCategory::Necessary)}</ul>
        </fieldset>
        <fieldset class="cookie-category">
            <legend>
                <label class="check">
                    <input type="checkbox" name="convenience" value="on" checked=convenience data-testid="cookie-convenience"/>
                    <span>{t(ConsentMsg::Convenience)}</span>
                </label>
            </legend>
            <p class="muted">{t(ConsentMsg::ConvenienceText)}</p>
            <ul>{list(CookieCategory::Convenience)}</ul>
        </fieldset>
    }
}

#[cfg(feature = "hydrate")]
mod focus {
    use crate::api::consent::SaveConsent;
    use crate::model::consent::ConsentState;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    type State = Resource<Result<ConsentState, crate::error::AppError>>;

    /// A browser with Global Privacy Control set is answered without asking; when the banner
    /// closes, focus goes to the page's main content (where a keyboard user continues).
    pub fn manage(
        closed: RwSignal<bool>,
        state: State,
        save: ServerAction<SaveConsent>,
        lang: crate::i18n::LangSignal,
    ) {
        Effect::new(move |_| {
            let asking = state.get().and_then(Result::ok).is_some_and(|s| s.ask);
            if asking && gpc() && !closed.get_untracked() {
                save.dispatch(SaveConsent {
                    choice: "gpc".into(),
                    convenience: None,
                    lang: lang.get_untracked().code().into(),
                });
            }
        });
        Effect::new(move |prev: Option<bool>| {
            let now = closed.get();
            if now && prev == Some(false) {
                let main = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("main"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(main) = main {
                    let _ = main.set_attribute("tabindex", "-1");
                    let _ = main.focus();
                }
            }
            now
        });
    }

    /// Tab and Shift+Tab wrap around inside the open banner.
    pub fn trap(ev: &web_sys::KeyboardEvent) {
        if ev.key() != "Tab" {
            return;
        }
        // Events are delegated: the banner is found from the focused element, not the listener.
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest(".cookie-banner").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let items = focusables(&el);
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let at = |x: &web_sys::HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a == x.unchecked_ref::<web_sys::Element>())
        };
        if ev.shift_key() && at(first) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && at(last) {
            ev.prevent_default();
            let _ = first.focus();
        }
    }

    fn gpc() -> bool {
        web_sys::window()
            .map(|w| w.navigator())
            .and_then(|n| js_sys::Reflect::get(&n, &"globalPrivacyControl".into()).ok())
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    fn focusables(el: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
        let Ok(list) = el.query_selector_all(
            "button:not([disabled]), summary, a[href], input:not([disabled]):not([type=hidden])",
        ) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            // Inside a closed <details> only its summary can take focus (Chrome still gives the
            // hidden content boxes, so their size does not tell).
            .filter(|e| {
                e.tag_name() == "SUMMARY"
                    || e.closest("details:not([open])").ok().flatten().is_none()
            })
            .filter(|e| e.get_client_rects().length() > 0)
            .collect()
    }
}

/// The visitor's cookie choice as a form with the category toggles (the cookie policy page and
/// the privacy centre): saving it is a `custom` decision, recorded like the banner's.
#[component]
pub fn CookieChoice(
    /// Told of each saved choice (the privacy centre shows the state elsewhere too).
    #[prop(optional)]
    changed: Option<WriteSignal<u32>>,
) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveConsent>::new();
    let saved = crate::components::successes(save);
    if let Some(changed) = changed {
        Effect::new(move |_| changed.set(saved.get()));
    }
    let state = Resource::new(
        move || saved.get(),
        move |_| load_consent_state(lang.get_untracked().code().to_string()),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || state.get().and_then(Result::ok).map(|s| view! {
                <ActionForm action=save attr:class="form">
                    <input type="hidden" name="choice" value="custom"/>
                    <input type="hidden" name="lang" value=move || lang.get().code()/>
                    <CategoryToggles convenience=s.convenience/>
                    <button type="submit" class="btn btn-primary" data-testid="cookie-policy-save">{t(ConsentMsg::Save)}</button>
                </ActionForm>
            })}
        </Suspense>
    }
}
