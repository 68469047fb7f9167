//! What a failed "Test settings" step says: the system's and TLS library's words
//! ("invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))") are read into a
//! kind of failure, and the user gets a translated sentence with what to try.

use wharf_mail::net::{NetError, Step};

/// The kind of failure (`mail.test.hint.<kind>` in the catalogs).
pub(super) fn kind(e: &NetError) -> &'static str {
    let d = e.detail.to_ascii_lowercase();
    let timed_out = d.contains("timed out") || d.contains("timeout");
    match e.step {
        Step::Dns if timed_out => "dns_timeout",
        Step::Dns => "dns",
        Step::Tls if timed_out => "timeout",
        Step::Tls if d.contains("notvalidforname") || d.contains("bad server name") => "cert_name",
        Step::Tls if d.contains("expired") => "cert_expired",
        Step::Tls
            if d.contains("certificate")
                || d.contains("unknownissuer")
                || d.contains("self signed")
                || d.contains("self-signed") =>
        {
            "cert_untrusted"
        }
        Step::Tls if d.contains("starttls") || d.contains("stls") => "starttls_refused",
        Step::Tls => "tls_mismatch",
        Step::Connect if d.contains("refused") => "refused",
        Step::Connect if timed_out => "timeout",
        Step::Connect if d.contains("unreachable") => "unreachable",
        Step::Connect if d.contains("greeting") => "no_greeting",
        Step::Connect if d.contains("corrupt") || d.contains("wrong version") => "tls_mismatch",
        Step::Connect => "connect",
        Step::Login if timed_out => "timeout",
        Step::Login => "login",
        Step::Permission => "permission",
        Step::Protocol if timed_out => "timeout",
        Step::Protocol => "protocol",
    }
}

/// The server's own reply is worth showing after a refused login or permission (it
/// often says "use an app password"); the system's and the library's words are not.
pub(super) fn server_words(e: &NetError) -> Option<&str> {
    let d = e.detail.trim();
    let shown = matches!(e.step, Step::Login | Step::Permission)
        && !d.is_empty()
        && d.len() <= 300
        && !d.contains("Error(")
        && !d.contains("Other(");
    shown.then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_words_become_kinds() {
        for (step, detail, want) in [
            (
                Step::Tls,
                "invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))",
                "cert_untrusted",
            ),
            (
                Step::Tls,
                "invalid peer certificate: UnknownIssuer",
                "cert_untrusted",
            ),
            (
                Step::Tls,
                "invalid peer certificate: NotValidForName",
                "cert_name",
            ),
            (
                Step::Tls,
                "invalid peer certificate: Expired",
                "cert_expired",
            ),
            (
                Step::Tls,
                "received corrupt message of type InvalidContentType",
                "tls_mismatch",
            ),
            (Step::Tls, "TLS handshake timed out", "timeout"),
            (
                Step::Connect,
                "127.0.0.1:993: Connection refused (os error 111)",
                "refused",
            ),
            (Step::Connect, "10.0.0.1:993: timed out", "timeout"),
            (
                Step::Connect,
                "Connection error: Connection error:",
                "connect",
            ),
            (Step::Dns, "failed to lookup address information", "dns"),
            (
                Step::Login,
                "[AUTHENTICATIONFAILED] Invalid credentials",
                "login",
            ),
        ] {
            assert_eq!(kind(&NetError::new(step, detail)), want, "{detail}");
        }
    }

    #[test]
    fn only_a_servers_refusal_is_quoted() {
        let login = NetError::new(Step::Login, "Please use an authorization code");
        assert_eq!(
            server_words(&login),
            Some("Please use an authorization code")
        );
        let tls = NetError::new(Step::Tls, "invalid peer certificate: Other(OtherError(X))");
        assert_eq!(server_words(&tls), None);
    }
}
