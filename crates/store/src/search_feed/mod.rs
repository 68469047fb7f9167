//! What the search index reads from the database (FIND-1), one file per concern: the
//! change log ([`changes`]), the documents of messages and customers ([`mail_docs`],
//! [`customer_docs`]), the actor's scope as id lists ([`scope`]), the result rows
//! checked against the policy ([`hits`]) and the box's filters by name ([`filters`]).

mod changes;
mod customer_docs;
mod filters;
mod hits;
mod mail_docs;
mod scope;

pub use changes::{Change, EntityKind, SearchState};
pub use customer_docs::{ContactDoc, CustomerDoc};
pub use hits::{CustomerHit, MailHit};
pub use mail_docs::MailDoc;
pub use scope::{IndexCustomerScope, SearchScope};

/// How many documents one statement reads.
const DOC_BATCH: usize = 500;

/// A statement whose `$1…$n` are these ids, bound.
fn with_ids(
    sql: String,
    ids: &[i64],
) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    q
}
