//! Transfer requests (LINK-6): a salesperson whose save was blocked by a colleague's
//! customer asks for it. The request names no customer id: it carries what she typed
//! (name, e-mails, phones, website) and the store finds the customer again through the
//! same lookup as the block, so nobody can ask for a customer whose keys she does not
//! know. The owners and the managers over them (whoever may edit it) approve — the
//! owners change through the transfer code, audited — or decline with an answer the
//! requester reads.

use serde_json::json;
use wharf_core::validate::FieldErrors;
use wharf_core::{Actor, DomainError, Permission};

use super::access::visible_condition;
use super::taken::{TakenBy, probe_keys};
use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, opt_int, text};
use crate::{Ctx, Result, Store};

/// A reason or an answer, in characters.
const MAX_TEXT: usize = 500;
/// Requests shown in one list.
const LIST_LIMIT: i64 = 50;
/// How long a decided request stays in the requester's list, in seconds.
const DECIDED_SHOWN: i64 = 30 * 86_400;

/// What the blocked save held: the customer is found again from it.
#[derive(Debug, Clone, Default)]
pub struct TransferProbe {
    pub name: String,
    pub emails: String,
    pub phones: String,
    pub website: String,
}

/// One request, as its requester and its deciders see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TransferRequest {
    pub id: i64,
    pub customer_id: i64,
    /// Shown to deciders; to the requester only once the customer is hers.
    pub customer_name: String,
    pub requester_id: i64,
    pub requester: String,
    pub reason: String,
    /// `pending`, `approved` or `declined`.
    pub state: String,
    pub decided_by: String,
    pub answer: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

const SELECT: &str = "SELECT r.id, r.customer_id, c.name AS customer_name, r.requester_id, \
     u.name AS requester, r.reason, r.state, COALESCE(d.name, '') AS decided_by, r.answer, \
     r.created_at, r.decided_at FROM transfer_requests r JOIN customers c ON c.id = r.customer_id \
     JOIN users u ON u.id = r.requester_id LEFT JOIN users d ON d.id = r.decided_by";

fn request(r: &sqlx::any::AnyRow) -> sqlx::Result<TransferRequest> {
    Ok(TransferRequest {
        id: int(r, "id")?,
        customer_id: int(r, "customer_id")?,
        customer_name: text(r, "customer_name")?,
        requester_id: int(r, "requester_id")?,
        requester: text(r, "requester")?,
        reason: text(r, "reason")?,
        state: text(r, "state")?,
        decided_by: text(r, "decided_by")?,
        answer: text(r, "answer")?,
        created_at: int(r, "created_at")?,
        decided_at: opt_int(r, "decided_at")?,
    })
}

fn checked_text(field: &'static str, value: &str, required: bool) -> Result<String> {
    let mut e = FieldErrors::default();
    let value = e.text(field, value, required, MAX_TEXT);
    e.into_result()?;
    Ok(value)
}

impl Store {
    /// The colleague's customer this probe runs into, if any (an address before a
    /// phone, a website, a domain and the name, like the block).
    pub async fn transfer_target(
        &self,
        actor: &Actor,
        probe: &TransferProbe,
    ) -> Result<Option<TakenBy>> {
        actor.require(Permission::Customers)?;
        let mut keys = probe_keys(&probe.name, &probe.emails, &probe.phones, &probe.website);
        let rank = |k: &str| {
            ["email", "phone", "website", "domain", "name"]
                .iter()
                .position(|x| *x == k)
        };
        keys.sort_by_key(|(k, _)| rank(k));
        keys.truncate(40);
        let taken = self.taken_keys(actor, &keys).await?;
        Ok(keys
            .iter()
            .find_map(|k| taken.get(k).and_then(|t| t.first().cloned())))
    }

    /// Asks the owners of the customer the probe runs into to hand it over.
    pub async fn request_transfer(
        &self,
        ctx: Ctx<'_>,
        probe: &TransferProbe,
        reason: &str,
    ) -> Result<i64> {
        let reason = checked_text("reason", reason, true)?;
        let Some(target) = self.transfer_target(ctx.actor, probe).await? else {
            return Err(DomainError::refused("transfer_nothing_to_request", 0).into());
        };
        let mut tx = self.begin().await?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM transfer_requests WHERE customer_id = $1 AND requester_id = $2 AND state = 'pending'",
        )
        .bind(target.customer_id)
        .bind(ctx.actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        if pending > 0 {
            return Err(DomainError::refused("transfer_already_requested", 0).into());
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO transfer_requests (customer_id, requester_id, reason, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(target.customer_id)
        .bind(ctx.actor.user_id)
        .bind(&reason)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.transfer_request",
                entity: "customer",
                entity_id: Some(target.customer_id),
                summary: &target.name,
                details: json!({ "request": id, "owners": target.owner_ids }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Pending requests the actor may decide (customers she may edit, asked by someone
    /// else), newest first; of one customer when `customer` is given.
    pub async fn transfer_requests_to_decide(
        &self,
        actor: &Actor,
        customer: Option<i64>,
    ) -> Result<Vec<TransferRequest>> {
        actor.require(Permission::Customers)?;
        let (cond, values) = visible_condition(actor, 3);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.state = 'pending' AND r.requester_id <> $1 AND c.sharing <> 'shared' \
             AND ($2 = 0 OR r.customer_id = $2) AND {cond} ORDER BY r.created_at DESC, r.id DESC LIMIT {LIST_LIMIT}"
        )))
        .bind(actor.user_id)
        .bind(customer.unwrap_or(0));
        for v in values {
            q = q.bind(v);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::new();
        for r in rows.iter().map(request) {
            let r = r?;
            // The SQL reaches what she sees; deciding needs the right to edit.
            let owners = self.owners_of(r.customer_id).await?;
            if Self::edits(actor, "personal", &owners) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The actor's own requests: pending ones and those decided in the last 30 days.
    /// The customer's name is left out while it is not hers to see.
    pub async fn my_transfer_requests(&self, actor: &Actor) -> Result<Vec<TransferRequest>> {
        actor.require(Permission::Customers)?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.requester_id = $1 AND (r.state = 'pending' OR r.decided_at >= $2) \
             ORDER BY r.created_at DESC, r.id DESC LIMIT {LIST_LIMIT}"
        )))
        .bind(actor.user_id)
        .bind(now() - DECIDED_SHOWN)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows.iter().map(request) {
            let mut r = r?;
            if r.state != "approved" {
                r.customer_name.clear();
            }
            out.push(r);
        }
        Ok(out)
    }

    /// Approves (the requester becomes the owner) or declines a pending request; only
    /// who may edit the customer. Both happen once: a second decision is refused.
    pub async fn decide_transfer_request(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        approve: bool,
        answer: &str,
    ) -> Result<()> {
        ctx.actor.require(Permission::Customers)?;
        let answer = checked_text("answer", answer, !approve)?;
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        let r = request(&r)?;
        // Not found for whoever may not see the customer; denied for who sees but may
        // not change it.
        let c = self
            .editable(ctx.actor, r.customer_id)
            .await
            .map_err(|e| match e {
                crate::StoreError::Domain(DomainError::Denied) => DomainError::NotFound.into(),
                other => other,
            })?
            .customer;
        if r.requester_id == ctx.actor.user_id {
            return Err(DomainError::NotFound.into());
        }
        let mut tx = self.begin().await?;
        let state = if approve { "approved" } else { "declined" };
        let changed = sqlx::query(
            "UPDATE transfer_requests SET state = $1, decided_by = $2, answer = $3, decided_at = $4 \
             WHERE id = $5 AND state = 'pending'",
        )
        .bind(state)
        .bind(ctx.actor.user_id)
        .bind(&answer)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(DomainError::refused("transfer_request_decided", 0).into());
        }
        if approve {
            self.check_owners(&[r.requester_id]).await?;
            super::ownership::change_owners_in(&mut tx, ctx, &c, &[r.requester_id], "transfer")
                .await?;
            // Other requests for it are moot now.
            sqlx::query(
                "UPDATE transfer_requests SET state = 'declined', decided_by = $1, decided_at = $2 \
                 WHERE customer_id = $3 AND state = 'pending'",
            )
            .bind(ctx.actor.user_id)
            .bind(now())
            .bind(r.customer_id)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if approve {
                    "customer.transfer_approve"
                } else {
                    "customer.transfer_decline"
                },
                entity: "customer",
                entity_id: Some(r.customer_id),
                summary: &c.name,
                details: json!({ "request": id, "requester": r.requester_id, "answer": answer }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
