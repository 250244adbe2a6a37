//! The HTTP router: the site's files, the downloads that stream, the pages and server
//! functions (with the per-request context they read), the hooks, and the middleware stack.

use crate::middleware::{
    body_limit, client_ip, empty_redirects, global_privacy_control, keep_language,
    reject_cross_site, remember_language, security_headers, server_fn_error_status, CspNonce,
    HeaderPolicy,
};
use crate::state::ServerState;
use app::backend::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, Predicate as _};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Provides the per-request context that pages and server functions read. (Server functions
/// are routed by `leptos_routes_with_context` with this same context.)
pub(crate) fn request_context(state: AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(state.clone());
        provide_context(app::api::access::DenialRecorded::default());
        provide_context(app::api::access::RequestMemo::default());
        if let Some(nonce) = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
        {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0));
        }
    }
}

/// The app's route list, generated once per process. Generating it renders the app with
/// resource loading switched off through a process-wide flag in `leptos_server`; generating
/// it again while another instance in the same process serves pages (as the tests do) would
/// leave those pages' resources unloaded and their responses stalled.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: ServerState) -> Router {
    let routes = route_list();
    let ctx = request_context(state.app.clone());
    let options = state.leptos_options.clone();
    let request_id = HeaderName::from_static("x-request-id");
    // The site's files are served here, not by Leptos' fallback (which re-reads them for every
    // request, ignores `If-None-Match`, and was seen applying another request's redirect to a
    // stylesheet): precompressed `.br`/`.gz` when the browser accepts them, 304 when unchanged.
    let site_root = std::path::PathBuf::from(&*state.leptos_options.site_root);
    let pkg = tower_http::services::ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let favicon = tower_http::services::ServeFile::new(site_root.join("favicon.svg"));
    Router::new()
        .nest_service("/pkg", pkg)
        .route_service("/favicon.svg", favicon)
        .route("/healthz", get(healthz))
        .route("/files/{id}", get(crate::files::serve_file))
        .route("/portal/funds/flow.csv", get(crate::exports::flow_csv))
        .route(
            "/portal/funds/order-template.csv",
            get(crate::exports::order_template),
        )
        .route(
            "/portal/funds/orders/{id}/receipt.html",
            get(crate::exports::receipt_download),
        )
        .merge(crate::invoice_files::routes())
        .merge(crate::support::routes())
        .merge(crate::sharing_csv::routes())
        .merge(crate::openapi::routes().0)
        .merge(crate::openapi::docs::routes())
        .route(
            "/portal/privacy/requests/{id}/copy.zip",
            get(crate::privacy_copy::download),
        )
        .route("/wx/callback", get(crate::wechat::routes::callback))
        .route("/wx/website", get(crate::wechat::routes::website))
        .route(
            "/wx/website/finish/{ticket}",
            get(crate::wechat::routes::website_finish),
        )
        .route(
            "/wx/tickets/{ticket}/events",
            get(crate::wechat::routes::ticket_events),
        )
        .leptos_routes_with_context(&state, routes, ctx.clone(), move || shell(options.clone()))
        // After the page's GET, on the same path (RFC 8058 one-click).
        .route(
            "/unsubscribe/{token}",
            axum::routing::post(crate::unsubscribe::one_click),
        )
        .route(
            "/hooks/sms/aliyun/{token}",
            axum::routing::post(crate::sms::replies),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(ctx, shell))
        .layer(axum::middleware::map_response(server_fn_error_status))
        .layer(axum::middleware::map_response(empty_redirects))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::wechat::routes::phone_entry,
        ))
        .layer(axum::middleware::from_fn_with_state(
            crate::page_cache::PageCacheState {
                app: state.app.clone(),
                pages: Default::default(),
            },
            crate::page_cache::public_page_cache,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.public_origin.clone(),
            keep_language,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.app.settings.production,
            remember_language,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.app.clone(),
            global_privacy_control,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.trust_forwarded_for,
            client_ip,
        ))
        .layer(axum::middleware::from_fn(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.public_origin.clone(),
            reject_cross_site,
        ))
        // A ZIP (a copy of one's data) is compressed already.
        .layer(CompressionLayer::new().compress_when(
            tower_http::compression::DefaultPredicate::new().and(
                tower_http::compression::predicate::NotForContentType::const_new(
                    "application/zip",
                ),
            ),
        ))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            HeaderPolicy {
                production: state.app.settings.production,
                hashed_files: state.leptos_options.hash_files,
            },
            security_headers,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %crate::http::loggable_path(req.uri().path()))
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<ServerState>) -> Response {
    match state.app.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}
