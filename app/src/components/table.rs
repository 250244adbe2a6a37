//! The one data table: headers from message keys (right-aligned for amounts), a focusable
//! scroll container, and rows from the page (which says itself when there are none).

use crate::i18n::{use_lang, Lang, Translate};
use leptos::prelude::*;
use std::sync::Arc;

/// A column header.
#[derive(Clone)]
pub struct Col {
    label: Arc<dyn Fn(Lang) -> &'static str + Send + Sync>,
    num: bool,
}

impl Col {
    pub fn new(label: impl Translate) -> Col {
        Col {
            label: Arc::new(move |lang| label.text(lang)),
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

#[component]
pub fn DataTable(
    cols: Vec<Col>,
    /// The table's rows (`<tr>`s).
    children: Children,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-wrap" tabindex="0" data-testid=testid>
            <table>
                <thead>
                    <tr>
                        {cols
                            .into_iter()
                            .map(|c| {
                                let label = c.label.clone();
                                view! { <th class=c.num.then_some("num")>{move || label(lang.get())}</th> }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
