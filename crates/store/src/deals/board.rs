//! The board (Kanban) of an opportunity pipeline: a column per stage with its count,
//! totals per currency (core's `column_totals`, never one sum across currencies), how
//! many rot, and its most recently active cards. One narrow read of the matching rows
//! for the arithmetic, one read of the cards shown.

use std::collections::HashMap;

use wharf_core::deals::{CardFacts, CurrencyTotal, column_totals, is_rotting};
use wharf_core::{Actor, DomainError};

use super::Opportunity;
use super::list::{ACTIVITY, OpportunityQuery, conditions};
use super::read::{decimal, renumber};
use super::sql::{Filter, Value, bind_rows};
use crate::pipeline::{Pipeline, PipelineStage};
use crate::rows::{int, opt_int, text};
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
        f.push_rendered(crate::customers::visible_condition(actor, 1));
        let shift = f.values.len();
        f.conditions
            .extend(extra.conditions.iter().map(|c| renumber(c, shift)));
        f.values.extend(extra.values);
        let sql = format!(
            "SELECT o.id, o.stage_id, o.currency, o.amount, o.probability, {ACTIVITY} AS act, s.rotting_days \
             FROM opportunities o JOIN customers c ON c.id = o.customer_id \
             JOIN pipeline_stages s ON s.id = o.stage_id WHERE {} ORDER BY o.activity_at DESC, o.id DESC",
            f.sql()
        );
        let rows = bind_rows(sqlx::query(sqlx::AssertSqlSafe(sql)), &f.values)
            .fetch_all(&self.pool)
            .await?;
        // Per stage: the facts, the rotting count and the ids of the cards to draw.
        let mut per: HashMap<i64, (Vec<CardFacts>, i64, Vec<i64>)> = HashMap::new();
        let mut rotting_ids = std::collections::HashSet::new();
        let mut all = Vec::with_capacity(rows.len());
        for r in &rows {
            let facts = CardFacts {
                currency: text(r, "currency")?,
                amount: decimal(r, "amount")?,
                probability: int(r, "probability")?,
            };
            let id = int(r, "id")?;
            let entry = per.entry(int(r, "stage_id")?).or_default();
            if is_rotting(int(r, "act")?, q.now, opt_int(r, "rotting_days")?) {
                entry.1 += 1;
                rotting_ids.insert(id);
            }
            if entry.2.len() < CARDS_PER_COLUMN {
                entry.2.push(id);
            }
            all.push(facts.clone());
            entry.0.push(facts);
        }
        let shown: Vec<i64> = per.values().flat_map(|e| e.2.iter().copied()).collect();
        let mut cards: HashMap<i64, Opportunity> = HashMap::new();
        for chunk in shown.chunks(500) {
            let mut f = Filter::default();
            f.conditions.push(format!(
                "o.id IN ({})",
                crate::rows::placeholders(1, chunk.len())
            ));
            f.values.extend(chunk.iter().map(|i| Value::Int(*i)));
            for o in self
                .opportunities_where(actor, f, "o.id", CARDS_PER_COLUMN as i64 * 100, 0)
                .await?
            {
                cards.insert(o.id, o);
            }
        }
        let columns = pipeline
            .stages
            .iter()
            .map(|s| {
                let (facts, rotting, ids) = per.remove(&s.id).unwrap_or_default();
                BoardColumn {
                    stage: s.clone(),
                    count: facts.len() as i64,
                    totals: column_totals(&facts),
                    rotting,
                    cards: ids
                        .iter()
                        .filter_map(|id| cards.remove(id))
                        .map(|o| BoardCard {
                            rotting: rotting_ids.contains(&o.id),
                            opportunity: o,
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(Board {
            totals: column_totals(&all),
            pipeline,
            pipelines,
            columns,
        })
    }
}
