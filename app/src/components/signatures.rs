//! A worker's signatures of the service agreement (issue 18 §2, P6.1), as the enterprise's
//! worker page and the operator's enterprise view show them.

use super::{Col, DataTable};
use crate::i18n::{t, SignMsg};
use crate::model::worker::SignatureView;
use leptos::prelude::*;

/// Signatures, newest first (also the operator's view).
#[component]
pub fn SignatureTable(rows: Vec<SignatureView>) -> impl IntoView {
    let row = |s: SignatureView| {
        let released = s.released_at.map(|at| {
            format!(
                "{} · {} · {}",
                at.china_display(),
                s.released_by,
                s.release_reason
            )
        });
        view! {
            <tr data-testid="signature-row">
                <td>{s.version}</td>
                <td>{s.signed_at.china_display()}</td>
                <td>{t(SignMsg::SmsCode)}</td>
                <td class="mono">{s.ip}</td>
                <td class="wrap">{s.user_agent}</td>
                <td data-testid="signature-released">{released}</td>
            </tr>
        }
    };
    view! {
        <DataTable cols=vec![Col::new(SignMsg::Version), Col::new(SignMsg::SignedAt), Col::new(SignMsg::Method), Col::new(SignMsg::Ip), Col::new(SignMsg::Browser), Col::new(SignMsg::ReleasedAt)]
            rows row empty=SignMsg::NoHistory testid="signatures"/>
    }
}
