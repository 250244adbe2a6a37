//! The open API's reference (issue 19): the OpenAPI 3.1 document generated from the handlers'
//! `#[utoipa::path]` (served at `/openapi/v1/openapi.json`) and a readable page made from it
//! (`/openapi/v1/docs`): how to sign, every operation with its parameters, body and answers, and
//! the callbacks. Both are public, like any API's documentation; neither holds data.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;
use std::fmt::Write;
use std::sync::Arc;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Tag};

/// How a request is signed (the document's description and the page's first section).
pub const SIGNING: &str = "Every request carries four headers: `X-Key-Id` (the key id), \
`X-Timestamp` (Unix seconds, within ±5 minutes of the platform's clock), `X-Nonce` (1 to 64 \
characters, never repeated within the window) and `X-Signature`: the hex HMAC-SHA256, keyed \
with the key's secret, of `METHOD\\nPATH\\nQUERY\\nTIMESTAMP\\nNONCE\\nSHA256_HEX(BODY)` (the \
query as sent, without `?`; an empty body's SHA-256 for GET). Errors are JSON `{code, message, \
request_id}` with a stable `code`; a key over its rate is answered 429 with `Retry-After`. \
Amounts are strings in yuan with two decimals. The reference client is \
`clients/openapi_client.py`.";

/// What callbacks are (the page's last section).
pub const CALLBACKS: &str = "With a callback address set in the portal (开放接口 → 回调通知), \
status changes of payment orders (`order.status_changed`), invoice applications \
(`invoice.status_changed`) and tasks (`task.status_changed`) are POSTed to it as JSON \
`{id, event, occurred_at, data}`, with `X-Callback-Id`, `X-Timestamp` and `X-Signature` = hex \
HMAC-SHA256, keyed with the callback secret, of `TIMESTAMP\\nID\\nBODY`. Answer 2xx: anything \
else (a redirect too) is retried after 30 s, 1 min, 2 min… up to 4 h apart, for 24 hours. \
Events may arrive more than once or out of order: use `id` to drop repeats and read the order \
for its latest status.";

/// The document's frame: title, version, description, the signature's scheme, the tags.
pub fn base() -> OpenApi {
    let mut scheme = ApiKeyValue::with_description(
        "X-Signature",
        "HMAC-SHA256 signature, with X-Key-Id, X-Timestamp and X-Nonce (see the description)",
    );
    scheme.name = "X-Signature".into();
    let components = ComponentsBuilder::new()
        .security_scheme("signed", SecurityScheme::ApiKey(ApiKey::Header(scheme)))
        .build();
    let tag = |name: &str, d: &str| {
        let mut t = Tag::new(name);
        t.description = Some(d.into());
        t
    };
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Enterprise Service Platform — open API")
                .version("v1")
                .description(Some(format!("{SIGNING}\n\n{CALLBACKS}")))
                .build(),
        )
        .components(Some(components))
        .tags(Some(vec![
            tag("orders", "Payment orders (scope `orders`)"),
            tag(
                "funds",
                "Balance, fund flow, bills and receipts (scope `funds_read`)",
            ),
            tag("invoices", "VAT invoices (scope `invoices`)"),
            tag("tasks", "Tasks and their completions (scope `tasks`)"),
        ]))
        .build()
}

/// `GET /openapi/v1/openapi.json` and `GET /openapi/v1/docs`: the document (built once, from
/// the same list as the routes) and its page.
pub fn routes() -> axum::Router<crate::state::ServerState> {
    let served = Served::new(&super::routes().1);
    let page = served.clone();
    axum::Router::new()
        .route(
            "/openapi/v1/openapi.json",
            axum::routing::get(move || async move { served.json_response() }),
        )
        .route(
            "/openapi/v1/docs",
            axum::routing::get(move || async move { page.page_response() }),
        )
        .method_not_allowed_fallback(super::method_not_allowed)
}

/// The document as served, and its page.
#[derive(Clone)]
pub struct Served {
    pub json: Arc<String>,
    pub page: Arc<String>,
}

impl Served {
    pub fn new(doc: &OpenApi) -> Self {
        let json = doc.to_json().unwrap_or_else(|_| "{}".into());
        let value: Value = serde_json::from_str(&json).unwrap_or(Value::Null);
        Served {
            page: Arc::new(page(&value)),
            json: Arc::new(json),
        }
    }

    pub fn json_response(&self) -> Response {
        (
            [(header::CONTENT_TYPE, "application/json")],
            self.json.as_str().to_string(),
        )
            .into_response()
    }

    pub fn page_response(&self) -> Response {
        Html(self.page.as_str().to_string()).into_response()
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Inline `code` spans of a description, escaped.
fn text(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// A schema's name from its `$ref`.
fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref")?.as_str()?.rsplit('/').next()
}

/// A schema's type in words (`ApiOrder`, `string`, `array of FlowLine`, `string | null`).
fn type_of(v: &Value) -> String {
    if let Some(name) = ref_name(v) {
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(one) = v.get("oneOf").and_then(Value::as_array) {
        return one.iter().map(type_of).collect::<Vec<_>>().join(" | ");
    }
    match &v["type"] {
        Value::String(t) if t == "array" => format!("array of {}", type_of(&v["items"])),
        Value::String(t) => esc(t),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(esc)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "object".into(),
    }
}

fn page(doc: &Value) -> String {
    let mut h = String::new();
    let title = doc["info"]["title"].as_str().unwrap_or("Open API");
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><link rel=\"stylesheet\" href=\"/pkg/platform.css\"></head>\
         <body><main class=\"container docs\"><h1>{t}</h1>\
         <p><a href=\"/openapi/v1/openapi.json\">OpenAPI 3.1 document (JSON)</a> · \
         <a href=\"/portal/business/api\">Keys and callbacks in the portal</a></p>\
         <h2 id=\"signing\">Signing a request</h2><p>{s}</p>",
        t = esc(title),
        s = text(SIGNING)
    );
    let empty = serde_json::Map::new();
    let paths = doc["paths"].as_object().unwrap_or(&empty);
    for tag in doc["tags"].as_array().into_iter().flatten() {
        let name = tag["name"].as_str().unwrap_or("");
        let _ = write!(
            h,
            "<h2 id=\"tag-{n}\">{n}</h2><p>{d}</p>",
            n = esc(name),
            d = text(tag["description"].as_str().unwrap_or(""))
        );
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap_or(&empty) {
                let tagged = op["tags"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t == name));
                if tagged {
                    operation(&mut h, method, path, op);
                }
            }
        }
    }
    h.push_str("<h2 id=\"schemas\">Schemas</h2>");
    let schemas = doc["components"]["schemas"].as_object().unwrap_or(&empty);
    for (name, schema) in schemas {
        let _ = write!(h, "<h3 id=\"schema-{0}\">{0}</h3>", esc(name));
        fields(&mut h, schema);
    }
    let _ = write!(
        h,
        "<h2 id=\"callbacks\">Callbacks</h2><p>{}</p></main></body></html>",
        text(CALLBACKS)
    );
    h
}

fn operation(h: &mut String, method: &str, path: &str, op: &Value) {
    let id = op["operationId"].as_str().unwrap_or("");
    let _ = write!(
        h,
        "<section class=\"card\" id=\"op-{id}\" data-path=\"{p}\" data-method=\"{m}\">\
         <h3><code>{M} {p}</code></h3><p>{s}</p>",
        id = esc(id),
        p = esc(path),
        m = esc(method),
        M = esc(&method.to_ascii_uppercase()),
        s = text(
            op["summary"]
                .as_str()
                .or(op["description"].as_str())
                .unwrap_or("")
        )
    );
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        h.push_str("<h4>Parameters</h4><ul>");
        for p in params {
            let _ = write!(
                h,
                "<li><code>{}</code> ({}, {}): {}</li>",
                esc(p["name"].as_str().unwrap_or("")),
                esc(p["in"].as_str().unwrap_or("")),
                type_of(&p["schema"]),
                text(p["description"].as_str().unwrap_or(""))
            );
        }
        h.push_str("</ul>");
    }
    let body = &op["requestBody"]["content"]["application/json"]["schema"];
    if !body.is_null() {
        let _ = write!(h, "<h4>Body</h4><p>{}</p>", type_of(body));
    }
    h.push_str("<h4>Answers</h4><ul>");
    for (status, r) in op["responses"].as_object().into_iter().flatten() {
        let schema = &r["content"]["application/json"]["schema"];
        let _ = write!(
            h,
            "<li><code>{}</code> {}{}</li>",
            esc(status),
            text(r["description"].as_str().unwrap_or("")),
            if schema.is_null() {
                String::new()
            } else {
                format!(": {}", type_of(schema))
            }
        );
    }
    h.push_str("</ul></section>");
}

fn fields(h: &mut String, schema: &Value) {
    let Some(props) = schema["properties"].as_object() else {
        return;
    };
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    h.push_str(
        "<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>",
    );
    for (name, p) in props {
        let _ = write!(
            h,
            "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
            esc(name),
            if required.contains(&name.as_str()) {
                ""
            } else {
                " (optional)"
            },
            type_of(p),
            text(p["description"].as_str().unwrap_or(""))
        );
    }
    h.push_str("</tbody></table>");
}
