//! 消息 → 发件箱 `/ops/outbox`: messages waiting for delivery (invitations, review results).
//! Until the messages capability sends them, they wait here in plain sight.

use crate::api::review::list_outbox;
use crate::components::{load_once, Col, DataTable, Loader, StatusBadge};
use crate::i18n::{outbox_channel_label, outbox_purpose_label, t, AccMsg, BizMsg, Msg};
use crate::model::outbox::OutboxItem;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let items = load_once(list_outbox);
    view! {
        <Title text=t(Msg::AreaOutbox)/>
        <h1 class="page-title">{t(Msg::AreaOutbox)}</h1>
        <p class="notice notice-info">{t(BizMsg::OutboxNotice)}</p>
        <Loader resource=items let:list>
            <DataTable cols=vec![Col::new(AccMsg::Time), Col::new(BizMsg::Channel), Col::new(BizMsg::Recipient), Col::new(BizMsg::Subject), Col::new(BizMsg::Purpose), Col::new(AccMsg::Status)]
                rows=list row=outbox_row testid="outbox"/>
        </Loader>
    }
}

fn outbox_row(m: OutboxItem) -> impl IntoView {
    view! {
        <tr>
            <td>{m.created_at.china_display()}</td><td>{t(outbox_channel_label(m.channel))}</td><td>{m.recipient_masked}</td>
            <td>{m.subject}</td><td>{t(outbox_purpose_label(m.purpose))}</td>
            <td><StatusBadge status=m.status/></td>
        </tr>
    }
}
