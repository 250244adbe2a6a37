//! File upload with a progress bar (P1.1.1). The server renders a plain multipart form that
//! posts to the upload server function, so it works before the WASM loads (the server sends
//! the browser back, with any error in the URL). Once hydrated, the form is sent with
//! `XMLHttpRequest`, whose upload events drive the progress bar.

use crate::error::AppError;
use leptos::server_fn::error::ServerFnUrlError;

const UPLOAD_PATH: &str = "/api/upload_application_file";
use crate::i18n::{use_lang, BizMsg, Translate};
use crate::model::application::FilePurpose;
use leptos::prelude::*;

#[component]
pub fn FileUpload(
    purpose: FilePurpose,
    label: BizMsg,
    hint: BizMsg,
    /// Called after a successful upload (to reload the list).
    on_done: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    // Errors of a form post without JavaScript come back in the URL (`__path`, `__err`).
    let query = leptos_router::hooks::use_query_map();
    let from_url = query.with_untracked(|q| {
        let path = q.get("__path")?;
        let err = q.get("__err")?;
        let ours = path
            .trim_end_matches('/')
            .ends_with(UPLOAD_PATH.trim_start_matches('/'));
        ours.then(|| ServerFnUrlError::<AppError>::decode_err(&err))
    });
    let error = RwSignal::new(from_url);
    let progress = RwSignal::new(None::<f64>);
    let id = format!("upload-{}", purpose.code());
    let accept = match purpose {
        FilePurpose::Licence => "image/jpeg,image/png,application/pdf",
        FilePurpose::ScenePhoto => "image/jpeg,image/png",
    };
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
                error.set(None);
                progress.set(Some(0.0));
                send(form, progress, move |result| {
                    progress.set(None);
                    match result {
                        Ok(()) => on_done.run(()),
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, on_done);
    };
    view! {
        <form class="upload" method="post" action=UPLOAD_PATH enctype="multipart/form-data"
            on:submit=on_submit data-testid=format!("upload-{}", purpose.code())>
            <input type="hidden" name="purpose" value=purpose.code()/>
            <label for=id.clone()>{move || label.text(lang.get())}</label>
            <div class="upload-row">
                <input id=id name="file" type="file" accept=accept required=true/>
                <button type="submit" class="btn btn-secondary" disabled=move || progress.get().is_some()>
                    {move || BizMsg::Upload.text(lang.get())}
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
    progress: RwSignal<Option<f64>>,
    done: impl FnOnce(Result<(), AppError>) + 'static,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let network = |e: wasm_bindgen::JsValue| AppError::Network(format!("{e:?}"));
    let start = || -> Result<web_sys::XmlHttpRequest, AppError> {
        let data = web_sys::FormData::new_with_form(&form).map_err(network)?;
        let xhr = web_sys::XmlHttpRequest::new().map_err(network)?;
        xhr.open("POST", UPLOAD_PATH).map_err(network)?;
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
                Ok(())
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
