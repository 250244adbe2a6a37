//! The desktop's WeChat QR code (P1.1.3; issue 15), for logging in (`/login?via=wechat`) and
//! for binding (account settings). The code is drawn on the server (SVG); the page follows its
//! ticket by server-sent events, polls when the stream fails, and finishes the login as soon
//! as the phone confirms (without a reload). Without JavaScript the code is there and the
//! "I have confirmed" button finishes the login.

use super::{action_error, FormError, Loader};
use crate::api::wechat::{start_wechat_scan, wechat_scan_progress, FinishWechatLogin};
use crate::i18n::{desktop_state_label, t, use_lang, Translate, WxMsg};
use crate::model::scan::{DesktopState, TicketPurpose, TicketView, WechatStart, POLL_MS};
use leptos::prelude::*;

#[component]
pub fn WechatQr(
    purpose: TicketPurpose,
    /// Where "new code" goes without JavaScript (this page again).
    refresh_href: &'static str,
    /// Called when the phone confirmed a binding.
    #[prop(optional, into)]
    on_bound: Option<Callback<()>>,
) -> impl IntoView {
    let lang = use_lang();
    let (round, set_round) = signal(0u32);
    let ticket = Resource::new(
        move || (round.get(), lang.get()),
        move |(_, lang)| start_wechat_scan(purpose.code().to_string(), lang.code().to_string()),
    );
    view! {
        <div class="wx-qr" data-testid="wechat-qr">
            <Loader resource=ticket let:start>
                {match start {
                    WechatStart::Ticket(t) => view! {
                        <TicketPanel ticket=t purpose refresh=set_round refresh_href on_bound/>
                    }.into_any(),
                    // A website application: WeChat's own QR page (a full page load).
                    WechatStart::Website { href } => view! {
                        <p>{t(WxMsg::WebsiteIntro)}</p>
                        <p><a class="btn btn-primary" href=href rel="external" data-testid="wechat-website">
                            {t(if purpose == TicketPurpose::Bind { WxMsg::WebsiteBind } else { WxMsg::WebsiteLogin })}
                        </a></p>
                    }.into_any(),
                }}
            </Loader>
        </div>
    }
}

#[component]
fn TicketPanel(
    ticket: TicketView,
    purpose: TicketPurpose,
    refresh: WriteSignal<u32>,
    refresh_href: &'static str,
    on_bound: Option<Callback<()>>,
) -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(DesktopState::Waiting);
    let finish = ServerAction::<FinishWechatLogin>::new();
    let error = action_error(finish);
    let bind = purpose == TicketPurpose::Bind;
    let tv = ticket;
    follow(tv.ticket.clone(), state);
    let ticket = tv.ticket.clone();
    // Confirmed on the phone: log in (or show the binding) at once, once.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || state.get() != DesktopState::Confirmed {
            return done.unwrap_or(false);
        }
        match (purpose, on_bound) {
            (TicketPurpose::Login, _) => {
                finish.dispatch(FinishWechatLogin {
                    ticket: ticket.clone(),
                });
            }
            (TicketPurpose::Bind, Some(cb)) => cb.run(()),
            (TicketPurpose::Bind, None) => {}
        }
        true
    });
    let label = move || crate::i18n::Translate::text(WxMsg::QrLabel, lang.get());
    let intro = if bind {
        WxMsg::ScanIntroBind
    } else {
        WxMsg::ScanIntro
    };
    view! {
        <p>{t(intro)}</p>
        <div class="qr wx-qr-code" role="img" aria-label=label data-testid="wechat-qr-code"
            data-scan-url=tv.scan_url.clone() inner_html=tv.qr_svg.clone()></div>
        <p class="muted">{t(WxMsg::ExpiresAt)} " " {tv.expires_at.china_display()}</p>
        {tv.sim_open.clone().map(|href| view! { <SimOpen href/> })}
        <p class="wx-state" role="status" aria-live="polite" data-testid="wechat-state"
            data-state=move || state.get().code()>
            {move || desktop_state_label(state.get(), bind).text(lang.get())}
        </p>
        <p>
            <a href=refresh_href class="btn btn-ghost" data-testid="wechat-refresh"
                on:click=move |ev| {
                    ev.prevent_default();
                    refresh.update(|n| *n += 1);
                }>{t(WxMsg::Refresh)}</a>
        </p>
        {(!bind).then(|| view! {
            <ActionForm action=finish attr:class="form">
                <FormError error/>
                <p class="muted">{t(WxMsg::NoScriptHint)}</p>
                <input type="hidden" name="ticket" value=tv.ticket.clone()/>
                <button type="submit" class="btn btn-primary" data-testid="wechat-confirmed">{t(WxMsg::IConfirmed)}</button>
            </ActionForm>
        })}
    }
}

/// Follows the ticket in the browser: server-sent events, and polling every [`POLL_MS`] once
/// the stream fails. Nothing happens on the server.
fn follow(ticket: String, state: RwSignal<DesktopState>) {
    let polling = RwSignal::new(false);
    let (tick, set_tick) = signal(0u32);
    let polled = ticket.clone();
    Effect::new(move |_| {
        tick.get();
        if !polling.get() || state.get_untracked().is_final() {
            return;
        }
        let ticket = polled.clone();
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    match wechat_scan_progress(ticket).await {
                        Ok(p) => {
                            let _ = state.try_set(p.state);
                        }
                        // The ticket (or this browser's cookie) is gone: a new code is needed.
                        Err(crate::error::AppError::NotFound) => {
                            let _ = state.try_set(DesktopState::Expired);
                        }
                        Err(_) => {}
                    }
                    let _ = set_tick.try_update(|n| *n += 1);
                });
            },
            std::time::Duration::from_millis(u64::from(POLL_MS)),
        );
    });
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| events(&ticket, state, polling));
    #[cfg(not(feature = "hydrate"))]
    let _ = ticket;
}

#[cfg(feature = "hydrate")]
fn events(ticket: &str, state: RwSignal<DesktopState>, polling: RwSignal<bool>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new(&format!("/wx/tickets/{ticket}/events")) else {
        polling.set(true);
        return;
    };
    let on_state = {
        let source = source.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(s) = e
                .data()
                .as_string()
                .and_then(|c| DesktopState::from_code(&c))
            else {
                return;
            };
            if s.is_final() {
                source.close();
            }
            let _ = state.try_set(s);
        })
    };
    let _ = source.add_event_listener_with_callback("state", on_state.as_ref().unchecked_ref());
    on_state.forget();
    // The stream broke (a proxy that buffers it, a network change): poll instead.
    let on_error = {
        let source = source.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            source.close();
            let _ = polling.try_set(true);
        })
    };
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    let source = send_wrapper::SendWrapper::new(source);
    on_cleanup(move || source.close());
}

/// With the development simulator: open the page as if this browser were WeChat's.
#[component]
pub fn SimOpen(href: String) -> impl IntoView {
    view! {
        <p class="notice" data-testid="wechat-sim-open">
            {t(WxMsg::SimulatorHint)} " "
            <a href=href rel="external" target="_blank">{t(WxMsg::SimulatorOpen)}</a>
        </p>
    }
}

/// What WeChat's own QR page (`--wechat-website`) came back with, from the page's `problem`.
#[component]
pub fn ScanProblemNotice() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let problem = move || {
        query
            .read()
            .get("problem")
            .and_then(|p| crate::model::scan::ScanProblem::from_code(&p))
    };
    move || {
        problem().map(|p| {
            view! {
                <p class="notice notice-error" role="alert" data-testid="wechat-problem">
                    {t(crate::i18n::problem_label(p))}
                </p>
            }
        })
    }
}
