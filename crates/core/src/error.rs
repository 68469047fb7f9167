//! The domain's error type: each variant carries a stable snake_case code that the web
//! layer translates; no message text lives here.

use crate::validate::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// One or more fields are invalid; each has its own code.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// The actor lacks a permission or the record is outside their data scope.
    #[error("permission denied")]
    Denied,
    #[error("not found")]
    NotFound,
    /// The operation is refused for a reason the user can act on, e.g. a department
    /// that still has staff. `code` is stable; `count` says how many records block it.
    #[error("refused: {code}")]
    Refused { code: &'static str, count: i64 },
    /// The e-mail, company domain, phone or website belongs to a customer of someone
    /// else (LINK-6): `owners` are their names; `customer` (id, name) only when the
    /// actor may see that customer.
    #[error("customer of another: {matched}")]
    Taken {
        matched: &'static str,
        owners: String,
        customer: Option<(i64, String)>,
    },
    /// No exchange rate for a currency on or before a day (issue 18): the web layer
    /// names both and says where to add one.
    #[error("no exchange rate for {0:?}")]
    NoRate(crate::money::NoRate),
    /// Too many requests of one kind in a while (a rate limit); `retry_after` seconds
    /// until the next one is allowed.
    #[error("too many requests: {code}")]
    TooMany {
        code: &'static str,
        retry_after: i64,
    },
}

impl DomainError {
    /// A single-field validation error.
    pub fn field(field: &'static str, code: &'static str) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, code);
        DomainError::Invalid(errors)
    }

    pub fn refused(code: &'static str, count: i64) -> Self {
        DomainError::Refused { code, count }
    }

    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid(_) => "invalid_input",
            DomainError::Denied => "forbidden",
            DomainError::NotFound => "not_found",
            DomainError::Refused { code, .. } => code,
            DomainError::TooMany { code, .. } => code,
            DomainError::Taken { .. } => "customer_of_another",
            DomainError::NoRate(_) => "no_exchange_rate",
        }
    }
}
