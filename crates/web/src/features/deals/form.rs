//! The opportunity's form: its fields (title, stage, status with outcome and reason,
//! amount and currency, probability, dates, owner, collaborators, competitors) drawn with
//! the generic macros, the line-item table (blank rows to fill without JavaScript), and
//! the submitted form read into the store's `OpportunityEdit`.

use wharf_core::DomainError;
use wharf_core::deals::{LineInput, OpportunityInput};
use wharf_core::validate::FieldErrors;
use wharf_store::deals::{Opportunity, OpportunityEdit};
use wharf_store::pipeline::Pipeline;

use super::money_text::plain;
use super::status::{outcome_choices, status_choices};
use super::views::LineRow;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::Field;

/// Blank line rows the form offers besides the filled ones.
const BLANK_ROWS: usize = 3;

/// The values the form shows, as the inputs hold them.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub title: String,
    pub stage_id: String,
    pub status: String,
    pub outcome: String,
    pub lost_reason: String,
    pub amount: String,
    pub currency: String,
    pub probability: String,
    pub close_date: String,
    pub next_revisit: String,
    pub owner_id: String,
    pub collaborators: Vec<String>,
    pub competitors: String,
    pub lines: Vec<LineRow>,
}

impl Shown {
    pub fn fresh(req: &Req) -> Result<Shown, AppError> {
        Ok(Shown {
            status: "selling".into(),
            currency: "USD".into(),
            owner_id: req.actor()?.user_id.to_string(),
            ..Shown::default()
        })
    }

    pub fn of_opportunity(o: &Opportunity) -> Shown {
        Shown {
            title: o.title.clone(),
            stage_id: o.stage_id.to_string(),
            status: o.status.clone(),
            outcome: o.outcome.clone().unwrap_or_default(),
            lost_reason: o.lost_reason.clone(),
            amount: if o.amount_from_lines {
                String::new()
            } else {
                plain(o.amount)
            },
            currency: o.currency.clone(),
            probability: o.probability.to_string(),
            close_date: o.close_date.clone().unwrap_or_default(),
            next_revisit: o.next_revisit.clone().unwrap_or_default(),
            owner_id: o.owner_id.to_string(),
            collaborators: o
                .collaborators
                .iter()
                .map(|(id, _)| id.to_string())
                .collect(),
            competitors: o.competitors.clone(),
            lines: o
                .lines
                .iter()
                .map(|l| LineRow {
                    product_id: l.product_id.map(|p| p.to_string()).unwrap_or_default(),
                    name: l.name.clone(),
                    quantity: plain(l.quantity),
                    unit: l.unit.clone(),
                    unit_price: plain(l.unit_price),
                    total: String::new(),
                })
                .collect(),
        }
    }

    pub fn of_form(form: &FormData) -> Shown {
        Shown {
            title: form.get("title"),
            stage_id: form.get("stage_id"),
            status: form.get("status"),
            outcome: form.get("outcome"),
            lost_reason: form.get("lost_reason"),
            amount: form.get("amount"),
            currency: form.get("currency"),
            probability: form.get("probability"),
            close_date: form.get("close_date"),
            next_revisit: form.get("next_revisit"),
            owner_id: form.get("owner_id"),
            collaborators: form.all("collaborators"),
            competitors: form.get("competitors"),
            lines: form_lines(form)
                .into_iter()
                .map(|l| LineRow {
                    product_id: l.product_id.map(|p| p.to_string()).unwrap_or_default(),
                    name: l.name,
                    quantity: l.quantity,
                    unit: l.unit,
                    unit_price: l.unit_price,
                    total: String::new(),
                })
                .collect(),
        }
    }

    /// The line rows with blank ones to fill.
    pub fn line_rows(&self) -> Vec<LineRow> {
        let mut rows: Vec<LineRow> = self
            .lines
            .iter()
            .filter(|l| {
                ![&l.name, &l.quantity, &l.unit, &l.unit_price]
                    .iter()
                    .all(|v| v.trim().is_empty())
            })
            .cloned()
            .collect();
        rows.extend((0..BLANK_ROWS).map(|_| LineRow::default()));
        rows
    }
}

/// The form's fields; `owners` are the people the actor may make owner, `staff` the
/// possible collaborators.
pub fn fields(
    req: &Req,
    shown: &Shown,
    pipelines: &[Pipeline],
    owners: &[(i64, String)],
    staff: &[(i64, String)],
) -> Vec<Field> {
    let stage_choices = pipelines
        .iter()
        .flat_map(|p| {
            let several = pipelines.len() > 1;
            p.stages.iter().map(move |s| {
                let label = s.label(req.locale.code()).to_string();
                let label = if several {
                    format!(
                        "{} · {label}",
                        crate::render::pick(req.locale, &p.name_zh, &p.name_en)
                    )
                } else {
                    label
                };
                (s.id.to_string(), format!("{label} ({} %)", s.probability))
            })
        })
        .collect();
    let currency = Field::select(
        req,
        "currency",
        &shown.currency,
        crate::features::money::currency_options(req),
    );
    let mut probability = Field::new(req, "probability", "number", &shown.probability);
    probability.label = req.t("deal.probability_hint");
    let mut amount = Field::new(req, "amount", "text", &shown.amount);
    amount.label = req.t("deal.amount_hint");
    vec![
        Field::new(req, "title", "text", &shown.title),
        Field::select(req, "stage_id", &shown.stage_id, stage_choices),
        Field::select(req, "status", &shown.status, status_choices(req)),
        Field::select(req, "outcome", &shown.outcome, outcome_choices(req)),
        Field::new(req, "lost_reason", "text", &shown.lost_reason),
        amount,
        currency,
        probability,
        Field::new(req, "close_date", "date", &shown.close_date),
        Field::new(req, "next_revisit", "date", &shown.next_revisit),
        Field::select(
            req,
            "owner_id",
            &shown.owner_id,
            owners
                .iter()
                .map(|(id, n)| (id.to_string(), crate::i18n::person(req.locale, n)))
                .collect(),
        ),
        Field::checkboxes(
            req,
            "collaborators",
            staff
                .iter()
                // The owner is not also a collaborator.
                .filter(|(id, _)| id.to_string() != shown.owner_id)
                .map(|(id, n)| {
                    let v = id.to_string();
                    let on = shown.collaborators.contains(&v);
                    (v, crate::i18n::person(req.locale, n), on)
                })
                .collect(),
        ),
        Field::new(req, "competitors", "textarea", &shown.competitors),
    ]
}

fn form_lines(form: &FormData) -> Vec<LineInput> {
    let products = form.all("line_product_id");
    let names = form.all("line_name");
    let quantities = form.all("line_quantity");
    let units = form.all("line_unit");
    let prices = form.all("line_unit_price");
    let n = names.len().max(quantities.len()).max(prices.len());
    let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    (0..n.min(wharf_core::deals::MAX_LINES + BLANK_ROWS))
        .map(|i| LineInput {
            // A picked product's id; anything unreadable is no product.
            product_id: at(&products, i).trim().parse().ok(),
            name: at(&names, i),
            quantity: at(&quantities, i),
            unit: at(&units, i),
            unit_price: at(&prices, i),
        })
        .collect()
}

/// Reads the submitted form; a date or number that is not one is a field error.
pub fn edit_of(form: &FormData) -> Result<OpportunityEdit, AppError> {
    let mut e = FieldErrors::default();
    let mut day = |field: &'static str| {
        crate::form::day_field(&form.get(field), field, "invalid_date").unwrap_or_else(|_| {
            e.add(field, "invalid_date");
            None
        })
    };
    let close_date = day("close_date");
    let next_revisit = day("next_revisit");
    let probability = match form.get("probability").trim() {
        "" => None,
        p => match p.trim_end_matches('%').trim().parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                e.add("probability", "not_a_number");
                None
            }
        },
    };
    let mut id = |name: &'static str| {
        form.id(name).unwrap_or_else(|_| {
            e.add(name, "invalid_choice");
            None
        })
    };
    let stage_id = id("stage_id");
    let owner_id = id("owner_id");
    let mut collaborators = Vec::new();
    for c in form.all("collaborators") {
        match c.trim().parse() {
            Ok(v) => collaborators.push(v),
            Err(_) => e.add("collaborators", "invalid_choice"),
        }
    }
    if !e.is_empty() {
        return Err(AppError::Domain(DomainError::Invalid(e)));
    }
    Ok(OpportunityEdit {
        input: OpportunityInput {
            title: form.get("title"),
            lines: form_lines(form),
            amount: form.get("amount"),
            currency: form.get("currency"),
            close_date,
            probability,
            status: form.get("status"),
            outcome: form.get("outcome"),
            lost_reason: form.get("lost_reason"),
            next_revisit,
            competitors: form.get("competitors"),
        },
        stage_id,
        owner_id,
        collaborators,
    })
}

/// The line errors of a refused save, as one sentence for the lines table ("Quantity:
/// must not be negative").
pub fn lines_error(req: &Req, err: &AppError) -> Option<String> {
    let AppError::Domain(DomainError::Invalid(errors)) = err else {
        return None;
    };
    let parts: Vec<String> = errors
        .0
        .iter()
        .filter(|e| e.field.starts_with("line"))
        .map(|e| {
            format!(
                "{}: {}",
                req.t(&format!("field.{}", e.field)),
                req.t(&format!("error.{}", e.code))
            )
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}
