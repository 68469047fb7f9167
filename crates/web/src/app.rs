//! The application: shared state, the route table, and the layers every request passes
//! (caller resolution + CSRF, the access guard, error rendering).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use axum::{Json, Router};
use serde_json::json;
use wharf_core::policy::{Access, Decision, allows};
use wharf_store::Store;
use wharf_store::auth::sessions::SessionPolicy;

use crate::ctx::Req;
use crate::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub session_policy: SessionPolicy,
    /// Send the session cookie with `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Cleared once the first-start admin password is set; saves a query per request.
    setup_pending: Arc<AtomicBool>,
    /// Blob store and secret key for the mail pages (credentials, settings checks).
    pub mail: wharf_mailbox::Env,
    /// This node's job runner: the web's kinds (the customer import) start on it at
    /// once when queued; `serve` gives the one its claim loop runs.
    pub jobs: wharf_jobs::Runner,
    /// B2B inquiry layouts (LINK-3): the built-in ones and those of the data directory.
    pub inquiry_layouts: Arc<Vec<wharf_core::mail::inquiry::Layout>>,
    /// This node's search index (FIND-1); in memory unless `with_search` gives the one
    /// in the data directory, which `serve`'s indexer keeps current.
    pub search: Arc<wharf_search::SearchIndex>,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` give the client's address.
    pub trusted_proxies: Arc<crate::client_ip::TrustedProxies>,
}

/// The web's job kinds, for the runner's registry.
pub fn job_kinds() -> Vec<wharf_jobs::Kind> {
    vec![
        crate::features::customer_import::job::import_kind(),
        crate::features::records::reminders::reminder_kind(),
        crate::features::quotes::expiry::expiry_kind(),
    ]
}

impl AppState {
    pub async fn new(
        store: Store,
        session_policy: SessionPolicy,
        secure_cookies: bool,
        mail: wharf_mailbox::Env,
    ) -> Result<AppState, AppError> {
        crate::i18n::check().map_err(|e| AppError::Internal(e.to_string()))?;
        let pending = store.needs_setup().await?;
        let jobs = wharf_jobs::Runner::new(
            store.clone(),
            wharf_jobs::Registry::new()
                .with(job_kinds())
                .map_err(|e| AppError::Internal(e.to_string()))?,
            4,
        );
        Ok(AppState {
            store,
            session_policy,
            secure_cookies,
            setup_pending: Arc::new(AtomicBool::new(pending)),
            mail,
            jobs,
            inquiry_layouts: Arc::new(wharf_core::mail::inquiry::built_in()),
            search: Arc::new(
                wharf_search::SearchIndex::in_memory()
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            ),
            trusted_proxies: Arc::default(),
        })
    }

    /// Believes the forwarding headers of connections from these networks.
    pub fn with_trusted_proxies(mut self, proxies: crate::client_ip::TrustedProxies) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// Starts queued jobs on this runner (the one `serve`'s claim loop runs).
    pub fn with_jobs(mut self, jobs: wharf_jobs::Runner) -> AppState {
        self.jobs = jobs;
        self
    }

    /// Uses this search index (the one `serve` opens in the data directory).
    pub fn with_search(mut self, search: Arc<wharf_search::SearchIndex>) -> AppState {
        self.search = search;
        self
    }

    /// Adds the layouts of `<dir>/*.toml` (a new platform layout needs no code change).
    /// A file that does not load, or whose fixtures do not parse as expected, is left
    /// out with a warning in the log.
    pub fn with_inquiry_layouts(mut self, dir: &std::path::Path) -> AppState {
        let mut layouts = wharf_core::mail::inquiry::built_in();
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        {
            let name = path.display().to_string();
            match std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| {
                    wharf_core::mail::inquiry::load(&name, &text).map_err(|e| e.to_string())
                }) {
                Ok(layout) => {
                    // A file layout with a built-in's id replaces it.
                    layouts.retain(|l| l.id != layout.id);
                    tracing::info!(layout = %layout.id, file = %name, "inquiry layout loaded");
                    layouts.insert(0, layout);
                }
                Err(e) => tracing::warn!("inquiry layout skipped: {e}"),
            }
        }
        self.inquiry_layouts = Arc::new(layouts);
        self
    }

    pub fn setup_pending(&self) -> bool {
        self.setup_pending.load(Ordering::Relaxed)
    }

    pub fn setup_done(&self) {
        self.setup_pending.store(false, Ordering::Relaxed);
    }
}

/// One entry of the route table: every route of the app is declared here with the access
/// it needs, and the guard enforces it before the handler runs.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
}

pub struct Routes {
    router: Router<AppState>,
    pub specs: Vec<RouteSpec>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            specs: Vec::new(),
        }
    }

    pub fn add(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        summary: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.specs.push(RouteSpec {
            method,
            path,
            access,
            summary,
        });
        let guarded = handler.layer(middleware::from_fn(move |req: Request, next: Next| {
            guard(access, req, next)
        }));
        self.router = self.router.route(path, guarded);
        self
    }
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

/// Every route with its access requirement (for the permission test and OpenAPI).
pub fn route_table() -> Vec<RouteSpec> {
    crate::routes::all().specs
}

pub fn router(state: AppState) -> Router {
    let routes = crate::routes::all();
    routes
        .router
        .fallback(|| async { AppError::Domain(wharf_core::DomainError::NotFound) })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::ctx::resolve,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), render_errors))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::headers::harden,
        ))
        // gzip or br as the browser accepts; not for server-sent events or images.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Applies the one policy to the route's [`Access`]; also sends everyone to the
/// first-start page until the admin password is set, and to the password form while a
/// user must change theirs.
async fn guard(access: Access, req: Request, next: Next) -> Response {
    let Some(ctx) = req.extensions().get::<Req>().cloned() else {
        return AppError::Internal("no request context".into()).into_response();
    };
    let path = req.uri().path().to_string();
    let api = path.starts_with("/api/");
    let state_pending = req.extensions().get::<SetupPending>().is_some_and(|p| p.0);
    if state_pending
        && !matches!(path.as_str(), "/setup" | "/healthz")
        && !path.starts_with("/locale")
    {
        return if api {
            AppError::Unauthorized.into_response()
        } else {
            Redirect::to("/setup").into_response()
        };
    }
    if ctx.must_change_password
        && !api
        && !matches!(
            path.as_str(),
            "/profile" | "/profile/password" | "/logout" | "/locale"
        )
    {
        return Redirect::to("/profile").into_response();
    }
    match allows(ctx.actor.as_ref(), access) {
        Decision::Allow => next.run(req).await,
        Decision::SignInFirst if api => AppError::Unauthorized.into_response(),
        Decision::SignInFirst => Redirect::to("/login").into_response(),
        Decision::Forbid => AppError::Domain(wharf_core::DomainError::Denied).into_response(),
    }
}

#[derive(Clone, Copy)]
struct SetupPending(bool);

/// A 4xx that no handler made: axum's extractors answer bad paths, queries, bodies,
/// methods and media types in plain text (developer English). Under `/api/` every such
/// answer becomes the API's JSON error with a stable code; pages get the translated page.
fn rejection(path: &str, res: &Response) -> Option<Arc<AppError>> {
    if !res.status().is_client_error() {
        return None;
    }
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let plain = content_type.is_empty() || content_type.starts_with("text/plain");
    let api = path.starts_with("/api/");
    ((api && !content_type.starts_with("application/json")) || plain)
        .then(|| Arc::new(AppError::Rejected(res.status())))
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        res.extensions_mut().insert(Arc::new(self));
        res
    }
}

/// Turns an [`AppError`] left in a response into a page in the user's language, or JSON
/// with a stable code for the API.
async fn render_errors(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    req.extensions_mut()
        .insert(SetupPending(state.setup_pending()));
    let path = req.uri().path().to_string();
    let wants_json = path.starts_with("/api/")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("application/json"));
    let accept_language = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let res = next.run(req).await;
    let Some(err) = res
        .extensions()
        .get::<Arc<AppError>>()
        .cloned()
        .or_else(|| rejection(&path, &res))
    else {
        return res;
    };
    let ctx = res
        .extensions()
        .get::<Req>()
        .cloned()
        .unwrap_or_else(|| Req {
            actor: None,
            display_name: String::new(),
            must_change_password: false,
            csrf: String::new(),
            locale: crate::i18n::Locale::negotiate(&accept_language),
            ip: String::new(),
            via_token: false,
            clock: None,
            saved: None,
        });
    if let AppError::Internal(detail) = err.as_ref() {
        tracing::error!(%detail, %path, "request failed");
    }
    let status = err.status();
    let message = err.message(ctx.locale);
    // A rate limit says when to come back.
    let retry_after = match err.as_ref() {
        AppError::Domain(wharf_core::DomainError::TooMany { retry_after, .. }) => {
            axum::http::HeaderValue::from_str(&retry_after.to_string()).ok()
        }
        _ => None,
    };
    if wants_json {
        let fields = match err.as_ref() {
            AppError::Domain(wharf_core::DomainError::Invalid(f)) => f
                .0
                .iter()
                .map(|e| json!({"field": e.field, "code": e.code, "message": crate::i18n::t(ctx.locale, &format!("error.{}", e.code))}))
                .collect(),
            _ => Vec::new(),
        };
        let mut res = (
            status,
            Json(json!({"error": {"code": err.code(), "message": message, "fields": fields}})),
        )
            .into_response();
        if let Some(v) = retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    let title = match status {
        StatusCode::FORBIDDEN => "403",
        StatusCode::NOT_FOUND => "404",
        _ => "",
    };
    let title = if title.is_empty() {
        ctx.t("error.title")
    } else {
        format!("{title} · {}", ctx.t("error.title"))
    };
    let mut page = crate::render::message(&ctx, &title, &message);
    *page.status_mut() = status;
    if let Some(v) = retry_after {
        page.headers_mut().insert(header::RETRY_AFTER, v);
    }
    page
}
