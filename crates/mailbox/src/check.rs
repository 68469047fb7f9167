//! "Test settings" (SPEC ACC-2): receiving and sending are checked separately, and a
//! failure names its step (DNS, connect, TLS, login, permission).

use wharf_mail::net::{Endpoint, NetError};
use wharf_mail::smtp::{self, SmtpSettings};
use wharf_mail::{imap, pop3};

/// Settings to check: those of a saved account, or of a form not saved yet.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    pub in_protocol: String,
    pub incoming: Endpoint,
    pub in_username: String,
    pub in_password: String,
    pub outgoing: Endpoint,
    pub out_username: String,
    pub out_password: String,
}

impl CheckSettings {
    /// The saved settings of an account.
    pub fn saved(s: &wharf_store::mail::accounts::AccountSecrets) -> CheckSettings {
        CheckSettings {
            in_protocol: s.account.in_protocol.clone(),
            incoming: crate::sync::endpoint_in(s),
            in_username: s.account.in_username.clone(),
            in_password: s.in_password.clone(),
            outgoing: crate::sync::endpoint_out(s),
            out_username: s.account.out_username.clone(),
            out_password: s.out_password.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CheckResult {
    /// None when the account has no incoming server.
    pub receive: Option<Result<(), NetError>>,
    pub send: Result<(), NetError>,
}

pub async fn check(s: &CheckSettings) -> CheckResult {
    let receive = match s.in_protocol.as_str() {
        "imap" => Some(check_imap(s).await),
        "pop3" => Some(check_pop3(s).await),
        _ => None,
    };
    let send = smtp::check(&SmtpSettings {
        endpoint: s.outgoing.clone(),
        username: s.out_username.clone(),
        password: s.out_password.clone(),
    })
    .await;
    CheckResult { receive, send }
}

async fn check_imap(s: &CheckSettings) -> Result<(), NetError> {
    let mut conn = imap::login(&s.incoming, &s.in_username, &s.in_password).await?;
    conn.select("INBOX").await?;
    conn.logout().await;
    Ok(())
}

async fn check_pop3(s: &CheckSettings) -> Result<(), NetError> {
    let mut conn = pop3::login(&s.incoming, &s.in_username, &s.in_password).await?;
    conn.uidl().await?;
    conn.quit().await
}
