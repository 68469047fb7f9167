//! Who a long-lived response (the `/mail/events` stream) was opened for, so that it ends
//! when that sign-in does: logout, expiry, a password change or an admin reset.

use axum::http::{HeaderMap, header};

use crate::ctx::{Req, SESSION_COOKIE, cookie};

/// The session cookie or API token a stream was opened with.
#[derive(Clone, Debug)]
pub enum Caller {
    Session(String),
    Token(String),
}

impl Caller {
    pub fn of(req: &Req, headers: &HeaderMap) -> Caller {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match bearer {
            Some(t) if req.via_token => Caller::Token(t.trim().to_string()),
            _ => Caller::Session(cookie(headers, SESSION_COOKIE).unwrap_or("").to_string()),
        }
    }

    /// Asked by the stream between its updates; a database error ends it too (the
    /// browser reconnects, and signs in again if it must).
    pub async fn still_signed_in(&self, store: &wharf_store::Store) -> bool {
        match self {
            Caller::Session(t) => store.session_live(t).await.unwrap_or(false),
            Caller::Token(t) => matches!(store.user_for_token(t).await, Ok(Some(_))),
        }
    }
}
