//! Signed mail: who signed, and whether the signature holds (fixtures made by
//! `tests/fixtures/signed/make.sh` with openssl and gpg).

use wharf_mail::signed::{SignatureKind, Verification, signature};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/signed/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

#[test]
fn smime_detached_is_signed_by_its_subject_and_verified() {
    let s = signature(&fixture("smime-detached.eml")).expect("signed");
    assert_eq!(s.kind, SignatureKind::Smime);
    assert!(s.signer.contains("CN=Anna Export"), "{}", s.signer);
    assert!(s.signer.contains("O=Example Trading Co"), "{}", s.signer);
    assert_eq!(s.email, "anna@example-trading.com");
    assert_eq!(s.verification, Verification::Valid, "{}", s.note);
}

#[test]
fn smime_opaque_signed_data_is_verified_too() {
    let s = signature(&fixture("smime-opaque.eml")).expect("signed");
    assert_eq!(s.kind, SignatureKind::Smime);
    assert_eq!(s.email, "anna@example-trading.com");
    assert_eq!(s.verification, Verification::Valid, "{}", s.note);
}

#[test]
fn smime_with_a_changed_body_is_invalid() {
    let s = signature(&fixture("smime-tampered.eml")).expect("signed");
    assert!(s.signer.contains("CN=Anna Export"));
    assert_eq!(s.verification, Verification::Invalid);
}

#[test]
fn pgp_names_the_issuer_key_and_is_not_verified() {
    let s = signature(&fixture("pgp-signed.eml")).expect("signed");
    assert_eq!(s.kind, SignatureKind::Pgp);
    let want = std::fs::read_to_string(format!(
        "{}/tests/fixtures/signed/pgp-key-id.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("key id");
    assert_eq!(format!("key id: {}", s.key_id), want.trim());
    assert_eq!(s.verification, Verification::NotVerified);
}

#[test]
fn unsigned_and_broken_signatures() {
    assert_eq!(
        signature(b"From: a@b.example\r\nSubject: x\r\n\r\nhello\r\n"),
        None
    );
    let broken = b"From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--x--\r\n";
    let s = signature(broken).expect("signed");
    assert_eq!(s.verification, Verification::NotVerified);
    assert!(s.note.starts_with("unreadable signature"), "{}", s.note);
    assert_eq!(s.signer, "");
}
