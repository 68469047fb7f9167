//! A field's value as the registry's consumers handle it (bind it, compare it for the
//! history, set it from an import), whatever its Rust type in the record.

/// How a field's value is held: the SQL column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// `TEXT NOT NULL DEFAULT ''`.
    Text,
    /// `BIGINT NOT NULL DEFAULT 0`.
    Int,
    /// A nullable `BIGINT` (a day, a reference).
    OptInt,
    /// `BIGINT NOT NULL DEFAULT 0`, 0 or 1.
    Flag,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Int(i64),
    OptInt(Option<i64>),
    Flag(bool),
}

impl FieldValue {
    /// The value as the history records it: ids and numbers in digits, an absent one
    /// empty, a flag `1` or `0`.
    pub fn to_text(&self) -> String {
        match self {
            FieldValue::Text(s) => s.clone(),
            FieldValue::Int(n) => n.to_string(),
            FieldValue::OptInt(v) => v.map(|n| n.to_string()).unwrap_or_default(),
            FieldValue::Flag(b) => if *b { "1" } else { "0" }.to_string(),
        }
    }

    /// The value [`Self::to_text`] wrote, read back as `storage` (for the history's
    /// old and new values); unreadable numbers read as none / 0.
    pub fn parse(storage: Storage, text: &str) -> FieldValue {
        match storage {
            Storage::Text => FieldValue::Text(text.to_string()),
            Storage::Int => FieldValue::Int(text.parse().unwrap_or(0)),
            Storage::OptInt => FieldValue::OptInt(text.parse().ok()),
            Storage::Flag => FieldValue::Flag(text == "1"),
        }
    }

    pub fn storage(&self) -> Storage {
        match self {
            FieldValue::Text(_) => Storage::Text,
            FieldValue::Int(_) => Storage::Int,
            FieldValue::OptInt(_) => Storage::OptInt,
            FieldValue::Flag(_) => Storage::Flag,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// A Rust type a record's field may have.
pub trait FieldType: Sized {
    fn to_value(&self) -> FieldValue;
    /// `None` when the value is of another storage.
    fn from_value(value: FieldValue) -> Option<Self>;
}

impl FieldType for String {
    fn to_value(&self) -> FieldValue {
        FieldValue::Text(self.clone())
    }
    fn from_value(value: FieldValue) -> Option<Self> {
        match value {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl FieldType for i64 {
    fn to_value(&self) -> FieldValue {
        FieldValue::Int(*self)
    }
    fn from_value(value: FieldValue) -> Option<Self> {
        match value {
            FieldValue::Int(n) => Some(n),
            _ => None,
        }
    }
}

impl FieldType for Option<i64> {
    fn to_value(&self) -> FieldValue {
        FieldValue::OptInt(*self)
    }
    fn from_value(value: FieldValue) -> Option<Self> {
        match value {
            FieldValue::OptInt(v) => Some(v),
            _ => None,
        }
    }
}

impl FieldType for bool {
    fn to_value(&self) -> FieldValue {
        FieldValue::Flag(*self)
    }
    fn from_value(value: FieldValue) -> Option<Self> {
        match value {
            FieldValue::Flag(b) => Some(b),
            _ => None,
        }
    }
}
