//! Account settings' WeChat binding card (P1.1.3; issue 15): the bound account (its nickname
//! and avatar only when the user authorised them), unbinding, and binding by scanning
//! (`/portal/account?bind=wechat`, so that it works before the WASM loads).

use crate::api::wechat::{my_wechat, BeginWechatBind, UnbindWechat};
use crate::components::{
    action_error, successes, Field, FormError, Loader, ScanProblemNotice, Submit, WechatQr,
};
use crate::i18n::{localized_href, t, use_lang, AccMsg, Translate, WxMsg};
use crate::model::scan::{TicketPurpose, WechatBinding};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WechatCard() -> impl IntoView {
    let lang = use_lang();
    let unbind = ServerAction::<UnbindWechat>::new();
    let error = action_error(unbind);
    let unbound = successes(unbind);
    let (bound, set_bound) = signal(0u32);
    let binding = Resource::new(move || (unbound.get(), bound.get()), |_| my_wechat());
    let query = use_query_map();
    let binding_now = move || query.read().get("bind").as_deref() == Some("wechat");
    let was_unbound = move || matches!(unbind.value().get(), Some(Ok(())));
    view! {
        <section class="card" id="wechat" data-testid="wechat-binding">
            <h2>{t(WxMsg::CardTitle)}</h2>
            <p class="muted">{t(WxMsg::CardIntro)}</p>
            <FormError error/>
            <ScanProblemNotice/>
            {move || was_unbound().then(|| view! { <p class="notice notice-success" role="status" data-testid="wechat-unbound">{t(WxMsg::Unbound)}</p> })}
            <Loader resource=binding let:b>
                {match b {
                    Some(b) => view! { <Bound b unbind/> }.into_any(),
                    None if binding_now() && bound.get_untracked() == 0 => view! {
                        <WechatQr purpose=TicketPurpose::Bind refresh_href="/portal/account?bind=wechat#wechat"
                            on_bound=move |_| set_bound.update(|n| *n += 1)/>
                        <p><a href=move || localized_href("/portal/account#wechat", lang.get())
                            data-testid="wechat-bind-cancel">{t(WxMsg::Cancel)}</a></p>
                    }.into_any(),
                    None => view! { <BindForm/> }.into_any(),
                }}
            </Loader>
        </section>
    }
}

/// Not bound: the password again, then the binding code.
#[component]
fn BindForm() -> impl IntoView {
    let lang = use_lang();
    let begin = ServerAction::<BeginWechatBind>::new();
    let error = action_error(begin);
    view! {
        <p data-testid="wechat-none">{t(WxMsg::NotBound)}</p>
        <ActionForm action=begin attr:class="form" attr:novalidate=true>
            <FormError error/>
            <p class="muted">{t(WxMsg::BindNeedsPassword)}</p>
            <Field label=AccMsg::CurrentPassword name="password" kind="password" error
                autocomplete="current-password"/>
            <input type="hidden" name="lang" value=move || lang.get().code()/>
            <div class="form-actions" data-testid="wechat-bind">
                <Submit label=WxMsg::Bind pending=begin.pending().into()/>
            </div>
        </ActionForm>
    }
}

#[component]
fn Bound(b: WechatBinding, unbind: ServerAction<UnbindWechat>) -> impl IntoView {
    let lang = use_lang();
    let alt = move || WxMsg::Avatar.text(lang.get());
    view! {
        <div class="wx-bound" data-testid="wechat-bound">
            {b.avatar.map(|src| view! { <img class="avatar" src=src alt=alt width="64" height="64" data-testid="wechat-avatar"/> })}
            <dl class="facts">
                {b.nickname.map(|n| view! { <dt>{t(WxMsg::WechatProfile)}</dt><dd data-testid="wechat-nickname">{n}</dd> })}
                <dt>{t(WxMsg::BoundBy)}</dt><dd>{b.identity_kind.code()}</dd>
                <dt>{t(WxMsg::BoundSince)}</dt><dd>{b.bound_at.china_display()}</dd>
            </dl>
        </div>
        <ActionForm action=unbind attr:class="form-actions">
            <button type="submit" class="btn btn-danger" data-testid="wechat-unbind">{t(WxMsg::Unbind)}</button>
        </ActionForm>
    }
}
