//! The money errors: each has a stable snake_case code the web layer translates
//! (`error.<code>` in `money.toml`).

/// What is wrong with an amount, a currency or a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("no amount")]
    Empty,
    #[error("not a number")]
    Invalid,
    #[error("negative")]
    Negative,
    #[error("zero")]
    Zero,
    #[error("above 10^12")]
    TooLarge,
    #[error("more than {allowed} decimals")]
    TooManyDecimals { allowed: u32 },
    #[error("unknown currency")]
    UnknownCurrency,
    /// Two amounts in different currencies were to be added or compared.
    #[error("different currencies")]
    CurrencyMismatch,
    /// A rate for another currency than the amount's was given.
    #[error("rate for another currency")]
    WrongRate,
}

impl MoneyError {
    /// The stable code; `error.<code>` is its sentence in each catalog.
    pub fn code(self) -> &'static str {
        match self {
            MoneyError::Empty => "money_empty",
            MoneyError::Invalid => "money_invalid",
            MoneyError::Negative => "money_negative",
            MoneyError::Zero => "money_zero",
            MoneyError::TooLarge => "money_too_large",
            MoneyError::TooManyDecimals { allowed: 0 } => "money_no_decimals",
            MoneyError::TooManyDecimals { allowed: 1 } => "money_one_decimal",
            MoneyError::TooManyDecimals { allowed: 2 } => "money_two_decimals",
            MoneyError::TooManyDecimals { allowed: 3 } => "money_three_decimals",
            MoneyError::TooManyDecimals { .. } => "money_too_many_decimals",
            MoneyError::UnknownCurrency => "unknown_currency",
            MoneyError::CurrencyMismatch => "currency_mismatch",
            MoneyError::WrongRate => "wrong_rate",
        }
    }

    /// Every code [`MoneyError::code`] can return, for the catalog test.
    pub const CODES: [&'static str; 13] = [
        "money_empty",
        "money_invalid",
        "money_negative",
        "money_zero",
        "money_too_large",
        "money_no_decimals",
        "money_one_decimal",
        "money_two_decimals",
        "money_three_decimals",
        "money_too_many_decimals",
        "unknown_currency",
        "currency_mismatch",
        "wrong_rate",
    ];
}

impl From<MoneyError> for crate::DomainError {
    /// As an error on the form's `amount` field; use [`crate::validate::FieldErrors`]
    /// directly to put it on another field.
    fn from(e: MoneyError) -> Self {
        crate::DomainError::field("amount", e.code())
    }
}
