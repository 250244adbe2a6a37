//! Form pieces shared by every `ActionForm`: a labelled field with its inline error, the
//! form-level error, and a submit button that is disabled while submitting. Errors come from
//! the action's value, which Leptos also fills from the URL after a form post without
//! JavaScript, so the same markup serves both.

use super::Label;
use crate::error::AppError;
use crate::i18n::{use_lang, Translate};
use crate::model::account::password_strength;
use leptos::prelude::*;

/// The error of an action's last result.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// Counts an action's successes. Resources that must reload after a change key on this, not
/// on the action's version (which also moves on failures and would rebuild the form the user
/// is correcting).
pub fn successes<I, O>(action: ServerAction<I>) -> ReadSignal<u32>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let (count, set_count) = signal(0u32);
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            set_count.update(|n| *n += 1);
        }
    });
    count
}

/// Empties a form once its action succeeds (an invitation sent, a credit recorded), so that
/// the next entry starts blank and a second click cannot repeat the first. A refused submission
/// keeps what the user typed.
pub fn reset_on_success<I, O>(action: ServerAction<I>, form: NodeRef<leptos::html::Form>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            if let Some(f) = form.get_untracked() {
                f.reset();
            }
        }
    });
}

/// A labelled input with its hint and inline error (`aria-invalid`, `aria-describedby`).
#[component]
pub fn Field<K: Translate>(
    label: K,
    name: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] hint: Option<K>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    /// A `<textarea>` instead of an `<input>`.
    #[prop(optional)]
    multiline: bool,
    /// The element's id when two forms on a page have a field of the same name (default
    /// `f-<name>`).
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let id = id.map_or_else(|| format!("f-{name}"), str::to_string);
    let err_id = format!("{id}-error");
    let message = move || error.get().and_then(|e| e.field_message(name, lang.get()));
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.text(lang.get())}</label>
            {if multiline {
                view! {
                    <textarea
                        id=id
                        name=name
                        rows="3"
                        required=required
                        maxlength=maxlength
                        aria-invalid=move || if message().is_some() { "true" } else { "false" }
                        aria-describedby=err_id.clone()
                    >{value}</textarea>
                }.into_any()
            } else {
                view! {
                    <input
                        id=id
                        name=name
                        type=kind
                        value=value
                        autocomplete=autocomplete
                        required=required
                        maxlength=maxlength
                        aria-invalid=move || if message().is_some() { "true" } else { "false" }
                        aria-describedby=err_id.clone()
                    />
                }.into_any()
            }}
            {hint.map(|h| view! { <span class="hint">{move || h.text(lang.get())}</span> })}
            <span class="error" id=err_id data-field-error=name>{message}</span>
        </div>
    }
}

/// A labelled `<select>` of codes in a form, with its error under it (as [`Field`]). The first
/// option, `blank` (an empty value), is there when given: the form then asks for a choice.
#[component]
pub fn SelectField(
    #[prop(into)] label: Label,
    name: &'static str,
    error: Signal<Option<AppError>>,
    /// Each option's code and label.
    options: Vec<(&'static str, Label)>,
    #[prop(optional, into)] blank: Option<Label>,
    #[prop(optional, into)] selected: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{name}");
    let err_id = format!("f-{name}-error");
    let message = move || error.get().and_then(|e| e.field_message(name, lang.get()));
    let selected = selected.unwrap_or_default();
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.text(lang.get())}</label>
            <select id=id name=name data-testid=format!("select-{name}")
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=err_id.clone()>
                {blank.map(|b| view! { <option value="">{move || b.text(lang.get())}</option> })}
                {options.into_iter().map(|(code, text)| view! {
                    <option value=code selected=selected == code>{move || text.text(lang.get())}</option>
                }).collect_view()}
            </select>
            <span class="error" id=err_id data-field-error=name>{message}</span>
        </div>
    }
}

/// The form-level message of an error (its inline messages are under the fields).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div aria-live="polite">
            {move || error.get().map(|e| view! {
                <p class="notice notice-error" role="alert" data-testid="form-error">{e.message(lang.get())}</p>
            })}
        </div>
    }
}

/// A submit button, disabled while its action runs.
#[component]
pub fn Submit<K: Translate>(
    label: K,
    pending: Signal<bool>,
    #[prop(default = "btn btn-primary")] class: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <button type="submit" class=class disabled=move || pending.get() aria-busy=move || pending.get().to_string()>
            {move || label.text(lang.get())}
        </button>
    }
}

/// The live password-strength meter (P5.4): a bar and a sentence, updated as the user types.
/// The policy itself is enforced by the same rule on the server.
#[component]
pub fn PasswordMeter(password: ReadSignal<String>) -> impl IntoView {
    use crate::i18n::AccMsg;
    let lang = use_lang();
    let strength = Memo::new(move |_| password_strength(&password.get()));
    let label = move || {
        let s = strength.get();
        let key = if password.get().is_empty() {
            AccMsg::StrengthEmpty
        } else if !s.acceptable {
            AccMsg::StrengthWeak
        } else if s.score >= 4 {
            AccMsg::StrengthStrong
        } else if s.score == 3 {
            AccMsg::StrengthGood
        } else {
            AccMsg::StrengthFair
        };
        key.text(lang.get())
    };
    view! {
        <div class="strength" data-testid="password-strength" data-score=move || strength.get().score.to_string()>
            <meter min="0" max="4" low="2" high="3" optimum="4" value=move || strength.get().score.to_string()></meter>
            <span aria-live="polite">{label}</span>
        </div>
    }
}

/// A counter that moves every `every_ms` while `busy()` holds (in the browser; the server
/// renders once). A resource keyed on it reloads by itself, e.g. while payouts settle.
pub fn poll_while(
    busy: impl Fn() -> bool + Send + Sync + 'static,
    every_ms: u64,
) -> ReadSignal<u32> {
    let (tick, set_tick) = signal(0u32);
    Effect::new(move |_| {
        if busy() {
            leptos::prelude::set_timeout(
                move || set_tick.update(|n| *n += 1),
                std::time::Duration::from_millis(every_ms),
            );
        }
    });
    tick
}
