//! The applicant's side of the admission review (P1.1.1), shown on `/register` once logged
//! in: the application's status and the reviewer's message, the form, the uploads (with a
//! progress bar) and the submission. The credit code is checked in the browser with the
//! server's own rule.

use crate::api::application::{
    my_application, DeleteApplicationFile, RequestToJoin, SaveApplication,
};
use crate::components::{
    action_error, successes, Field, FileUpload, FormError, ItemButton, Loader, StatusBadge,
};
use crate::error::AppError;
use crate::i18n::{t, use_lang, AccMsg, BizMsg, Msg, Translate};
use crate::model::account::Me;
use crate::model::application::{
    ApplicationInput, ApplicationStatus, ApplicationView, FileKind, FilePurpose, StoredFileInfo,
};
use crate::model::credit_code::CreditCode;

const UPLOAD_PATH: &str = "/api/upload_application_file";
use leptos::prelude::*;

pub use crate::i18n::application_status_label as status_label;

#[component]
pub fn ApplicationSection(me: Me) -> impl IntoView {
    let save = ServerAction::<SaveApplication>::new();
    let delete = ServerAction::<DeleteApplicationFile>::new();
    let uploads = RwSignal::new(0u32);
    let saved = successes(save);
    // The status and the form reload only after a successful save (a refused one keeps what
    // the user typed); the file list also after uploads and removals.
    let app = Resource::new(move || saved.get(), |_| my_application());
    let files = Resource::new(
        move || (saved.get(), uploads.get(), delete.version().get()),
        |_| my_application(),
    );
    let on_done = Callback::new(move |_: String| uploads.update(|n| *n += 1));
    let logout = ServerAction::<crate::api::account::Logout>::new();
    view! {
            <section class="card page-card" data-testid="application">
                <div class="title-row">
                    <h1>{t(AccMsg::ApplicationTitle)}</h1>
                    <ActionForm action=logout attr:class="inline-form">
                        <button type="submit" class="btn btn-ghost" data-testid="logout">{t(AccMsg::Logout)}</button>
                    </ActionForm>
                </div>
                <p class="lead">{t(AccMsg::ApplicationHello)} " " {me.name}</p>
                <Loader resource=app let:a>
    <ApplicationBody app=a save delete files on_done/>
    </Loader>
            </section>
        }
}

#[component]
fn ApplicationBody(
    app: ApplicationView,
    save: ServerAction<SaveApplication>,
    delete: ServerAction<DeleteApplicationFile>,
    files: Resource<Result<ApplicationView, crate::error::AppError>>,
    on_done: Callback<String>,
) -> impl IntoView {
    let status = app.status;
    let editable = status.editable();
    let step = match status {
        ApplicationStatus::Submitted => 2,
        ApplicationStatus::Approved => 3,
        _ => 1,
    };
    view! {
            <ol class="steps">
                <li class="done">{t(AccMsg::StepLogin)}</li>
                <li aria-current=(step == 1).then_some("step")>{t(AccMsg::StepApplication)}</li>
                <li aria-current=(step >= 2).then_some("step")>{t(AccMsg::StepReview)}</li>
            </ol>
            <dl class="facts">
                <div>
                    <dt>{t(AccMsg::Status)}</dt>
                    <dd><StatusBadge status testid="application-status"/></dd>
                </div>
                {app.submitted_at.map(|at| view! { <div><dt>{t(BizMsg::SubmittedAt)}</dt><dd>{at.china_display()}</dd></div> })}
            </dl>
            {(!app.reviewer_message.is_empty()).then(|| view! {
                <div class="notice notice-warning" data-testid="reviewer-message">
                    <strong>{t(BizMsg::ReviewerMessage)} ": "</strong>{app.reviewer_message.clone()}
                </div>
            })}
            {(status == ApplicationStatus::Submitted).then(|| view! {
                <p class="notice notice-info">{t(BizMsg::UnderReview)}</p>
            })}
            {(status == ApplicationStatus::Approved).then(|| view! {
                <p class="notice notice-success">{t(BizMsg::Approved)} " " <a href="/portal">{t(Msg::NavPortal)}</a></p>
            })}
            <Loader resource=files let:a>
    <FileList files=a.files delete editable=a.status.editable()/>
    </Loader>
            {editable.then(|| view! {
                <div class="upload-grid">
                    <FileUpload action=UPLOAD_PATH purpose=FilePurpose::Licence.code() name="licence".to_string()
                        accept="image/jpeg,image/png,application/pdf" label=BizMsg::Licence hint=BizMsg::LicenceHint on_done/>
                    <FileUpload action=UPLOAD_PATH purpose=FilePurpose::ScenePhoto.code() name="scene_photo".to_string()
                        accept="image/jpeg,image/png" label=BizMsg::ScenePhotos hint=BizMsg::ScenePhotosHint on_done/>
                </div>
            })}
            {if editable {
                view! { <ApplicationForm app save/> }.into_any()
            } else {
                view! { <ApplicationSummaryView app/> }.into_any()
            }}
        }
}

/// The uploaded files, with links (served only to the applicant and reviewers) and, while
/// editable, delete buttons.
#[component]
pub fn FileList(
    files: Vec<StoredFileInfo>,
    #[prop(optional)] delete: Option<ServerAction<DeleteApplicationFile>>,
    #[prop(optional)] editable: bool,
) -> impl IntoView {
    let lang = use_lang();
    if files.is_empty() {
        return view! { <p class="muted" data-testid="files">{t(BizMsg::NoFilesYet)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" data-testid="files">
            <table>
                <thead><tr>
                    <th>{t(BizMsg::Material)}</th><th>{t(BizMsg::FileName)}</th>
                    <th class="num">{t(BizMsg::Size)}</th><th>{t(Msg::Actions)}</th>
                </tr></thead>
                <tbody>
                    {files.into_iter().map(|f| {
                        let id = f.id.clone();
                        let purpose = match f.purpose {
                            FilePurpose::Licence | FilePurpose::CorrectionLicence => BizMsg::Licence,
                            FilePurpose::ScenePhoto => BizMsg::ScenePhoto,
                        };
                        view! {
                            <tr>
                                <td>{move || purpose.text(lang.get())}</td>
                                <td>
                                    <a href=format!("/files/{}", f.id) target="_blank" rel="external noopener" class="file-link">
                                        {(f.kind != FileKind::Pdf).then(|| view! {
                                            <img class="thumb" src=format!("/files/{}", f.id) alt="" loading="lazy"/>
                                        })}
                                        <span>{f.original_name.clone()}</span>
                                    </a>
                                </td>
                                <td class="num">{format!("{:.1} KB", f.size_bytes as f64 / 1024.0)}</td>
                                <td>{(editable).then(|| delete.map(|d| view! {
                                    <ItemButton action=d value=id.clone() label=BizMsg::Remove/>
                                }))}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ApplicationForm(app: ApplicationView, save: ServerAction<SaveApplication>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(save);
    let input = app.input;
    let saved = move || {
        matches!(
            save.value().get(),
            Some(Ok(ApplicationStatus::Draft
                | ApplicationStatus::MoreInfo
                | ApplicationStatus::Rejected))
        )
    };
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <FormError error/>
            {move || saved().then(|| view! { <p class="notice notice-success" role="status">{t(AccMsg::Saved)}</p> })}
            {move || error.get().and_then(|e| e.field_message("licence", lang.get())).map(|m| view! {
                <p class="notice notice-error" data-field-error="licence">{t(BizMsg::Licence)} ": " {m}</p>
            })}
            <h2>{t(BizMsg::BusinessSection)}</h2>
            <Field label=BizMsg::EnterpriseName name="enterprise_name" error value=input.enterprise_name.clone() maxlength=100/>
            <CreditCodeField input=input.clone() error/>
            <Field label=BizMsg::RegisteredAddress name="registered_address" error value=input.registered_address.clone() multiline=true maxlength=200/>
            <Field label=BizMsg::BusinessScope name="business_scope" error value=input.business_scope.clone() multiline=true maxlength=1000/>
            <h2>{t(BizMsg::PlatformSection)}</h2>
            <Field label=BizMsg::PlatformName name="platform_name" error value=input.platform_name.clone() maxlength=100/>
            <Field label=BizMsg::PlatformUrl name="platform_url" error value=input.platform_url.clone() maxlength=200/>
            <Field label=BizMsg::PlatformDescription name="platform_description" error value=input.platform_description.clone() multiline=true maxlength=1000/>
            <Field label=BizMsg::OutsourcedWork name="outsourced_work" error value=input.outsourced_work.clone() multiline=true maxlength=500/>
            <div class="form-actions">
                <button type="submit" name="intent" value="save" class="btn btn-secondary" disabled=move || save.pending().get()>{t(BizMsg::SaveDraft)}</button>
                <button type="submit" name="intent" value="submit" class="btn btn-primary" disabled=move || save.pending().get()>{t(BizMsg::SubmitForReview)}</button>
            </div>
        </ActionForm>
    }
}

/// The credit code, checked as it is typed with the server's own rule. When the server says
/// the code already has an account, the applicant may ask for a duplicate review or ask that
/// enterprise's admin to let them join.
#[component]
fn CreditCodeField(input: ApplicationInput, error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let code = RwSignal::new(input.credit_code.clone());
    let code_problem = move || {
        let c = code.get();
        if c.trim().is_empty() {
            return None;
        }
        CreditCode::parse(&c)
            .err()
            .map(|rule| rule.message(lang.get()))
    };
    let server_code_error = move || {
        error
            .get()
            .and_then(|e| e.field_message("credit_code", lang.get()))
    };
    let registered_error = move || {
        error.get().and_then(|e| e.field_rule("credit_code"))
            == Some(crate::error::Rule::CreditCodeRegistered)
    };
    let duplicate_asked = input.duplicate_review;
    let join = ServerAction::<RequestToJoin>::new();
    view! {
        <div class="field">
            <label for="f-credit_code">{t(BizMsg::CreditCode)}</label>
            <input id="f-credit_code" name="credit_code" type="text" maxlength="18" value=input.credit_code
                autocomplete="off" spellcheck="false"
                aria-invalid=move || (code_problem().is_some() || server_code_error().is_some()).to_string()
                aria-describedby="f-credit_code-error"
                on:input=move |ev| code.set(event_target_value(&ev))/>
            <span class="hint">{t(BizMsg::CreditCodeHint)}</span>
            <span class="error" id="f-credit_code-error" data-field-error="credit_code">
                {move || code_problem().or_else(server_code_error)}
            </span>
            <label class="check">
                <input type="checkbox" name="credit_code_manual_check" value="on" checked=input.credit_code_manual_check/>
                <span>{t(BizMsg::ManualCheck)}</span>
            </label>
            // Offered once the server said the code already has an account (or asked before).
            {move || (duplicate_asked || registered_error()).then(|| view! { <DuplicateChoice duplicate_asked code join/> })}
        </div>
    }
}

/// A duplicate review, or a request to join the enterprise that has the code.
#[component]
fn DuplicateChoice(
    duplicate_asked: bool,
    code: RwSignal<String>,
    join: ServerAction<RequestToJoin>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label class="check" data-testid="duplicate-review">
            <input type="checkbox" name="duplicate_review" value="on" checked=duplicate_asked/>
            <span>{t(BizMsg::DuplicateReview)}</span>
        </label>
        // A button of this form that calls another function: the typed code goes with it
        // (the refused submission stored nothing).
        <button type="button" class="btn btn-secondary" data-testid="ask-admin"
            disabled=move || join.pending().get()
            on:click=move |_| { join.dispatch(RequestToJoin { credit_code: code.get_untracked() }); }>
            {t(BizMsg::AskAdmin)}
        </button>
        <span aria-live="polite" data-testid="ask-admin-result">
            {move || join.value().get().map(|r| match r {
                Ok(_) => BizMsg::AskAdminDone.text(lang.get()).to_string(),
                Err(e) => e.field_message("credit_code", lang.get()).unwrap_or_else(|| e.message(lang.get())),
            })}
        </span>
    }
}

/// The submitted application, read-only.
#[component]
pub fn ApplicationSummaryView(app: ApplicationView) -> impl IntoView {
    let i = app.input;
    view! {
        <dl class="facts" data-testid="application-summary">
            <div><dt>{t(BizMsg::EnterpriseName)}</dt><dd>{i.enterprise_name}</dd></div>
            <div><dt>{t(BizMsg::CreditCode)}</dt><dd>{i.credit_code}
                {(!app.credit_code_check_ok).then(|| view! { " " <span class="badge badge-pending">{t(BizMsg::ManualCheckBadge)}</span> })}
            </dd></div>
            <div><dt>{t(BizMsg::RegisteredAddress)}</dt><dd>{i.registered_address}</dd></div>
            <div><dt>{t(BizMsg::BusinessScope)}</dt><dd>{i.business_scope}</dd></div>
            <div><dt>{t(BizMsg::PlatformName)}</dt><dd>{i.platform_name}</dd></div>
            <div><dt>{t(BizMsg::PlatformUrl)}</dt><dd>{match crate::model::net::web_address(&i.platform_url) {
                // The applicant's own site (P8): a third party's, marked as leaving the platform.
                Some(href) => view! { <crate::components::ExternalLink href third_party=true>{i.platform_url.clone()}</crate::components::ExternalLink> }.into_any(),
                None => view! { {i.platform_url.clone()} }.into_any(),
            }}</dd></div>
            <div><dt>{t(BizMsg::PlatformDescription)}</dt><dd>{i.platform_description}</dd></div>
            <div><dt>{t(BizMsg::OutsourcedWork)}</dt><dd>{i.outsourced_work}</dd></div>
        </dl>
    }
}
