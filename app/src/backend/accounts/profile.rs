//! A login person's own profile (P1.1.2): the name changes at once; a new mobile number or
//! e-mail address needs the current password and then the code sent to it ([`super::contacts`]).

use super::confirm_password;
use super::contacts;
use super::sessions::ClientMeta;
use super::users::{self, UserRow};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::{Email, Mobile, PersonName, Profile};
use crate::model::audit::AuditResult;
use crate::model::form::check;

pub async fn profile(state: &AppState, user: &UserRow) -> AppResult<Profile> {
    let mut conn = state.db.conn().await?;
    Ok(Profile {
        name: user.name.clone(),
        mobile: user.mobile(&state.cipher)?,
        email: user.email(&state.cipher)?,
        pending: contacts::pending(&mut conn, &user.id, state.clock.now()).await?,
    })
}

/// Updates a login person's own name at once; a new mobile number or e-mail address needs the
/// current password and takes effect only when the code sent to it is entered
/// ([`contacts::confirm`], P1.1.2).
#[allow(clippy::too_many_arguments)]
pub async fn update_profile(
    state: &AppState,
    user: &UserRow,
    name: &str,
    mobile: &str,
    email: &str,
    current_password: &str,
    actor: &Actor,
    meta: &ClientMeta,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut errs = Vec::new();
    let name = check(&mut errs, "name", PersonName::parse(name));
    let mobile = check(&mut errs, "mobile", Mobile::parse(mobile));
    let email = check(&mut errs, "email", Email::parse(email));
    errs.extend(
        users::contacts_taken(state, mobile.as_ref(), email.as_ref(), Some(&user.id)).await?,
    );
    let (Some(name), Some(mobile), Some(email), true) = (name, mobile, email, errs.is_empty())
    else {
        return Err(AppError::Invalid(errs));
    };
    let current_mobile =
        Mobile::parse(&user.mobile(&state.cipher)?).map_err(|r| AppError::invalid("mobile", r))?;
    let current_email =
        Email::parse(&user.email(&state.cipher)?).map_err(|r| AppError::invalid("email", r))?;
    let new_mobile = (mobile.as_str() != current_mobile.as_str()).then_some(&mobile);
    let new_email = (email.as_str() != current_email.as_str()).then_some(&email);
    let contact_changed = new_mobile.is_some() || new_email.is_some();
    if contact_changed {
        confirm_password(state, user, current_password, "current_password", meta).await?;
    }
    let mut tx = state.db.begin().await?;
    users::set_name(&mut tx, &user.id, &name, now).await?;
    if let Some(m) = new_mobile {
        contacts::start(
            state,
            &mut tx,
            user,
            contacts::NewContact::Mobile(m),
            actor,
            now,
        )
        .await?;
    }
    if let Some(e) = new_email {
        contacts::start(
            state,
            &mut tx,
            user,
            contacts::NewContact::Email(e),
            actor,
            now,
        )
        .await?;
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: user.enterprise_id.as_deref(),
            action: "profile.update",
            target: &format!("user:{}", user.id),
            result: AuditResult::Ok,
            detail: if contact_changed {
                "contact change requested"
            } else {
                "name changed"
            },
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
