//! 隐私 → 安全事件 `/ops/privacy/incidents` (P5.5, privacy officers): the incident records;
//! `/ops/privacy/incidents/:id`: the record with its timeline, "send to N people" after a
//! preview of the notice, the result per person, and the public notice.

use crate::api::incidents::{
    get_incident, list_incidents, AnnounceIncident, NotifyIncident, SaveIncident,
};
use crate::components::{
    action_error, load_once, successes, AreaHeader, Card, Col, DataTable, Field, FormError,
    ItemButton, Label, LangLink, Loader, StatusBadge, Submit, Tab,
};
use crate::i18n::{t, use_lang, AccMsg, IncMsg, Msg, Translate};
use crate::model::incident::{
    Incident, IncidentForm, IncidentSummary, PersonResult, TEXT_MAX, TITLE_MAX,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The privacy area's heading and tabs (rights requests, policy versions, incidents).
#[component]
pub(super) fn PrivacyTabs(#[prop(into)] title: Label) -> impl IntoView {
    view! {
        <AreaHeader title area=Msg::AreaOpsPrivacy>
            <Tab path="/ops/privacy/requests" label=crate::i18n::RightsMsg::Queue/>
            <Tab path="/ops/privacy/policies" label=crate::i18n::PolicyMsg::VersionsTitle/>
            <Tab path="/ops/privacy/agreement" label=crate::i18n::SignMsg::AgreementTitle/>
            <Tab path="/ops/privacy/incidents" label=IncMsg::Title/>
            <Tab path="/ops/privacy/sharing" label=crate::i18n::ShareMsg::RegisterTitle/>
            <Tab path="/ops/privacy/disclosures" label=crate::i18n::ShareMsg::DisclosuresTitle/>
            <Tab path="/ops/privacy/transfers" label=crate::i18n::ShareMsg::TransfersTitle/>
        </AreaHeader>
    }
}

#[component]
pub fn IncidentsPage() -> impl IntoView {
    let save = ServerAction::<SaveIncident>::new();
    let lang = use_lang();
    let row = move |i: IncidentSummary| {
        let title = i.title.clone();
        view! {
            <tr data-testid="incident-row">
                <td>{i.discovered_at.china_display()}</td>
                <td><LangLink href=format!("/ops/privacy/incidents/{}", i.id)>{move || title.get(lang.get()).to_string()}</LangLink></td>
                <td>{i.notified_at.map(|t| t.china_display()).unwrap_or_else(|| "—".into())}</td>
                <td>{move || if i.announced { IncMsg::Yes.text(lang.get()) } else { "—" }}</td>
            </tr>
        }
    };
    view! {
        <PrivacyTabs title=IncMsg::Title/>
        <p class="muted">{t(IncMsg::Intro)}</p>
        <Loader resource=load_once(list_incidents) let:list>
            <DataTable cols=vec![Col::new(IncMsg::DiscoveredAt), Col::new(IncMsg::TitleZh), Col::new(IncMsg::NotifiedAtCol), Col::new(IncMsg::PublicNotice)]
                rows=list row testid="incidents"/>
        </Loader>
        <Card title=IncMsg::New testid="incident-new">
            <IncidentFields save form=IncidentForm::default() id=String::new()/>
        </Card>
    }
}

/// The record's fields (new or edited).
#[component]
fn IncidentFields(
    save: ServerAction<SaveIncident>,
    form: IncidentForm,
    id: String,
) -> impl IntoView {
    let error = action_error(save);
    let f = form;
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <FormError error/>
            <input type="hidden" name="id" value=id/>
            <Field label=IncMsg::TitleZh name="title_zh" error value=f.title_zh maxlength=TITLE_MAX/>
            <Field label=IncMsg::TitleEn name="title_en" error value=f.title_en maxlength=TITLE_MAX/>
            <Field label=IncMsg::WhatHappened name="what_happened" error value=f.what_happened maxlength=TEXT_MAX multiline=true/>
            <Field label=IncMsg::DiscoveredAt name="discovered_at" error value=f.discovered_at kind="datetime-local"/>
            <Field label=IncMsg::Impact name="impact" error value=f.impact maxlength=TEXT_MAX multiline=true/>
            <Field label=IncMsg::Measures name="measures" error value=f.measures maxlength=TEXT_MAX multiline=true/>
            <Field label=IncMsg::AdviceZh name="advice_zh" error value=f.advice_zh maxlength=TEXT_MAX multiline=true/>
            <Field label=IncMsg::AdviceEn name="advice_en" error value=f.advice_en maxlength=TEXT_MAX multiline=true/>
            <Field label=IncMsg::Remedies name="remedies" error value=f.remedies maxlength=TEXT_MAX multiline=true/>
            <Field label=IncMsg::ReportedAt name="reported_at" error value=f.reported_at kind="datetime-local" required=false/>
            <Field label=IncMsg::Enterprises name="enterprises" error value=f.enterprises multiline=true hint=IncMsg::EnterprisesHint/>
            <div class="form-actions"><Submit label=IncMsg::Save pending=save.pending().into()/></div>
        </ActionForm>
    }
}

#[component]
pub fn IncidentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let save = ServerAction::<SaveIncident>::new();
    let notify = ServerAction::<NotifyIncident>::new();
    let announce = ServerAction::<AnnounceIncident>::new();
    // Reloaded after every answer, a refusal too (a changed number must show at once).
    let (a, b, c) = (successes(save), notify.version(), announce.version());
    let incident = Resource::new(
        move || (id(), a.get(), b.get(), c.get()),
        |(id, ..)| get_incident(id),
    );
    view! {
        <PrivacyTabs title=IncMsg::Title/>
        <FormError error=action_error(notify)/>
        <FormError error=action_error(announce)/>
        <Loader resource=incident page=true let:i>
            <NotifyCard i=i.clone() notify announce/>
            <ResultsCard results=i.results.clone()/>
            <Card title=IncMsg::Timeline testid="incident-timeline">
                <ol class="timeline">
                    {i.timeline.iter().map(|e| view! { <li>{e.at.china_display()} " · " {e.actor.clone()} " · " {e.what.clone()}</li> }).collect_view()}
                </ol>
            </Card>
            <Card title=IncMsg::Record testid="incident-record">
                <IncidentFields save form=i.form.clone() id=i.id.clone()/>
            </Card>
        </Loader>
    }
}

/// Who is affected, the confirmed "send to N people", and the public notice.
#[component]
fn NotifyCard(
    i: Incident,
    notify: ServerAction<NotifyIncident>,
    announce: ServerAction<AnnounceIncident>,
) -> impl IntoView {
    let lang = use_lang();
    let n = i.affected;
    let names = i.enterprise_names.join("、");
    view! {
        <Card title=IncMsg::Notify testid="incident-notify">
            <p>{t(IncMsg::Affected)} " " {names} " · " <strong data-testid="affected-count">{n}</strong> " " {t(IncMsg::People)}</p>
            {i.notified_at.map(|at| view! {
                <p class="notice notice-success" data-testid="notified">{t(IncMsg::NotifiedAt)} " " {at.china_display()}</p>
            })}
            {(i.untold > 0).then(|| {
                let n = i.untold;
                let (title, body) = (i.notice_title.clone(), i.notice_body.clone());
                view! {
                    <p class="muted">{t(IncMsg::NotifyPreview)}</p>
                    {i.notified_at.is_some().then(|| view! { <p class="notice" data-testid="untold">{t(IncMsg::Untold)}</p> })}
                    <blockquote class="notice-preview" data-testid="notice-preview">
                        <p><strong>{move || title.get(lang.get()).to_string()}</strong></p>
                        <p class="inbox-body">{move || body.get(lang.get()).to_string()}</p>
                    </blockquote>
                    <ItemButton action=notify value=i.id.clone() label=IncMsg::Send class="btn btn-primary" testid="notify">
                        <input type="hidden" name="expected" value=n.to_string()/>
                    </ItemButton>
                    <span class="muted">" → " {n} " " {t(IncMsg::People)}</span>
                }
            })}
            {match i.announcement_id {
                Some(a) => view! { <p><LangLink href=format!("/announcements/{a}")>{move || IncMsg::PublicNotice.text(lang.get())}</LangLink></p> }.into_any(),
                None => view! {
                    <p class="muted">{t(IncMsg::PublicNoticeWhy)}</p>
                    <ItemButton action=announce value=i.id.clone() label=IncMsg::Publish testid="announce-incident"/>
                }.into_any(),
            }}
        </Card>
    }
}

#[component]
fn ResultsCard(results: Vec<PersonResult>) -> impl IntoView {
    let lang = use_lang();
    let row = move |p: PersonResult| {
        let badge = move |s: Option<crate::model::outbox::OutboxStatus>| {
            s.map(|s| view! { <StatusBadge status=s/> })
        };
        view! {
            <tr data-testid="incident-result">
                <td>{p.name}</td><td>{p.enterprise}</td>
                <td>{move || if p.in_site { IncMsg::Yes.text(lang.get()) } else { "—" }}</td>
                <td>{p.read_at.map(|t| t.china_display()).unwrap_or_else(|| "—".into())}</td>
                <td>{badge(p.email)}</td><td>{badge(p.sms)}</td>
            </tr>
        }
    };
    view! {
        <Card title=IncMsg::Results testid="incident-results">
            <DataTable cols=vec![Col::new(AccMsg::Name), Col::new(IncMsg::Enterprise), Col::new(IncMsg::InSite), Col::new(IncMsg::Read), Col::new(IncMsg::Email), Col::new(IncMsg::Sms)]
                rows=results row testid="incident-results-table"/>
        </Card>
    }
}
