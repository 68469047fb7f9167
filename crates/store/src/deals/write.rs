//! Creating and changing opportunities, moving them between stages and changing their
//! status. Each write checks the customer's rule (changeable when the customer is), the
//! input (core's rules), the stage (an opportunity pipeline's), the owner (one the actor
//! may assign) and collaborators (active staff), then writes the row, its lines and
//! collaborators, the log row and the audit entry in one transaction. A selling
//! opportunity promotes its customer to the opportunity stage in that transaction, through
//! the pipeline's move rules (seed 003: "添加了一条商机及状态为正在销售时,系统会自动把此客户设为商机客户").

use serde_json::json;
use wharf_core::deals::{Checked, OpportunityInput, Status, check_status};
use wharf_core::zone::Day;
use wharf_core::{Actor, DomainError};

use super::log;
use super::pipelines::{DealStage, deal_stage};
use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Collaborators an opportunity may have.
const MAX_COLLABORATORS: usize = 20;

/// What a form or the API sends besides core's input: rows the store checks.
#[derive(Debug, Clone, Default)]
pub struct OpportunityEdit {
    pub input: OpportunityInput,
    /// An opportunity stage; the first of the opportunity pipeline when `None`.
    pub stage_id: Option<i64>,
    /// The actor when `None`.
    pub owner_id: Option<i64>,
    pub collaborators: Vec<i64>,
}

impl Store {
    /// Adds an opportunity to a customer the actor may change. Returns its id.
    pub async fn create_opportunity(
        &self,
        ctx: Ctx<'_>,
        customer_id: i64,
        edit: OpportunityEdit,
    ) -> Result<i64> {
        let customer = self.editable(ctx.actor, customer_id).await?.customer;
        let zone = self.company_time_zone(ctx.actor).await?;
        let t = now();
        let checked = edit.input.validate(zone.today(t), None)?;
        let owner = edit.owner_id.unwrap_or(ctx.actor.user_id);
        let collaborators = self
            .checked_people(ctx.actor, owner, &edit.collaborators)
            .await?;
        self.check_products(&checked).await?;
        let mut tx = self.begin().await?;
        let stage = deal_stage(&mut tx, edit.stage_id).await?;
        let probability = checked.probability.unwrap_or(stage.probability);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO opportunities (customer_id, title, pipeline_id, stage_id, status, outcome, lost_reason, \
             amount, currency, amount_from_lines, probability, close_date, next_revisit, competitors, owner_id, \
             created_by, created_at, updated_at, activity_at, ended_at, amount_minor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $17, $18, $19) RETURNING id",
        )
        .bind(customer_id)
        .bind(&checked.title)
        .bind(stage.pipeline_id)
        .bind(stage.id)
        .bind(checked.status.code())
        .bind(checked.outcome.map(|o| o.code()))
        .bind(&checked.lost_reason)
        .bind(checked.amount.to_string())
        .bind(checked.currency.code())
        .bind(i64::from(checked.amount_from_lines))
        .bind(probability)
        .bind(checked.close_date.map(Day::iso))
        .bind(checked.next_revisit.map(Day::iso))
        .bind(&checked.competitors)
        .bind(owner)
        .bind(ctx.actor.user_id)
        .bind(t)
        .bind((checked.status == Status::Ended).then_some(t))
        .bind(minor_units(&checked)?)
        .fetch_one(&mut *tx)
        .await?;
        write_parts(&mut tx, id, &checked, &collaborators).await?;
        log::write(
            &mut tx,
            (customer_id, id),
            ctx.actor.user_id,
            "opportunity",
            ("", checked.status.code()),
            &checked.title,
        )
        .await?;
        if checked.status == Status::Selling {
            crate::pipeline::promote_to_opportunity(&mut tx, ctx, &customer).await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "opportunity.add",
                entity: "opportunity",
                entity_id: Some(id),
                summary: &checked.title,
                details: json!({
                    "customer_id": customer_id,
                    "amount": checked.amount.to_string(),
                    "currency": checked.currency.code(),
                    "stage_id": stage.id,
                    "status": checked.status.code(),
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an opportunity the actor may change (its customer's rule).
    pub async fn update_opportunity(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        edit: OpportunityEdit,
    ) -> Result<()> {
        let old = self.changeable_opportunity(ctx.actor, id).await?;
        let zone = self.company_time_zone(ctx.actor).await?;
        let t = now();
        let previous = old.next_revisit.as_deref().and_then(Day::parse_iso);
        let checked = edit.input.validate(zone.today(t), previous)?;
        let owner = edit.owner_id.unwrap_or(old.owner_id);
        let collaborators = if owner == old.owner_id {
            self.checked_collaborators(owner, &edit.collaborators)
                .await?
        } else {
            self.checked_people(ctx.actor, owner, &edit.collaborators)
                .await?
        };
        let customer = self
            .get_customer(ctx.actor, old.customer_id)
            .await?
            .customer;
        self.check_products(&checked).await?;
        let mut tx = self.begin().await?;
        let stage = deal_stage(&mut tx, Some(edit.stage_id.unwrap_or(old.stage_id))).await?;
        // The form sends the probability it showed: unchanged across a stage change, it
        // follows the stage as a move would.
        let probability = match checked.probability {
            Some(p) if p != old.probability || stage.id == old.stage_id => p,
            _ => follow_probability(&old, &stage),
        };
        let ended_at = match (checked.status, old.ended_at) {
            (Status::Ended, Some(at)) => Some(at),
            (Status::Ended, None) => Some(t),
            _ => None,
        };
        sqlx::query(
            "UPDATE opportunities SET title = $1, pipeline_id = $2, stage_id = $3, status = $4, outcome = $5, \
             lost_reason = $6, amount = $7, currency = $8, amount_from_lines = $9, probability = $10, close_date = $11, \
             next_revisit = $12, competitors = $13, owner_id = $14, updated_at = $15, activity_at = $15, ended_at = $16, \
             amount_minor = $17 WHERE id = $18",
        )
        .bind(&checked.title)
        .bind(stage.pipeline_id)
        .bind(stage.id)
        .bind(checked.status.code())
        .bind(checked.outcome.map(|o| o.code()))
        .bind(&checked.lost_reason)
        .bind(checked.amount.to_string())
        .bind(checked.currency.code())
        .bind(i64::from(checked.amount_from_lines))
        .bind(probability)
        .bind(checked.close_date.map(Day::iso))
        .bind(checked.next_revisit.map(Day::iso))
        .bind(&checked.competitors)
        .bind(owner)
        .bind(t)
        .bind(ended_at)
        .bind(minor_units(&checked)?)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM opportunity_lines WHERE opportunity_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM opportunity_collaborators WHERE opportunity_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_parts(&mut tx, id, &checked, &collaborators).await?;
        let key = (old.customer_id, id);
        if stage.id != old.stage_id {
            log::write(
                &mut tx,
                key,
                ctx.actor.user_id,
                "opportunity_stage",
                (&old.stage_id.to_string(), &stage.id.to_string()),
                "",
            )
            .await?;
        }
        if checked.status.code() != old.status {
            log::write(
                &mut tx,
                key,
                ctx.actor.user_id,
                "opportunity_status",
                (&old.status, checked.status.code()),
                &checked.lost_reason,
            )
            .await?;
            if checked.status == Status::Selling {
                crate::pipeline::promote_to_opportunity(&mut tx, ctx, &customer).await?;
            }
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "opportunity.update",
                entity: "opportunity",
                entity_id: Some(id),
                summary: &checked.title,
                details: json!({
                    "before": { "amount": old.amount.to_string(), "currency": old.currency, "stage_id": old.stage_id, "status": old.status },
                    "after": { "amount": checked.amount.to_string(), "currency": checked.currency.code(), "stage_id": stage.id, "status": checked.status.code() },
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves an open opportunity to another stage of its pipeline (the board's drag, the
    /// page's select). Its probability follows the stage unless someone set it by hand.
    pub async fn move_opportunity(&self, ctx: Ctx<'_>, id: i64, stage_id: i64) -> Result<()> {
        let old = self.changeable_opportunity(ctx.actor, id).await?;
        if old.status == Status::Ended.code() {
            return Err(DomainError::refused("opportunity_ended", 0).into());
        }
        let mut tx = self.begin().await?;
        let stage = deal_stage(&mut tx, Some(stage_id)).await?;
        if stage.pipeline_id != old.pipeline_id {
            return Err(DomainError::refused("opportunity_other_pipeline", 0).into());
        }
        if stage.id == old.stage_id {
            return Ok(());
        }
        let t = now();
        sqlx::query("UPDATE opportunities SET stage_id = $1, probability = $2, updated_at = $3, activity_at = $3 WHERE id = $4")
            .bind(stage.id)
            .bind(follow_probability(&old, &stage))
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        log::write(
            &mut tx,
            (old.customer_id, id),
            ctx.actor.user_id,
            "opportunity_stage",
            (&old.stage_id.to_string(), &stage.id.to_string()),
            "",
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "opportunity.stage",
                entity: "opportunity",
                entity_id: Some(id),
                summary: &old.title,
                details: json!({ "from": old.stage_id, "to": stage.id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the status (selling / paused / ended with its outcome and, when lost, a
    /// reason). Back to selling promotes the customer as a new selling one does.
    pub async fn set_opportunity_status(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        (status, outcome, reason): (&str, &str, &str),
    ) -> Result<()> {
        let old = self.changeable_opportunity(ctx.actor, id).await?;
        let (status, outcome, reason) = check_status(status, outcome, reason)?;
        if status.code() == old.status && outcome.map(|o| o.code()) == old.outcome.as_deref() {
            return Ok(());
        }
        let t = now();
        let customer = self
            .get_customer(ctx.actor, old.customer_id)
            .await?
            .customer;
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE opportunities SET status = $1, outcome = $2, lost_reason = $3, updated_at = $4, activity_at = $4, \
             ended_at = $5 WHERE id = $6",
        )
        .bind(status.code())
        .bind(outcome.map(|o| o.code()))
        .bind(&reason)
        .bind(t)
        .bind((status == Status::Ended).then_some(old.ended_at.unwrap_or(t)))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let to = match outcome {
            Some(o) => format!("{}:{}", status.code(), o.code()),
            None => status.code().to_string(),
        };
        log::write(
            &mut tx,
            (old.customer_id, id),
            ctx.actor.user_id,
            "opportunity_status",
            (&old.status, &to),
            &reason,
        )
        .await?;
        if status == Status::Selling {
            crate::pipeline::promote_to_opportunity(&mut tx, ctx, &customer).await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "opportunity.status",
                entity: "opportunity",
                entity_id: Some(id),
                summary: &old.title,
                details: json!({ "from": old.status, "to": to, "reason": reason }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn changeable_opportunity(&self, actor: &Actor, id: i64) -> Result<super::Opportunity> {
        let o = self.opportunity(actor, id).await?;
        if !o.may_change {
            return Err(DomainError::Denied.into());
        }
        Ok(o)
    }

    /// The owner must be someone the actor may assign (themselves; a manager's team);
    /// then the collaborators.
    async fn checked_people(
        &self,
        actor: &Actor,
        owner: i64,
        collaborators: &[i64],
    ) -> Result<Vec<i64>> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT department_id FROM users WHERE id = $1 AND status = 'active'")
                .bind(owner)
                .fetch_optional(&self.pool)
                .await?;
        match row {
            Some((dept,)) if actor.may_assign_owner(owner, dept) => {}
            _ => return Err(DomainError::field("owner_id", "invalid_choice").into()),
        }
        self.checked_collaborators(owner, collaborators).await
    }

    /// A line's product must be one of the catalog (`features/products`' picker gives its
    /// id; the line keeps its own name, unit and price as quoted).
    async fn check_products(&self, checked: &Checked) -> Result<()> {
        for id in checked.lines.iter().filter_map(|l| l.product_id) {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
            if n == 0 {
                return Err(DomainError::field("line_product", "invalid_choice").into());
            }
        }
        Ok(())
    }

    /// Collaborators: active staff, without the owner, each once, at most twenty.
    async fn checked_collaborators(&self, owner: i64, ids: &[i64]) -> Result<Vec<i64>> {
        let mut out: Vec<i64> = ids.iter().copied().filter(|i| *i != owner).collect();
        out.sort_unstable();
        out.dedup();
        if out.len() > MAX_COLLABORATORS {
            return Err(DomainError::field("collaborators", "too_many_collaborators").into());
        }
        for id in &out {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE id = $1 AND status = 'active'",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            if n == 0 {
                return Err(DomainError::field("collaborators", "invalid_choice").into());
            }
        }
        Ok(out)
    }
}

/// The amount in its currency's minor units (the amount is rounded to them, so this is
/// exact), for the board's sums in SQL.
fn minor_units(checked: &Checked) -> Result<i64> {
    let rounded = wharf_core::money::round_to_minor(checked.amount, checked.currency);
    i64::try_from(rounded.mantissa())
        .map_err(|_| DomainError::field("amount", "money_too_large").into())
}

/// A probability left at the old stage's follows the new stage; one set by hand stays.
fn follow_probability(old: &super::Opportunity, to: &DealStage) -> i64 {
    if old.probability == old.stage_probability {
        to.probability
    } else {
        old.probability
    }
}

async fn write_parts(tx: &mut Tx, id: i64, checked: &Checked, collaborators: &[i64]) -> Result<()> {
    for (i, l) in checked.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO opportunity_lines (opportunity_id, position, product_id, name, quantity, unit, unit_price) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(l.product_id)
        .bind(&l.name)
        .bind(l.quantity.to_string())
        .bind(&l.unit)
        .bind(l.unit_price.to_string())
        .execute(&mut **tx)
        .await?;
    }
    for u in collaborators {
        sqlx::query(
            "INSERT INTO opportunity_collaborators (opportunity_id, user_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(*u)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
