//! The JSON API of the company settings.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::api::{JsonBody, body};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

// ---- settings and announcements ----------------------------------------------------

fn settings_json(s: &wharf_core::settings::CompanySettings) -> Value {
    let map: serde_json::Map<String, Value> = wharf_core::settings::KEYS
        .iter()
        .map(|k| (k.to_string(), json!(s.get(k).unwrap_or_default())))
        .collect();
    Value::Object(map)
}

pub async fn settings_get(
    State(state): State<AppState>,
    req: Req,
) -> Result<Json<Value>, AppError> {
    Ok(Json(settings_json(
        &state.store.company_settings(req.actor()?).await?,
    )))
}

/// Changes the fields given (values as strings or numbers); the others stay.
pub async fn settings_update(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<serde_json::Map<String, Value>>,
) -> Result<Json<Value>, AppError> {
    let changes: Vec<(String, String)> = body(b)?
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                },
            )
        })
        .collect();
    Ok(Json(settings_json(
        &state.store.update_settings(req.ctx()?, &changes).await?,
    )))
}
