//! Quotes (报价单 / PI, issue 18) for an actor: create, save (in place for a draft, as
//! the next version for an approved or sent one), submit (approval above the company's
//! discount threshold), approve / decline by a manager over the owner, mark sent and
//! close; read a quote with its versions and lines, the lists (mine / team), the
//! approval queue and a customer's quotes; the quote settings and the letterhead's logo.
//! A quote is seen when its customer is (`wharf_core::policy::QuoteFacts`); every write
//! is audited in its transaction.

mod expiry;
mod flow;
mod list;
mod read;
mod send;
mod settings;
mod write;

pub use expiry::EXPIRY_ACTOR;
pub use list::QuoteQuery;
pub use read::{QuoteDetail, QuoteLine, QuoteSummary, QuoteVersion};
pub use send::QuoteMail;
pub use settings::{Logo, MAX_LOGO_BYTES, QuoteSettings, check_logo};
pub use write::{QuoteDraft, Saved};

use sqlx::any::AnyRow;
use wharf_core::money::Decimal;

/// An exact decimal stored as text.
pub(crate) fn dec(row: &AnyRow, col: &str) -> sqlx::Result<Decimal> {
    let text = crate::rows::text(row, col)?;
    text.parse::<Decimal>()
        .map_err(|e| sqlx::Error::Decode(format!("{col}: {e}").into()))
}
