//! What the JSON API's handlers share (SPEC API-1): the body extractor and its errors,
//! 201 Created.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::AppError;

pub(crate) fn body<T>(
    b: Result<Json<T>, axum::extract::rejection::JsonRejection>,
) -> Result<T, AppError> {
    b.map(|Json(v)| v).map_err(|_| AppError::BadRequest)
}

pub(crate) type JsonBody<T> = Result<Json<T>, axum::extract::rejection::JsonRejection>;

pub(crate) fn created(id: i64) -> Response {
    (StatusCode::CREATED, Json(json!({ "id": id }))).into_response()
}
