//! `/invite/:token`: an invited login person sets their password, accepts the policy and
//! terms, and joins the enterprise (P1.1.2, P0.2).

use crate::api::members::{invite_preview, AcceptInvite};
use crate::api::policy::current_policies;
use crate::components::{
    action_error, ErrorNotice, FormError, PasswordMeter, PublicLayout, Submit,
};
use crate::error::AppError;
use crate::i18n::{localized_href, t, use_lang, AccMsg, MemMsg, Msg};
use crate::model::conflict::Conflict;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let details = Resource::new(token, invite_preview);
    let policies = Resource::new(|| (), |_| current_policies());
    let accept = ServerAction::<AcceptInvite>::new();
    let error = action_error(accept);
    let (password, set_password) = signal(String::new());
    view! {
        <Title text=t(MemMsg::InviteTitle)/>
        <PublicLayout>
            <section class="card page-card narrow" data-testid="invite-accept">
                <h1>{t(MemMsg::InviteTitle)}</h1>
                <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                    {move || details.get().map(|r| match r {
                        Err(e) => {
                            crate::pages::set_http_status(e.status());
                            let used = matches!(e, AppError::Conflict(Conflict::InviteUsed | Conflict::InviteExpired));
                            view! {
                                {if used {
                                    view! { <p class="notice notice-error" role="alert">{t(MemMsg::InviteUnusable)}</p> }.into_any()
                                } else {
                                    view! { <ErrorNotice error=e/> }.into_any()
                                }}
                            }.into_any()
                        }
                        Ok(d) => view! {
                            <p class="lead">{d.enterprise_name.clone()} " · " {d.name.clone()}</p>
                            <dl class="facts">
                                <div><dt>{t(AccMsg::Mobile)}</dt><dd>{d.mobile_masked.clone()}</dd></div>
                                <div><dt>{t(AccMsg::Email)}</dt><dd>{d.email_masked.clone()}</dd></div>
                            </dl>
                            {move || policies.get().map(|p| match p {
                                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                                Ok(p) => view! {
                                    <ActionForm action=accept attr:class="form" attr:novalidate=true>
                                        <FormError error/>
                                        <input type="hidden" name="token" value=token/>
                                        <input type="hidden" name="privacy_version_id" value=p.privacy.id.clone()/>
                                        <input type="hidden" name="terms_version_id" value=p.terms.id.clone()/>
                                        <div class="field">
                                            <label for="f-password">{t(MemMsg::ChoosePassword)}</label>
                                            <input id="f-password" name="password" type="password" autocomplete="new-password" required=true
                                                on:input=move |ev| set_password.set(event_target_value(&ev))/>
                                            <span class="hint">{t(AccMsg::PasswordPolicy)}</span>
                                            <PasswordMeter password/>
                                            <span class="error" data-field-error="password">
                                                {move || error.get().and_then(|e| e.field_message("password", lang.get()))}
                                            </span>
                                        </div>
                                        <div class="field">
                                            <label class="check">
                                                <input type="checkbox" name="accept" value="on"/>
                                                <span>
                                                    {t(AccMsg::AcceptPrefix)} " "
                                                    <a href=move || localized_href("/privacy", lang.get()) target="_blank">{t(Msg::PrivacyTitle)}</a>
                                                    " " {t(AccMsg::And)} " "
                                                    <a href=move || localized_href("/terms", lang.get()) target="_blank">{t(Msg::TermsTitle)}</a>
                                                    " (" {t(AccMsg::PolicyVersion)} " " {p.privacy.version.clone()} " / " {p.terms.version.clone()} ")"
                                                </span>
                                            </label>
                                            <span class="error" data-field-error="accept">
                                                {move || error.get().and_then(|e| e.field_message("accept", lang.get()))}
                                            </span>
                                        </div>
                                        <div class="form-actions"><Submit label=MemMsg::Join pending=accept.pending().into()/></div>
                                    </ActionForm>
                                }.into_any(),
                            })}
                        }.into_any(),
                    })}
                </Suspense>
            </section>
        </PublicLayout>
    }
}
