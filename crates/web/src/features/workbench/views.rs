//! Typed page data of the workbench.

use serde::Serialize;

use crate::render::{SelectOption, Tab};

/// One count: non-zero ones are highlighted (seed 003: "当数目不为0时,列格底色就变淡红").
#[derive(Serialize, Clone, Debug)]
pub struct Cell {
    pub key: &'static str,
    pub n: i64,
    pub href: String,
    /// Not counted here (rotting in a stage without a threshold).
    pub off: bool,
}

#[derive(Serialize, Clone, Debug)]
pub struct StageRow {
    /// The pipeline's name on its first stage, when there are several.
    pub pipeline: Option<String>,
    pub stage: String,
    pub label: String,
    pub customers: i64,
    pub href: String,
    pub cells: Vec<Cell>,
}

/// `workbench/workbench.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct WorkbenchPage {
    /// Mine / Team, for a manager.
    pub tabs: Vec<Tab>,
    /// The team's people, for a manager on the Team view.
    pub people: Vec<SelectOption>,
    pub team: bool,
    /// The column headings, in order.
    pub columns: Vec<String>,
    pub rows: Vec<StageRow>,
    pub today: String,
    /// Opportunities rotting and to revisit (`features/deals`).
    pub deals: Vec<crate::features::deals::DealLink>,
    /// Orders to follow (`features/orders`).
    pub orders: Vec<crate::features::deals::DealLink>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    pub(crate) fn the_workbench_renders() {
        render_with(
            "workbench/workbench.html",
            WorkbenchPage {
                tabs: vec![Tab {
                    href: "/sales".into(),
                    label: "Mine".into(),
                    on: true,
                }],
                people: vec![SelectOption {
                    value: "3".into(),
                    label: "Li".into(),
                    on: true,
                }],
                team: true,
                columns: vec!["Revisit today".into()],
                rows: vec![StageRow {
                    pipeline: Some("Sales".into()),
                    stage: "reserve".into(),
                    label: "Reserve".into(),
                    customers: 4,
                    href: "/customers?stage=reserve".into(),
                    cells: vec![Cell {
                        key: "revisit_today",
                        n: 2,
                        href: "/customers?stage=reserve&revisit=today".into(),
                        off: false,
                    }],
                }],
                today: "2026-12-07".into(),
                deals: vec![crate::features::deals::DealLink {
                    key: "rotting",
                    label: "Opportunities rotting".into(),
                    n: 2,
                    href: "/opportunities?rotting=1".into(),
                }],
                orders: vec![crate::features::deals::DealLink {
                    key: "open",
                    label: "All to follow".into(),
                    n: 1,
                    href: "/orders?progress=open".into(),
                }],
            },
        );
    }
}
