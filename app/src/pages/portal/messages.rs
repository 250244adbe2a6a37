//! 消息中心 `/portal/messages` (P7.1, P7.2): the inbox, read one by one or all at once, and
//! `/portal/messages/preferences`: which categories reach the user on which channels, with
//! the locks the server enforces shown and explained, and the promotions switch, which is the
//! consent centre's purpose itself.

use super::MeResource;
use crate::api::inbox::{
    message_preferences, my_inbox, MarkAllMessagesRead, MarkMessageRead, SetMessageLang,
    SetMessagePreference,
};
use crate::api::privacy::SetPurpose;
use crate::components::{
    action_error, query_values, successes, AreaHeader, Card, FormError, ItemButton, ItemList,
    Loader, Tab,
};
use crate::i18n::{
    localized_href, message_category_label, message_channel_label, t, use_lang, InboxMsg, Msg,
    PolicyMsg, Translate,
};
use crate::model::messages::{Channel, InboxMessage, MessageCategory, Preference, Preferences};
use crate::model::Lang;
use leptos::prelude::*;

#[component]
fn MessagesTabs(title: InboxMsg) -> impl IntoView {
    view! {
        <AreaHeader title area=Msg::AreaMessages>
            <Tab path="/portal/messages" label=InboxMsg::TabInbox exact=true/>
            <Tab path="/portal/messages/preferences" label=InboxMsg::TabPreferences/>
        </AreaHeader>
    }
}

/// Reloads the shell's login (and so the top bar's unread badge) once `done` moves.
fn refresh_badge(done: Memo<u32>) {
    let me = use_context::<MeResource>();
    Effect::new(move |_| {
        if done.get() > 0 {
            if let Some(me) = me {
                me.0.refetch();
            }
        }
    });
}

#[component]
pub fn MessagesPage() -> impl IntoView {
    let read = ServerAction::<MarkMessageRead>::new();
    let all = ServerAction::<MarkAllMessagesRead>::new();
    let (one_done, all_done) = (successes(read), successes(all));
    let done = Memo::new(move |_| one_done.get() + all_done.get());
    refresh_badge(done);
    let cursor = query_values(["cursor"]);
    let inbox = Resource::new(
        move || (cursor(), done.get()),
        |([cursor], _)| my_inbox(Some(cursor)),
    );
    let lang = use_lang();
    let item = move |m: InboxMessage| view! { <InboxItem m read/> };
    view! {
        <MessagesTabs title=InboxMsg::Title/>
        <FormError error=action_error(read)/>
        <Loader resource=inbox page=true let:page>
            <Card testid="inbox">
                <div class="card-head">
                    <p data-testid="inbox-unread">{page.unread} " " {t(InboxMsg::UnreadBadge)}</p>
                    <ActionForm action=all attr:class="inline-form">
                        <button type="submit" class="btn btn-secondary btn-sm" data-testid="mark-all-read" disabled=page.unread == 0>
                            {t(InboxMsg::MarkAllRead)}
                        </button>
                    </ActionForm>
                </div>
                <ItemList items=page.messages item empty=InboxMsg::Empty class="inbox-list"/>
                {page.next_cursor.map(|c| view! {
                    <p class="table-more">
                        <a class="btn btn-ghost" data-testid="more" href=move || localized_href(&format!("/portal/messages?cursor={c}"), lang.get())>
                            {t(Msg::More)}
                        </a>
                    </p>
                })}
            </Card>
        </Loader>
    }
}

/// One message: its category, time and title; the text below; unread ones can be marked read.
#[component]
fn InboxItem(m: InboxMessage, read: ServerAction<MarkMessageRead>) -> impl IntoView {
    let lang = use_lang();
    let unread = m.read_at.is_none();
    let (title, body) = (m.title.clone(), m.body.clone());
    view! {
        <li class=if unread { "inbox-item unread" } else { "inbox-item" } data-testid="inbox-item">
            <p class="muted">
                <span class="badge badge-neutral">{t(message_category_label(m.category))}</span>
                " " {m.created_at.china_display()}
                {unread.then(|| view! { " " <span class="badge badge-pending" data-testid="unread">{t(InboxMsg::Unread)}</span> })}
            </p>
            <h2 class="inbox-title">{move || title.get(lang.get()).to_string()}</h2>
            <p class="inbox-body">{move || body.get(lang.get()).to_string()}</p>
            {unread.then(|| view! { <ItemButton action=read value=m.id.clone() label=InboxMsg::MarkRead testid="mark-read"/> })}
        </li>
    }
}

#[component]
pub fn MessagePreferencesPage() -> impl IntoView {
    let set = ServerAction::<SetMessagePreference>::new();
    let promotions = ServerAction::<SetPurpose>::new();
    let lang_action = ServerAction::<SetMessageLang>::new();
    let (a, b, c) = (
        successes(set),
        successes(promotions),
        successes(lang_action),
    );
    let prefs = Resource::new(
        move || (a.get(), b.get(), c.get()),
        |_| message_preferences(),
    );
    view! {
        <MessagesTabs title=InboxMsg::TabPreferences/>
        <FormError error=action_error(set)/>
        <FormError error=action_error(promotions)/>
        <FormError error=action_error(lang_action)/>
        <Loader resource=prefs page=true let:p>
            <PromotionsCard allowed=p.promotions_allowed action=promotions/>
            <SwitchTable p=p.clone() set/>
            <LangCard current=p.lang action=lang_action saved=c/>
        </Loader>
    }
}

/// The promotions purpose (P1.2): the same switch as the consent centre's.
#[component]
fn PromotionsCard(allowed: bool, action: ServerAction<SetPurpose>) -> impl IntoView {
    let (text, next, label) = if allowed {
        (InboxMsg::PromotionsOn, "off", InboxMsg::StopPromotions)
    } else {
        (InboxMsg::PromotionsOff, "on", InboxMsg::AllowPromotions)
    };
    view! {
        <Card title=InboxMsg::CatPromotion testid="promotions">
            <p data-testid="promotions-state">{t(text)}</p>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="purpose" value="promotions"/>
                <input type="hidden" name="on" value=next/>
                <button type="submit" class="btn btn-secondary btn-sm" data-testid="promotions-toggle">{t(label)}</button>
            </ActionForm>
        </Card>
    }
}

/// Every category × channel, each cell a switch or a lock.
#[component]
fn SwitchTable(p: Preferences, set: ServerAction<SetMessagePreference>) -> impl IntoView {
    let allowed = p.promotions_allowed;
    let cell = move |s: Preference| {
        let state = if s.on { PolicyMsg::On } else { PolicyMsg::Off };
        let control = if s.locked {
            view! { <span class="muted">{t(InboxMsg::Locked)}</span> }.into_any()
        } else if s.category == MessageCategory::Promotion && !allowed {
            // Off on every channel until promotions are allowed (the card above).
            view! { <span class="muted">{t(InboxMsg::AllowFirst)}</span> }.into_any()
        } else {
            let (next, label) = if s.on {
                ("off", PolicyMsg::TurnOff)
            } else {
                ("on", PolicyMsg::TurnOn)
            };
            view! {
                <ItemButton action=set name="category" value=s.category.code() label testid="pref-toggle" class="btn btn-ghost btn-sm">
                    <input type="hidden" name="channel" value=s.channel.code()/>
                    <input type="hidden" name="on" value=next/>
                </ItemButton>
            }
            .into_any()
        };
        view! {
            <td data-testid=format!("pref-{}-{}", s.category.code(), s.channel.code()) data-on=s.on.to_string()>
                <span class=if s.on { "badge badge-done" } else { "badge badge-neutral" }>{t(state)}</span> " " {control}
            </td>
        }
    };
    let rows = MessageCategory::ALL
        .iter()
        .map(|&category| {
            let cells: Vec<Preference> = p
                .switches
                .iter()
                .filter(|s| s.category == category)
                .cloned()
                .collect();
            view! {
                <tr>
                    <th scope="row">{t(message_category_label(category))}</th>
                    {cells.into_iter().map(cell).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <Card title=InboxMsg::TabPreferences testid="preferences">
            <p>{t(InboxMsg::PrefsIntro)}</p>
            <p class="notice notice-info" data-testid="mandatory-why">{t(InboxMsg::MandatoryWhy)}</p>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{t(InboxMsg::Category)}</th>
                            {Channel::ALL.iter().map(|&c| view! { <th scope="col">{t(message_channel_label(c))}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </Card>
    }
}

/// The language of e-mails and text messages.
#[component]
fn LangCard(
    current: Lang,
    action: ServerAction<SetMessageLang>,
    saved: ReadSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Card title=InboxMsg::Lang testid="message-lang">
            <ActionForm action attr:class="inline-form">
                <label class="sr-only" for="message-lang">{t(InboxMsg::Lang)}</label>
                <select id="message-lang" name="lang" data-testid="message-lang-select">
                    {Lang::ALL.iter().map(|&l| view! { <option value=l.code() selected=l == current>{l.native_name()}</option> }).collect_view()}
                </select>
                " "
                <button type="submit" class="btn btn-secondary btn-sm" data-testid="message-lang-save">{t(InboxMsg::Save)}</button>
            </ActionForm>
            <p aria-live="polite">{move || (saved.get() > 0).then(|| InboxMsg::Saved.text(lang.get()))}</p>
        </Card>
    }
}
