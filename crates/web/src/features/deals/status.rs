//! Status and outcome words and choices, in the reader's language.

use wharf_core::deals::{Outcome, Status};

use crate::ctx::Req;
use crate::render::SelectOption;

pub fn status_label(req: &Req, code: &str) -> String {
    req.t(&format!("deal.status.{code}"))
}

pub fn outcome_label(req: &Req, code: &str) -> String {
    req.t(&format!("deal.outcome.{code}"))
}

/// The statuses as (code, label).
pub fn status_choices(req: &Req) -> Vec<(String, String)> {
    Status::ALL
        .iter()
        .map(|s| (s.code().to_string(), status_label(req, s.code())))
        .collect()
}

/// The outcomes as (code, label), after a "—" for none.
pub fn outcome_choices(req: &Req) -> Vec<(String, String)> {
    std::iter::once((String::new(), "—".to_string()))
        .chain(
            Outcome::ALL
                .iter()
                .map(|o| (o.code().to_string(), outcome_label(req, o.code()))),
        )
        .collect()
}

pub fn options(choices: Vec<(String, String)>, selected: &str) -> Vec<SelectOption> {
    choices
        .into_iter()
        .map(|(value, label)| SelectOption {
            on: value == selected,
            value,
            label,
        })
        .collect()
}
