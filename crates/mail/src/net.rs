//! Connecting to a mail server, step by step, so that a failure names the step that
//! failed (SPEC ACC-2): DNS, connect, TLS; the protocol clients add login and
//! permission. One TLS stack (rustls with ring) for IMAP, POP3 and SMTP.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// The step of talking to a server that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Dns,
    Connect,
    Tls,
    Login,
    Permission,
    Protocol,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Dns => "dns",
            Step::Connect => "connect",
            Step::Tls => "tls",
            Step::Login => "login",
            Step::Permission => "permission",
            Step::Protocol => "protocol",
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {detail}", step.code())]
pub struct NetError {
    pub step: Step,
    /// The server's or the system's own words (not translated).
    pub detail: String,
}

impl NetError {
    pub fn new(step: Step, detail: impl std::fmt::Display) -> NetError {
        NetError {
            step,
            detail: detail.to_string(),
        }
    }
}

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Tls,
    StartTls,
    None,
}

impl Security {
    pub fn from_code(s: &str) -> Security {
        match s {
            "starttls" => Security::StartTls,
            "none" => Security::None,
            _ => Security::Tls,
        }
    }
}

/// A server to connect to.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Accept self-signed or otherwise unverifiable certificates (an account option).
    pub accept_invalid_certs: bool,
}

/// A plain or TLS-wrapped TCP stream.
#[derive(Debug)]
pub enum MaybeTls {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for MaybeTls {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_read(cx, buf),
            MaybeTls::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for MaybeTls {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_write(cx, buf),
            MaybeTls::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_flush(cx),
            MaybeTls::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_shutdown(cx),
            MaybeTls::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Resolves and connects; with [`Security::Tls`] also does the TLS handshake.
pub async fn connect(endpoint: &Endpoint) -> Result<MaybeTls, NetError> {
    let addrs: Vec<_> = tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::lookup_host((endpoint.host.as_str(), endpoint.port)),
    )
    .await
    .map_err(|_| NetError::new(Step::Dns, "name lookup timed out"))?
    .map_err(|e| NetError::new(Step::Dns, e))?
    .collect();
    if addrs.is_empty() {
        return Err(NetError::new(Step::Dns, "the name has no address"));
    }
    let mut last = NetError::new(Step::Connect, "no address answered");
    let mut tcp = None;
    for addr in addrs {
        match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => {
                tcp = Some(s);
                break;
            }
            Ok(Err(e)) => last = NetError::new(Step::Connect, format!("{addr}: {e}")),
            Err(_) => last = NetError::new(Step::Connect, format!("{addr}: timed out")),
        }
    }
    let tcp = tcp.ok_or(last)?;
    let _ = tcp.set_nodelay(true);
    match endpoint.security {
        Security::Tls => Ok(MaybeTls::Tls(Box::new(
            tls_wrap(tcp, &endpoint.host, endpoint.accept_invalid_certs).await?,
        ))),
        _ => Ok(MaybeTls::Plain(tcp)),
    }
}

/// The TLS handshake over an open connection (after STARTTLS, or at once).
pub async fn tls_wrap(
    tcp: TcpStream,
    host: &str,
    accept_invalid_certs: bool,
) -> Result<TlsStream<TcpStream>, NetError> {
    let config = client_config(accept_invalid_certs);
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| NetError::new(Step::Tls, format!("bad server name {host}: {e}")))?;
    tokio::time::timeout(
        CONNECT_TIMEOUT,
        TlsConnector::from(Arc::new(config)).connect(name, tcp),
    )
    .await
    .map_err(|_| NetError::new(Step::Tls, "TLS handshake timed out"))?
    .map_err(|e| NetError::new(Step::Tls, e))
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Web PKI roots, plus the certificates in the PEM file named by `WHARF_TLS_CA_FILE`
/// (a company CA, or a test server's self-signed certificate).
pub fn client_config(accept_invalid_certs: bool) -> ClientConfig {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions");
    if accept_invalid_certs {
        return builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAny(provider())))
            .with_no_client_auth();
    }
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Ok(path) = std::env::var("WHARF_TLS_CA_FILE")
        && let Ok(pem) = std::fs::read(&path)
    {
        use rustls::pki_types::pem::PemObject;
        for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&pem).flatten() {
            let _ = roots.add(cert);
        }
    }
    builder.with_root_certificates(roots).with_no_client_auth()
}

/// Accepts any certificate (signatures are still checked): for servers with
/// self-signed certificates, chosen per account.
#[derive(Debug)]
struct AcceptAny(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
