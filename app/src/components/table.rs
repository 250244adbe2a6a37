//! The one data table: headers from message keys (right-aligned for amounts), a sticky header
//! inside a focusable scroll container, an empty state, and a cursor "more" link. Pages give
//! the rows and one function that draws a row.

use crate::i18n::{localized_href, t, use_lang, Lang, Msg, Translate};
use leptos::prelude::*;
use std::sync::Arc;

/// A message key, whatever its table (for headers and empty states).
#[derive(Clone)]
pub struct Label(Arc<dyn Fn(Lang) -> &'static str + Send + Sync>);

impl Label {
    pub fn text(&self, lang: Lang) -> &'static str {
        (self.0)(lang)
    }
}

impl<M: Translate> From<M> for Label {
    fn from(m: M) -> Self {
        Label(Arc::new(move |lang| m.text(lang)))
    }
}

/// A column header.
#[derive(Clone)]
pub struct Col {
    label: Label,
    num: bool,
}

impl Col {
    pub fn new(label: impl Translate) -> Col {
        Col {
            label: label.into(),
            num: false,
        }
    }
    /// A column of amounts: right-aligned, tabular figures.
    pub fn num(label: impl Translate) -> Col {
        Col {
            num: true,
            ..Col::new(label)
        }
    }
}

/// A table of `rows`, each drawn by `row` as one `<tr>`. With no rows it shows `empty` (a
/// generic "nothing here yet" by default) instead of an empty table. `more` is the address
/// of the next page (cursor paging): a plain link, so it works before the WASM loads.
#[component]
pub fn DataTable<T, V, F>(
    cols: Vec<Col>,
    rows: Vec<T>,
    /// Draws one row (a `<tr>`).
    row: F,
    #[prop(optional, into)] empty: Option<Label>,
    /// The next page's address, if there is one.
    #[prop(default = None)]
    more: Option<String>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView
where
    T: 'static,
    F: Fn(T) -> V + 'static,
    V: IntoView + 'static,
{
    let lang = use_lang();
    let more = more.map(|href| {
        view! {
            <p class="table-more">
                <a class="btn btn-ghost" data-testid="more" href=move || localized_href(&href, lang.get())>
                    {t(Msg::More)}
                </a>
            </p>
        }
    });
    if rows.is_empty() {
        let label = empty.unwrap_or_else(|| Msg::NoRows.into());
        return view! {
            <EmptyNote label testid=testid.map(|id| format!("{id}-empty"))/>
            {more}
        }
        .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" data-testid=testid>
            <table>
                <thead>
                    <tr>
                        {cols
                            .into_iter()
                            .map(|c| {
                                let label = c.label.0.clone();
                                view! { <th scope="col" class=c.num.then_some("num")>{move || label(lang.get())}</th> }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{rows.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
        {more}
    }
    .into_any()
}

/// A list of `items`, each drawn by `item` as one `<li>`; `empty` when there are none.
#[component]
pub fn ItemList<T, V, F>(
    items: Vec<T>,
    item: F,
    #[prop(into)] empty: Label,
    class: &'static str,
) -> impl IntoView
where
    T: 'static,
    F: Fn(T) -> V + 'static,
    V: IntoView + 'static,
{
    if items.is_empty() {
        return view! { <EmptyNote label=empty testid=None/> }.into_any();
    }
    view! { <ul class=class>{items.into_iter().map(item).collect_view()}</ul> }.into_any()
}

/// What an empty table or list says instead.
#[component]
fn EmptyNote(label: Label, testid: Option<String>) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="muted table-empty" data-testid=testid>{move || label.text(lang.get())}</p> }
}
