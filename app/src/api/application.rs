//! The applicant's side of the admission review (P1.1.1).

// A form's fields are the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::application::{ApplicationStatus, ApplicationView, StoredFileInfo};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// The caller's own application.
#[server(prefix = "/api", endpoint = "my_application")]
pub async fn my_application() -> Result<ApplicationView, AppError> {
    let caller = super::access::user_accepted().await?;
    crate::backend::applications::mine(&caller.state, &caller.user).await
}

/// Saves the application (`intent` = `save`) or submits it for review (`submit`).
#[server(prefix = "/api", endpoint = "save_application")]
pub async fn save_application(
    enterprise_name: String,
    credit_code: String,
    credit_code_manual_check: Option<String>,
    duplicate_review: Option<String>,
    registered_address: String,
    business_scope: String,
    platform_name: String,
    platform_url: String,
    platform_description: String,
    outsourced_work: String,
    intent: String,
) -> Result<ApplicationStatus, AppError> {
    let caller = super::access::user_accepted().await?;
    let submit = match intent.as_str() {
        "submit" => true,
        "save" => false,
        _ => return Err(AppError::BadRequest("intent".into())),
    };
    let input = crate::model::application::ApplicationInput {
        enterprise_name,
        credit_code,
        credit_code_manual_check: credit_code_manual_check.is_some_and(|v| !v.is_empty()),
        duplicate_review: duplicate_review.is_some_and(|v| !v.is_empty()),
        registered_address,
        business_scope,
        platform_name,
        platform_url,
        platform_description,
        outsourced_work,
    };
    crate::backend::applications::save(&caller.state, &caller.user, input, submit, &caller.actor())
        .await
}

/// The applicant of a credit code that already has an account asks that account's admins to
/// invite them: the platform tells the admins (the applicant learns nothing about them).
/// Answers how many were told.
#[server(prefix = "/api", endpoint = "request_to_join")]
pub async fn request_to_join(credit_code: String) -> Result<u32, AppError> {
    let caller = super::access::user_accepted().await?;
    crate::backend::applications::join::request(
        &caller.state,
        &caller.user,
        &credit_code,
        &caller.actor(),
    )
    .await
}

/// Uploads the business licence or a work-scene photo: a multipart form with `purpose`
/// (`licence` or `scene_photo`) first and then `file`.
#[server(prefix = "/api", endpoint = "upload_application_file", input = MultipartFormData)]
pub async fn upload_application_file(data: MultipartData) -> Result<StoredFileInfo, AppError> {
    use crate::error::Rule;
    use crate::model::application::{FilePurpose, MAX_UPLOAD_BYTES};
    let caller = super::access::user_accepted().await?;
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| AppError::BadRequest("multipart".into()))?;
    let mut purpose = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        match field.name().unwrap_or("") {
            "purpose" => {
                let text = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?;
                purpose = Some(
                    FilePurpose::from_code(text.trim())
                        .filter(|p| p.with_application())
                        .ok_or_else(|| AppError::BadRequest("purpose".into()))?,
                );
            }
            "file" => {
                let purpose = purpose
                    .ok_or_else(|| AppError::BadRequest("purpose must come before file".into()))?;
                let name = field.file_name().unwrap_or("file").to_string();
                let mut bytes = Vec::new();
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?
                {
                    if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                        return Err(AppError::invalid(
                            "file",
                            Rule::FileTooLarge {
                                max_mb: (MAX_UPLOAD_BYTES >> 20) as u32,
                            },
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                return crate::backend::applications::upload(
                    &caller.state,
                    &caller.user,
                    purpose,
                    &name,
                    bytes,
                    &caller.actor(),
                )
                .await;
            }
            _ => {}
        }
    }
    Err(AppError::invalid("file", Rule::Required))
}

/// Removes one of the caller's uploaded files (while the application can still change).
#[server(prefix = "/api", endpoint = "delete_application_file")]
pub async fn delete_application_file(id: String) -> Result<(), AppError> {
    let caller = super::access::user_accepted().await?;
    crate::backend::applications::delete_file(&caller.state, &caller.user, &id, &caller.actor())
        .await
}
