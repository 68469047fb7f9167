//! Creating a quote and saving changes to it: the checks (core's rules, the customer in
//! sight, the contact the customer's), the yearly number, the version rule (a frozen
//! version is kept and the changes become the next one) and the lines, in one transaction.

use serde_json::json;
use wharf_core::DomainError;
use wharf_core::policy::QuoteFacts;
use wharf_core::quotes::{EditPlan, LineInput, QuoteHeader, QuoteRate, QuoteStatus, Totals};
use wharf_core::zone::Day;

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A version as entered (header and lines are checked by core here) and the day's rate
/// the caller found (the dated exchange rates).
#[derive(Debug, Clone)]
pub struct QuoteDraft {
    pub header: QuoteHeader,
    pub lines: Vec<LineInput>,
    pub rate: QuoteRate,
    /// The quote's day (today in the company's calendar), also the rate's lookup day.
    pub today: Day,
}

/// The ids a save gives back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub quote_id: i64,
    pub version: i64,
}

impl QuoteDraft {
    fn checked(self) -> Result<(QuoteDraft, Totals)> {
        let header = self.header.validate(self.today)?;
        let lines = LineInput::validate_all(self.lines)?;
        if self.rate.rate <= wharf_core::money::Decimal::ZERO {
            return Err(DomainError::field("currency", "quote_no_rate").into());
        }
        let minor_units = wharf_core::money::Currency::from_code(&header.currency)
            .map_err(|e| DomainError::field("currency", e.code()))?
            .minor_units();
        let totals = Totals::of(&lines, minor_units);
        Ok((
            QuoteDraft {
                header,
                lines,
                ..self
            },
            totals,
        ))
    }
}

impl Store {
    /// A new quote (v1, a draft) for a customer the actor may see.
    pub async fn create_quote(&self, ctx: Ctx<'_>, draft: QuoteDraft) -> Result<Saved> {
        let customer_id = draft.header.customer_id;
        self.get_customer(ctx.actor, customer_id).await?;
        let (draft, totals) = draft.checked()?;
        self.check_contact(customer_id, draft.header.contact_id)
            .await?;
        self.check_opportunity(customer_id, draft.header.opportunity_id)
            .await?;
        let year = draft.today.year();
        // Two quotes numbered at once on PostgreSQL: the loser of the unique number retries.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut tx = self.begin().await?;
            let seq: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(number_seq), 0) + 1 FROM quotes WHERE number_year = $1",
            )
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            let t = now();
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO quotes (number_year, number_seq, customer_id, owner_id, current_version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
            )
            .bind(year)
            .bind(seq)
            .bind(customer_id)
            .bind(ctx.actor.user_id)
            .bind(t)
            .fetch_one(&mut *tx)
            .await;
            let quote_id = match inserted {
                Ok(id) => id,
                Err(sqlx::Error::Database(e)) if attempt < 5 && e.is_unique_violation() => {
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            insert_version(&mut tx, ctx, quote_id, 1, &draft, &totals).await?;
            let number = wharf_core::quotes::QuoteNumber { year, seq }.text();
            audit::record(
                &mut tx,
                ctx,
                Entry {
                    action: "quote.create",
                    entity: "customer",
                    entity_id: Some(customer_id),
                    summary: &number,
                    details: json!({ "quote_id": quote_id, "total": totals.total.to_string(),
                        "currency": draft.header.currency }),
                },
            )
            .await?;
            tx.commit().await?;
            return Ok(Saved {
                quote_id,
                version: 1,
            });
        }
    }

    /// Saves changes to a quote the actor may change: a draft in place; an approved or
    /// sent version stays as it was and the changes become the next version (a draft).
    pub async fn save_quote(
        &self,
        ctx: Ctx<'_>,
        quote_id: i64,
        draft: QuoteDraft,
    ) -> Result<Saved> {
        let current = self.quote_head(ctx.actor, quote_id).await?;
        if !current.facts.changeable_by(ctx.actor) {
            return Err(DomainError::Denied.into());
        }
        if draft.header.customer_id != current.customer_id {
            return Err(DomainError::field("customer_id", "invalid_choice").into());
        }
        let plan = current.status.plan_edit()?;
        let (draft, totals) = draft.checked()?;
        self.check_contact(current.customer_id, draft.header.contact_id)
            .await?;
        self.check_opportunity(current.customer_id, draft.header.opportunity_id)
            .await?;
        let mut tx = self.begin().await?;
        let version = match plan {
            EditPlan::InPlace => {
                sqlx::query("DELETE FROM quote_versions WHERE quote_id = $1 AND version = $2")
                    .bind(quote_id)
                    .bind(current.version)
                    .execute(&mut *tx)
                    .await?;
                current.version
            }
            EditPlan::NewVersion => current.version + 1,
        };
        insert_version(&mut tx, ctx, quote_id, version, &draft, &totals).await?;
        sqlx::query("UPDATE quotes SET current_version = $1, updated_at = $2 WHERE id = $3")
            .bind(version)
            .bind(now())
            .bind(quote_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if plan == EditPlan::InPlace {
                    "quote.update"
                } else {
                    "quote.new_version"
                },
                entity: "customer",
                entity_id: Some(current.customer_id),
                summary: &current.number,
                details: json!({ "quote_id": quote_id, "version": version,
                    "total": totals.total.to_string(), "currency": draft.header.currency }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Saved { quote_id, version })
    }

    /// The opportunity, when given, is one of the customer's (a quote never points at
    /// another customer's deal).
    async fn check_opportunity(&self, customer_id: i64, opportunity_id: Option<i64>) -> Result<()> {
        let Some(opportunity_id) = opportunity_id else {
            return Ok(());
        };
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT customer_id FROM opportunities WHERE id = $1")
                .bind(opportunity_id)
                .fetch_optional(&self.pool)
                .await?;
        if owner != Some(customer_id) {
            return Err(
                DomainError::field("opportunity_id", "quote_opportunity_other_customer").into(),
            );
        }
        Ok(())
    }

    /// The contact, when given, is one of the customer's.
    async fn check_contact(&self, customer_id: i64, contact_id: Option<i64>) -> Result<()> {
        let Some(contact_id) = contact_id else {
            return Ok(());
        };
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT customer_id FROM contacts WHERE id = $1")
                .bind(contact_id)
                .fetch_optional(&self.pool)
                .await?;
        if owner != Some(customer_id) {
            return Err(DomainError::field("contact_id", "invalid_choice").into());
        }
        Ok(())
    }
}

async fn insert_version(
    tx: &mut Tx,
    ctx: Ctx<'_>,
    quote_id: i64,
    version: i64,
    draft: &QuoteDraft,
    totals: &Totals,
) -> Result<()> {
    let h = &draft.header;
    let t = now();
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO quote_versions (quote_id, version, status, contact_id, opportunity_id, currency, rate, rate_base, \
         rate_on, incoterm, port_loading, port_destination, payment_terms, quote_date, valid_until, notes, total, \
         max_discount, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id",
    )
    .bind(quote_id)
    .bind(version)
    .bind(QuoteStatus::Draft.code())
    .bind(h.contact_id)
    .bind(h.opportunity_id)
    .bind(&h.currency)
    .bind(draft.rate.rate.to_string())
    .bind(&draft.rate.base)
    .bind(draft.rate.on.iso())
    .bind(h.incoterm.map(|i| i.code()))
    .bind(&h.port_loading)
    .bind(&h.port_destination)
    .bind(&h.payment_terms)
    .bind(draft.today.iso())
    .bind(h.valid_until.iso())
    .bind(&h.notes)
    .bind(totals.total.to_string())
    .bind(totals.max_discount.to_string())
    .bind(ctx.actor.user_id)
    .bind(t)
    .fetch_one(&mut **tx)
    .await?;
    for (position, line) in draft.lines.iter().enumerate() {
        let amount = totals.line(position).unwrap_or_default();
        sqlx::query(
            "INSERT INTO quote_lines (version_id, position, kind, product_id, name, model, unit, description, \
             quantity, unit_price, discount, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(version_id)
        .bind(position as i64)
        .bind(line.kind.code())
        .bind(line.item.product_id)
        .bind(&line.item.name)
        .bind(&line.item.model)
        .bind(&line.item.unit)
        .bind(&line.item.description)
        .bind(line.quantity.to_string())
        .bind(line.unit_price.to_string())
        .bind(line.discount.to_string())
        .bind(amount.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// customer, year, seq, current version, owner, status, the owner's department.
type HeadRow = (i64, i64, i64, i64, i64, String, Option<i64>);

/// What the write rules read of a quote's current version.
pub(super) struct Head {
    pub quote_id: i64,
    pub customer_id: i64,
    pub number: String,
    pub version: i64,
    pub status: QuoteStatus,
    pub facts: QuoteFacts,
}

impl Store {
    /// The current version's status and the owner facts of a quote whose customer the
    /// actor may see (otherwise it does not exist).
    pub(super) async fn quote_head(
        &self,
        actor: &wharf_core::Actor,
        quote_id: i64,
    ) -> Result<Head> {
        let row: Option<HeadRow> = sqlx::query_as(
            "SELECT q.customer_id, q.number_year, q.number_seq, q.current_version, q.owner_id, v.status, u.department_id \
             FROM quotes q JOIN quote_versions v ON v.quote_id = q.id AND v.version = q.current_version \
             LEFT JOIN users u ON u.id = q.owner_id WHERE q.id = $1",
        )
        .bind(quote_id)
        .fetch_optional(&self.pool)
        .await?;
        let (customer_id, year, seq, version, owner, status, owner_department) =
            row.ok_or(DomainError::NotFound)?;
        // The customer's rule decides (a quote of an unseen customer does not exist).
        self.get_customer(actor, customer_id).await?;
        Ok(Head {
            quote_id,
            customer_id,
            number: wharf_core::quotes::QuoteNumber { year, seq }.text(),
            version,
            status: QuoteStatus::from_code(&status).unwrap_or(QuoteStatus::Draft),
            facts: QuoteFacts {
                owner,
                owner_department,
            },
        })
    }
}
