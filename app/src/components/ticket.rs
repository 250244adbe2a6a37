//! What the portal's and the console's ticket pages share (issue 18 §3, P1.1.7): the header
//! with the recording notice and the verification state, the thread, and the live updates
//! (server-sent events; without scripts the page is complete and a reload shows new replies).

use crate::components::StatusBadge;
use crate::i18n::{
    system_note_label, t, text, ticket_category_label, use_lang, SupportMsg, Translate,
};
use crate::model::support::{Author, SystemNote, ThreadMessage, TicketSummary, Verification};
use leptos::prelude::*;

/// The ticket's subject, category, who opened it and when, and the recording notice (its
/// period from the data map).
#[component]
pub fn TicketHeader(ticket: TicketSummary, kept_days: u32) -> impl IntoView {
    let lang = use_lang();
    let category = ticket_category_label(ticket.category);
    view! {
        <h2 data-testid="ticket-subject">{ticket.subject.clone()}</h2>
        <p class="muted">{move || category.text(lang.get())} " · " {ticket.opened_by.clone()} " · " {ticket.created_at.china_display()}</p>
        <RecordingNotice kept_days/>
    }
}

/// Where the ticket stands and its verification state (shown with the live thread).
#[component]
pub fn TicketState(ticket: TicketSummary) -> impl IntoView {
    view! {
        <p>
            <StatusBadge status=ticket.status testid="ticket-status"/> " "
            <span data-testid="verification-state">
                {t(SupportMsg::Verification)} ": " <strong>{verification_text(ticket.verification)}</strong>
            </span>
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
    // The platform's notes are stored as codes: shown in the reader's language.
    let note = SystemNote::from_code(&m.body)
        .filter(|_| m.author == Author::System)
        .map(system_note_label);
    let body = m.body.clone();
    let text = move || note.map_or_else(|| body.clone(), |n| n.text(lang.get()).to_string());
    view! {
        <li class=class data-testid="thread-message" data-author=m.author.code()>
            <p class="muted"><strong>{who}</strong> " · " {m.at.china_display()}</p>
            {(!m.body.is_empty()).then(|| view! { <p class="pre-line">{text}</p> })}
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

/// What the live updates say, as two counts: `thread` goes up each time the ticket changed
/// (a message, a step), `forms` only when what its forms depend on changed (closed, resolved,
/// the verification asked for or given, rated). A page reloads its thread on the first and its
/// forms on the second, so what someone is typing survives the other side's replies.
#[derive(Clone, Copy)]
pub struct Live {
    pub thread: ReadSignal<u32>,
    pub forms: ReadSignal<u32>,
}

/// Listens to the ticket's stream at `events` (only in the browser; the stream reconnects by
/// itself when it ends or breaks, and starts with the ticket's version, so nothing between the
/// page's load and the connection is missed).
pub fn live_updates(events: impl Fn() -> String + Send + Sync + 'static) -> Live {
    let (thread, set_thread) = signal(0u32);
    let (forms, set_forms) = signal(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use std::cell::RefCell;
        use std::rc::Rc;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new(&events()) else {
            return;
        };
        // The versions seen last: the page was loaded with the first one the stream sends.
        let seen: Rc<RefCell<Option<(String, String)>>> = Rc::new(RefCell::new(None));
        let on_change =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let data = e.data().as_string().unwrap_or_default();
                let (all, form) = data.split_once('|').unwrap_or((data.as_str(), ""));
                let mut seen = seen.borrow_mut();
                if let Some((last_all, last_form)) = seen.as_ref() {
                    if last_all != all {
                        set_thread.try_update(|n| *n += 1);
                    }
                    if last_form != form {
                        set_forms.try_update(|n| *n += 1);
                    }
                }
                *seen = Some((all.to_string(), form.to_string()));
            });
        let _ =
            source.add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref());
        on_change.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (events, set_thread, set_forms);
    Live { thread, forms }
}

/// Says the thread updates by itself.
#[component]
pub fn LiveNote() -> impl IntoView {
    view! { <p class="muted" data-testid="live-note">{t(SupportMsg::Live)}</p> }
}
