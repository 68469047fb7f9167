//! The policy's SQL forms rendered in one place: every query that filters by access
//! takes its condition from here ([`customers`], [`mail`]), and [`mail_grant`] answers
//! for one message. The rules themselves are `wharf_core::policy`; the agreement test
//! (`tests/policy_agreement.rs`) checks that these conditions select exactly what the
//! in-memory rules allow.

pub(crate) mod customers;
pub(crate) mod mail;
pub mod mail_grant;
pub(crate) mod records;

/// `$first, $first+1, …` for a list of `n` values; `NULL` for none, so that
/// `x IN (NULL)` selects nothing instead of being a syntax error.
fn list(first: usize, n: usize) -> String {
    if n == 0 {
        return "NULL".into();
    }
    crate::rows::placeholders(first, n)
}
