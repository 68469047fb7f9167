//! The list's and the board's URL filters and their reading into the store's query: a
//! view, owner, status, pipeline, stage, customer, words, rotting, revisit day. An id or
//! status that is not one is a field error in the user's language.

use serde::Deserialize;
use wharf_core::DomainError;
use wharf_core::deals::Status;
use wharf_store::deals::{OpportunityQuery, View};

use crate::ctx::Req;
use crate::error::AppError;

pub const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ListParams {
    /// "team" for the team's.
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub pipeline: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub q: String,
    /// "1": only rotting ones.
    #[serde(default)]
    pub rotting: String,
    /// "today" or "tomorrow": only those to revisit then.
    #[serde(default)]
    pub revisit: String,
    #[serde(default)]
    pub page: String,
}

impl ListParams {
    /// The URL of these filters at `base`, without `page`.
    pub fn href(&self, base: &str) -> String {
        let pairs = [
            ("view", &self.view),
            ("owner", &self.owner),
            ("status", &self.status),
            ("pipeline", &self.pipeline),
            ("stage", &self.stage),
            ("customer", &self.customer),
            ("q", &self.q),
            ("rotting", &self.rotting),
            ("revisit", &self.revisit),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if query.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", query.join("&"))
        }
    }

    pub fn team(&self) -> bool {
        self.view == "team"
    }
}

fn encode(v: &str) -> String {
    serde_urlencoded::to_string([("", v)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

fn id(v: &str, field: &'static str) -> Result<Option<i64>, AppError> {
    match v.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| AppError::Domain(DomainError::field(field, "invalid_choice"))),
    }
}

/// The store's query of the URL's filters.
pub fn query_of(req: &Req, p: &ListParams) -> Result<OpportunityQuery, AppError> {
    if !p.status.is_empty() && Status::from_code(&p.status).is_none() {
        return Err(AppError::Domain(DomainError::field(
            "status",
            "invalid_choice",
        )));
    }
    let today = req.today()?;
    let revisit_on = match p.revisit.as_str() {
        "" => None,
        "today" => Some(today.iso()),
        "tomorrow" => Some(today.next().iso()),
        _ => {
            return Err(AppError::Domain(DomainError::field(
                "revisit",
                "invalid_choice",
            )));
        }
    };
    Ok(OpportunityQuery {
        view: if p.team() { View::Team } else { View::Mine },
        owner: id(&p.owner, "owner")?,
        status: (!p.status.is_empty()).then(|| p.status.clone()),
        pipeline: id(&p.pipeline, "pipeline")?,
        stage: id(&p.stage, "stage")?,
        customer: id(&p.customer, "customer")?,
        text: (!p.q.trim().is_empty()).then(|| p.q.chars().take(200).collect()),
        rotting_at: (p.rotting == "1").then(wharf_store::now),
        revisit_on,
        page: p.page.parse().unwrap_or(1),
        per_page: PER_PAGE,
    })
}
