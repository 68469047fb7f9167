//! The query builder's conditions (CUST-5) as SQL on `c`, by the field's kind.

use wharf_core::custom_field::CustomField;
use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::fields::Kind;

use crate::rows::like_pattern;

/// One query-builder condition as SQL on `c`. Text values become parameters (numbered
/// after the `ints` integer ones); numbers and days are checked integers written inline.
pub(super) fn condition_sql(
    c: &wharf_core::customers::query::Condition,
    ints: usize,
    texts: &mut Vec<String>,
    zone: &wharf_core::zone::Zone,
    custom: &[CustomField],
) -> String {
    use wharf_core::customers::query::{FieldKind, field_kind};
    let mut param = |v: String| {
        texts.push(v);
        format!("${}", ints + texts.len())
    };
    let lower = c.value.to_lowercase();
    let kind = field_kind(&c.field, custom).unwrap_or(FieldKind::Text);
    match kind {
        FieldKind::Text => {
            let col = format!("c.{}", c.field);
            match c.op.as_str() {
                "contains" => format!(
                    "LOWER({col}) LIKE {} ESCAPE '\\'",
                    param(like_pattern(&c.value))
                ),
                "not_contains" => format!(
                    "NOT (LOWER({col}) LIKE {} ESCAPE '\\')",
                    param(like_pattern(&c.value))
                ),
                "equals" => format!("LOWER({col}) = {}", param(lower)),
                "ne" => format!("LOWER({col}) <> {}", param(lower)),
                "gt" => format!("LOWER({col}) > {}", param(lower)),
                "ge" => format!("LOWER({col}) >= {}", param(lower)),
                "lt" => format!("LOWER({col}) < {}", param(lower)),
                "le" => format!("LOWER({col}) <= {}", param(lower)),
                "empty" => format!("{col} = ''"),
                _ => format!("{col} <> ''"),
            }
        }
        FieldKind::Number => {
            let n = c.value.parse::<f64>().unwrap_or(0.0).round() as i64;
            match c.op.as_str() {
                "gt" => format!("c.{} > {n}", c.field),
                "ge" => format!("c.{} >= {n}", c.field),
                "lt" => format!("c.{} < {n}", c.field),
                "le" => format!("c.{} <= {n}", c.field),
                "ne" | "not_contains" => format!("c.{} <> {n}", c.field),
                "empty" => format!("c.{} = 0", c.field),
                "not_empty" => format!("c.{} <> 0", c.field),
                _ => format!("c.{} = {n}", c.field),
            }
        }
        FieldKind::Date => {
            let col = format!("c.{}", c.field);
            // An unreadable day (refused when the condition was checked) is 1970-01-01 UTC.
            let (start, end) = wharf_core::zone::normal_date(&c.value)
                .and_then(|d| wharf_core::zone::Day::parse_iso(&d))
                .map(|day| zone.day_range(day))
                .unwrap_or((0, 86_400));
            match c.op.as_str() {
                // After the day: from the start of the next one.
                "gt" => format!("{col} >= {end}"),
                "ge" => format!("{col} >= {start}"),
                "lt" => format!("{col} < {start}"),
                "le" => format!("{col} < {end}"),
                "ne" | "not_contains" => {
                    format!("({col} IS NULL OR {col} < {start} OR {col} >= {end})")
                }
                "empty" => format!("{col} IS NULL"),
                "not_empty" => format!("{col} IS NOT NULL"),
                _ => format!("({col} >= {start} AND {col} < {end})"),
            }
        }
        FieldKind::Item => {
            let col = format!("c.{}", c.field);
            // The registry's dict kind: a code, never the user's text.
            let kind = match CUSTOMER_FIELDS.get(&c.field).map(|f| f.kind) {
                Some(Kind::DictRef(kind)) => kind,
                _ => "country",
            };
            let items = |cmp: &str, p: String| {
                format!(
                    "{col} IN (SELECT id FROM dict_items WHERE kind = '{kind}' AND (LOWER(name_zh) {cmp} {p} OR LOWER(name_en) {cmp} {p} OR LOWER(code) {cmp} {p}))"
                )
            };
            match c.op.as_str() {
                "contains" => items("LIKE", param(like_pattern(&c.value))),
                "not_contains" => format!(
                    "({col} IS NULL OR NOT {})",
                    items("LIKE", param(like_pattern(&c.value)))
                ),
                "ne" => format!("({col} IS NULL OR NOT {})", items("=", param(lower))),
                "empty" => format!("{col} IS NULL"),
                "not_empty" => format!("{col} IS NOT NULL"),
                _ => items("=", param(lower)),
            }
        }
        FieldKind::ContactText => {
            let col = match c.field.as_str() {
                "contact_emails" => "k.emails",
                "contact_phones" => "k.phones",
                _ => "k.name",
            };
            let any = |cond: String| {
                format!("EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.id AND {cond})")
            };
            match c.op.as_str() {
                "contains" => any(format!(
                    "LOWER({col}) LIKE {} ESCAPE '\\'",
                    param(like_pattern(&c.value))
                )),
                "not_contains" => format!(
                    "NOT {}",
                    any(format!(
                        "LOWER({col}) LIKE {} ESCAPE '\\'",
                        param(like_pattern(&c.value))
                    ))
                ),
                "ne" => format!("NOT {}", any(format!("LOWER({col}) = {}", param(lower)))),
                "empty" => format!("NOT {}", any(format!("{col} <> ''"))),
                "not_empty" => any(format!("{col} <> ''")),
                _ => any(format!("LOWER({col}) = {}", param(lower))),
            }
        }
        // Any owner (or an owner's department) by name; the customer is visible already.
        FieldKind::Owner | FieldKind::Department => {
            let (join, col) = if kind == FieldKind::Owner {
                ("", "u.name")
            } else {
                (" JOIN departments d ON d.id = u.department_id", "d.name")
            };
            let any = |cond: String| {
                format!(
                    "EXISTS (SELECT 1 FROM customer_owners o JOIN users u ON u.id = o.user_id{join} \
                     WHERE o.customer_id = c.id AND {cond})"
                )
            };
            match c.op.as_str() {
                "contains" => any(format!(
                    "LOWER({col}) LIKE {} ESCAPE '\\'",
                    param(like_pattern(&c.value))
                )),
                "not_contains" => format!(
                    "NOT {}",
                    any(format!(
                        "LOWER({col}) LIKE {} ESCAPE '\\'",
                        param(like_pattern(&c.value))
                    ))
                ),
                "ne" => format!("NOT {}", any(format!("LOWER({col}) = {}", param(lower)))),
                "empty" => format!("NOT {}", any("1 = 1".into())),
                "not_empty" => any("1 = 1".into()),
                _ => any(format!("LOWER({col}) = {}", param(lower))),
            }
        }
        // Custom values are kept only when not empty: "empty" is "no value row".
        FieldKind::CustomText(id) | FieldKind::CustomNumber(id) | FieldKind::CustomDate(id) => {
            let has = |cond: &str| {
                format!(
                    "EXISTS (SELECT 1 FROM customer_field_values v WHERE v.customer_id = c.id AND v.field_id = {id}{cond})"
                )
            };
            match c.op.as_str() {
                "empty" => return format!("NOT {}", has("")),
                "not_empty" => return has(""),
                _ => {}
            }
            let (col, value) = match kind {
                // Checked as a finite number by Condition::validate: written inline.
                FieldKind::CustomNumber(_) => {
                    ("v.num", c.value.parse::<f64>().unwrap_or(0.0).to_string())
                }
                FieldKind::CustomDate(_) => (
                    "v.value",
                    param(wharf_core::zone::normal_date(&c.value).unwrap_or_default()),
                ),
                _ if matches!(c.op.as_str(), "contains" | "not_contains") => {
                    ("LOWER(v.value)", param(like_pattern(&c.value)))
                }
                _ => ("LOWER(v.value)", param(lower)),
            };
            match c.op.as_str() {
                "contains" if matches!(kind, FieldKind::CustomText(_)) => {
                    has(&format!(" AND {col} LIKE {value} ESCAPE '\\'"))
                }
                "not_contains" if matches!(kind, FieldKind::CustomText(_)) => {
                    format!(
                        "NOT {}",
                        has(&format!(" AND {col} LIKE {value} ESCAPE '\\'"))
                    )
                }
                "ne" | "not_contains" => format!("NOT {}", has(&format!(" AND {col} = {value}"))),
                "gt" => has(&format!(" AND {col} > {value}")),
                "ge" => has(&format!(" AND {col} >= {value}")),
                "lt" => has(&format!(" AND {col} < {value}")),
                "le" => has(&format!(" AND {col} <= {value}")),
                _ => has(&format!(" AND {col} = {value}")),
            }
        }
    }
}
