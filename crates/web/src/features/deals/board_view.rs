//! The store's board turned into the page's columns and cards: labels in the reader's
//! language, totals per currency as text, the rest of a column as a link to the list.

use wharf_store::deals::Board;

use super::money_text::amount;
use super::params::ListParams;
use super::views::{Card, Column};
use crate::ctx::Req;
use crate::render::SelectOption;

fn totals(t: &[wharf_core::deals::CurrencyTotal]) -> Vec<String> {
    t.iter().map(|t| amount(t.amount, &t.currency)).collect()
}

pub fn total_texts(t: &[wharf_core::deals::CurrencyTotal]) -> Vec<String> {
    totals(t)
}

/// The columns; `picked` is the stage a phone shows (the first when none).
pub fn columns(req: &Req, board: &Board, p: &ListParams, picked: Option<i64>) -> Vec<Column> {
    let picked = picked
        .filter(|id| board.columns.iter().any(|c| c.stage.id == *id))
        .or_else(|| board.columns.first().map(|c| c.stage.id));
    board
        .columns
        .iter()
        .map(|c| Column {
            stage_id: c.stage.id,
            label: c.stage.label(req.locale.code()).to_string(),
            probability: c.stage.probability,
            count: c.count,
            totals: totals(&c.totals),
            rotting: c.rotting,
            more: c.count - c.cards.len() as i64,
            list_href: ListParams {
                stage: c.stage.id.to_string(),
                pipeline: String::new(),
                page: String::new(),
                ..p.clone()
            }
            .href("/opportunities"),
            picked: picked == Some(c.stage.id),
            cards: c
                .cards
                .iter()
                .map(|card| {
                    let o = &card.opportunity;
                    Card {
                        id: o.id,
                        title: o.title.clone(),
                        href: format!("/opportunities/{}", o.id),
                        customer: o.customer_name.clone(),
                        amount: amount(o.amount, &o.currency),
                        probability: o.probability,
                        owner: crate::i18n::person(req.locale, &o.owner_name),
                        close_date: o.close_date.clone().unwrap_or_default(),
                        rotting: card.rotting,
                        may_change: o.may_change,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The pipelines as choices, and its stages for the cards' move selects.
pub fn choices(req: &Req, board: &Board) -> (Vec<SelectOption>, Vec<SelectOption>) {
    let pipelines = board
        .pipelines
        .iter()
        .map(|p| SelectOption {
            value: p.id.to_string(),
            label: crate::render::pick(req.locale, &p.name_zh, &p.name_en),
            on: p.id == board.pipeline.id,
        })
        .collect();
    let stages = board
        .pipeline
        .stages
        .iter()
        .map(|s| SelectOption {
            value: s.id.to_string(),
            label: s.label(req.locale.code()).to_string(),
            on: false,
        })
        .collect();
    (pipelines, stages)
}
