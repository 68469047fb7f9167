//! Quotes past their validity: the daily sweep marks the current version of every
//! approved or sent quote whose "valid until" day has passed in the company's calendar
//! expired, each quote in its own transaction with its audit entry (the status it had is
//! part of the condition, so a customer's answer given meanwhile wins).

use serde_json::json;
use wharf_core::quotes::QuoteNumber;
use wharf_core::zone::{Day, Zone};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Result, Store};

/// The audit log's name for the sweep.
pub const EXPIRY_ACTOR: &str = "quote_expiry";

impl Store {
    /// Today in the company's calendar at `at` (the sweeps' day).
    pub async fn company_today(&self, at: i64) -> Result<Day> {
        let name: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'time_zone'")
                .fetch_optional(&self.pool)
                .await?;
        let zone = name.and_then(|n| Zone::named(&n).ok()).unwrap_or_default();
        Ok(zone.today(at))
    }

    /// Expires up to `limit` quotes valid until a day before `today`; gives how many.
    pub async fn expire_quotes(&self, today: Day, limit: i64) -> Result<u64> {
        let due: Vec<(i64, i64, i64, i64, i64, String)> = sqlx::query_as(
            "SELECT q.id, q.customer_id, q.number_year, q.number_seq, v.version, v.status \
             FROM quotes q JOIN quote_versions v ON v.quote_id = q.id AND v.version = q.current_version \
             WHERE v.status IN ('approved', 'sent') AND v.valid_until < $1 ORDER BY v.valid_until, q.id LIMIT $2",
        )
        .bind(today.iso())
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.pool)
        .await?;
        let mut expired = 0;
        for (quote_id, customer_id, year, seq, version, status) in due {
            let t = now();
            let mut tx = self.begin().await?;
            let moved = sqlx::query(
                "UPDATE quote_versions SET status = 'expired', updated_at = $1 \
                 WHERE quote_id = $2 AND version = $3 AND status = $4",
            )
            .bind(t)
            .bind(quote_id)
            .bind(version)
            .bind(&status)
            .execute(&mut *tx)
            .await?;
            if moved.rows_affected() != 1 {
                continue;
            }
            sqlx::query("UPDATE quotes SET updated_at = $1 WHERE id = $2")
                .bind(t)
                .bind(quote_id)
                .execute(&mut *tx)
                .await?;
            let number = QuoteNumber { year, seq }.text();
            audit::write(
                &mut tx,
                None,
                EXPIRY_ACTOR,
                "",
                Entry {
                    action: "quote.expire",
                    entity: "customer",
                    entity_id: Some(customer_id),
                    summary: &number,
                    details: json!({ "quote_id": quote_id, "version": version,
                        "from": status, "to": "expired", "day": today.iso() }),
                },
            )
            .await?;
            tx.commit().await?;
            expired += 1;
        }
        Ok(expired)
    }
}
