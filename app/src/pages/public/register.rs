//! `/register`: register a login and apply for a business account (P0.2, P1.1.1, P5.4).
//! A visitor sees the registration form, which accepts the current privacy policy and account
//! terms, then enters the code e-mailed to them (`/register/verify/:id`, issue 14); a
//! logged-in applicant sees their application (its form or its status).

use super::application::ApplicationSection;
use crate::api::account::{whoami, Register};
use crate::api::policy::current_policies;
use crate::components::{
    action_error, load_once, AcceptTerms, Field, FormError, LangLink, Loader, LocalRedirect,
    NewPassword, PublicLayout, Submit,
};
use crate::i18n::{t, use_lang, AccMsg, Msg};
use crate::model::policy::{important_clauses, PolicySet};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RegisterPage() -> impl IntoView {
    // The form's action: once it succeeds, the server sends the browser to the code page.
    let action = ServerAction::<Register>::new();
    let me = Resource::new(|| (), |_| whoami());
    let signed_in = Signal::derive(move || matches!(me.get(), Some(Ok(Some(_)))));
    view! {
        <Title text=t(Msg::RegisterTitle)/>
        <PublicLayout signed_in>
            <Loader resource=me let:me>
                {match me {
                    None => view! { <RegistrationForm action/> }.into_any(),
                    Some(me) if me.enterprise.is_some() => view! { <LocalRedirect path="/portal"/> }.into_any(),
                    Some(me) => view! { <ApplicationSection me/> }.into_any(),
                }}
            </Loader>
        </PublicLayout>
    }
}

#[component]
fn RegistrationForm(action: ServerAction<Register>) -> impl IntoView {
    let policies = load_once(current_policies);
    let error = action_error(action);
    view! {
            <section class="card page-card" data-testid="register">
                <h1>{t(Msg::RegisterTitle)}</h1>
                <p class="lead">{t(Msg::RegisterIntro)}</p>
                <ol class="steps">
                    <li aria-current="step">{t(AccMsg::StepLogin)}</li>
                    <li>{t(AccMsg::StepApplication)}</li>
                    <li>{t(AccMsg::StepReview)}</li>
                </ol>
                <Loader resource=policies let:p>
    <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <FormError error/>
                                <Field label=AccMsg::Name name="name" error autocomplete="name" maxlength=40/>
                                <Field label=AccMsg::Mobile name="mobile" kind="tel" error autocomplete="tel"/>
                                <Field label=AccMsg::Email name="email" kind="email" error autocomplete="email"/>
                                <NewPassword label=AccMsg::Password error/>
                                <Acceptance policies=p/>
                                <AcceptTerms error/>
                                <div class="form-actions">
                                    <Submit label=AccMsg::RegisterSubmit pending=action.pending().into()/>
                                </div>
                            </ActionForm>
    </Loader>
                <p class="muted">{t(AccMsg::HaveAccount)} " " <LangLink href="/login">{t(Msg::NavLogin)}</LangLink></p>
            </section>
        }
}

/// The acceptance step: which versions are accepted, and their important clauses (P0.4).
#[component]
fn Acceptance(policies: PolicySet) -> impl IntoView {
    let lang = use_lang();
    let PolicySet { privacy, terms } = policies;
    let privacy_id = privacy.id.clone();
    let terms_id = terms.id.clone();
    let docs = [(Msg::PrivacyTitle, privacy), (Msg::TermsTitle, terms)];
    view! {
        <input type="hidden" name="privacy_version_id" value=privacy_id/>
        <input type="hidden" name="terms_version_id" value=terms_id/>
        // Scrolls on its own: focusable, so that keyboard users can scroll it too.
        <section class="acceptance" data-testid="important-clauses" aria-labelledby="acceptance-title" tabindex="0">
            <h2 id="acceptance-title">{t(AccMsg::ImportantClauses)}</h2>
            {docs.into_iter().map(|(title, doc)| {
                let version = doc.version.clone();
                view! {
                    <h3>{t(title)} " " {t(AccMsg::PolicyVersion)} " " {version}</h3>
                    <ul>
                        {move || important_clauses(doc.content(lang.get()))
                            .into_iter()
                            .map(|c| view! { <li><strong>{c.to_string()}</strong></li> })
                            .collect_view()}
                    </ul>
                }
            }).collect_view()}
        </section>
    }
}

/// `/register/verify/:id`: the code e-mailed at registration, then the one texted to the number
/// (issue 14). Works without JavaScript: the form posts, and the server redirects back here for
/// the texted code, then to the application form.
#[component]
pub fn RegisterVerifyPage() -> impl IntoView {
    use crate::api::account::{pending_registration, ConfirmRegistration};
    use crate::components::NarrowPage;
    use crate::model::account::{RegistrationOutcome, RegistrationStep};
    use leptos_router::hooks::use_params_map;
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let action = ServerAction::<ConfirmRegistration>::new();
    // Asked again once the e-mailed code was right: the page moves on to the texted one. (Not
    // after the last code: that registration is used up, and the page leaves.)
    let texted = Memo::new(move |before: Option<&bool>| {
        before.copied().unwrap_or(false)
            || matches!(action.value().get(), Some(Ok(RegistrationOutcome::Texted)))
    });
    let pending = Resource::new(
        move || (id(), texted.get()),
        |(id, _)| pending_registration(id),
    );
    let error = action_error(action);
    let lang = use_lang();
    view! {
        <NarrowPage title=AccMsg::VerifyTitle testid="register-verify">
            <Loader resource=pending page=true let:p>
                <p class="lead" data-testid="code-sent">{
                    let (email, mobile, step) = (p.email_masked.clone(), p.mobile_masked.clone(), p.step);
                    move || match (&mobile, step) {
                        (Some(m), RegistrationStep::Text) => crate::i18n::text::registration_text_sent(lang.get(), m),
                        (Some(m), RegistrationStep::Email) => crate::i18n::text::registration_code_then_text(lang.get(), &email, m),
                        (None, _) => crate::i18n::text::registration_code_sent(lang.get(), &email),
                    }
                }</p>
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <FormError error/>
                    <input type="hidden" name="id" value=id/>
                    {
                        // The code asked for now, and whether a texted one follows it.
                        let (code, submit) = match (p.mobile_masked.is_some(), p.step) {
                            (true, RegistrationStep::Text) => (AccMsg::SmsCode, AccMsg::VerifySubmit),
                            (true, RegistrationStep::Email) => (AccMsg::VerifyCode, AccMsg::VerifyNext),
                            (false, _) => (AccMsg::VerifyCode, AccMsg::VerifySubmit),
                        };
                        view! {
                            <Field label=code name="code" error autocomplete="one-time-code" maxlength=6/>
                            <div class="form-actions"><Submit label=submit pending=action.pending().into()/></div>
                        }
                    }
                </ActionForm>
            </Loader>
            <p class="muted"><LangLink href="/register">{t(AccMsg::RegisterAgain)}</LangLink></p>
        </NarrowPage>
    }
}
