//! 业务中心 → 成员 `/portal/business/members`: the admin's management of login persons and
//! invitations (P1.1.2).

use crate::api::members::{
    list_members, InviteMember, RevokeInvite, SetMemberAccess, SetMemberStatus, TransferAdmin,
};
use crate::components::{
    action_error, reset_on_success, Col, DataTable, Field, FormError, ItemButton, Loader,
    StatusBadge, Submit, Tone,
};
use crate::i18n::{list_separator, perm_label, role_label, MemMsg};
use crate::i18n::{t, use_lang, AccMsg, Msg, Translate};
use crate::model::account::{AccountStatus, MemberRole, Permission};
use crate::model::members::{InviteView, MemberView};
use leptos::prelude::*;

/// The role select and the permission checkboxes, named as the server functions expect.
#[component]
fn AccessFields(role: MemberRole, permissions: Vec<Permission>, prefix: String) -> impl IntoView {
    let lang = use_lang();
    let role_id = format!("{prefix}-role");
    view! {
        <div class="field">
            <label for=role_id.clone()>{t(MemMsg::Role)}</label>
            <select id=role_id name="role">
                {[MemberRole::Member, MemberRole::Admin].into_iter().map(|r| view! {
                    <option value=r.code() selected=r == role>{move || role_label(r).text(lang.get())}</option>
                }).collect_view()}
            </select>
        </div>
        <fieldset class="perms">
            <legend>{t(MemMsg::Permissions)}</legend>
            {Permission::ALL.iter().copied().map(|p| view! {
                <label class="check">
                    <input type="checkbox" name=format!("perm_{}", p.code()) value="on" checked=permissions.contains(&p)/>
                    <span>{move || perm_label(p).text(lang.get())}</span>
                </label>
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let access = ServerAction::<SetMemberAccess>::new();
    let status = ServerAction::<SetMemberStatus>::new();
    let transfer = ServerAction::<TransferAdmin>::new();
    let revoke = ServerAction::<RevokeInvite>::new();
    let page = Resource::new(
        move || {
            (
                invite.version().get(),
                access.version().get(),
                status.version().get(),
                transfer.version().get(),
                revoke.version().get(),
            )
        },
        |_| list_members(),
    );
    let row_error = Signal::derive(move || {
        [
            access.value().get(),
            status.value().get(),
            transfer.value().get(),
            revoke.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(|r| r.err())
    });
    view! {
        <super::business::BusinessTabs title=MemMsg::Members/>
        <FormError error=row_error/>
        <Loader resource=page let:p>
            <section class="card">
                <DataTable cols=vec![Col::new(AccMsg::Name), Col::new(AccMsg::Mobile), Col::new(AccMsg::Email), Col::new(MemMsg::Role), Col::new(AccMsg::Status), Col::new(MemMsg::Manage)]
                    rows=p.members row=move |m| view! { <MemberRow m access status transfer/> } testid="members"/>
            </section>
            {(!p.invites.is_empty()).then(|| view! { <InvitesCard invites=p.invites revoke/> })}
        </Loader>
        <InviteCard invite/>
    }
}

/// Invitations not yet accepted, each revocable.
#[component]
fn InvitesCard(invites: Vec<InviteView>, revoke: ServerAction<RevokeInvite>) -> impl IntoView {
    let row = move |i: InviteView| {
        view! {
            <tr>
                <td>{i.name}</td><td>{i.email_masked}</td><td>{t(role_label(i.role))}</td>
                <td>{i.expires_at.china_display()}
                    {i.expired.then(|| view! { " " <span class=Tone::Failed.class()>{t(MemMsg::Expired)}</span> })}
                </td>
                <td>
                    <ItemButton action=revoke value=i.id label=MemMsg::Revoke/>
                </td>
            </tr>
        }
    };
    view! {
        <section class="card" data-testid="invites">
            <h2>{t(MemMsg::OpenInvites)}</h2>
            <DataTable cols=vec![Col::new(AccMsg::Name), Col::new(AccMsg::Email), Col::new(MemMsg::Role), Col::new(MemMsg::Expires), Col::new(Msg::Actions)]
                rows=invites row/>
        </section>
    }
}

#[component]
fn MemberRow(
    m: MemberView,
    access: ServerAction<SetMemberAccess>,
    status: ServerAction<SetMemberStatus>,
    transfer: ServerAction<TransferAdmin>,
) -> impl IntoView {
    let lang = use_lang();
    let active = m.status == AccountStatus::Active;
    let perms = m.permissions.clone();
    let perm_text = move || {
        perms
            .iter()
            .map(|p| perm_label(*p).text(lang.get()))
            .collect::<Vec<_>>()
            .join(list_separator(lang.get()))
    };
    let (id_access, id_status, id_transfer) = (m.id.clone(), m.id.clone(), m.id.clone());
    let transfer_field = format!("t-{}", m.id);
    view! {
        <tr data-testid="member-row">
            <td>{m.name.clone()} {m.is_self.then(|| view! { " " <span class="badge badge-neutral">{t(MemMsg::You)}</span> })}</td>
            <td>{m.mobile_masked.clone()}</td>
            <td>{m.email_masked.clone()}</td>
            <td>{t(role_label(m.role))} <br/><span class="muted">{perm_text}</span></td>
            <td><StatusBadge status=m.status/></td>
            <td>{(!m.is_self).then(|| view! {
                <details class="manage">
                    <summary>{t(MemMsg::Manage)}</summary>
                    <ActionForm action=access attr:class="form compact">
                        <input type="hidden" name="id" value=id_access/>
                        <AccessFields role=m.role permissions=m.permissions.clone() prefix=format!("m-{}", m.id)/>
                        <button type="submit" class="btn btn-secondary">{t(AccMsg::Save)}</button>
                    </ActionForm>
                    <ActionForm action=status attr:class="inline-form">
                        <input type="hidden" name="id" value=id_status/>
                        <input type="hidden" name="active" value=(!active).to_string()/>
                        <button type="submit" class=if active { "btn btn-danger" } else { "btn btn-secondary" }>
                            {if active { t(MemMsg::Disable) } else { t(MemMsg::Enable) }}
                        </button>
                    </ActionForm>
                    {(active && m.role == MemberRole::Member).then(|| view! {
                        <ActionForm action=transfer attr:class="form compact">
                            <input type="hidden" name="id" value=id_transfer/>
                            <label for=transfer_field.clone()>{t(MemMsg::TransferPassword)}</label>
                            <input id=transfer_field type="password" name="password" autocomplete="current-password" required=true/>
                            <button type="submit" class="btn btn-secondary">{t(MemMsg::TransferAdmin)}</button>
                        </ActionForm>
                    })}
                </details>
            })}</td>
        </tr>
    }
}

#[component]
fn InviteCard(invite: ServerAction<InviteMember>) -> impl IntoView {
    let error = action_error(invite);
    let form = NodeRef::new();
    reset_on_success(invite, form);
    view! {
        <section class="card" data-testid="invite">
            <h2>{t(MemMsg::Invite)}</h2>
            <p class="muted">{t(MemMsg::InviteIntro)}</p>
            {move || invite.value().get().and_then(Result::ok).map(|c| view! {
                <div class="notice notice-success" role="status" data-testid="invite-link">
                    <p>{t(MemMsg::InviteCreated)}</p>
                    <p><a href=c.link.clone()>{c.link.clone()}</a></p>
                    <p class="muted">{t(MemMsg::Expires)} " " {c.expires_at.china_display()}</p>
                </div>
            })}
            <ActionForm action=invite node_ref=form attr:class="form" attr:novalidate=true>
                <FormError error/>
                <Field label=AccMsg::Name name="name" error maxlength=40/>
                <Field label=AccMsg::Mobile name="mobile" kind="tel" error/>
                <Field label=AccMsg::Email name="email" kind="email" error/>
                <AccessFields role=MemberRole::Member permissions=vec![] prefix="invite".to_string()/>
                <div class="form-actions"><Submit label=MemMsg::SendInvite pending=invite.pending().into()/></div>
            </ActionForm>
        </section>
    }
}
