//! The company settings page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::settings::KEYS;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::system::admin_form::show_form;
use crate::form::FormData;
use crate::render::Field;

// ---- company settings --------------------------------------------------------------

async fn settings_fields(
    state: &AppState,
    req: &Req,
    values: Option<&FormData>,
) -> Result<Vec<Field>, AppError> {
    let current = state.store.company_settings(req.actor()?).await?;
    Ok(KEYS
        .iter()
        .map(|k| {
            let value = values
                .map(|f| f.get(k))
                .unwrap_or_else(|| current.get(k).unwrap_or_default());
            match *k {
                "match_company_domains" | "pending_internal" | "pending_notifications" => {
                    return Field::select(
                        req,
                        k,
                        &value,
                        vec![
                            ("1".into(), req.t("common.yes")),
                            ("0".into(), req.t("common.no")),
                        ],
                    );
                }
                "free_mail_domains" => return Field::new(req, k, "textarea", value),
                "base_currency" => {
                    return Field::select(
                        req,
                        k,
                        &value,
                        crate::features::money::currency_options(req),
                    );
                }
                // The common zones to pick from; any other IANA name may be typed.
                "time_zone" => {
                    let mut f = Field::new(req, k, "text", value);
                    f.suggestions = wharf_core::zone::COMMON_ZONES
                        .iter()
                        .map(|z| z.to_string())
                        .collect();
                    return f;
                }
                _ => {}
            }
            let kind = if k.ends_with("_days") || k.ends_with("_seconds") || k.ends_with("_minutes")
            {
                "number"
            } else {
                "text"
            };
            Field::new(req, k, kind, value)
        })
        .collect())
}

pub async fn settings_form(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let fields = settings_fields(&state, &req, None).await?;
    Ok(show_form(
        &req,
        "settings",
        req.t("system.settings"),
        "/system/settings".into(),
        "/system".into(),
        fields,
        None,
        None,
    ))
}

pub async fn settings_save(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    match state.store.update_settings(req.ctx()?, &form.0).await {
        Ok(_) => Ok(Redirect::to("/system/settings?saved=settings").into_response()),
        Err(e) => {
            let fields = settings_fields(&state, &req, Some(&form)).await?;
            Ok(show_form(
                &req,
                "settings",
                req.t("system.settings"),
                "/system/settings".into(),
                "/system".into(),
                fields,
                Some(e.into()),
                None,
            ))
        }
    }
}
