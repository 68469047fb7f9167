//! Reading quotes: one quote with all its versions and a version's lines, a customer's
//! quotes; the row shapes lists and pages show.

use sqlx::any::AnyRow;
use wharf_core::money::Decimal;
use wharf_core::policy::QuoteFacts;
use wharf_core::quotes::{LineKind, QuoteNumber, QuoteStatus};
use wharf_core::{Actor, DomainError};

use super::dec;
use crate::rows::{int, opt_int, opt_text, text};
use crate::{Result, Store};

/// A quote as lists show it: its current version's status and total.
#[derive(Debug, Clone)]
pub struct QuoteSummary {
    pub id: i64,
    pub number: String,
    pub version: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub status: String,
    pub currency: String,
    pub total: Decimal,
    pub max_discount: Decimal,
    pub quote_date: String,
    pub valid_until: String,
    pub updated_at: i64,
}

/// One version: the header as it was entered, its status and its moves.
#[derive(Debug, Clone)]
pub struct QuoteVersion {
    pub version: i64,
    pub status: String,
    pub contact_id: Option<i64>,
    pub contact_name: String,
    /// The contact's addresses as stored (one per line).
    pub contact_emails: String,
    pub opportunity_id: Option<i64>,
    pub currency: String,
    pub rate: Decimal,
    pub rate_base: String,
    pub rate_on: String,
    pub incoterm: Option<String>,
    pub port_loading: String,
    pub port_destination: String,
    pub payment_terms: String,
    pub quote_date: String,
    pub valid_until: String,
    pub notes: String,
    pub total: Decimal,
    pub max_discount: Decimal,
    pub created_by_name: String,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_by_name: String,
    pub decided_at: Option<i64>,
    pub decline_reason: String,
    pub sent_at: Option<i64>,
    /// The outgoing mail it was sent with.
    pub sent_message_id: Option<i64>,
}

/// A row of a version's table.
#[derive(Debug, Clone)]
pub struct QuoteLine {
    pub kind: String,
    pub product_id: Option<i64>,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount: Decimal,
    pub amount: Decimal,
}

impl QuoteLine {
    pub fn is_group(&self) -> bool {
        LineKind::from_code(&self.kind) == Some(LineKind::Group)
    }
}

/// A quote with every version (newest first) and the lines of the one asked for.
#[derive(Debug, Clone)]
pub struct QuoteDetail {
    pub summary: QuoteSummary,
    pub versions: Vec<QuoteVersion>,
    /// The version shown (the current one unless another was asked for).
    pub shown: QuoteVersion,
    pub lines: Vec<QuoteLine>,
    pub may_change: bool,
    pub may_approve: bool,
    /// Her own quote, approvable by her because nobody else has company scope.
    pub approve_alone: bool,
}

pub(super) const SUMMARY: &str = "SELECT q.id, q.number_year, q.number_seq, q.current_version, q.customer_id, \
     q.owner_id, q.updated_at, c.name AS customer_name, COALESCE(u.name, '') AS owner_name, u.department_id AS owner_department, \
     v.status, v.currency, v.total, v.max_discount, v.quote_date, v.valid_until \
     FROM quotes q JOIN customers c ON c.id = q.customer_id \
     JOIN quote_versions v ON v.quote_id = q.id AND v.version = q.current_version \
     LEFT JOIN users u ON u.id = q.owner_id";

pub(super) fn summary(r: &AnyRow) -> sqlx::Result<QuoteSummary> {
    Ok(QuoteSummary {
        id: int(r, "id")?,
        number: QuoteNumber {
            year: int(r, "number_year")?,
            seq: int(r, "number_seq")?,
        }
        .text(),
        version: int(r, "current_version")?,
        customer_id: int(r, "customer_id")?,
        customer_name: text(r, "customer_name")?,
        owner_id: int(r, "owner_id")?,
        owner_name: text(r, "owner_name")?,
        status: text(r, "status")?,
        currency: text(r, "currency")?,
        total: dec(r, "total")?,
        max_discount: dec(r, "max_discount")?,
        quote_date: text(r, "quote_date")?,
        valid_until: text(r, "valid_until")?,
        updated_at: int(r, "updated_at")?,
    })
}

const VERSION: &str = "SELECT v.*, COALESCE(k.name, '') AS contact_name, COALESCE(k.emails, '') AS contact_emails, \
     COALESCE(cu.name, '') AS created_by_name, COALESCE(du.name, '') AS decided_by_name \
     FROM quote_versions v LEFT JOIN contacts k ON k.id = v.contact_id \
     LEFT JOIN users cu ON cu.id = v.created_by LEFT JOIN users du ON du.id = v.decided_by";

fn version(r: &AnyRow) -> sqlx::Result<QuoteVersion> {
    Ok(QuoteVersion {
        version: int(r, "version")?,
        status: text(r, "status")?,
        contact_id: opt_int(r, "contact_id")?,
        contact_name: text(r, "contact_name")?,
        contact_emails: text(r, "contact_emails")?,
        opportunity_id: opt_int(r, "opportunity_id")?,
        currency: text(r, "currency")?,
        rate: dec(r, "rate")?,
        rate_base: text(r, "rate_base")?,
        rate_on: text(r, "rate_on")?,
        incoterm: opt_text(r, "incoterm")?,
        port_loading: text(r, "port_loading")?,
        port_destination: text(r, "port_destination")?,
        payment_terms: text(r, "payment_terms")?,
        quote_date: text(r, "quote_date")?,
        valid_until: text(r, "valid_until")?,
        notes: text(r, "notes")?,
        total: dec(r, "total")?,
        max_discount: dec(r, "max_discount")?,
        created_by_name: text(r, "created_by_name")?,
        created_at: int(r, "created_at")?,
        submitted_at: opt_int(r, "submitted_at")?,
        decided_by_name: text(r, "decided_by_name")?,
        decided_at: opt_int(r, "decided_at")?,
        decline_reason: text(r, "decline_reason")?,
        sent_at: opt_int(r, "sent_at")?,
        sent_message_id: opt_int(r, "sent_message_id")?,
    })
}

fn line(r: &AnyRow) -> sqlx::Result<QuoteLine> {
    Ok(QuoteLine {
        kind: text(r, "kind")?,
        product_id: opt_int(r, "product_id")?,
        name: text(r, "name")?,
        model: text(r, "model")?,
        unit: text(r, "unit")?,
        description: text(r, "description")?,
        quantity: dec(r, "quantity")?,
        unit_price: dec(r, "unit_price")?,
        discount: dec(r, "discount")?,
        amount: dec(r, "amount")?,
    })
}

impl Store {
    /// A quote whose customer the actor may see, with its versions; `version` picks the
    /// one whose lines come along (the current one when `None`).
    pub async fn quote(&self, actor: &Actor, id: i64, wanted: Option<i64>) -> Result<QuoteDetail> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SUMMARY} WHERE q.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        let s = summary(&row)?;
        let facts = QuoteFacts {
            owner: s.owner_id,
            owner_department: opt_int(&row, "owner_department")?,
        };
        // The customer's rule decides (a quote of an unseen customer does not exist).
        self.get_customer(actor, s.customer_id).await?;
        let versions = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{VERSION} WHERE v.quote_id = $1 ORDER BY v.version DESC"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(version)
        .collect::<sqlx::Result<Vec<_>>>()?;
        let wanted = wanted.unwrap_or(s.version);
        let shown = versions
            .iter()
            .find(|v| v.version == wanted)
            .cloned()
            .ok_or(DomainError::NotFound)?;
        let lines = sqlx::query(
            "SELECT l.* FROM quote_lines l JOIN quote_versions v ON v.id = l.version_id \
             WHERE v.quote_id = $1 AND v.version = $2 ORDER BY l.position",
        )
        .bind(id)
        .bind(wanted)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(line)
        .collect::<sqlx::Result<Vec<_>>>()?;
        let status = QuoteStatus::from_code(&s.status).unwrap_or(QuoteStatus::Draft);
        let waiting = status == QuoteStatus::AwaitingApproval;
        let approve_alone = waiting
            && !facts.approvable_by(actor)
            && facts.self_approvable_by(actor, self.another_company_scope(actor.user_id).await?);
        Ok(QuoteDetail {
            may_change: facts.changeable_by(actor),
            may_approve: waiting && facts.approvable_by(actor),
            approve_alone,
            summary: s,
            versions,
            shown,
            lines,
        })
    }

    /// A customer's quotes, newest first (at most `limit`), for its page and trail.
    pub async fn customer_quotes(
        &self,
        actor: &Actor,
        customer_id: i64,
        limit: i64,
    ) -> Result<Vec<QuoteSummary>> {
        self.get_customer(actor, customer_id).await?;
        Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE q.customer_id = $1 ORDER BY q.created_at DESC, q.id DESC LIMIT $2"
        )))
        .bind(customer_id)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(summary)
        .collect::<sqlx::Result<_>>()?)
    }
}
