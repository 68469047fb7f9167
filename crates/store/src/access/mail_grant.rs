//! Who may do what with one message: the store's side of [`MailGrant`] (MAIL-8). Every
//! operation on a message asks [`Store::message_for`] with the action it performs.

use wharf_core::policy::{Decision, MailAction, MailGrant};
use wharf_core::{Actor, DomainError};

use crate::mail::view::MessageDetail;
use crate::{Result, Store};

impl Store {
    /// How the actor reaches a message of `account_id`: through the account, through a
    /// hand-over to them, or not at all.
    pub(crate) async fn mail_grant(
        &self,
        actor: &Actor,
        account_id: i64,
        message_id: i64,
    ) -> Result<MailGrant> {
        let uses_account = self
            .readable_account_ids(actor)
            .await?
            .contains(&account_id);
        let handed = !uses_account && self.handed_to(actor.user_id, message_id).await?;
        Ok(MailGrant::of(uses_account, handed))
    }

    /// Was this message handed to this user?
    pub(crate) async fn handed_to(&self, user_id: i64, message_id: i64) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT m.id FROM messages m WHERE m.id = $1 AND {}",
            super::mail::handed_condition(2)
        )))
        .bind(message_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// The message, if the actor may do `action` with it: not found when they cannot
    /// read it, denied when they can read it but not do this (a hand-over's receiver
    /// trashing, tagging or passing it on; a supervisor marking, filing or tagging the
    /// owner's mail).
    pub async fn message_for(
        &self,
        actor: &Actor,
        id: i64,
        action: MailAction,
    ) -> Result<MessageDetail> {
        let m = self.get_message(actor, id).await?;
        match m.grant.allows_handling(actor, action, m.handles) {
            Decision::Allow => Ok(m),
            Decision::Forbid => Err(DomainError::Denied.into()),
            Decision::SignInFirst => Err(DomainError::NotFound.into()),
        }
    }
}
