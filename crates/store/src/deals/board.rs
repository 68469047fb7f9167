//! The board (Kanban) of an opportunity pipeline: a column per stage with its count,
//! totals per currency (core's `column_totals`, never one sum across currencies), how
//! many rot, and its most recently active cards. The sums are SQL over the exact
//! `amount_minor` grouped by stage, currency and probability (a handful of rows however
//! many opportunities), the cards one indexed read per column.

use std::collections::HashMap;

use wharf_core::deals::{CardFacts, CurrencyTotal, column_totals, is_rotting};
use wharf_core::money::{Currency, Decimal};
use wharf_core::{Actor, DomainError};

use super::Opportunity;
use super::list::{ACTIVITY, OpportunityQuery, conditions};
use super::read::renumber;
use super::sql::{Filter, Value, bind_rows};
use crate::pipeline::{Pipeline, PipelineStage};
use crate::rows::{int, text};
use crate::{Result, Store};

/// Cards drawn per column; the rest are counted ("and 120 more", a link to the list).
pub const CARDS_PER_COLUMN: usize = 50;

#[derive(Debug, Clone, Default)]
pub struct BoardQuery {
    /// The list's filters: view, owner, status (selling when empty), pipeline.
    pub filter: OpportunityQuery,
    /// Now, for rotting.
    pub now: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BoardCard {
    pub opportunity: Opportunity,
    pub rotting: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BoardColumn {
    pub stage: PipelineStage,
    pub count: i64,
    pub totals: Vec<CurrencyTotal>,
    pub rotting: i64,
    pub cards: Vec<BoardCard>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Board {
    pub pipeline: Pipeline,
    pub pipelines: Vec<Pipeline>,
    pub columns: Vec<BoardColumn>,
    /// Over all columns, per currency.
    pub totals: Vec<CurrencyTotal>,
}

impl Store {
    pub async fn opportunity_board(&self, actor: &Actor, q: &BoardQuery) -> Result<Board> {
        let pipelines = self.opportunity_pipelines(actor).await?;
        let pipeline = match q.filter.pipeline {
            Some(id) => pipelines.iter().find(|p| p.id == id),
            None => pipelines.first(),
        }
        .cloned()
        .ok_or_else(|| DomainError::field("pipeline", "invalid_choice"))?;
        let mut filter = q.filter.clone();
        filter.pipeline = Some(pipeline.id);
        filter.stage = None;
        if filter.status.as_deref().is_none_or(str::is_empty) {
            filter.status = Some("selling".into());
        }
        let extra = conditions(actor, &filter);
        let mut f = Filter::default();
        let now = f.next();
        f.values.push(Value::Int(q.now));
        f.push_rendered(crate::customers::visible_condition(actor, f.next()));
        let shift = f.values.len();
        f.conditions
            .extend(extra.conditions.iter().map(|c| renumber(c, shift)));
        f.values.extend(extra.values);
        let sql = format!(
            "SELECT o.stage_id, o.currency, o.probability, COUNT(*) AS n, \
             CAST(SUM(o.amount_minor) AS BIGINT) AS minor, \
             CAST(SUM(CASE WHEN s.rotting_days IS NOT NULL AND {ACTIVITY} < ${now} - s.rotting_days * 86400 \
             THEN 1 ELSE 0 END) AS BIGINT) AS rotting \
             FROM opportunities o JOIN customers c ON c.id = o.customer_id \
             JOIN pipeline_stages s ON s.id = o.stage_id WHERE {} \
             GROUP BY o.stage_id, o.currency, o.probability",
            f.sql()
        );
        let rows = bind_rows(sqlx::query(sqlx::AssertSqlSafe(sql)), &f.values)
            .fetch_all(&self.pool)
            .await?;
        // Per stage: the groups and the rotting count.
        let mut per: HashMap<i64, (Vec<CardFacts>, i64)> = HashMap::new();
        let mut all = Vec::with_capacity(rows.len());
        for r in &rows {
            let currency = text(r, "currency")?;
            let minor = int(r, "minor")?;
            // Stored amounts are rounded to the currency's minor units, so this is exact.
            let scale = Currency::from_code(&currency).map_or(2, |c| c.minor_units());
            let facts = CardFacts {
                currency,
                count: int(r, "n")?,
                amount: Decimal::new(minor, scale),
                probability: int(r, "probability")?,
            };
            let entry = per.entry(int(r, "stage_id")?).or_default();
            entry.1 += int(r, "rotting")?;
            all.push(facts.clone());
            entry.0.push(facts);
        }
        let mut columns = Vec::new();
        for s in &pipeline.stages {
            let (facts, rotting) = per.remove(&s.id).unwrap_or_default();
            let count = facts.iter().map(|f| f.count).sum();
            let cards = if count == 0 {
                Vec::new()
            } else {
                let mut one = filter.clone();
                one.stage = Some(s.id);
                self.opportunities_where(
                    actor,
                    conditions(actor, &one),
                    "o.activity_at DESC, o.id DESC",
                    CARDS_PER_COLUMN as i64,
                    0,
                )
                .await?
                .into_iter()
                .map(|o| BoardCard {
                    rotting: is_rotting(o.activity_at, q.now, o.rotting_days),
                    opportunity: o,
                })
                .collect()
            };
            columns.push(BoardColumn {
                stage: s.clone(),
                count,
                totals: column_totals(&facts),
                rotting,
                cards,
            });
        }
        Ok(Board {
            totals: column_totals(&all),
            pipeline,
            pipelines,
            columns,
        })
    }
}
