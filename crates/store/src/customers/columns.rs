//! The customers table's standard columns, derived from the registry
//! ([`CUSTOMER_FIELDS`]): the columns a read selects, a row read into a record, and the
//! insert and update statements with the values bound in the registry's order. A new
//! standard field needs its column (a migration) and nothing here.

use std::sync::LazyLock;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use wharf_core::customers::{CUSTOMER_FIELDS, CustomerInput, name_key};
use wharf_core::fields::{FieldValue, Record, Storage};

use super::Customer;
use crate::rows::{flag, int, opt_int, text};

/// Values a write binds after the registry's: the name's duplicate key and the search
/// box's text.
const DERIVED: [&str; 2] = ["name_key", "search_text"];

/// The columns a read selects (on `c`): the record's own, then the registry's.
pub(super) fn select_list() -> &'static str {
    static LIST: LazyLock<String> = LazyLock::new(|| {
        ["id", "sharing", "created_at", "updated_at"]
            .into_iter()
            .chain(CUSTOMER_FIELDS.fields.iter().map(|f| f.key))
            .map(|c| format!("c.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    &LIST
}

/// A row of [`select_list`] as a customer (owners and custom values still empty).
pub(super) fn customer(r: &AnyRow) -> sqlx::Result<Customer> {
    let mut fields = CustomerInput::default();
    for f in CUSTOMER_FIELDS.fields {
        let value = match f.kind.storage() {
            Storage::Text => FieldValue::Text(text(r, f.key)?),
            Storage::Int => FieldValue::Int(int(r, f.key)?),
            Storage::OptInt => FieldValue::OptInt(opt_int(r, f.key)?),
            Storage::Flag => FieldValue::Flag(flag(r, f.key)?),
        };
        fields.set(f.key, value);
    }
    Ok(Customer {
        id: int(r, "id")?,
        fields,
        sharing: text(r, "sharing")?,
        created_at: int(r, "created_at")?,
        updated_at: int(r, "updated_at")?,
        owners: Vec::new(),
    })
}

/// Values bound per customer by [`bind_fields`].
pub(super) fn values_per_row() -> usize {
    CUSTOMER_FIELDS.fields.len() + DERIVED.len()
}

/// An insert of `rows` customers: `$1` sharing, `$2` created by, `$3` the time, then
/// each row's [`bind_fields`].
pub(super) fn insert_sql(rows: usize) -> String {
    let columns = ["sharing", "created_by", "created_at", "updated_at"]
        .into_iter()
        .chain(CUSTOMER_FIELDS.fields.iter().map(|f| f.key))
        .chain(DERIVED)
        .collect::<Vec<_>>()
        .join(", ");
    let per_row = values_per_row();
    let values = (0..rows)
        .map(|i| {
            let first = 4 + per_row * i;
            let cells: Vec<String> = (first..first + per_row).map(|p| format!("${p}")).collect();
            format!("($1, $2, $3, $3, {})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("INSERT INTO customers ({columns}) VALUES {values}")
}

/// An update of one customer: [`bind_fields`], then the time and the id.
pub(super) fn update_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let set = CUSTOMER_FIELDS
            .fields
            .iter()
            .map(|f| f.key)
            .chain(DERIVED)
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let n = values_per_row();
        format!(
            "UPDATE customers SET {set}, updated_at = ${} WHERE id = ${}",
            n + 1,
            n + 2
        )
    });
    &SQL
}

/// Binds a customer's standard values in the registry's order, then its name key and
/// search text.
pub(super) fn bind_fields<'q>(
    mut q: Query<'q, sqlx::Any, AnyArguments>,
    input: &CustomerInput,
) -> Query<'q, sqlx::Any, AnyArguments> {
    for (_, value) in input.values() {
        q = bind_value(q, value);
    }
    q.bind(name_key(&input.name)).bind(search_text(input))
}

pub(super) fn bind_value<'q>(
    q: Query<'q, sqlx::Any, AnyArguments>,
    value: FieldValue,
) -> Query<'q, sqlx::Any, AnyArguments> {
    match value {
        FieldValue::Text(s) => q.bind(s),
        FieldValue::Int(n) => q.bind(n),
        FieldValue::OptInt(v) => q.bind(v),
        FieldValue::Flag(b) => q.bind(i64::from(b)),
    }
}

/// What the list's search box looks in, lower case (see the `search_text` column): the
/// registry's searchable fields.
pub(crate) fn search_text(c: &CustomerInput) -> String {
    c.values()
        .into_iter()
        .filter(|(f, _)| f.searchable)
        .filter_map(|(_, v)| v.as_str().filter(|v| !v.is_empty()).map(str::to_lowercase))
        .collect::<Vec<_>>()
        .join(" | ")
}
