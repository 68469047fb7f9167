//! What an actor may find, as the id lists the index filters on: the policy's mail and
//! customer scopes (`wharf_core::policy`) turned into accounts, hand-overs and owners.

use wharf_core::Actor;
use wharf_core::policy::CustomerScope;

use crate::access::mail::handed_ids;
use crate::rows::placeholders;
use crate::{Result, Store};

/// What an actor may find, as id lists the index filters on.
#[derive(Debug, Clone, Default)]
pub struct SearchScope {
    /// Mail: the accounts the actor may read (empty without mail access).
    pub accounts: Vec<i64>,
    /// Mail handed to the actor (also from accounts they cannot read otherwise), within
    /// its account's "only show mail since".
    pub handed: Vec<i64>,
    /// Accounts of `accounts` that show only mail received since a time (ACC-5):
    /// (account, since). The index counts and finds nothing older there.
    pub since: Vec<(i64, i64)>,
    /// Customers: `None` when the actor cannot search customers at all.
    pub customers: Option<IndexCustomerScope>,
}

/// [`CustomerScope`] in the index's terms: owners as users, since the index holds a
/// customer's owners but not their departments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexCustomerScope {
    All,
    /// Shared-pool customers and those owned by one of these users.
    SharedOrOwnedBy(Vec<i64>),
}

impl Store {
    /// What the actor may find, as id lists (the same rules as the mail and customer
    /// lists: readable accounts and hand-overs; customers by owner or the pool).
    pub async fn search_scope(&self, actor: &Actor) -> Result<SearchScope> {
        let accounts = self.readable_account_ids(actor).await?;
        let handed: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT m.id FROM messages m JOIN mail_accounts a ON a.id = m.account_id \
             WHERE m.id IN ({}) AND m.received_at >= COALESCE(a.show_since, 0)",
            handed_ids(1)
        )))
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?;
        let customers = match CustomerScope::of(actor) {
            CustomerScope::Nothing => None,
            CustomerScope::All => Some(IndexCustomerScope::All),
            CustomerScope::SharedOrOwnedBy { user_id } => {
                Some(IndexCustomerScope::SharedOrOwnedBy(vec![user_id]))
            }
            CustomerScope::SharedOrOwnedByUserOrDepartments {
                user_id,
                departments,
            } => {
                let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT id FROM users WHERE department_id IN ({})",
                    placeholders(1, departments.len())
                )));
                for d in &departments {
                    q = q.bind(*d);
                }
                let mut users: Vec<i64> = q.fetch_all(&self.pool).await?;
                users.push(user_id);
                users.sort_unstable();
                users.dedup();
                Some(IndexCustomerScope::SharedOrOwnedBy(users))
            }
        };
        let since = if accounts.is_empty() {
            Vec::new()
        } else {
            let mut q = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(format!(
                "SELECT id, show_since FROM mail_accounts WHERE show_since IS NOT NULL AND show_since > 0 \
                 AND id IN ({})",
                placeholders(1, accounts.len())
            )));
            for a in &accounts {
                q = q.bind(*a);
            }
            q.fetch_all(&self.pool).await?
        };
        Ok(SearchScope {
            accounts,
            handed,
            since,
            customers,
        })
    }
}
