//! Field registries: a record type's standard fields described once (key, kind, limits,
//! import header aliases, query-builder kind, list column, search, export, history label),
//! so that validation, SQL binds, the query builder, the import mapping, list columns and
//! export headers are derived from one list. Customers declare theirs in
//! [`crate::customers::fields`]; products, opportunities, quotes and orders will too.

mod def;
mod record;
mod validate;
mod value;

pub use def::{Aliases, Column, FieldDef, Import, Join, Kind, QueryKind, Registry, Visibility};
pub use record::Record;
pub use validate::validate_fields;
pub use value::{FieldType, FieldValue, Storage};
