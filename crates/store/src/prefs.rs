//! A user's own preferences (the list columns they chose, …): small texts by name.

use wharf_core::Actor;

use crate::{Result, Store};

impl Store {
    /// The actor's preference, if set.
    pub async fn pref(&self, actor: &Actor, name: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM user_prefs WHERE user_id = $1 AND name = $2")
                .bind(actor.user_id)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Sets the actor's preference (an empty value removes it).
    pub async fn set_pref(&self, actor: &Actor, name: &str, value: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM user_prefs WHERE user_id = $1 AND name = $2")
            .bind(actor.user_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        if !value.is_empty() {
            sqlx::query("INSERT INTO user_prefs (user_id, name, value) VALUES ($1, $2, $3)")
                .bind(actor.user_id)
                .bind(name)
                .bind(value)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
