//! The editor's form read into a draft: the header's fields, and the line table's
//! repeated columns (`line_kind`, `line_name`, … one value per row, in order; a row left
//! blank is skipped, so the page can offer blank rows without JavaScript). Amounts go
//! through the money parser; every refusal is a (field, code) pair, `lineN_<column>` for
//! a row's cell.

use wharf_core::DomainError;
use wharf_core::money::{Currency, Decimal, parse_decimal, parse_price, parse_quantity};
use wharf_core::quotes::{Incoterm, LineInput, LineKind, ProductSnapshot, QuoteHeader};
use wharf_core::validate::FieldErrors;
use wharf_core::zone::Day;
use wharf_store::quotes::{QuoteDetail, QuoteLine};

use crate::error::AppError;
use crate::form::FormData;

/// The columns of a row, as the form names them.
pub const COLUMNS: [&str; 9] = [
    "kind",
    "product",
    "name",
    "model",
    "unit",
    "description",
    "quantity",
    "unit_price",
    "discount",
];

/// A row as typed (kept to show the form again after a refusal).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RowText {
    pub kind: String,
    pub product: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount: String,
}

impl RowText {
    fn is_blank(&self) -> bool {
        [
            &self.name,
            &self.model,
            &self.quantity,
            &self.unit_price,
            &self.description,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    pub fn of_line(line: &QuoteLine) -> RowText {
        let group = line.is_group();
        let text = |d: Decimal| {
            if group {
                String::new()
            } else {
                d.normalize().to_string()
            }
        };
        RowText {
            kind: line.kind.clone(),
            product: line.product_id.map(|p| p.to_string()).unwrap_or_default(),
            name: line.name.clone(),
            model: line.model.clone(),
            unit: line.unit.clone(),
            description: line.description.clone(),
            quantity: text(line.quantity),
            unit_price: text(line.unit_price),
            discount: if group {
                String::new()
            } else {
                format!("{:.2}", line.discount)
            },
        }
    }
}

/// The whole form as typed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Typed {
    pub contact_id: String,
    pub opportunity_id: String,
    pub currency: String,
    pub incoterm: String,
    pub port_loading: String,
    pub port_destination: String,
    pub payment_terms: String,
    pub valid_until: String,
    pub notes: String,
    pub rows: Vec<RowText>,
}

impl Typed {
    pub fn of_form(form: &FormData) -> Typed {
        let columns: Vec<Vec<String>> = COLUMNS
            .iter()
            .map(|c| form.all(&format!("line_{c}")))
            .collect();
        let n = columns
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .min(wharf_core::quotes::MAX_LINES + 1);
        let cell = |c: usize, i: usize| columns[c].get(i).cloned().unwrap_or_default();
        let rows = (0..n)
            .map(|i| RowText {
                kind: cell(0, i),
                product: cell(1, i),
                name: cell(2, i),
                model: cell(3, i),
                unit: cell(4, i),
                description: cell(5, i),
                quantity: cell(6, i),
                unit_price: cell(7, i),
                discount: cell(8, i),
            })
            .filter(|r| !r.is_blank())
            .collect();
        Typed {
            contact_id: form.get("contact_id"),
            opportunity_id: form.get("opportunity_id"),
            currency: form.get("currency"),
            incoterm: form.get("incoterm"),
            port_loading: form.get("port_loading"),
            port_destination: form.get("port_destination"),
            payment_terms: form.get("payment_terms"),
            valid_until: form.get("valid_until"),
            notes: form.get("notes"),
            rows,
        }
    }

    /// The current version of a quote, for its edit form.
    pub fn of_quote(q: &QuoteDetail) -> Typed {
        let v = &q.shown;
        Typed {
            contact_id: v.contact_id.map(|c| c.to_string()).unwrap_or_default(),
            opportunity_id: v.opportunity_id.map(|c| c.to_string()).unwrap_or_default(),
            currency: v.currency.clone(),
            incoterm: v.incoterm.clone().unwrap_or_default(),
            port_loading: v.port_loading.clone(),
            port_destination: v.port_destination.clone(),
            payment_terms: v.payment_terms.clone(),
            valid_until: v.valid_until.clone(),
            notes: v.notes.clone(),
            rows: q.lines.iter().map(RowText::of_line).collect(),
        }
    }

    /// The header and lines, or every refusal at once.
    pub fn parse(&self, customer_id: i64) -> Result<(QuoteHeader, Vec<LineInput>), AppError> {
        let mut e = FieldErrors::default();
        let id = |v: &str, field: &'static str, e: &mut FieldErrors| -> Option<i64> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            let parsed = v.parse().ok().filter(|n: &i64| *n > 0);
            if parsed.is_none() {
                e.add(field, "invalid_choice");
            }
            parsed
        };
        let contact_id = id(&self.contact_id, "contact_id", &mut e);
        let opportunity_id = id(&self.opportunity_id, "opportunity_id", &mut e);
        let currency = Currency::from_code(&self.currency).ok();
        if currency.is_none() {
            e.add("currency", "unknown_currency");
        }
        let incoterm = match self.incoterm.trim() {
            "" => None,
            code => {
                let term = Incoterm::from_code(code);
                if term.is_none() {
                    e.add("incoterm", "invalid_choice");
                }
                term
            }
        };
        let valid_until = Day::parse_iso(self.valid_until.trim());
        if valid_until.is_none() {
            e.add("valid_until", "invalid_date");
        }
        let mut lines = Vec::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            lines.push(parse_row(row, i + 1, currency, &mut e));
        }
        if !e.is_empty() {
            return Err(AppError::Domain(DomainError::Invalid(e)));
        }
        let (Some(currency), Some(valid_until)) = (currency, valid_until) else {
            return Err(AppError::BadRequest);
        };
        Ok((
            QuoteHeader {
                customer_id,
                contact_id,
                opportunity_id,
                currency: currency.code().to_owned(),
                incoterm,
                port_loading: self.port_loading.clone(),
                port_destination: self.port_destination.clone(),
                payment_terms: self.payment_terms.clone(),
                valid_until,
                notes: self.notes.clone(),
            },
            lines,
        ))
    }
}

fn parse_row(
    row: &RowText,
    n: usize,
    currency: Option<Currency>,
    e: &mut FieldErrors,
) -> LineInput {
    let Some(kind) = LineKind::from_code(row.kind.trim())
        .or_else(|| row.kind.trim().is_empty().then_some(LineKind::Item))
    else {
        e.add_owned(format!("line{n}_kind"), "invalid_choice");
        return LineInput::group(&row.name);
    };
    if kind == LineKind::Group {
        return LineInput::group(&row.name);
    }
    let mut cell =
        |column: &str, parsed: Result<Decimal, wharf_core::money::MoneyError>| -> Decimal {
            parsed.unwrap_or_else(|error| {
                e.add_owned(format!("line{n}_{column}"), error.code());
                Decimal::ZERO
            })
        };
    let quantity = cell("quantity", parse_quantity(&row.quantity));
    let unit_price = match currency {
        Some(c) => cell("unit_price", parse_price(&row.unit_price, c)),
        None => Decimal::ZERO,
    };
    let discount = if row.discount.trim().is_empty() {
        Decimal::ZERO
    } else {
        cell(
            "discount",
            parse_decimal(row.discount.trim().trim_end_matches('%').trim(), 2),
        )
    };
    let product_id = row.product.trim().parse().ok().filter(|p: &i64| *p > 0);
    LineInput {
        kind,
        item: ProductSnapshot {
            product_id,
            name: row.name.clone(),
            model: row.model.clone(),
            unit: row.unit.clone(),
            description: row.description.clone(),
        },
        quantity,
        unit_price,
        discount,
    }
}

/// A row's refusals, in the reader's language, keyed by the row (1-based).
pub fn row_errors(req: &crate::ctx::Req, err: &AppError, rows: usize) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); rows];
    if let AppError::Domain(DomainError::Invalid(fields)) = err {
        for f in &fields.0 {
            let Some(rest) = f.field.strip_prefix("line") else {
                continue;
            };
            let Some((n, column)) = rest.split_once('_') else {
                continue;
            };
            if let Ok(n) = n.parse::<usize>()
                && (1..=rows).contains(&n)
            {
                out[n - 1].push(format!(
                    "{}: {}",
                    req.t(&format!("quote.col.{column}")),
                    req.t(&format!("error.{}", f.code))
                ));
            }
        }
    }
    out
}

/// The header's refusals and the table's overall ones ("no lines"), in the reader's
/// language; the rows' own go beside them.
pub fn header_errors(req: &crate::ctx::Req, err: &AppError) -> Vec<String> {
    match err {
        AppError::Domain(DomainError::Invalid(fields)) => fields
            .0
            .iter()
            .filter(|f| !(f.field.starts_with("line") && f.field.contains('_')))
            .map(|f| {
                format!(
                    "{}: {}",
                    req.t(&format!("field.{}", f.field)),
                    req.t(&format!("error.{}", f.code))
                )
            })
            .collect(),
        other => vec![other.message(req.locale)],
    }
}
