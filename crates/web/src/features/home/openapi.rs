//! The OpenAPI document, generated from the route table so it cannot drift from the
//! routes.

use axum::Json;
use serde_json::{Value, json};
use wharf_core::policy::Access;

use crate::app::route_table;

/// OpenAPI 3.1 for every `/api/` route of the route table.
pub async fn openapi() -> Json<Value> {
    let mut paths = serde_json::Map::new();
    for r in route_table()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
    {
        let path = r.path.to_string();
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": if name == "id" { "integer" } else { "string" }}}))
            .collect();
        let needs = match r.access {
            Access::Needs(p) => format!(" Requires the `{}` permission.", p.code()),
            _ => String::new(),
        };
        let entry = paths.entry(path).or_insert_with(|| json!({}));
        entry[r.method.as_str().to_lowercase()] = json!({
            "summary": r.summary,
            "description": format!("{}{needs}", r.summary),
            "parameters": params,
            "security": [{"bearer": []}],
            "responses": {
                "200": {"description": "OK"},
                "401": {"description": "No or invalid token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "Forbidden by the role's permissions", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "422": {"description": "Invalid input, with field errors", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            }
        });
    }
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "Wharf API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token from My account → API tokens"}},
            "schemas": {"Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "code": {"type": "string"}, "message": {"type": "string"},
                "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}}}}}
        }
    }))
}
