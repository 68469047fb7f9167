//! The store's error type: a domain refusal, or a database failure (logged, never shown).

use wharf_core::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration {name} failed: {source}")]
    Migration {
        name: &'static str,
        source: sqlx::Error,
    },
    #[error("{0}")]
    Other(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Db(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

impl From<wharf_core::validate::FieldErrors> for StoreError {
    fn from(e: wharf_core::validate::FieldErrors) -> Self {
        StoreError::Domain(DomainError::Invalid(e))
    }
}
