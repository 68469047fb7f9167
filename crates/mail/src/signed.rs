//! Signed mail (issue 15): S/MIME (`multipart/signed` with a PKCS #7 signature, or
//! `application/pkcs7-mime; smime-type=signed-data`) and OpenPGP (`multipart/signed`
//! with `application/pgp-signature`). Says who signed — the signer certificate's subject
//! and e-mail, or the OpenPGP key id / fingerprint / user id the signature packet carries
//! — and, for S/MIME with RSA and SHA-256, whether the signature holds over the content.
//! The certificate is not checked against any trust store, and OpenPGP keys are not
//! looked up, so an OpenPGP signature is never called verified. Pure: bytes in, values out.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::asn1::{Ia5StringRef, OctetStringRef};
use x509_cert::der::{Decode, Encode};

/// The kind of signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureKind {
    Smime,
    Pgp,
}

/// What the signature says, and whether Wharf could check it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// The signature holds over the content (the certificate itself is not vouched for).
    Valid,
    /// The signature does not match the content: the mail was changed after signing.
    Invalid,
    /// Not verified (an algorithm Wharf does not check, or an OpenPGP signature).
    NotVerified,
}

/// A signed message's signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signed {
    pub kind: SignatureKind,
    /// S/MIME: the signer certificate's subject (RFC 4514); OpenPGP: the user id, if the
    /// signature carries one.
    pub signer: String,
    /// The signer's e-mail address (certificate e-mail or subject alternative name).
    pub email: String,
    /// OpenPGP: the issuer key id (16 hex digits) or fingerprint.
    pub key_id: String,
    pub verification: Verification,
    /// Why the signature could not be read or checked (short, for the log and the API).
    pub note: String,
}

/// The signature of a message, if it is signed (the outermost signed part counts).
pub fn signature(raw: &[u8]) -> Option<Signed> {
    let message = MessageParser::default().parse(raw)?;
    for part in &message.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let (ty, sub) = (ct.ctype(), ct.subtype().unwrap_or(""));
        if ty.eq_ignore_ascii_case("multipart") && sub.eq_ignore_ascii_case("signed") {
            let protocol = ct.attribute("protocol").unwrap_or("").to_ascii_lowercase();
            let PartType::Multipart(children) = &part.body else {
                continue;
            };
            let sig = children
                .get(1)
                .and_then(|&i| message.parts.get(i as usize))
                .map(|p| p.contents().to_vec())
                .unwrap_or_default();
            let body = &raw[(part.offset_body as usize).min(raw.len())
                ..(part.offset_end as usize).min(raw.len())];
            let content = ct
                .attribute("boundary")
                .and_then(|b| first_part(body, b.as_bytes()))
                .map(canonical);
            if protocol.ends_with("pkcs7-signature") {
                return Some(smime(&sig, content.as_deref()));
            }
            if protocol == "application/pgp-signature" {
                return Some(pgp(&sig));
            }
        }
        if ty.eq_ignore_ascii_case("application")
            && (sub.eq_ignore_ascii_case("pkcs7-mime") || sub.eq_ignore_ascii_case("x-pkcs7-mime"))
            && ct
                .attribute("smime-type")
                .is_some_and(|t| t.eq_ignore_ascii_case("signed-data"))
        {
            return Some(smime(part.contents(), None));
        }
    }
    None
}

/// The first body part of a multipart body, headers included, without the line break
/// that belongs to the next boundary (RFC 2046 §5.1.1).
fn first_part<'a>(body: &'a [u8], boundary: &[u8]) -> Option<&'a [u8]> {
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(boundary);
    let start = find(body, &delim)?;
    let after = &body[start + delim.len()..];
    let line_end = after.iter().position(|&b| b == b'\n')? + 1;
    let content = &after[line_end..];
    let mut next = b"\n".to_vec();
    next.extend_from_slice(&delim);
    let end = find(content, &next)?;
    let end = if end > 0 && content[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    Some(&content[..end])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// MIME canonical form: every line ends in CRLF.
fn canonical(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + s.len() / 40);
    for (i, &b) in s.iter().enumerate() {
        if b == b'\n' && (i == 0 || s[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn smime(der: &[u8], detached: Option<&[u8]>) -> Signed {
    let mut out = Signed {
        kind: SignatureKind::Smime,
        signer: String::new(),
        email: String::new(),
        key_id: String::new(),
        verification: Verification::NotVerified,
        note: String::new(),
    };
    let data = match ContentInfo::from_der(der).and_then(|ci| ci.content.decode_as::<SignedData>())
    {
        Ok(d) => d,
        Err(e) => {
            out.note = format!("unreadable signature: {e}");
            return out;
        }
    };
    let Some(info) = data.signer_infos.0.iter().next() else {
        out.note = "no signer".into();
        return out;
    };
    let certs: Vec<&Certificate> = data
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(cert) => Some(cert),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(cert) = certs.iter().find(|c| is_signer(c, &info.sid)).copied() else {
        out.note = "the signer's certificate is not in the message".into();
        return out;
    };
    out.signer = cert.tbs_certificate.subject.to_string();
    out.email = cert_email(cert);
    let content = match detached {
        Some(c) => Some(c.to_vec()),
        None => data
            .encap_content_info
            .econtent
            .as_ref()
            .and_then(|any| any.decode_as::<OctetStringRef<'_>>().ok())
            .map(|o| o.as_bytes().to_vec()),
    };
    match content {
        Some(content) => {
            let (verification, note) = verify(info, cert, &content);
            out.verification = verification;
            out.note = note;
        }
        None => out.note = "the signed content is missing".into(),
    }
    out
}

fn is_signer(cert: &Certificate, sid: &SignerIdentifier) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(is) => {
            cert.tbs_certificate.issuer == is.issuer
                && cert.tbs_certificate.serial_number == is.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            cert.tbs_certificate.extensions.iter().flatten().any(|e| {
                e.extn_id == OID_SKI && e.extn_value.as_bytes().ends_with(ski.0.as_bytes())
            })
        }
    }
}

const OID_EMAIL: x509_cert::der::oid::ObjectIdentifier =
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");
const OID_SAN: x509_cert::der::oid::ObjectIdentifier =
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_SKI: x509_cert::der::oid::ObjectIdentifier =
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_MESSAGE_DIGEST: x509_cert::der::oid::ObjectIdentifier =
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const OID_SHA256: x509_cert::der::oid::ObjectIdentifier =
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_RSA: x509_cert::der::oid::ObjectIdentifier =
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_SHA256_RSA: x509_cert::der::oid::ObjectIdentifier =
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

fn cert_email(cert: &Certificate) -> String {
    for rdn in cert.tbs_certificate.subject.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == OID_EMAIL
                && let Ok(s) = atv.value.decode_as::<Ia5StringRef<'_>>()
            {
                return s.to_string();
            }
        }
    }
    for e in cert.tbs_certificate.extensions.iter().flatten() {
        if e.extn_id == OID_SAN
            && let Ok(san) = x509_cert::ext::pkix::SubjectAltName::from_der(e.extn_value.as_bytes())
        {
            for name in san.0 {
                if let x509_cert::ext::pkix::name::GeneralName::Rfc822Name(m) = name {
                    return m.to_string();
                }
            }
        }
    }
    String::new()
}

/// Checks an RSA / SHA-256 signer: the content's digest against the signed
/// `message-digest` attribute, and the signature over the signed attributes.
fn verify(info: &SignerInfo, cert: &Certificate, content: &[u8]) -> (Verification, String) {
    let not = |why: &str| (Verification::NotVerified, why.to_string());
    if info.digest_alg.oid != OID_SHA256 {
        return not("digest algorithm not checked (only SHA-256 is)");
    }
    let sig_alg = info.signature_algorithm.oid;
    if sig_alg != OID_RSA && sig_alg != OID_SHA256_RSA {
        return not("signature algorithm not checked (only RSA is)");
    }
    let spki = &cert.tbs_certificate.subject_public_key_info;
    if spki.algorithm.oid != OID_RSA {
        return not("signer key is not RSA");
    }
    let Some(key_bytes) = spki.subject_public_key.as_bytes() else {
        return not("unreadable signer key");
    };
    let key = match <rsa::RsaPublicKey as rsa::pkcs1::DecodeRsaPublicKey>::from_pkcs1_der(key_bytes)
    {
        Ok(k) => k,
        Err(_) => return not("unreadable signer key"),
    };
    let digest = Sha256::digest(content);
    let signed_over = match &info.signed_attrs {
        Some(attrs) => {
            let expected = attrs
                .iter()
                .find(|a| a.oid == OID_MESSAGE_DIGEST)
                .and_then(|a| a.values.iter().next())
                .and_then(|v| v.decode_as::<OctetStringRef<'_>>().ok())
                .map(|o| o.as_bytes().to_vec());
            if expected.as_deref() != Some(&digest[..]) {
                return (
                    Verification::Invalid,
                    "the content does not match its signed digest".into(),
                );
            }
            match attrs.to_der() {
                Ok(der) => Sha256::digest(der).to_vec(),
                Err(_) => return not("unreadable signed attributes"),
            }
        }
        None => digest.to_vec(),
    };
    match key.verify(
        rsa::Pkcs1v15Sign::new::<Sha256>(),
        &signed_over,
        info.signature.as_bytes(),
    ) {
        Ok(()) => (Verification::Valid, String::new()),
        Err(_) => (Verification::Invalid, "the signature does not match".into()),
    }
}

fn pgp(armored: &[u8]) -> Signed {
    let mut out = Signed {
        kind: SignatureKind::Pgp,
        signer: String::new(),
        email: String::new(),
        key_id: String::new(),
        verification: Verification::NotVerified,
        note: "OpenPGP keys are not looked up".into(),
    };
    let Some(packet) = dearmor(armored) else {
        out.note = "unreadable signature".into();
        return out;
    };
    match read_signature_packet(&packet) {
        Some((key_id, user_id)) => {
            out.key_id = key_id;
            if let Some(uid) = user_id {
                out.email = uid
                    .rsplit_once('<')
                    .and_then(|(_, r)| r.strip_suffix('>'))
                    .unwrap_or("")
                    .to_string();
                out.signer = uid;
            }
        }
        None => out.note = "unreadable signature".into(),
    }
    out
}

/// The bytes of an ASCII-armored block (RFC 4880 §6.2), without its checksum.
fn dearmor(text: &[u8]) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(text);
    let mut lines = text.lines().map(str::trim);
    lines.find(|l| l.starts_with("-----BEGIN PGP"))?;
    // Armor headers (`Version: …`) end at the first empty line.
    let mut b64 = String::new();
    let mut in_headers = true;
    for line in lines {
        if line.starts_with("-----END PGP") {
            break;
        }
        if in_headers {
            if line.is_empty() {
                in_headers = false;
            } else if !line.contains(": ") {
                in_headers = false;
                b64.push_str(line);
            }
            continue;
        }
        if line.starts_with('=') {
            break;
        }
        b64.push_str(line);
    }
    base64_decode(&b64)
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// (issuer key id or fingerprint, signer's user id) of the first signature packet.
fn read_signature_packet(data: &[u8]) -> Option<(String, Option<String>)> {
    let (&tag_byte, rest) = data.split_first()?;
    if tag_byte & 0x80 == 0 {
        return None;
    }
    let (tag, body) = if tag_byte & 0x40 != 0 {
        let (len, n) = new_length(rest)?;
        (tag_byte & 0x3f, rest.get(n..n + len)?)
    } else {
        let (len, n) = match tag_byte & 0x03 {
            0 => (usize::from(*rest.first()?), 1),
            1 => (
                usize::from(u16::from_be_bytes([*rest.first()?, *rest.get(1)?])),
                2,
            ),
            2 => (
                u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize,
                4,
            ),
            _ => (rest.len(), 0),
        };
        (
            (tag_byte >> 2) & 0x0f,
            rest.get(n..n + len.min(rest.len() - n))?,
        )
    };
    if tag != 2 {
        return None;
    }
    match *body.first()? {
        3 => Some((hex(body.get(7..15)?), None)),
        4..=6 => {
            let wide = body[0] == 6;
            let mut at = 4;
            let (mut key, mut fpr, mut uid) = (None, None, None);
            for _ in 0..2 {
                let len = if wide {
                    u32::from_be_bytes(body.get(at..at + 4)?.try_into().ok()?) as usize
                } else {
                    usize::from(u16::from_be_bytes(body.get(at..at + 2)?.try_into().ok()?))
                };
                at += if wide { 4 } else { 2 };
                let mut sub = body.get(at..at + len)?;
                at += len;
                while !sub.is_empty() {
                    let (l, n) = sub_length(sub)?;
                    let packet = sub.get(n..n + l)?;
                    sub = &sub[n + l..];
                    let (&kind, value) = packet.split_first()?;
                    match kind & 0x7f {
                        16 => key = key.or(Some(hex(value))),
                        33 => fpr = fpr.or(value.get(1..).map(hex)),
                        28 => uid = uid.or(Some(String::from_utf8_lossy(value).into_owned())),
                        _ => {}
                    }
                }
            }
            // The key id is the fingerprint's last 8 bytes (v4) when only that is given.
            let id = key.or_else(|| {
                fpr.as_ref()
                    .map(|f| f[f.len().saturating_sub(16)..].to_string())
            })?;
            Some((id, uid))
        }
        _ => None,
    }
}

/// A new-format packet length (RFC 4880 §4.2.2): (length, bytes it took).
fn new_length(b: &[u8]) -> Option<(usize, usize)> {
    match *b.first()? {
        // Partial lengths do not occur in signature packets.
        224..=254 => None,
        _ => sub_length(b),
    }
}

/// A subpacket length (RFC 4880 §5.2.3.1): (length, bytes it took).
fn sub_length(b: &[u8]) -> Option<(usize, usize)> {
    let first = *b.first()?;
    match first {
        0..=191 => Some((usize::from(first), 1)),
        192..=254 => {
            let second = *b.get(1)?;
            Some((
                (usize::from(first) - 192) * 256 + usize::from(second) + 192,
                2,
            ))
        }
        255 => Some((
            u32::from_be_bytes(b.get(1..5)?.try_into().ok()?) as usize,
            5,
        )),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}
