//! Forgotten passwords (P5.2): `/forgot-password` asks for the mobile number or e-mail
//! address and always answers the same; `/reset-password/:token` sets the new password.

use crate::api::recovery::{
    check_password_reset, RequestPasswordReset, ResetPassword, ResetPasswordWithCode,
};
use crate::components::{
    action_error, Field, FormError, LangLink, Loader, NarrowPage, NewPassword, Submit,
};
use crate::i18n::{t, AccMsg, Msg};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let query = use_query_map();
    // `?sent=1` (a link by e-mail) or `?sent=sms&login=…` (a code by text) after the form was
    // posted, with or without the WASM client.
    let sent = move || query.read().get("sent");
    let code_login = move || {
        (sent().as_deref() == Some("sms")).then(|| query.read().get("login").unwrap_or_default())
    };
    let linked = move || {
        sent().as_deref() == Some("1")
            || (sent().is_none() && matches!(action.value().get(), Some(Ok(()))))
    };
    view! {
        <NarrowPage title=AccMsg::ForgotTitle testid="forgot-password">
                <p class="lead">{t(AccMsg::ForgotIntro)}</p>
                {move || linked().then(|| view! {
                    <p class="notice notice-success" role="status" data-testid="reset-sent">{t(AccMsg::ResetSent)}</p>
                })}
                {move || code_login().map(|login| view! { <CodeForm login/> })}
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <FormError error/>
                    <Field label=AccMsg::LoginId name="login" error autocomplete="username"/>
                    <div class="form-actions"><Submit label=AccMsg::SendResetLink pending=action.pending().into()/></div>
                </ActionForm>
                <p class="muted"><LangLink href="/login">{t(Msg::NavLogin)}</LangLink></p>
            </NarrowPage>
    }
}

/// The code sent by text message and the new password.
#[component]
fn CodeForm(login: String) -> impl IntoView {
    let action = ServerAction::<ResetPasswordWithCode>::new();
    let error = action_error(action);
    view! {
        <p class="notice notice-success" role="status" data-testid="code-sent">{t(AccMsg::CodeSent)}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true attr:data-testid="code-form">
            <FormError error/>
            <input type="hidden" name="login" value=login/>
            <Field label=AccMsg::SmsCode name="code" error autocomplete="one-time-code" maxlength=6/>
            <NewPassword label=AccMsg::NewPassword error/>
            <div class="form-actions"><Submit label=AccMsg::SetPassword pending=action.pending().into()/></div>
        </ActionForm>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let valid = Resource::new(token, check_password_reset);
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    view! {
        <NarrowPage title=AccMsg::ResetTitle testid="reset-password">
                <Loader resource=valid page=true let:_ok>
                    <p class="lead">{t(AccMsg::ResetIntro)}</p>
                    <ActionForm action=action attr:class="form" attr:novalidate=true>
                        <FormError error/>
                        <input type="hidden" name="token" value=token/>
                        <NewPassword label=AccMsg::NewPassword error/>
                        <div class="form-actions"><Submit label=AccMsg::SetPassword pending=action.pending().into()/></div>
                    </ActionForm>
                </Loader>
                <p class="muted"><LangLink href="/forgot-password">{t(AccMsg::ForgotTitle)}</LangLink></p>
            </NarrowPage>
    }
}
