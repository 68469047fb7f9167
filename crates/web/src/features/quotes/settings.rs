//! The quote settings page (System): the discount above which a manager approves, the
//! letterhead's e-mail (name, address and phone are the company's settings) and its
//! logo (PNG or JPEG, bounded, kept in the blob store).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::DomainError;
use wharf_core::money::parse_decimal;
use wharf_store::quotes::{Logo, MAX_LOGO_BYTES, QuoteSettings, check_logo};

use super::views::SettingsPage;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, page};

async fn settings_page(
    state: &AppState,
    req: &Req,
    typed: Option<(&str, &str)>,
    err: Option<AppError>,
) -> Result<Response, AppError> {
    let current = state.store.quote_settings(req.actor()?).await?;
    let threshold = current
        .discount_threshold
        .map(|d| format!("{:.2}", d))
        .unwrap_or_default();
    let (threshold, email) = typed.unwrap_or((&threshold, &current.letterhead_email));
    let mut fields = vec![
        Field::new(req, "discount_threshold", "text", threshold),
        Field::new(req, "letterhead_email", "email", email),
    ];
    let mut errors = Vec::new();
    let mut logo_error = None;
    if let Some(e) = &err {
        let is_logo =
            matches!(e, AppError::Domain(DomainError::Invalid(f)) if f.get("logo").is_some());
        if is_logo {
            logo_error = Some(e.message(req.locale));
        } else {
            errors.push(crate::render::attach_errors(req, &mut fields, e));
        }
    }
    let data = SettingsPage {
        subnav: crate::features::system::admin_form::subnav(req, "quotes"),
        fields,
        errors,
        has_logo: state.store.letterhead_logo(req.actor()?).await?.is_some(),
        logo_error,
        max_logo_kib: MAX_LOGO_BYTES / 1024,
    };
    let mut res = page(
        req,
        "quotes/settings.html",
        "system",
        &req.t("quote.settings"),
        &data,
    );
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    Ok(res)
}

/// GET /quotes/settings
pub async fn show(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    settings_page(&state, &req, None, None).await
}

/// POST /quotes/settings
pub async fn save(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let threshold_text = form.get("discount_threshold");
    let email = form.get("letterhead_email");
    let threshold = match threshold_text.trim().trim_end_matches('%').trim() {
        "" => Ok(None),
        t => parse_decimal(t, 2)
            .map(Some)
            .map_err(|e| AppError::Domain(DomainError::field("discount_threshold", e.code()))),
    };
    let result = match threshold {
        Ok(discount_threshold) => state
            .store
            .update_quote_settings(
                req.ctx()?,
                &QuoteSettings {
                    discount_threshold,
                    letterhead_email: email.clone(),
                },
            )
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/quotes/settings?saved=settings").into_response()),
        Err(e @ AppError::Domain(DomainError::Invalid(_))) => {
            settings_page(&state, &req, Some((&threshold_text, &email)), Some(e)).await
        }
        Err(e) => Err(e),
    }
}

/// POST /quotes/settings/logo (multipart: `logo`, or `remove` = 1).
pub async fn logo(
    State(state): State<AppState>,
    req: Req,
    mut mp: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let mut upload: Option<Vec<u8>> = None;
    let mut remove = false;
    while let Some(field) = mp.next_field().await.map_err(|_| AppError::BadRequest)? {
        match field.name() {
            Some("remove") => remove = true,
            Some("logo") => {
                // Read in chunks so an oversized file is refused without holding it whole.
                let mut field = field;
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                    if bytes.len() + chunk.len() > MAX_LOGO_BYTES {
                        let e = AppError::Domain(DomainError::field("logo", "file_too_large"));
                        return settings_page(&state, &req, None, Some(e)).await;
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if !bytes.is_empty() {
                    upload = Some(bytes);
                }
            }
            _ => {}
        }
    }
    if remove {
        state.store.set_letterhead_logo(req.ctx()?, None).await?;
        return Ok(Redirect::to("/quotes/settings?saved=settings").into_response());
    }
    let Some(bytes) = upload else {
        let e = AppError::Domain(DomainError::field("logo", "required"));
        return settings_page(&state, &req, None, Some(e)).await;
    };
    let content_type = match check_logo(&bytes) {
        Ok(t) => t,
        Err(e) => return settings_page(&state, &req, None, Some(AppError::Domain(e))).await,
    };
    let (hash, size, inline) = state
        .mail
        .put_blob(bytes)
        .await
        .map_err(|e| AppError::Internal(format!("logo blob: {e}")))?;
    let logo = Logo {
        hash,
        content_type: content_type.to_owned(),
    };
    state
        .store
        .set_letterhead_logo(req.ctx()?, Some((logo, size, inline)))
        .await?;
    Ok(Redirect::to("/quotes/settings?saved=settings").into_response())
}

/// GET /quotes/settings/logo: the image, for the settings page.
pub async fn logo_image(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let logo = state
        .store
        .letterhead_logo(req.actor()?)
        .await?
        .ok_or(AppError::Domain(DomainError::NotFound))?;
    let bytes = state
        .mail
        .read_blob(&logo.hash)
        .await
        .map_err(|e| AppError::Internal(format!("logo: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, logo.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, max-age=60".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
