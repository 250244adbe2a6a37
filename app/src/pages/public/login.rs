//! `/login`: password login for enterprise login persons (P5.2).

use crate::api::account::Login;
use crate::components::{action_error, load_once, Field, FormError, LangLink, NarrowPage, Submit};
use crate::i18n::{t, AccMsg, Msg};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let reset = move || query.read().get("reset").is_some();
    // The login name kept by the convenience cookie, only with that consent (P2.2).
    let remembered = load_once(crate::api::consent::remembered_login);
    view! {
        <NarrowPage title=Msg::LoginTitle testid="login">
                <p class="lead">{t(Msg::LoginIntro)}</p>
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
                <p class="muted">{t(AccMsg::NoAccountYet)} " " <LangLink href="/register">{t(Msg::NavRegister)}</LangLink></p>
            </NarrowPage>
    }
}
