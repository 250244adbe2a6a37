//! 消息 → 发件箱 `/ops/outbox`: every message the product sent or is sending, with its
//! delivery (attempts, the last error, the transport) and a re-send for one that failed
//! (audited). In development, `/ops/outbox/mailbox` shows what the development mailbox
//! received, in full (P7.1).

use crate::api::messages::{dev_mailbox, ResendOutbox};
use crate::api::review::list_outbox;
use crate::components::{
    action_error, load_once, successes, AreaHeader, Card, Col, DataTable, FormError, ItemButton,
    Label, LangLink, Loader, StatusBadge, Tab,
};
use crate::i18n::{outbox_channel_label, outbox_purpose_label, t, AccMsg, BizMsg, Msg};
use crate::model::outbox::{MailboxMessage, OutboxItem};
use leptos::prelude::*;

/// The page's title, the area's heading and its tabs.
#[component]
pub(super) fn OutboxTabs(#[prop(into)] title: Label) -> impl IntoView {
    view! {
        <AreaHeader title area=Msg::AreaOutbox>
            <Tab path="/ops/outbox" label=Msg::AreaOutbox exact=true/>
            <Tab path="/ops/outbox/announcements" label=crate::i18n::InboxMsg::AnnTitle/>
            <Tab path="/ops/outbox/mailbox" label=BizMsg::DevMailbox/>
        </AreaHeader>
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let resend = ServerAction::<ResendOutbox>::new();
    let resent = successes(resend);
    let items = Resource::new(move || resent.get(), |_| list_outbox());
    let row = move |m: OutboxItem| {
        let again = m.status.resendable();
        view! {
            <tr data-testid="outbox-row">
                <td>{m.created_at.china_display()}</td><td>{t(outbox_channel_label(m.channel))}</td><td>{m.recipient_masked}</td>
                <td>{m.subject}</td><td>{t(outbox_purpose_label(m.purpose))}</td>
                <td><StatusBadge status=m.status testid="outbox-status"/></td>
                <td class="num">{m.attempts}</td>
                <td>{m.transport}{(!m.last_error.is_empty()).then(|| view! { <br/><span class="muted" data-testid="outbox-error">{m.last_error}</span> })}</td>
                <td>{again.then(|| view! { <ItemButton action=resend value=m.id label=BizMsg::Resend testid="resend"/> })}</td>
            </tr>
        }
    };
    view! {
        <OutboxTabs title=BizMsg::OutboxTitle/>
        <p class="muted">{t(BizMsg::OutboxNotice)}</p>
        <FormError error=action_error(resend)/>
        <Loader resource=items let:list>
            <DataTable cols=vec![Col::new(AccMsg::Time), Col::new(BizMsg::Channel), Col::new(BizMsg::Recipient), Col::new(BizMsg::Subject), Col::new(BizMsg::Purpose), Col::new(AccMsg::Status), Col::num(BizMsg::Attempts), Col::new(BizMsg::Delivery), Col::new(Msg::Actions)]
                rows=list row testid="outbox"/>
        </Loader>
    }
}

fn mail_row(m: MailboxMessage) -> impl IntoView {
    view! {
        <article class="mail" data-testid="mail">
            <h2>{m.subject}</h2>
            <p class="muted">
                {t(outbox_channel_label(m.channel))} " · " <span data-testid="mail-to">{m.recipient}</span>
                " · " {m.delivered_at.map(|d| d.china_display())} " · " <code>{m.message_id}</code>
            </p>
            <pre class="mail-body" data-testid="mail-body">{m.body}</pre>
            {(!m.attachment.is_empty()).then(|| view! {
                <p class="muted" data-testid="mail-attachment">{t(BizMsg::Attachment)} ": " {m.attachment}</p>
            })}
        </article>
    }
}

/// `/ops/outbox/mailbox`: development only.
#[component]
pub fn MailboxPage() -> impl IntoView {
    view! {
        <OutboxTabs title=BizMsg::DevMailbox/>
        <p class="notice notice-info">{t(BizMsg::DevMailboxIntro)}</p>
        <Card testid="mailbox">
            <Loader resource=load_once(dev_mailbox) let:list>
                {if list.is_empty() {
                    view! { <p class="muted">{t(Msg::NoRows)}</p> }.into_any()
                } else {
                    list.into_iter().map(mail_row).collect_view().into_any()
                }}
            </Loader>
        </Card>
        <p><LangLink href="/ops/outbox">{t(Msg::AreaOutbox)}</LangLink></p>
    }
}
