//! Company settings (SPEC BASE-2), stored as key / value rows.

use serde_json::json;
use sqlx::{Any, Transaction};
use wharf_core::settings::{CompanySettings, KEYS};
use wharf_core::zone::{Zone, zone_for_utc_offset};
use wharf_core::{Actor, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

impl Store {
    /// The settings; every signed-in user may read them (company name, working hours).
    pub async fn company_settings(&self, _actor: &Actor) -> Result<CompanySettings> {
        self.settings_unchecked().await
    }

    /// The company's time zone alone (one row), for every signed-in request's context.
    /// A stored name the database no longer knows keeps the default, as in
    /// `company_settings`.
    pub async fn company_time_zone(&self, _actor: &Actor) -> Result<Zone> {
        let name: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'time_zone'")
                .fetch_optional(&self.pool)
                .await?;
        Ok(name.and_then(|n| Zone::named(&n).ok()).unwrap_or_default())
    }

    /// The settings for the store's own decisions (no actor involved).
    pub(crate) async fn settings_unchecked(&self) -> Result<CompanySettings> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM settings")
            .fetch_all(&self.pool)
            .await?;
        Ok(CompanySettings::from_pairs(
            rows.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ))
    }

    /// Applies changed fields; all are checked before anything is written.
    pub async fn update_settings(
        &self,
        ctx: Ctx<'_>,
        changes: &[(String, String)],
    ) -> Result<CompanySettings> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let current = self.company_settings(ctx.actor).await?;
        let next = current.with_changes(changes.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        let mut changed = serde_json::Map::new();
        let t = now();
        let mut tx = self.begin().await?;
        for key in KEYS {
            let (old, new) = (
                current.get(key).unwrap_or_default(),
                next.get(key).unwrap_or_default(),
            );
            if old == new {
                continue;
            }
            sqlx::query(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(&new)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            changed.insert(key.to_string(), json!({"old": old, "new": new}));
        }
        if !changed.is_empty() {
            audit::record(
                &mut tx,
                ctx,
                Entry {
                    action: "settings.update",
                    entity: "settings",
                    entity_id: None,
                    summary: "",
                    details: changed.into(),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(next)
    }
}

/// Migration 0017: the stored UTC offset becomes a named zone and its key goes. Without
/// a stored offset nothing is written: the old default (480) and the new one
/// (Asia/Shanghai) are the same clocks.
pub(crate) async fn offset_to_zone(tx: &mut Transaction<'static, Any>) -> sqlx::Result<()> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'utc_offset_minutes'")
            .fetch_optional(&mut **tx)
            .await?;
    let Some(stored) = stored else {
        return Ok(());
    };
    let zone = match stored.trim().parse().ok().and_then(zone_for_utc_offset) {
        Some(zone) => zone,
        None => {
            tracing::warn!(
                utc_offset_minutes = %stored,
                "the company's UTC offset matches no IANA time zone, so times are now shown \
                 in UTC: choose the zone under System > Settings"
            );
            "UTC".to_string()
        }
    };
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ('time_zone', $1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(&zone)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM settings WHERE key = 'utc_offset_minutes'")
        .execute(&mut **tx)
        .await?;
    Ok(())
}
