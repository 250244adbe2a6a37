//! `/ops/login`: operator login in two steps, password then TOTP code (P5.2).

use crate::api::ops::{ops_whoami, OpsLogin, OpsState, OpsTotp};
use crate::components::{
    action_error, successes, ErrorNotice, Field, FormError, LocalRedirect, PublicLayout, Submit,
};
use crate::i18n::{t, AccMsg, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpsLoginPage() -> impl IntoView {
    let password_step = ServerAction::<OpsLogin>::new();
    let totp_step = ServerAction::<OpsTotp>::new();
    // Reload the login state after a step succeeds only: a refused step keeps the form.
    let (passed, verified) = (successes(password_step), successes(totp_step));
    let state = Resource::new(move || (passed.get(), verified.get()), |_| ops_whoami());
    view! {
        <Title text=t(AccMsg::OpsLoginTitle)/>
        <PublicLayout>
            <section class="card page-card narrow" data-testid="ops-login">
                <h1>{t(AccMsg::OpsLoginTitle)}</h1>
                <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                    {move || state.get().map(|r| match r {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(OpsState::In(_)) => view! { <LocalRedirect path="/ops"/> }.into_any(),
                        Ok(OpsState::NeedsTotp) => {
                            let error = action_error(totp_step);
                            view! {
                                <p class="lead">{t(AccMsg::TotpIntro)}</p>
                                <ActionForm action=totp_step attr:class="form" attr:novalidate=true>
                                    <FormError error/>
                                    <Field label=AccMsg::TotpCode name="code" error autocomplete="one-time-code" maxlength=6/>
                                    <div class="form-actions"><Submit label=AccMsg::Verify pending=totp_step.pending().into()/></div>
                                </ActionForm>
                            }.into_any()
                        }
                        Ok(OpsState::Anonymous) => {
                            let error = action_error(password_step);
                            view! {
                                <p class="lead">{t(AccMsg::OpsLoginIntro)}</p>
                                <ActionForm action=password_step attr:class="form" attr:novalidate=true>
                                    <FormError error/>
                                    <Field label=AccMsg::OperatorLogin name="login" error autocomplete="username"/>
                                    <Field label=AccMsg::Password name="password" kind="password" error autocomplete="current-password"/>
                                    <div class="form-actions"><Submit label=AccMsg::Next pending=password_step.pending().into()/></div>
                                </ActionForm>
                            }.into_any()
                        }
                    })}
                </Suspense>
            </section>
        </PublicLayout>
    }
}
