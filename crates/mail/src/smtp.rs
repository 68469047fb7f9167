//! Sending through an account's SMTP server (SPEC SEND-5) with lettre: the message's
//! exact bytes, an explicit envelope, and failures sorted into temporary (retry later)
//! and permanent (show the reason), with the step that failed.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncTransport, Tokio1Executor};

use crate::net::{Endpoint, NetError, Security, Step};

#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub endpoint: Endpoint,
    pub username: String,
    pub password: String,
}

/// Why a send failed, and whether trying again later may help.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{error}")]
pub struct SendError {
    pub error: NetError,
    pub permanent: bool,
}

fn transport(s: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, NetError> {
    let e = &s.endpoint;
    let mut params = TlsParameters::builder(e.host.clone())
        .dangerous_accept_invalid_certs(e.accept_invalid_certs);
    if let Ok(path) = std::env::var("WHARF_TLS_CA_FILE")
        && let Ok(pem) = std::fs::read(&path)
        && let Ok(cert) = Certificate::from_pem(&pem)
    {
        params = params.add_root_certificate(cert);
    }
    let params = params
        .build_rustls()
        .map_err(|err| NetError::new(Step::Tls, err))?;
    let tls = match e.security {
        Security::Tls => Tls::Wrapper(params),
        Security::StartTls => Tls::Required(params),
        Security::None => Tls::None,
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(e.host.clone())
        .port(e.port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(60)));
    if !s.username.is_empty() {
        builder = builder.credentials(Credentials::new(s.username.clone(), s.password.clone()));
    }
    Ok(builder.build())
}

async fn resolve(e: &Endpoint) -> Result<(), NetError> {
    let found = tokio::net::lookup_host((e.host.as_str(), e.port))
        .await
        .map_err(|err| NetError::new(Step::Dns, err))?
        .count();
    if found == 0 {
        return Err(NetError::new(Step::Dns, "the name has no address"));
    }
    Ok(())
}

fn classify(err: &lettre::transport::smtp::Error) -> SendError {
    let text = err.to_string();
    let lower = text.to_lowercase();
    let code = err.status().map(|c| c.to_string()).unwrap_or_default();
    let step = if err.is_tls() || lower.contains("tls") || lower.contains("certificate") {
        Step::Tls
    } else if code.starts_with("535") || code.starts_with("534") || lower.contains("authentication")
    {
        Step::Login
    } else if lower.contains("connection refused") || lower.contains("connect") || err.is_timeout()
    {
        Step::Connect
    } else if code.starts_with("550") || code.starts_with("553") || code.starts_with("554") {
        Step::Permission
    } else {
        Step::Protocol
    };
    SendError {
        error: NetError::new(step, text),
        permanent: err.is_permanent() && step != Step::Connect,
    }
}

/// "Test settings" for sending: connect, TLS and log in, without sending anything.
pub async fn check(s: &SmtpSettings) -> Result<(), NetError> {
    resolve(&s.endpoint).await?;
    let t = transport(s)?;
    match t.test_connection().await {
        Ok(true) => Ok(()),
        Ok(false) => Err(NetError::new(Step::Connect, "the server did not answer")),
        Err(e) => Err(classify(&e).error),
    }
}

/// Sends `bytes` unaltered from `from` to `recipients`; returns the server's answer.
pub async fn send(
    s: &SmtpSettings,
    from: &str,
    recipients: &[String],
    bytes: &[u8],
) -> Result<String, SendError> {
    let permanent = |step, detail: String| SendError {
        error: NetError::new(step, detail),
        permanent: true,
    };
    let from: Address = from
        .parse()
        .map_err(|e| permanent(Step::Protocol, format!("sender address {from}: {e}")))?;
    let to = recipients
        .iter()
        .map(|r| {
            r.parse::<Address>()
                .map_err(|e| permanent(Step::Protocol, format!("recipient address {r}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let envelope =
        Envelope::new(Some(from), to).map_err(|e| permanent(Step::Protocol, e.to_string()))?;
    resolve(&s.endpoint).await.map_err(|error| SendError {
        error,
        permanent: false,
    })?;
    let t = transport(s).map_err(|error| SendError {
        error,
        permanent: false,
    })?;
    match t.send_raw(&envelope, bytes).await {
        Ok(response) => Ok(response.message().collect::<Vec<_>>().join(" ")),
        Err(e) => Err(classify(&e)),
    }
}
