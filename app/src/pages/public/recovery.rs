//! Forgotten passwords (P5.2): `/forgot-password` asks for the mobile number or e-mail
//! address and always answers the same; `/reset-password/:token` sets the new password.

use crate::api::recovery::{check_password_reset, RequestPasswordReset, ResetPassword};
use crate::components::{
    action_error, Field, FormError, LangLink, Loader, NewPassword, PublicLayout, Submit,
};
use crate::i18n::{t, AccMsg, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let query = use_query_map();
    // `?sent=1` after the form was posted (with or without the WASM client).
    let sent =
        move || query.read().get("sent").is_some() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=t(AccMsg::ForgotTitle)/>
        <PublicLayout>
            <section class="card page-card narrow" data-testid="forgot-password">
                <h1>{t(AccMsg::ForgotTitle)}</h1>
                <p class="lead">{t(AccMsg::ForgotIntro)}</p>
                {move || sent().then(|| view! {
                    <p class="notice notice-success" role="status" data-testid="reset-sent">{t(AccMsg::ResetSent)}</p>
                })}
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <FormError error/>
                    <Field label=AccMsg::LoginId name="login" error autocomplete="username"/>
                    <div class="form-actions"><Submit label=AccMsg::SendResetLink pending=action.pending().into()/></div>
                </ActionForm>
                <p class="muted"><LangLink href="/login">{t(Msg::NavLogin)}</LangLink></p>
            </section>
        </PublicLayout>
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
        <Title text=t(AccMsg::ResetTitle)/>
        <PublicLayout>
            <section class="card page-card narrow" data-testid="reset-password">
                <h1>{t(AccMsg::ResetTitle)}</h1>
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
            </section>
        </PublicLayout>
    }
}
