//! GET filter forms: they work before the WASM loads, and their results are linkable.

use super::Label;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;

/// A filter form: the language kept (a hidden field unless it is the default), the fields
/// given as children, and the submit button.
#[component]
pub fn FilterForm(
    #[prop(into)] submit: Label,
    /// A search (`role="search"`) rather than a filter.
    #[prop(optional)]
    search: bool,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form method="get" class="filters" role=search.then_some("search")>
            {move || (lang.get() != Lang::default()).then(|| view! {
                <input type="hidden" name="lang" value=lang.get().code()/>
            })}
            {children()}
            <button type="submit" class="btn btn-secondary">{move || submit.text(lang.get())}</button>
        </form>
    }
}

/// A labelled select of codes, preselected from the query; `all` (an empty value) first.
#[component]
pub fn CodeSelect(
    name: &'static str,
    #[prop(into)] label: Label,
    #[prop(into)] all: Label,
    /// Each option's code and label.
    options: Vec<(&'static str, Label)>,
    #[prop(into)] selected: Signal<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{name}");
    view! {
        <label for=id.clone()>{move || label.text(lang.get())}</label>
        <select id=id name=name>
            <option value="">{move || all.text(lang.get())}</option>
            {options.into_iter().map(|(code, text)| view! {
                <option value=code selected=move || selected.get() == code>{move || text.text(lang.get())}</option>
            }).collect_view()}
        </select>
    }
}

/// A select's options: each of `all` (a type's `ALL`) by its code, with its label.
pub fn code_options<T: Copy, L: Into<Label>>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> L,
) -> Vec<(&'static str, Label)> {
    all.iter().map(|&v| (code(v), label(v).into())).collect()
}

/// The values of the named query parameters (empty when absent), for a filtered page.
pub fn query_values<const N: usize>(
    names: [&'static str; N],
) -> impl Fn() -> [String; N] + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || query.with(|q| names.map(|n| q.get(n).unwrap_or_default()))
}
