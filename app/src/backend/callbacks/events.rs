//! Queuing callbacks (issue 19): every place that changes the status of a payment order, an
//! invoice application or a task calls one of these in its own transaction, so a change and its
//! callback are written together or not at all. Only enterprises with a callback address get
//! deliveries. The payload is built with a [`Provision`] for the enterprise's own systems
//! (`enterprise_api`): a field not registered for them is left out (P3.1.4), and the fields put
//! in are what the sharing log records when the delivery is sent (P3.1.3).

use crate::backend::ledger::store::Params;
use crate::model::callbacks::CallbackEvent;
use crate::model::sharing::{codes, Provision};
use crate::model::{Fen, UtcMillis};
use serde_json::{json, Map, Value};
use sqlx::{AnyConnection, AssertSqlSafe};

/// One change to tell: its enterprise, subject, technical data and the registered fields.
struct Change {
    enterprise_id: String,
    subject: String,
    data: Map<String, Value>,
    /// (`table.column`, JSON key, value): put in only if registered for the recipient.
    fields: Vec<(&'static str, &'static str, String)>,
}

async fn queue(
    conn: &mut AnyConnection,
    event: CallbackEvent,
    changes: Vec<Change>,
    now: i64,
) -> Result<(), sqlx::Error> {
    if changes.is_empty() {
        return Ok(());
    }
    let recipient = match crate::backend::sharing::find(conn, codes::ENTERPRISE_API).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            tracing::warn!("no enterprise_api recipient is registered: callbacks not queued");
            return Ok(());
        }
        Err(e) => return Err(sqlx::Error::Protocol(e.to_string())),
    };
    for c in changes {
        let Ok(mut p) = Provision::new(&recipient, UtcMillis(now)) else {
            tracing::warn!("the enterprise_api recipient is not active: callbacks not queued");
            return Ok(());
        };
        let mut data = c.data;
        for (field, key, value) in c.fields {
            // A field no longer registered stays out of the payload (P3.1.4).
            if !recipient.may_receive(field) {
                continue;
            }
            p = p
                .put(field, value)
                .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
            data.insert(key.into(), Value::String(p.get(field).to_string()));
        }
        // A change not yet sent is superseded by this one (a batch's orders accepted and then
        // suspended in one transaction, a paying order paid before its callback left): the
        // receiver is told the latest status once.
        sqlx::query(
            "DELETE FROM callback_deliveries WHERE enterprise_id = $1 AND event = $2 AND subject = $3 \
             AND status = 'pending' AND attempts = 0 AND claimed_until IS NULL",
        )
        .bind(&c.enterprise_id)
        .bind(event.code())
        .bind(&c.subject)
        .execute(&mut *conn)
        .await?;
        let id = crate::backend::ids::new_id();
        let payload = json!({
            "id": id,
            "event": event.code(),
            "occurred_at": UtcMillis(now).rfc3339(),
            "data": data,
        });
        sqlx::query(
            "INSERT INTO callback_deliveries (id, enterprise_id, event, subject, payload, fields, \
             status, attempts, window_from, next_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $7)",
        )
        .bind(&id)
        .bind(&c.enterprise_id)
        .bind(event.code())
        .bind(&c.subject)
        .bind(payload.to_string())
        .bind(p.fields().join(","))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    enterprise_id: String,
    order_id: String,
    status: String,
    reason: String,
    amount: i64,
}

/// Payment orders `ids` changed status: their enterprises' systems are told
/// (`order.status_changed`: order_id, status, reason, amount in yuan).
pub async fn orders_changed(
    conn: &mut AnyConnection,
    ids: &[&str],
    now: i64,
) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(400) {
        let sql = format!(
            "SELECT o.enterprise_id, o.order_id, o.status, o.reason, o.amount FROM payment_orders o \
             JOIN api_callbacks c ON c.enterprise_id = o.enterprise_id WHERE o.id IN ({})",
            Params::of(conn).list(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, OrderRow>(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&mut *conn).await?;
        let changes = rows
            .into_iter()
            .map(|o| Change {
                enterprise_id: o.enterprise_id,
                subject: o.order_id.clone(),
                data: map([
                    ("order_id", o.order_id),
                    ("status", o.status),
                    ("reason", o.reason),
                ]),
                fields: vec![(
                    "payment_orders.amount",
                    "amount",
                    Fen(o.amount).to_yuan_plain(),
                )],
            })
            .collect();
        queue(conn, CallbackEvent::OrderStatus, changes, now).await?;
    }
    Ok(())
}

fn map<const N: usize>(pairs: [(&str, String); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect()
}

/// Invoice application `id` changed status (`invoice.status_changed`: id, status, amount, and
/// the invoice's number once it has one).
pub async fn invoice_changed(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let row: Option<(String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT a.enterprise_id, a.status, a.amount, a.invoice_number FROM invoice_applications a \
         JOIN api_callbacks c ON c.enterprise_id = a.enterprise_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((enterprise_id, status, amount, number)) = row else {
        return Ok(());
    };
    let mut fields = vec![(
        "invoice_applications.amount",
        "amount",
        Fen(amount).to_yuan_plain(),
    )];
    if let Some(n) = number.filter(|n| !n.is_empty()) {
        fields.push(("invoice_applications.invoice_number", "invoice_number", n));
    }
    let change = Change {
        enterprise_id,
        subject: id.to_string(),
        data: map([("id", id.to_string()), ("status", status)]),
        fields,
    };
    queue(conn, CallbackEvent::InvoiceStatus, vec![change], now).await
}

/// Task `id` changed status (`task.status_changed`: id, status).
pub async fn task_changed(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT t.enterprise_id, t.status FROM tasks t \
         JOIN api_callbacks c ON c.enterprise_id = t.enterprise_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((enterprise_id, status)) = row else {
        return Ok(());
    };
    let change = Change {
        enterprise_id,
        subject: id.to_string(),
        data: map([("id", id.to_string()), ("status", status)]),
        fields: Vec::new(),
    };
    queue(conn, CallbackEvent::TaskStatus, vec![change], now).await
}
