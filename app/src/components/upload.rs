//! File upload with a progress bar (P1.1.1). The server renders a plain multipart form that
//! posts to the upload server function, so it works before the WASM loads (the server sends
//! the browser back, with any error in the URL). Once hydrated, the form is sent with
//! `XMLHttpRequest`, whose upload events drive the progress bar.

use crate::error::AppError;
use crate::i18n::{use_lang, BizMsg, Translate};
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;

/// The error a form post without JavaScript brought back in the URL (`__path`, `__err`), if
/// it came from `action`.
pub fn error_from_url(action: &'static str) -> Option<AppError> {
    let query = leptos_router::hooks::use_query_map();
    query.with_untracked(|q| {
        let path = q.get("__path")?;
        let err = q.get("__err")?;
        let ours = path
            .trim_end_matches('/')
            .ends_with(action.trim_start_matches('/'));
        ours.then(|| ServerFnUrlError::<AppError>::decode_err(&err))
    })
}

/// An upload form. `purpose`, when given, is sent as a hidden field before the file.
#[component]
pub fn FileUpload<K: Translate>(
    /// The server function's path (`/api/…`).
    action: &'static str,
    label: K,
    hint: K,
    accept: &'static str,
    /// `data-testid` of the form and the id of its file input.
    name: String,
    #[prop(optional)] purpose: Option<&'static str>,
    /// A hidden field sent before the file (`(name, value)`), such as the request it is for.
    #[prop(optional)]
    hidden: Option<(&'static str, String)>,
    /// Called with the server's JSON answer after a successful upload.
    on_done: Callback<String>,
    /// The latest error, for a parent that shows more of it (per-row errors).
    #[prop(optional)]
    error: Option<RwSignal<Option<AppError>>>,
    /// The largest file the server takes: a larger one is refused before it is sent.
    #[prop(optional)]
    max_bytes: Option<usize>,
    /// The button's words (default: upload).
    #[prop(optional)]
    submit: Option<K>,
    /// Further fields, sent before the file (an invoice's number, date and rate).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let error = error.unwrap_or_else(|| RwSignal::new(None));
    if let Some(e) = error_from_url(action) {
        error.set(Some(e));
    }
    let progress = RwSignal::new(None::<f64>);
    let id = format!("upload-{name}");
    let (form_id, label_for) = (id.clone(), id.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            ev.prevent_default();
            if progress.get_untracked().is_some() {
                return;
            }
            if let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            {
                let size = form
                    .query_selector("input[type=file]")
                    .ok()
                    .flatten()
                    .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .and_then(|i| i.files())
                    .and_then(|f| f.get(0))
                    .map(|f| f.size());
                if let (Some(max), Some(size)) = (max_bytes, size) {
                    if size > max as f64 {
                        let max_mb = (max >> 20) as u32;
                        error.set(Some(AppError::invalid(
                            "file",
                            crate::error::Rule::FileTooLarge { max_mb },
                        )));
                        return;
                    }
                }
                error.set(None);
                progress.set(Some(0.0));
                let sent = form.clone();
                send(form, action, progress, move |result| {
                    progress.set(None);
                    match result {
                        Ok(body) => {
                            sent.reset();
                            on_done.run(body)
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, on_done, max_bytes);
    };
    view! {
        <form class="upload" method="post" action=action enctype="multipart/form-data"
            on:submit=on_submit data-testid=form_id>
            {purpose.map(|p| view! { <input type="hidden" name="purpose" value=p/> })}
            {hidden.map(|(n, v)| view! { <input type="hidden" name=n value=v/> })}
            {children.map(|c| view! { <div class="upload-fields">{c()}</div> })}
            <label for=label_for>{move || label.text(lang.get())}</label>
            <div class="upload-row">
                <input id=id name="file" type="file" accept=accept required=true/>
                <button type="submit" class="btn btn-secondary" disabled=move || progress.get().is_some()>
                    {move || submit.map_or_else(|| BizMsg::Upload.text(lang.get()), |k| k.text(lang.get()))}
                </button>
            </div>
            <span class="hint">{move || hint.text(lang.get())}</span>
            {move || progress.get().map(|p| view! {
                <div class="upload-progress" role="status">
                    <progress max="100" value=format!("{:.0}", p * 100.0)></progress>
                    <span>{format!("{:.0}%", p * 100.0)}</span>
                </div>
            })}
            <span class="error" role="alert" data-field-error="file">
                {move || error.get().map(|e| e.field_message("file", lang.get()).unwrap_or_else(|| e.message(lang.get())))}
            </span>
        </form>
    }
}

/// Sends the form with progress events; `done` gets the outcome.
#[cfg(feature = "hydrate")]
fn send(
    form: web_sys::HtmlFormElement,
    action: &'static str,
    progress: RwSignal<Option<f64>>,
    done: impl FnOnce(Result<String, AppError>) + 'static,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let network = |e: wasm_bindgen::JsValue| AppError::Network(format!("{e:?}"));
    let start = || -> Result<web_sys::XmlHttpRequest, AppError> {
        let data = web_sys::FormData::new_with_form(&form).map_err(network)?;
        let xhr = web_sys::XmlHttpRequest::new().map_err(network)?;
        xhr.open("POST", action).map_err(network)?;
        xhr.set_request_header("Accept", "application/json")
            .map_err(network)?;
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.set(Some(e.loaded() / e.total()));
                }
            });
        xhr.upload()
            .map_err(network)?
            .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
        xhr.send_with_opt_form_data(Some(&data)).map_err(network)?;
        Ok(xhr)
    };
    let xhr = match start() {
        Ok(x) => x,
        Err(e) => return done(Err(e)),
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = {
        let xhr = xhr.clone();
        let done = done.clone();
        Closure::<dyn FnMut()>::new(move || {
            let Some(done) = done.borrow_mut().take() else {
                return;
            };
            let status = xhr.status().unwrap_or(0);
            let body = xhr.response_text().ok().flatten().unwrap_or_default();
            let result = if (200..300).contains(&status) {
                Ok(body)
            } else if status == 0 {
                Err(AppError::Network("upload interrupted".into()))
            } else {
                Err(serde_json::from_str::<AppError>(&body)
                    .unwrap_or(AppError::Network(format!("status {status}"))))
            };
            done(result);
        })
    };
    xhr.set_onloadend(Some(finish.as_ref().unchecked_ref()));
    finish.forget();
}

/// The per-line problems of an uploaded file (field errors named `L<line>:<field>`).
#[component]
pub fn RowErrors(error: RwSignal<Option<AppError>>) -> impl IntoView {
    use crate::i18n::FundMsg;
    let lang = use_lang();
    let label = |field: &str| match field {
        "order_id" => Some(FundMsg::OrderId),
        "payee_name" => Some(FundMsg::PayeeName),
        "id_number" => Some(FundMsg::IdNumber),
        "channel" => Some(FundMsg::Channel),
        "account" => Some(FundMsg::Account),
        "mobile" => Some(FundMsg::Mobile),
        "amount" => Some(FundMsg::Amount),
        "remark" => Some(FundMsg::Remark),
        "project" => Some(FundMsg::Project),
        "bank_ref" => Some(FundMsg::BankRef),
        "value_date" => Some(FundMsg::ValueDate),
        "payer_name" => Some(FundMsg::PayerName),
        "payer_account" => Some(FundMsg::PayerAccount),
        "receiving_account_no" => Some(FundMsg::ReceivingAccountNo),
        "bank_fee" => Some(FundMsg::BankFee),
        "file" => Some(FundMsg::WholeFile),
        _ => None,
    };
    move || {
        let Some(AppError::Invalid(errs)) = error.get() else {
            return None;
        };
        let rows: Vec<_> = errs
            .into_iter()
            .filter_map(|e| {
                let (line, field) = e.field.strip_prefix('L')?.split_once(':')?;
                let l = lang.get();
                let place = if line == "0" {
                    FundMsg::WholeFile.text(l).to_string()
                } else {
                    crate::i18n::text::line(l, line)
                };
                let name = label(field).map_or(field.to_string(), |m| m.text(l).to_string());
                Some(format!("{place} · {name}: {}", e.rule.message(l)))
            })
            .collect();
        (!rows.is_empty()).then(|| {
            view! {
                <div class="notice notice-error" role="alert" data-testid="row-errors">
                    <p>{FundMsg::RowErrors.text(lang.get())}</p>
                    <ul>{rows.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                </div>
            }
        })
    }
}
