//! JSON data and image bytes turned into typst values for `sys.inputs`: strings stay strings, so nothing is markup.

use typst::foundations::{Array, Bytes, Dict, IntoValue, Str, Value};

/// `sys.inputs` = `(data: <the JSON>, images: (name: bytes, …))`.
pub(crate) fn dict(data: &serde_json::Value, images: &[(&str, &[u8])]) -> Dict {
    let mut image_dict = Dict::new();
    for (name, bytes) in images {
        image_dict.insert(Str::from(*name), Bytes::new(bytes.to_vec()).into_value());
    }
    let mut inputs = Dict::new();
    inputs.insert("data".into(), value(data));
    inputs.insert("images".into(), Value::Dict(image_dict));
    inputs
}

fn value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Str(Str::from(s.as_str())),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(value).collect::<Array>()),
        serde_json::Value::Object(map) => {
            let mut dict = Dict::new();
            for (key, item) in map {
                dict.insert(Str::from(key.as_str()), value(item));
            }
            Value::Dict(dict)
        }
    }
}
