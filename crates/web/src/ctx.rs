//! Who is asking: the middleware that resolves the session cookie or API token into an
//! [`Actor`], picks the language, reads the company's time zone, and enforces CSRF on
//! every state change made with a cookie. Handlers read the result through the [`Req`]
//! extractor.

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use wharf_core::Actor;
use wharf_core::zone::{Day, Zone};
use wharf_store::secret::constant_time_eq;

use crate::app::AppState;
use crate::error::AppError;
use crate::i18n::Locale;

pub const SESSION_COOKIE: &str = "wharf_session";
pub const LOCALE_COOKIE: &str = "wharf_lang";
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// The request's caller, language, CSRF token and the company's clock.
#[derive(Clone, Debug)]
pub struct Req {
    pub actor: Option<Actor>,
    pub display_name: String,
    pub must_change_password: bool,
    pub csrf: String,
    pub locale: Locale,
    pub ip: String,
    /// Signed in with a bearer token rather than a cookie.
    pub via_token: bool,
    /// The company's time zone and today there; read once per signed-in request.
    pub clock: Option<CompanyClock>,
    /// What a form just saved (`?saved=settings` after its redirect): the frame says so.
    pub saved: Option<&'static str>,
}

/// The saves the frame confirms, each with its sentence `saved.<code>`.
pub const SAVED: &[&str] = &["settings", "password", "language", "profile"];

/// The `saved` parameter of a query string, if it is one of [`SAVED`].
fn saved_of(query: Option<&str>) -> Option<&'static str> {
    let value = query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("saved="))?;
    SAVED.iter().copied().find(|c| *c == value)
}

/// The company's time for one request: its zone (from the settings) and its day.
#[derive(Clone, Debug)]
pub struct CompanyClock {
    pub zone: Zone,
    pub today: Day,
}

impl Req {
    pub fn actor(&self) -> Result<&Actor, AppError> {
        self.actor.as_ref().ok_or(AppError::Unauthorized)
    }

    pub fn ctx(&self) -> Result<wharf_store::Ctx<'_>, AppError> {
        Ok(wharf_store::Ctx {
            actor: self.actor()?,
            ip: &self.ip,
        })
    }

    pub fn t(&self, key: &str) -> String {
        crate::i18n::t(self.locale, key)
    }

    /// The company's time zone, for every day read and every time shown.
    pub fn zone(&self) -> Result<&Zone, AppError> {
        self.clock
            .as_ref()
            .map(|c| &c.zone)
            .ok_or(AppError::Unauthorized)
    }

    /// Today in the company's time zone, fixed for the whole request.
    pub fn today(&self) -> Result<Day, AppError> {
        self.clock
            .as_ref()
            .map(|c| c.today)
            .ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Req {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Req>()
            .cloned()
            .ok_or(AppError::Internal("request context missing".into()))
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The client's address: the connection's, or what trusted proxies forwarded.
fn client_ip(state: &AppState, req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| {
            state
                .trusted_proxies
                .client(c.0.ip(), req.headers())
                .to_string()
        })
        .unwrap_or_default()
}

/// Resolves the caller, then checks CSRF on unsafe methods.
pub async fn resolve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let saved = saved_of(req.uri().query());
    let ip = client_ip(&state, &req);
    let mut user_id = None;
    let mut csrf = String::new();
    let mut via_token = false;
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let Some(token) = bearer {
        match state.store.user_for_token(token.trim()).await {
            Ok(Some(id)) => {
                user_id = Some(id);
                via_token = true;
            }
            Ok(None) => return AppError::Unauthorized.into_response(),
            Err(e) => return AppError::from(e).into_response(),
        }
    } else if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        match state.store.touch_session(token, state.session_policy).await {
            Ok(Some(s)) => {
                user_id = Some(s.user_id);
                csrf = s.csrf_token;
            }
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    let mut actor = None;
    let mut display_name = String::new();
    let mut must_change_password = false;
    let mut user_locale = String::new();
    if let Some(id) = user_id {
        match state.store.load_actor(id).await {
            Ok(Some(a)) => {
                if let Ok(Some(s)) = state.store.staff_brief(id).await {
                    display_name = s.0;
                    user_locale = s.1;
                    must_change_password = s.2;
                }
                actor = Some(a);
            }
            Ok(None) if via_token => return AppError::Unauthorized.into_response(),
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    // Only the signed-in see dates; a settings read that fails fails the request.
    let clock = match &actor {
        Some(a) => match state.store.company_time_zone(a).await {
            Ok(zone) => Some(CompanyClock {
                today: zone.today(wharf_store::now()),
                zone,
            }),
            Err(e) => return AppError::from(e).into_response(),
        },
        None => None,
    };
    let locale = Locale::from_code(&user_locale)
        .or_else(|| cookie(&headers, LOCALE_COOKIE).and_then(Locale::from_code))
        .unwrap_or_else(|| {
            Locale::negotiate(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        });
    let display_name = crate::i18n::person(locale, &display_name);
    let ctx = Req {
        actor,
        display_name,
        must_change_password,
        csrf,
        locale,
        ip,
        via_token,
        clock,
        saved,
    };

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(ctx.clone());
    let mut req = Request::from_parts(parts, body);
    // Bearer tokens are not sent by browsers on their own, so they need no CSRF token.
    // Cookie requests do, and so does the login form (no session yet: checked by Origin).
    if unsafe_method && !ctx.via_token {
        match check_csrf(&ctx, req).await {
            Ok(r) => req = r,
            Err(e) => return e.into_response(),
        }
    }
    let mut res = next.run(req).await;
    // The error renderer outside needs the caller's language and frame.
    if res.extensions().get::<std::sync::Arc<AppError>>().is_some() {
        res.extensions_mut().insert(ctx);
    }
    res
}

async fn check_csrf(ctx: &Req, req: Request) -> Result<Request, AppError> {
    // A cross-site form post carries a foreign Origin: refuse it whatever else it has.
    if let (Some(origin), Some(host)) = (
        req.headers().get(header::ORIGIN),
        req.headers().get(header::HOST),
    ) {
        let origin = origin.to_str().unwrap_or("");
        let host = host.to_str().unwrap_or("");
        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return Err(AppError::CsrfFailed);
        }
    }
    if ctx.csrf.is_empty() {
        // No session: only the sign-in and first-start forms post without one, and they
        // are protected by the Origin check above and SameSite cookies. `Origin: null`
        // comes from sandboxed frames, data: pages and the like, never from our forms.
        if req
            .headers()
            .get(header::ORIGIN)
            .is_some_and(|o| o.as_bytes() == b"null")
        {
            return Err(AppError::CsrfFailed);
        }
        return Ok(req);
    }
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if constant_time_eq(h, &ctx.csrf) {
            Ok(req)
        } else {
            Err(AppError::CsrfFailed)
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        // Uploads carry the token as the form's first field (never in the URL, where it
        // would show in the address bar): only that first part is read here, and the
        // body goes on to the handler whole.
        let boundary = crate::csrf_multipart::boundary(content_type).ok_or(AppError::CsrfFailed)?;
        let (req, token) = crate::csrf_multipart::first_field(req, &boundary, "_csrf").await?;
        return if constant_time_eq(&token, &ctx.csrf) {
            Ok(req)
        } else {
            Err(AppError::CsrfFailed)
        };
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return Err(AppError::CsrfFailed);
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| AppError::BadRequest)?;
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .map_err(|_| AppError::BadRequest)?
        .into_iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v)
        .unwrap_or_default();
    if !constant_time_eq(&token, &ctx.csrf) {
        return Err(AppError::CsrfFailed);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
