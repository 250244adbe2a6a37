//! 隐私中心 `/portal/privacy`: the consent centre (P1.2, P1.3, P6.4), and the re-consent page
//! `/portal/policy-update` a user meets after a material policy change takes effect (P9).

use crate::api::policy::policy_update_page;
use crate::api::privacy::{my_frequent_areas, privacy_centre, SetPurpose};
use crate::components::{
    action_error, load_once, successes, use_platform_info, Col, ComplaintRoutes, CookieChoice,
    DataTable, FormError, LangLink, Loader, Tone,
};
use crate::i18n::{
    area_label, basis_text, history_label, localized_href, purpose_text, t, use_lang, Msg,
    PolicyMsg, Translate,
};
use crate::model::policy::{important_clauses, PolicyKind, PolicyVersion};
use crate::model::policy_change::{PolicyGate, PolicyUpdate};
use crate::model::purpose::{HistoryEntry, Purpose, PurposeState};
use leptos::prelude::*;
use leptos_meta::Title;

/// "You declined on …; review and accept" (P9).
#[component]
fn DeclinedNotice(gate: PolicyGate) -> impl IntoView {
    let lang = use_lang();
    gate.declined_at.map(|at| {
        view! {
            <div class="notice notice-warning" role="status" data-testid="policy-declined">
                <p>{move || crate::i18n::text::declined(lang.get(), at.china_display())}</p>
                <p><a class="btn btn-primary" href=move || localized_href("/portal/policy-update", lang.get())>{t(PolicyMsg::ReviewAgain)}</a></p>
            </div>
        }
    })
}

/// One purpose's row: what it is, its basis (and why it cannot be switched off), its state.
#[component]
fn PurposeRow(p: PurposeState, toggle: ServerAction<SetPurpose>) -> impl IntoView {
    let lang = use_lang();
    let (name, text) = purpose_text(p.purpose);
    let (basis, why) = basis_text(p.basis);
    let state = if p.on { PolicyMsg::On } else { PolicyMsg::Off };
    let control = match p.purpose {
        purpose if purpose.per_user_switch() => {
            let (next, label) = if p.on {
                ("off", PolicyMsg::TurnOff)
            } else {
                ("on", PolicyMsg::TurnOn)
            };
            view! {
                <ActionForm action=toggle attr:class="inline-form">
                    <input type="hidden" name="purpose" value=purpose.code()/>
                    <input type="hidden" name="on" value=next/>
                    <button type="submit" class="btn btn-secondary btn-sm" data-testid=format!("purpose-toggle-{}", purpose.code())
                        aria-label=move || format!("{}: {}", label.text(lang.get()), name.text(lang.get()))>
                        {t(label)}
                    </button>
                </ActionForm>
            }
            .into_any()
        }
        Purpose::ConvenienceCookies => view! {
            <a href="#cookies">{t(PolicyMsg::CookiesHere)}</a>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <tr data-testid=format!("purpose-{}", p.purpose.code())>
            <td><strong>{t(name)}</strong><br/><span class="muted">{t(text)}</span></td>
            <td>{t(basis)}{why.map(|w| view! { <br/><span class="muted" data-testid="purpose-why">{t(w)}</span> })}</td>
            <td>
                <span class=if p.on { Tone::Done.class() } else { Tone::Neutral.class() } data-testid="purpose-state">{t(state)}</span>
                {p.changed_at.map(|at| view! {
                    " " <span class="muted">{move || crate::i18n::text::since(lang.get(), at.china_display())}</span>
                })}
                " " {control}
            </td>
        </tr>
    }
}

#[component]
pub fn PrivacyCentrePage() -> impl IntoView {
    let toggle = ServerAction::<SetPurpose>::new();
    let done = successes(toggle);
    let (cookies_saved, set_cookies_saved) = signal(0u32);
    let centre = Resource::new(
        move || (done.get(), cookies_saved.get()),
        |_| privacy_centre(),
    );
    let purpose_row = move |p: PurposeState| view! { <PurposeRow p toggle/> };
    view! {
        <Title text=t(PolicyMsg::CentreTitle)/>
        <section class="card" data-testid="privacy-centre">
            <h1>{t(PolicyMsg::CentreTitle)}</h1>
            <p>{t(PolicyMsg::CentreIntro)}</p>
            <Suspense fallback=|| ()>
                {move || centre.get().and_then(Result::ok).and_then(|c| c.gate).map(|gate| view! { <DeclinedNotice gate/> })}
            </Suspense>
        </section>
        <section class="card" aria-labelledby="purposes-title">
            <h2 id="purposes-title">{t(PolicyMsg::Purposes)}</h2>
            <p>{t(PolicyMsg::PurposesIntro)}</p>
            <p class="notice notice-info" data-testid="withdrawal-note">{t(PolicyMsg::WithdrawalNote)}</p>
            <FormError error=action_error(toggle)/>
            <Loader resource=centre let:c>
                <DataTable cols=vec![Col::new(PolicyMsg::Purposes), Col::new(PolicyMsg::Basis), Col::new(PolicyMsg::Status)]
                    rows=c.purposes row=purpose_row testid="purposes"/>
            </Loader>
        </section>
        <section class="card" id="cookies" aria-labelledby="cookies-title">
            <h2 id="cookies-title">{t(PolicyMsg::PCookies)}</h2>
            <p>{t(PolicyMsg::CookiesHere)}</p>
            <CookieChoice changed=set_cookies_saved/>
        </section>
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{t(PolicyMsg::History)}</h2>
            <Loader resource=centre let:c>
                <DataTable cols=vec![Col::new(PolicyMsg::When), Col::new(PolicyMsg::What), Col::new(PolicyMsg::Detail)]
                    rows=c.history row=history_row empty=PolicyMsg::HistoryEmpty testid="consent-history"/>
            </Loader>
        </section>
        <super::data_held::DataHeldCard/>
        <PrivacyContact/>
    }
}

fn history_row(h: HistoryEntry) -> impl IntoView {
    view! {
        <tr>
            <td><time datetime=h.at.rfc3339()>{h.at.china_display()}</time></td>
            <td>{t(history_label(h.kind))}</td>
            <td><code>{h.detail}</code></td>
        </tr>
    }
}

/// Requests, whom to write to (a link that opens the mail program), who handles the
/// information and where it is stored (P4.1, P10.1), and where to complain (P10.2).
#[component]
fn PrivacyContact() -> impl IntoView {
    let info = use_platform_info();
    let lang = use_lang();
    view! {
        <section class="card">
            <Suspense fallback=|| ()>
                {move || info.get().and_then(Result::ok).map(|i| {
                    let mailto = format!("mailto:{}", i.contact_email);
                    let (operator, region) = (i.operator_name.clone(), i.storage_region.clone());
                    view! {
                        <p data-testid="privacy-requests-link">
                            {t(PolicyMsg::RequestsBefore)}
                            <LangLink href="/portal/privacy/requests">{t(crate::i18n::RightsMsg::CentreLink)}</LangLink>
                        </p>
                        <p data-testid="sharing-link">
                            <LangLink href="/portal/privacy/sharing">{t(crate::i18n::ShareMsg::CentreLink)}</LangLink>
                        </p>
                        <p data-testid="privacy-contact">
                            {t(PolicyMsg::ContactBefore)}<a href=mailto>{i.contact_email}</a>{t(PolicyMsg::ContactAfter)}
                        </p>
                        <dl class="facts">
                            <dt>{t(PolicyMsg::Operator)}</dt><dd data-testid="privacy-operator">{move || operator.get(lang.get()).to_string()}</dd>
                            <dt>{t(PolicyMsg::StorageRegion)}</dt><dd data-testid="storage-region">{move || region.get(lang.get()).to_string()}</dd>
                        </dl>
                        <ComplaintRoutes routes=i.complaint_routes/>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One document to accept again: its summary of changes and important clauses (P0.4, P9).
#[component]
fn VersionToAccept(doc: PolicyVersion) -> impl IntoView {
    let lang = use_lang();
    let title = match doc.kind {
        PolicyKind::Privacy => Msg::PrivacyTitle,
        PolicyKind::Terms => Msg::TermsTitle,
    };
    let href = format!("{}#changes", doc.href());
    let effective = doc.effective_at.china_display();
    let version = doc.version.clone();
    let content = doc.clone();
    view! {
        <article class="policy-update-doc" data-testid=format!("update-{}", doc.kind.code())>
            <h2>{t(title)} " " {version}</h2>
            <p class="muted">{t(PolicyMsg::Effective)} " " {effective}</p>
            <h3>{t(PolicyMsg::Changes)}</h3>
            <p>{let d = doc.clone(); move || d.summary(lang.get()).to_string()}</p>
            <h3>{t(PolicyMsg::ImportantClauses)}</h3>
            <ul class="important-clauses">
                {move || important_clauses(content.content(lang.get()))
                    .into_iter()
                    .map(|c| view! { <li><strong>{c.to_string()}</strong></li> })
                    .collect_view()}
            </ul>
            <p><a href=move || localized_href(&href, lang.get())>{t(PolicyMsg::ReadFull)}</a></p>
        </article>
    }
}

/// `/portal/policy-update`. Accepting and declining are the two buttons of a plain form: the
/// answer is a full page load, so the portal reads the gate afresh (with or without
/// JavaScript).
#[component]
pub fn PolicyUpdatePage() -> impl IntoView {
    let data = load_once(policy_update_page);
    view! {
        <Title text=t(PolicyMsg::UpdateTitle)/>
        <section class="card prose" data-testid="policy-update">
            <h1>{t(PolicyMsg::UpdateTitle)}</h1>
            <Loader resource=data page=true let:u>
                <PolicyUpdateForm u/>
            </Loader>
        </section>
    }
}

/// The documents to accept, and the accept/decline form (or "nothing to accept").
#[component]
fn PolicyUpdateForm(u: PolicyUpdate) -> impl IntoView {
    if u.versions.is_empty() {
        return view! {
            <p data-testid="policy-nothing">{t(PolicyMsg::NothingToAccept)}</p>
            <p><LangLink href="/portal">{t(Msg::NavPortal)}</LangLink></p>
        }
        .into_any();
    }
    view! {
        {u.gate.map(|gate| view! { <DeclinedNotice gate/> })}
        <p>{t(PolicyMsg::UpdateIntro)}</p>
        {u.versions.into_iter().map(|doc| view! { <VersionToAccept doc/> }).collect_view()}
        <div class="form-actions">
            <form method="post" action="/api/answer_policy_update" class="inline-form">
                <input type="hidden" name="privacy_version_id" value=u.privacy_id/>
                <input type="hidden" name="terms_version_id" value=u.terms_id/>
                <button type="submit" name="answer" value="accept" class="btn btn-primary" data-testid="policy-accept">{t(PolicyMsg::Accept)}</button>
                " "
                <button type="submit" name="answer" value="decline" class="btn btn-secondary" data-testid="policy-decline">{t(PolicyMsg::Decline)}</button>
            </form>
        </div>
        <p class="muted">{t(PolicyMsg::DeclineHint)}</p>
    }
    .into_any()
}

/// The overview's shortcuts to the areas the user works in most: shown only with personalised
/// features switched on (P1.2); the server reads nothing otherwise.
#[component]
pub fn FrequentAreas() -> impl IntoView {
    let lang = use_lang();
    // Asked only for a member (an applicant has no shortcuts, and would be refused); the
    // resource itself is always made, so that the server's and the browser's match.
    let me = super::use_me();
    let member = move || me.get().is_some_and(|m| m.enterprise.is_some());
    let areas = Resource::new(member, |member| async move {
        match member {
            true => my_frequent_areas().await,
            false => Ok(Vec::new()),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || areas.get().and_then(Result::ok).filter(|a| !a.is_empty()).map(|list| view! {
                <section class="card" data-testid="frequent-areas">
                    <h2>{t(PolicyMsg::Frequent)}</h2>
                    <ul class="shortcut-list">
                        {list.into_iter().map(|a| view! {
                            <li><a class="btn btn-secondary" href=move || localized_href(a.path(), lang.get())>{t(area_label(a))}</a></li>
                        }).collect_view()}
                    </ul>
                    <p class="muted">{t(PolicyMsg::FrequentHint)}</p>
                </section>
            })}
        </Suspense>
    }
}
