//! What the portal's and the console's ticket pages share (issue 18 §3, P1.1.7): the header
//! with the recording notice and the verification state, the thread, and the live updates
//! (server-sent events; without scripts the page is complete and a reload shows new replies).

use crate::components::StatusBadge;
use crate::i18n::{t, text, ticket_category_label, use_lang, SupportMsg, Translate};
use crate::model::support::{Author, ThreadMessage, TicketSummary, Verification};
use leptos::prelude::*;

/// The ticket's subject, status, category, who opened it and when, the recording notice (its
/// period from the data map) and the verification state.
#[component]
pub fn TicketHeader(ticket: TicketSummary, kept_days: u32) -> impl IntoView {
    let lang = use_lang();
    let category = ticket_category_label(ticket.category);
    view! {
        <h2 data-testid="ticket-subject">{ticket.subject.clone()}</h2>
        <p>
            <StatusBadge status=ticket.status testid="ticket-status"/> " "
            <span class="muted">{move || category.text(lang.get())} " · " {ticket.opened_by.clone()} " · " {ticket.created_at.china_display()}</span>
        </p>
        <RecordingNotice kept_days/>
        <p data-testid="verification-state">
            {t(SupportMsg::Verification)} ": " <strong>{verification_text(ticket.verification)}</strong>
        </p>
    }
}

/// "This conversation is recorded and kept for N days after closing" (P1.1.7).
#[component]
pub fn RecordingNotice(kept_days: u32) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice notice-info" data-testid="recording-notice">
            {move || text::support_recorded(lang.get(), kept_days)}
        </p>
    }
}

/// The verification state in words.
pub fn verification_text(v: Verification) -> impl Fn() -> &'static str + Send + Sync + 'static {
    let lang = use_lang();
    let key = match v {
        Verification::NotRequested => SupportMsg::VNotRequested,
        Verification::Requested { .. } => SupportMsg::VRequested,
        Verification::Verified { .. } => SupportMsg::VVerified,
    };
    move || key.text(lang.get())
}

/// The thread, oldest first. `files` is the path files are read under (`/support/files` or
/// `/support/ops/files`).
#[component]
pub fn Thread(messages: Vec<ThreadMessage>, files: &'static str) -> impl IntoView {
    view! {
        <ol class="thread" data-testid="thread" aria-live="polite">
            {messages.into_iter().map(|m| message(m, files)).collect_view()}
        </ol>
    }
}

fn message(m: ThreadMessage, files: &'static str) -> impl IntoView {
    let lang = use_lang();
    let class = match m.author {
        Author::Customer => "thread-message from-customer",
        Author::Operator => "thread-message from-operator",
        Author::System => "thread-message from-system",
    };
    let who = match m.author {
        Author::System => SupportMsg::System.text(lang.get_untracked()).to_string(),
        _ => m.author_name.clone(),
    };
    view! {
        <li class=class data-testid="thread-message" data-author=m.author.code()>
            <p class="muted"><strong>{who}</strong> " · " {m.at.china_display()}</p>
            {(!m.body.is_empty()).then(|| view! { <p class="pre-line">{m.body.clone()}</p> })}
            {m.attachments.into_iter().map(|a| {
                let href = format!("{files}/{}", a.id);
                view! {
                    <p>{t(SupportMsg::Attachment)} ": "
                        <a href=href target="_blank" rel="noopener" data-testid="ticket-file">{a.name}</a>
                        <span class="muted">{format!(" ({} KB)", (a.size + 1023) / 1024)}</span>
                    </p>
                }
            }).collect_view()}
        </li>
    }
}

/// A count that goes up each time the server says the ticket at `events` (the stream's path)
/// changed; a resource keyed on it reloads the page's data. Only in the browser: the stream
/// reconnects by itself when it ends or breaks.
pub fn live_updates(events: impl Fn() -> String + Send + Sync + 'static) -> ReadSignal<u32> {
    let (changes, set_changes) = signal(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new(&events()) else {
            return;
        };
        let on_change = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
            set_changes.try_update(|n| *n += 1);
        });
        let _ =
            source.add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref());
        on_change.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (events, set_changes);
    changes
}

/// Says the thread updates by itself.
#[component]
pub fn LiveNote() -> impl IntoView {
    view! { <p class="muted" data-testid="live-note">{t(SupportMsg::Live)}</p> }
}
