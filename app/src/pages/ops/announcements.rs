//! 消息 → 公告 `/ops/outbox/announcements` (P7.2, P5.5, P7.1): super-admins and privacy
//! officers write an announcement or a promotion in both languages, publish it now or at a
//! time, edit it (the public page and every inbox copy follow) and withdraw it. Each step is
//! audited; delivery to the inboxes is the delivery worker's.

use super::outbox::OutboxTabs;
use crate::api::announcement::{all_announcements, SaveAnnouncement, WithdrawAnnouncement};
use crate::components::{
    action_error, query_values, successes, Card, Col, DataTable, Field, FormError, ItemButton,
    LangLink, Loader, StatusBadge, Submit,
};
use crate::i18n::{announcement_kind_label, t, use_lang, AccMsg, InboxMsg, Msg};
use crate::model::announcement::{
    AnnouncementEntry, AnnouncementKind, AnnouncementStatus, BODY_MAX, TITLE_MAX,
};
use leptos::prelude::*;

#[component]
pub fn AnnouncementsPage() -> impl IntoView {
    let save = ServerAction::<SaveAnnouncement>::new();
    let withdraw = ServerAction::<WithdrawAnnouncement>::new();
    let (saved, withdrawn) = (successes(save), successes(withdraw));
    let list = Resource::new(
        move || (saved.get(), withdrawn.get()),
        |_| all_announcements(),
    );
    let edit = query_values(["edit"]);
    let lang = use_lang();
    let row = move |e: AnnouncementEntry| {
        let a = e.announcement;
        let title = a.title.clone();
        let open = e.status != AnnouncementStatus::Withdrawn;
        view! {
            <tr data-testid="announcement-row">
                <td>{a.published_at.china_display()}</td>
                <td>{t(announcement_kind_label(a.kind))}</td>
                <td>{move || title.get(lang.get()).to_string()}</td>
                <td><StatusBadge status=e.status testid="announcement-status"/></td>
                <td class="num" data-testid="announcement-recipients">{e.recipients}</td>
                <td>
                    {open.then(|| view! {
                        <LangLink href=format!("/ops/outbox/announcements?edit={}", a.id)>{t(InboxMsg::AnnEdit)}</LangLink>
                        " "
                        <ItemButton action=withdraw value=a.id.clone() label=InboxMsg::Withdraw testid="withdraw-announcement"/>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <OutboxTabs title=InboxMsg::AnnTitle/>
        <p class="muted">{t(InboxMsg::AnnIntro)}</p>
        <FormError error=action_error(withdraw)/>
        <Loader resource=list let:entries>
            {
                let [editing] = edit();
                let current = entries.iter().find(|e| e.announcement.id == editing).cloned();
                view! {
                    <AnnouncementForm save current/>
                    <DataTable cols=vec![Col::new(InboxMsg::PublishAt), Col::new(InboxMsg::AnnKind), Col::new(InboxMsg::TitleZh), Col::new(AccMsg::Status), Col::num(InboxMsg::Recipients), Col::new(Msg::Actions)]
                        rows=entries row testid="announcements"/>
                }
            }
        </Loader>
    }
}

/// The form: a new announcement, or the one being edited (its kind and time are fixed once
/// it was delivered).
#[component]
fn AnnouncementForm(
    save: ServerAction<SaveAnnouncement>,
    current: Option<AnnouncementEntry>,
) -> impl IntoView {
    let error = action_error(save);
    let a = current.as_ref().map(|e| e.announcement.clone());
    let kind = a
        .as_ref()
        .map(|a| a.kind)
        .unwrap_or(AnnouncementKind::Service);
    let text = |f: fn(&crate::model::announcement::Announcement) -> String| a.as_ref().map(f);
    let (title_zh, title_en) = (text(|a| a.title.zh.clone()), text(|a| a.title.en.clone()));
    let (body_zh, body_en) = (text(|a| a.body.zh.clone()), text(|a| a.body.en.clone()));
    // A scheduled one keeps its time unless the officer changes it.
    let scheduled = current
        .as_ref()
        .filter(|e| e.status == AnnouncementStatus::Scheduled)
        .map(|e| e.announcement.published_at.china_input());
    let heading = if a.is_some() {
        InboxMsg::AnnEdit
    } else {
        InboxMsg::AnnNew
    };
    let submit = if a.is_some() {
        InboxMsg::SaveChanges
    } else {
        InboxMsg::Publish
    };
    view! {
        <Card title=heading testid="announcement-form">
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="id" value=a.as_ref().map(|a| a.id.clone()).unwrap_or_default()/>
                <div class="field">
                    <label for="f-kind">{t(InboxMsg::AnnKind)}</label>
                    <select id="f-kind" name="kind" data-testid="announcement-kind">
                        {AnnouncementKind::ALL.iter().map(|&k| view! {
                            <option value=k.code() selected=k == kind>{t(announcement_kind_label(k))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label=InboxMsg::TitleZh name="title_zh" error value=title_zh.unwrap_or_default() maxlength=TITLE_MAX/>
                <Field label=InboxMsg::TitleEn name="title_en" error value=title_en.unwrap_or_default() maxlength=TITLE_MAX/>
                <Field label=InboxMsg::BodyZh name="body_zh" error value=body_zh.unwrap_or_default() maxlength=BODY_MAX multiline=true/>
                <Field label=InboxMsg::BodyEn name="body_en" error value=body_en.unwrap_or_default() maxlength=BODY_MAX multiline=true/>
                <Field label=InboxMsg::PublishAt name="publish_at" error kind="datetime-local" required=false value=scheduled.unwrap_or_default()/>
                <div class="form-actions"><Submit label=submit pending=save.pending().into()/></div>
            </ActionForm>
        </Card>
    }
}
