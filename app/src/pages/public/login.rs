//! `/login`: password login for enterprise login persons (P5.2), and WeChat scan-login
//! (`/login?via=wechat`, P1.1.3): two tabs that are plain links, so both work without scripts.

use crate::api::account::Login;
use crate::components::{
    action_error, load_once, Field, FormError, LangLink, NarrowPage, ScanProblemNotice, Submit,
    Tabs, WechatQr,
};
use crate::i18n::{localized_href, t, use_lang, AccMsg, Msg, WxMsg};
use crate::model::scan::TicketPurpose;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let wechat = move || query.read().get("via").as_deref() == Some("wechat");
    let lang = use_lang();
    let current = move |on: bool| on.then_some("page");
    view! {
        <NarrowPage title=Msg::LoginTitle testid="login">
            <p class="lead">{t(Msg::LoginIntro)}</p>
            <Tabs label=Msg::LoginTitle>
                <a href=move || localized_href("/login", lang.get()) data-testid="tab-password"
                    aria-current=move || current(!wechat())>{t(WxMsg::TabPassword)}</a>
                <a href=move || localized_href("/login?via=wechat", lang.get()) data-testid="tab-wechat"
                    aria-current=move || current(wechat())>{t(WxMsg::TabWechat)}</a>
            </Tabs>
            {move || if wechat() {
                view! {
                    <ScanProblemNotice/>
                    <WechatQr purpose=TicketPurpose::Login refresh_href="/login?via=wechat"/>
                }.into_any()
            } else {
                view! { <PasswordLogin/> }.into_any()
            }}
            <p class="muted">{t(AccMsg::NoAccountYet)} " " <LangLink href="/register">{t(Msg::NavRegister)}</LangLink></p>
        </NarrowPage>
    }
}

#[component]
fn PasswordLogin() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let reset = move || query.read().get("reset").is_some();
    // The login name kept by the convenience cookie, only with that consent (P2.2).
    let remembered = load_once(crate::api::consent::remembered_login);
    view! {
        {move || reset().then(|| view! {
            <p class="notice notice-success" role="status" data-testid="password-was-reset">{t(AccMsg::PasswordWasReset)}</p>
        })}
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormError error/>
            <Suspense fallback=move || view! { <Field label=AccMsg::LoginId name="login" error autocomplete="username"/> }>
                {move || {
                    let value = remembered.get().and_then(Result::ok).flatten().unwrap_or_default();
                    view! { <Field label=AccMsg::LoginId name="login" error autocomplete="username" value/> }
                }}
            </Suspense>
            <Field label=AccMsg::Password name="password" kind="password" error autocomplete="current-password"/>
            <input type="hidden" name="next" value=next/>
            <div class="form-actions">
                <Submit label=AccMsg::LoginSubmit pending=action.pending().into()/>
            </div>
        </ActionForm>
        <p class="muted"><LangLink href="/forgot-password" testid="forgot-link">{t(AccMsg::ForgotLink)}</LangLink></p>
    }
}
