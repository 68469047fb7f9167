//! The one web error type: a status, a stable code, and a message in the user's
//! language; HTML for pages, JSON for the API. Internals are logged, never shown.

use axum::http::StatusCode;
use wharf_core::DomainError;
use wharf_store::StoreError;

#[derive(Debug)]
pub enum AppError {
    Domain(DomainError),
    Unauthorized,
    CsrfFailed,
    BadRequest,
    /// A request the framework's extractors turned down before a handler ran (a path,
    /// query, JSON body or form it could not read, a wrong method or media type).
    Rejected(StatusCode),
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Domain(DomainError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Domain(DomainError::Denied) => StatusCode::FORBIDDEN,
            AppError::Domain(DomainError::NotFound) => StatusCode::NOT_FOUND,
            AppError::Domain(DomainError::Refused { .. }) => StatusCode::CONFLICT,
            AppError::Domain(DomainError::TooMany { .. }) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Domain(DomainError::Taken { .. }) => StatusCode::CONFLICT,
            AppError::Domain(DomainError::NoRate(_)) => StatusCode::CONFLICT,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::CsrfFailed => StatusCode::FORBIDDEN,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Rejected(s) => *s,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Domain(e) => e.code(),
            AppError::Unauthorized => "unauthorized",
            AppError::CsrfFailed => "csrf_failed",
            AppError::BadRequest => "bad_request",
            AppError::Rejected(s) => match *s {
                StatusCode::NOT_FOUND => "not_found",
                StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                StatusCode::UNPROCESSABLE_ENTITY => "unreadable_body",
                _ => "bad_request",
            },
            AppError::Internal(_) => "internal",
        }
    }

    /// The sentence a person reads, in their language.
    pub fn message(&self, locale: crate::i18n::Locale) -> String {
        match self {
            AppError::Domain(DomainError::Refused { code, count }) => {
                crate::i18n::t_n(locale, &format!("error.{code}"), *count)
            }
            AppError::Domain(DomainError::TooMany { code, retry_after }) => crate::i18n::t_with(
                locale,
                &format!("error.{code}"),
                &[("n", &retry_after.to_string())],
            ),
            AppError::Domain(DomainError::Taken {
                matched,
                owners,
                customer,
            }) => {
                let field = crate::i18n::t(locale, &format!("customer.match.{matched}"));
                let owners = &crate::i18n::people(locale, owners);
                match customer {
                    Some((_, name)) => crate::i18n::t_with(
                        locale,
                        "error.customer_of_another_named",
                        &[("field", &field), ("owners", owners), ("name", name)],
                    ),
                    None => crate::i18n::t_with(
                        locale,
                        "error.customer_of_another",
                        &[("field", &field), ("owners", owners)],
                    ),
                }
            }
            AppError::Domain(DomainError::NoRate(missing)) => {
                crate::features::money::no_rate_message(locale, missing)
            }
            // Without a form to mark, the field messages follow the summary.
            AppError::Domain(DomainError::Invalid(fields)) => {
                let mut msg = crate::i18n::t(locale, "error.invalid_input");
                for f in &fields.0 {
                    msg.push(' ');
                    msg.push_str(&crate::i18n::t(locale, &format!("field.{}", f.field)));
                    msg.push_str(": ");
                    msg.push_str(&crate::i18n::t(locale, &format!("error.{}", f.code)));
                }
                msg
            }
            other => crate::i18n::t(locale, &format!("error.{}", other.code())),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => AppError::Domain(d),
            other => {
                tracing::error!(error = %other, "store error");
                AppError::Internal(other.to_string())
            }
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Domain(e)
    }
}
