//! `/ops/login`: operator login in two steps, password then TOTP code (P5.2).

use crate::api::ops::{ops_whoami, OpsLogin, OpsState, OpsTotp};
use crate::components::{
    action_error, successes, Field, FormError, Loader, LocalRedirect, NarrowPage, Submit,
};
use crate::i18n::{t, AccMsg};
use leptos::prelude::*;

#[component]
pub fn OpsLoginPage() -> impl IntoView {
    let password_step = ServerAction::<OpsLogin>::new();
    let totp_step = ServerAction::<OpsTotp>::new();
    // Reload the login state after a step succeeds only: a refused step keeps the form.
    let (passed, verified) = (successes(password_step), successes(totp_step));
    let state = Resource::new(move || (passed.get(), verified.get()), |_| ops_whoami());
    view! {
        <NarrowPage title=AccMsg::OpsLoginTitle testid="ops-login">
                <Loader resource=state let:state>
                    {match state {
                        OpsState::In(_) => view! { <LocalRedirect path="/ops"/> }.into_any(),
                        OpsState::NeedsTotp => view! { <TotpStep action=totp_step/> }.into_any(),
                        OpsState::Anonymous => view! { <PasswordStep action=password_step/> }.into_any(),
                    }}
                </Loader>
            </NarrowPage>
    }
}

/// The first step: login name and password.
#[component]
fn PasswordStep(action: ServerAction<OpsLogin>) -> impl IntoView {
    let error = action_error(action);
    let query = leptos_router::hooks::use_query_map();
    // `?enrolled=1` after an operator finished their enrolment.
    let enrolled = move || query.read().get("enrolled").is_some();
    view! {
        {move || enrolled().then(|| view! {
            <p class="notice notice-success" role="status" data-testid="operator-enrolled">{t(crate::i18n::OpMsg::Enrolled)}</p>
        })}
        <p class="lead">{t(AccMsg::OpsLoginIntro)}</p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormError error/>
            <Field label=AccMsg::OperatorLogin name="login" error autocomplete="username"/>
            <Field label=AccMsg::Password name="password" kind="password" error autocomplete="current-password"/>
            <div class="form-actions"><Submit label=AccMsg::Next pending=action.pending().into()/></div>
        </ActionForm>
    }
}

/// The second step: the code from the authenticator app.
#[component]
fn TotpStep(action: ServerAction<OpsTotp>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <p class="lead">{t(AccMsg::TotpIntro)}</p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormError error/>
            <Field label=AccMsg::TotpCode name="code" error autocomplete="one-time-code" maxlength=6/>
            <div class="form-actions"><Submit label=AccMsg::Verify pending=action.pending().into()/></div>
        </ActionForm>
    }
}
