//! 系统 → 运营人员 `/ops/operators` (super-admins; P5.1, P5.2): every operator with their roles
//! and state; create one, change roles, disable or re-enable, reset the password or the
//! authenticator. Creating and resetting answer a one-time enrolment link, shown once.

use crate::api::operators::{CreateOperator, ResetOperator, SetOperatorRoles, SetOperatorStatus};
use crate::api::ops::list_operators;
use crate::components::{
    action_error, successes, Card, Col, DataTable, Field, FormError, ItemButton, Loader,
    StatusBadge, Submit,
};
use crate::i18n::{operator_role_label, t, AccMsg, Msg, OpMsg};
use crate::model::account::{AccountStatus, OperatorRole, OperatorSummary};
use crate::model::operators::EnrolmentLink;
use leptos::prelude::*;
use leptos_meta::Title;

/// One checkbox per role, named by its code (the server functions take them so).
#[component]
fn RoleBoxes(#[prop(optional)] held: Vec<OperatorRole>, prefix: String) -> impl IntoView {
    OperatorRole::ALL
        .iter()
        .map(|&r| {
            let id = format!("{prefix}-{}", r.code());
            view! {
                <label class="check">
                    <input type="checkbox" id=id name=r.code() checked=held.contains(&r)/>
                    " " {t(operator_role_label(r))}
                </label>
            }
        })
        .collect_view()
}

/// The enrolment link an action answered, shown once.
#[component]
fn LinkNotice(link: Signal<Option<EnrolmentLink>>) -> impl IntoView {
    move || {
        link.get().map(|l| view! {
            <div class="notice notice-success" role="status" data-testid="enrolment-link">
                <p>{t(OpMsg::LinkReady)}</p>
                <p><code class="break">{l.link}</code></p>
                <p class="muted">{t(crate::i18n::MemMsg::Expires)} " " {l.expires_at.china_display()}</p>
            </div>
        })
    }
}

#[component]
pub fn OperatorsPage() -> impl IntoView {
    let create = ServerAction::<CreateOperator>::new();
    let roles = ServerAction::<SetOperatorRoles>::new();
    let status = ServerAction::<SetOperatorStatus>::new();
    let reset = ServerAction::<ResetOperator>::new();
    let (a, b, c, d) = (
        successes(create),
        successes(roles),
        successes(status),
        successes(reset),
    );
    let operators = Resource::new(
        move || (a.get(), b.get(), c.get(), d.get()),
        |_| list_operators(),
    );
    let created = Signal::derive(move || create.value().get().and_then(Result::ok));
    let reissued = Signal::derive(move || reset.value().get().and_then(Result::ok));
    let row = move |o: OperatorSummary| view! { <OperatorRow o roles status reset/> };
    view! {
        <Title text=t(Msg::AreaOperators)/>
        <h1 class="page-title">{t(Msg::AreaOperators)}</h1>
        <p class="muted">{t(OpMsg::Intro)}</p>
        <CreateCard create/>
        <LinkNotice link=created/>
        <LinkNotice link=reissued/>
        <FormError error=action_error(roles)/>
        <FormError error=action_error(status)/>
        <FormError error=action_error(reset)/>
        <Loader resource=operators let:list>
            <DataTable cols=vec![Col::new(AccMsg::OperatorLogin), Col::new(AccMsg::Name), Col::new(AccMsg::Roles), Col::new(AccMsg::Status), Col::new(Msg::Actions)]
                rows=list row testid="operators"/>
        </Loader>
    }
}

#[component]
fn CreateCard(create: ServerAction<CreateOperator>) -> impl IntoView {
    let error = action_error(create);
    let lang = crate::i18n::use_lang();
    view! {
        <Card title=OpMsg::Create testid="create-operator">
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <FormError error/>
                <Field label=AccMsg::OperatorLogin name="login" error autocomplete="off"/>
                <Field label=OpMsg::DisplayName name="display_name" error autocomplete="off"/>
                <fieldset class="field">
                    <legend>{t(AccMsg::Roles)}</legend>
                    <RoleBoxes prefix="new".into()/>
                    <span class="error" data-field-error="roles">{move || error.get().and_then(|e| e.field_message("roles", lang.get()))}</span>
                </fieldset>
                <div class="form-actions"><Submit label=OpMsg::CreateButton pending=create.pending().into()/></div>
            </ActionForm>
        </Card>
    }
}

/// One operator: the roles form, and the state and reset buttons.
#[component]
fn OperatorRow(
    o: OperatorSummary,
    roles: ServerAction<SetOperatorRoles>,
    status: ServerAction<SetOperatorStatus>,
    reset: ServerAction<ResetOperator>,
) -> impl IntoView {
    let active = o.status == AccountStatus::Active;
    let (next, label) = if active {
        ("off", OpMsg::Disable)
    } else {
        ("on", OpMsg::Enable)
    };
    // One's own account is changed by another super-admin (the server refuses it too).
    let own = o.is_self;
    let (login, legend) = (o.login.clone(), o.login.clone());
    let id = o.id;
    let [id1, id2, id3, id4, id5] = [(); 5].map(|_| id.clone());
    view! {
        <tr data-testid="operator-row" data-login=login>
            <td>{o.login}</td>
            <td>{o.display_name.clone()}</td>
            <td>
                <ActionForm action=roles attr:class="inline-form role-form">
                    <input type="hidden" name="id" value=id1/>
                    // Each row's boxes are named by their operator (the same labels repeat).
                    <fieldset class="role-boxes">
                        <legend class="sr-only">{t(OpMsg::RolesOf)} {legend}</legend>
                        <RoleBoxes held=o.roles.clone() prefix=id2/>
                    </fieldset>
                    {(!own).then(|| view! { <button type="submit" class="btn btn-ghost btn-sm" data-testid="save-roles">{t(OpMsg::SaveRoles)}</button> })}
                </ActionForm>
            </td>
            <td>
                <StatusBadge status=o.status/>
                {(!o.enrolled).then(|| view! { " " <span class="badge badge-pending" data-testid="not-enrolled">{t(OpMsg::NotEnrolled)}</span> })}
            </td>
            <td>
                {(!own).then(|| view! {
                    <ItemButton action=status value=id3 label testid="operator-status">
                        <input type="hidden" name="active" value=next/>
                    </ItemButton>
                    <ItemButton action=reset value=id4 label=OpMsg::ResetPassword testid="reset-password">
                        <input type="hidden" name="what" value="password"/>
                    </ItemButton>
                    <ItemButton action=reset value=id5 label=OpMsg::ResetTotp testid="reset-totp">
                        <input type="hidden" name="what" value="totp"/>
                    </ItemButton>
                })}
            </td>
        </tr>
    }
}
