//! `/wx/scan/:ticket`: the phone's side of WeChat scan-login (P1.1.3; issue 15), opened by
//! scanning the desktop's QR code. Inside WeChat the server has already sent the phone through
//! WeChat's authorisation (`server::wechat::routes::phone_entry`); this page then asks "log in
//! on the computer?" (or "bind?") with the account, the computer and roughly where it is.
//! Mobile-first (375 px); its own small area of the app.

use crate::api::wechat::{wechat_scan_view, DecideWechatScan};
use crate::components::{action_error, FormError, ItemButton, Loader, NarrowPage, SimOpen};
use crate::i18n::{place_label, problem_label, t, use_lang, Translate, WxMsg};
use crate::model::scan::{ScanDecision, ScanView, TicketPurpose};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ScanPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let decide = ServerAction::<DecideWechatScan>::new();
    let error = action_error(decide);
    let ticket = move || params.read().get("ticket").unwrap_or_default();
    let view_now = Resource::new(
        move || (ticket(), query.read().get("problem")),
        |(ticket, problem)| wechat_scan_view(ticket, problem),
    );
    // After a decision, what it answered (without scripts, the page comes back and asks again).
    let decided = move || decide.value().get().and_then(Result::ok);
    view! {
        <NarrowPage title=WxMsg::PhoneTitle testid="wechat-scan">
            <FormError error/>
            {move || match decided() {
                Some(v) => view! { <ScanStep v ticket=ticket() decide/> }.into_any(),
                None => view! {
                    <Loader resource=view_now let:v>
                        <ScanStep v ticket=ticket() decide/>
                    </Loader>
                }.into_any(),
            }}
        </NarrowPage>
    }
}

#[component]
fn ScanStep(v: ScanView, ticket: String, decide: ServerAction<DecideWechatScan>) -> impl IntoView {
    let say = |m: WxMsg, step: &'static str| {
        view! { <p class="lead" data-testid="scan-step" data-step=step>{t(m)}</p> }.into_any()
    };
    match v {
        ScanView::OutsideWechat { sim_open } => view! {
            <p class="lead" data-testid="scan-step" data-step="outside_wechat">{t(WxMsg::OutsideWechat)}</p>
            {sim_open.map(|href| view! { <SimOpen href/> })}
        }
        .into_any(),
        ScanView::Gone => say(WxMsg::Gone, "gone"),
        ScanView::NotBound => say(WxMsg::StateNotBound, "not_bound"),
        ScanView::Cancelled => say(WxMsg::CancelledPhone, "cancelled"),
        ScanView::Confirmed { purpose: TicketPurpose::Login } => {
            say(WxMsg::ConfirmedLogin, "confirmed")
        }
        ScanView::Confirmed { purpose: TicketPurpose::Bind } => {
            say(WxMsg::ConfirmedBind, "confirmed")
        }
        // A full page load (not the router's): the server sends the phone into WeChat.
        ScanView::Authorize { href } => view! {
            <p data-testid="scan-step" data-step="authorize">{t(WxMsg::AuthorizeHint)}</p>
            <p><a class="btn btn-primary btn-block" href=href rel="external">{t(WxMsg::Continue)}</a></p>
        }
        .into_any(),
        ScanView::Problem { problem, retry } => view! {
            <p class="notice notice-error" role="alert" data-testid="scan-step" data-step="problem"
                data-problem=problem.code()>{t(problem_label(problem))}</p>
            {retry.map(|href| view! {
                <p><a class="btn btn-primary btn-block" href=href rel="external">{t(WxMsg::TryAgain)}</a></p>
            })}
        }
        .into_any(),
        ScanView::Decide(d) => view! { <Decide d ticket decide/> }.into_any(),
    }
}

/// "Log in on the computer?": who, which computer, where; Confirm and Cancel.
#[component]
fn Decide(
    d: ScanDecision,
    ticket: String,
    decide: ServerAction<DecideWechatScan>,
) -> impl IntoView {
    let lang = use_lang();
    let question = match d.purpose {
        TicketPurpose::Login => WxMsg::LoginQuestion,
        TicketPurpose::Bind => WxMsg::BindQuestion,
    };
    let (kind, net) = place_label(&d.desktop_place);
    let place = move || {
        let mut s = kind.text(lang.get()).to_string();
        if let Some(n) = &net {
            s.push(' ');
            s.push_str(n);
        }
        if d.same_network {
            s.push(' ');
            s.push_str(WxMsg::SameNetwork.text(lang.get()));
        }
        s
    };
    view! {
        <h2 data-testid="scan-step" data-step="decide">{t(question)}</h2>
        <dl class="facts">
            <dt>{t(WxMsg::Account)}</dt><dd data-testid="scan-account">{d.account}</dd>
            {d.nickname.map(|n| view! { <dt>{t(WxMsg::WechatProfile)}</dt><dd>{n}</dd> })}
            <dt>{t(WxMsg::Computer)}</dt><dd data-testid="scan-device">{d.desktop_device}</dd>
            <dt>{t(WxMsg::Place)}</dt><dd data-testid="scan-place">{place}</dd>
        </dl>
        <p class="muted">{t(WxMsg::DecideHint)}</p>
        <div class="stacked-actions">
            <ItemButton action=decide name="ticket" value=ticket.clone() label=WxMsg::Confirm
                class="btn btn-primary btn-block" testid="scan-confirm">
                <input type="hidden" name="decision" value="confirm"/>
            </ItemButton>
            <ItemButton action=decide name="ticket" value=ticket label=WxMsg::Cancel
                class="btn btn-ghost btn-block" testid="scan-cancel">
                <input type="hidden" name="decision" value="cancel"/>
            </ItemButton>
        </div>
    }
}
