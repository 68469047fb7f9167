//! The quote settings (the discount above which a manager approves; the letterhead's
//! e-mail) as rows of the settings table, and the letterhead's logo in the blob store.

use serde_json::json;
use wharf_core::money::Decimal;
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

/// The largest logo accepted (bytes): a letterhead image, not a photo album.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

const THRESHOLD_KEY: &str = "quote_discount_threshold";
const EMAIL_KEY: &str = "letterhead_email";

/// What quotes read from the company's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteSettings {
    /// A discount (percent) above this needs a manager's approval; `None` = never.
    pub discount_threshold: Option<Decimal>,
    pub letterhead_email: String,
}

/// The letterhead's logo: a blob and its type.
#[derive(Debug, Clone)]
pub struct Logo {
    pub hash: String,
    pub content_type: String,
}

impl Store {
    /// Every signed-in user may read them (the editor says when approval is needed).
    pub async fn quote_settings(&self, _actor: &Actor) -> Result<QuoteSettings> {
        self.quote_settings_unchecked().await
    }

    pub(super) async fn quote_settings_unchecked(&self) -> Result<QuoteSettings> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT key, value FROM settings WHERE key IN ($1, $2)")
                .bind(THRESHOLD_KEY)
                .bind(EMAIL_KEY)
                .fetch_all(&self.pool)
                .await?;
        let mut settings = QuoteSettings::default();
        for (key, value) in rows {
            if key == THRESHOLD_KEY {
                settings.discount_threshold = value.parse().ok();
            } else {
                settings.letterhead_email = value;
            }
        }
        Ok(settings)
    }

    /// An administrator changes them; the threshold is 0–100 with two decimals at most.
    pub async fn update_quote_settings(&self, ctx: Ctx<'_>, next: &QuoteSettings) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let mut e = wharf_core::validate::FieldErrors::default();
        if let Some(t) = next.discount_threshold
            && (t < Decimal::ZERO || t > Decimal::ONE_HUNDRED || t.normalize().scale() > 2)
        {
            e.add("discount_threshold", "discount_range");
        }
        let email = e.text("letterhead_email", &next.letterhead_email, false, 200);
        e.into_result()?;
        let before = self.quote_settings_unchecked().await?;
        let t = now();
        let mut tx = self.begin().await?;
        let threshold = next
            .discount_threshold
            .map(|d| d.to_string())
            .unwrap_or_default();
        for (key, value) in [
            (THRESHOLD_KEY, threshold.as_str()),
            (EMAIL_KEY, email.as_str()),
        ] {
            sqlx::query(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(value)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "settings.quotes",
                entity: "settings",
                entity_id: None,
                summary: "",
                details: json!({
                    "discount_threshold": {"old": before.discount_threshold.map(|d| d.to_string()), "new": threshold},
                    "letterhead_email": {"old": before.letterhead_email, "new": email},
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The letterhead's logo (its blob's hash and type), when there is one.
    pub async fn letterhead_logo(&self, _actor: &Actor) -> Result<Option<Logo>> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT blob_hash, content_type FROM letterhead_logo WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(hash, content_type)| Logo { hash, content_type }))
    }

    /// Sets the logo to a blob the caller stored (after [`check_logo`]; a small one's
    /// bytes in `inline`), or removes it (`None`).
    pub async fn set_letterhead_logo(
        &self,
        ctx: Ctx<'_>,
        logo: Option<(Logo, i64, Option<Vec<u8>>)>,
    ) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let t = now();
        let mut tx = self.begin().await?;
        let size = logo.as_ref().map(|(_, size, _)| *size);
        match logo {
            Some((logo, size, inline)) => {
                sqlx::query(
                    "INSERT INTO blobs (hash, size, data, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (hash) DO UPDATE SET created_at = excluded.created_at",
                )
                .bind(&logo.hash)
                .bind(size)
                .bind(inline)
                .bind(t)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO letterhead_logo (id, blob_hash, content_type, updated_at) VALUES (1, $1, $2, $3) \
                     ON CONFLICT (id) DO UPDATE SET blob_hash = excluded.blob_hash, \
                     content_type = excluded.content_type, updated_at = excluded.updated_at",
                )
                .bind(&logo.hash)
                .bind(&logo.content_type)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM letterhead_logo WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
            }
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if size.is_some() {
                    "settings.logo.set"
                } else {
                    "settings.logo.remove"
                },
                entity: "settings",
                entity_id: None,
                summary: "",
                details: json!({ "size": size }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A logo is a PNG or JPEG of at most [`MAX_LOGO_BYTES`]; gives its content type.
pub fn check_logo(bytes: &[u8]) -> std::result::Result<&'static str, DomainError> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(DomainError::field("logo", "file_too_large"));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else {
        Err(DomainError::field("logo", "not_an_image"))
    }
}
