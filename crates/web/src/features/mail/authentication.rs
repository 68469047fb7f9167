//! The authentication line of the mail view (issue 15): "DKIM pass (example.com) · SPF
//! pass · DMARC pass" from Wharf's own results, a warning for a failing signature or a
//! From domain that fails DMARC, the hop SPF was checked for, and the S/MIME / OpenPGP
//! signature status — for the reading pane and, with the same words, for the API.

use serde_json::json;
use wharf_mail::signed::{SignatureKind, Signed, Verification};
use wharf_store::mail::authentication::AuthResults;

use crate::ctx::Req;
use crate::render::when;

/// One method's part of the line.
#[derive(serde::Serialize)]
pub struct Part {
    method: &'static str,
    /// `pass`, `fail` or `other` (the colour).
    tone: &'static str,
    text: String,
}

fn word(req: &Req, result: &str) -> String {
    let key = match result {
        "pass" => "mail.auth.pass",
        "fail" => "mail.auth.fail",
        "softfail" => "mail.auth.softfail",
        "neutral" => "mail.auth.neutral",
        "temperror" => "mail.auth.temperror",
        "permerror" => "mail.auth.permerror",
        _ => "mail.auth.none",
    };
    req.t(key)
}

fn tone(result: &str) -> &'static str {
    match result {
        "pass" => "pass",
        "fail" | "softfail" | "permerror" => "fail",
        _ => "other",
    }
}

fn parts(req: &Req, a: &AuthResults) -> Vec<Part> {
    let mut dkim = format!("DKIM {}", word(req, &a.dkim));
    if !a.dkim_domain.is_empty() {
        dkim.push_str(&format!(" ({})", a.dkim_domain));
    }
    vec![
        Part {
            method: "dkim",
            tone: tone(&a.dkim),
            text: dkim,
        },
        Part {
            method: "spf",
            tone: tone(&a.spf),
            text: format!("SPF {}", word(req, &a.spf)),
        },
        Part {
            method: "dmarc",
            tone: tone(&a.dmarc),
            text: format!("DMARC {}", word(req, &a.dmarc)),
        },
    ]
}

/// What the view says about a message's authentication, in the caller's language.
pub struct AuthText {
    /// `pending`, `old`, `done` or `` (not checked: mail we sent).
    pub state: String,
    /// The compact line ("DKIM pass (example.com) · SPF pass · DMARC pass"), or the
    /// state's sentence.
    pub line: String,
    pub warnings: Vec<String>,
    /// Which `Received` hop SPF was checked for.
    pub hop: Option<String>,
    pub signature: Option<String>,
    /// The signature is broken (shown as a warning).
    pub signature_bad: bool,
}

pub fn text(req: &Req, auth: Option<&AuthResults>, signed: Option<&Signed>) -> AuthText {
    let (state, line, warnings, hop) = match auth {
        None => (String::new(), String::new(), Vec::new(), None),
        Some(a) if a.state == "pending" => (
            a.state.clone(),
            req.t("mail.auth.pending"),
            Vec::new(),
            None,
        ),
        Some(a) if a.state == "old" => (a.state.clone(), req.t("mail.auth.old"), Vec::new(), None),
        Some(a) => {
            let line = parts(req, a)
                .into_iter()
                .map(|p| p.text)
                .collect::<Vec<_>>()
                .join(" · ");
            (a.state.clone(), line, warnings(req, a), hop_text(req, a))
        }
    };
    let (signature, signature_bad) = match signed {
        Some(s) => (
            Some(signature_text(req, s)),
            s.verification == Verification::Invalid,
        ),
        None => (None, false),
    };
    AuthText {
        state,
        line,
        warnings,
        hop,
        signature,
        signature_bad,
    }
}

fn warnings(req: &Req, a: &AuthResults) -> Vec<String> {
    let mut out = Vec::new();
    if a.dmarc == "fail" {
        let policy = if a.dmarc_policy.is_empty() {
            "none"
        } else {
            &a.dmarc_policy
        };
        out.push(
            req.t("mail.auth.warn.dmarc")
                .replace("{domain}", &a.from_domain)
                .replace("{policy}", policy),
        );
    } else {
        if a.dkim == "fail" {
            out.push(req.t("mail.auth.warn.dkim"));
        }
        if a.spf == "fail" {
            out.push(
                req.t("mail.auth.warn.spf")
                    .replace("{domain}", &a.spf_domain),
            );
        }
    }
    out
}

fn hop_text(req: &Req, a: &AuthResults) -> Option<String> {
    if a.hop.is_empty() {
        Some(req.t("mail.auth.no_hop"))
    } else {
        Some(req.t("mail.auth.hop").replace("{hop}", &a.hop))
    }
}

fn signature_text(req: &Req, s: &Signed) -> String {
    let who = match s.kind {
        SignatureKind::Smime if !s.signer.is_empty() && !s.email.is_empty() => {
            format!("{} <{}>", s.signer, s.email)
        }
        SignatureKind::Smime if !s.signer.is_empty() => s.signer.clone(),
        SignatureKind::Pgp if !s.signer.is_empty() => {
            format!("{} ({} {})", s.signer, req.t("mail.sig.key"), s.key_id)
        }
        SignatureKind::Pgp if !s.key_id.is_empty() => {
            format!("{} {}", req.t("mail.sig.key"), s.key_id)
        }
        _ => req.t("mail.sig.unknown_signer"),
    };
    let kind = match s.kind {
        SignatureKind::Smime => "S/MIME",
        SignatureKind::Pgp => "OpenPGP",
    };
    let status = match s.verification {
        Verification::Valid => req.t("mail.sig.valid"),
        Verification::Invalid => req.t("mail.sig.invalid"),
        Verification::NotVerified => req.t("mail.sig.not_verified"),
    };
    req.t("mail.sig.line")
        .replace("{kind}", kind)
        .replace("{who}", &who)
        .replace("{status}", &status)
}

/// The reading pane's authentication and signature lines.
#[derive(serde::Serialize)]
pub struct AuthPane {
    /// Anything to show at all.
    pub shown: bool,
    pub state: String,
    pub line: String,
    /// One per method, when the checks are done.
    pub items: Vec<Part>,
    pub warnings: Vec<String>,
    pub hop: Option<String>,
    /// When the checks ran (the line's tooltip).
    pub checked: Option<String>,
    pub reason: Option<String>,
    pub signature: Option<String>,
    pub signature_bad: bool,
}

/// For the reading pane's template.
pub fn pane(
    req: &Req,
    auth: Option<&AuthResults>,
    signed: Option<&Signed>,
    zone: &wharf_core::zone::Zone,
) -> AuthPane {
    let t = text(req, auth, signed);
    let items: Vec<Part> = match auth {
        Some(a) if a.state == "done" => parts(req, a),
        _ => Vec::new(),
    };
    let checked = auth.and_then(|a| a.computed_at).map(|at| {
        req.t("mail.auth.checked")
            .replace("{when}", &when(at, zone))
    });
    let shown = !t.state.is_empty() || t.signature.is_some();
    AuthPane {
        shown,
        state: t.state,
        line: t.line,
        items,
        warnings: t.warnings,
        hop: t.hop,
        checked,
        reason: auth.map(|a| a.reason.clone()).filter(|r| !r.is_empty()),
        signature: t.signature,
        signature_bad: t.signature_bad,
    }
}

/// For the JSON API: the stored results, the same sentences, and the signature.
pub fn json(req: &Req, auth: Option<&AuthResults>, signed: Option<&Signed>) -> serde_json::Value {
    let t = text(req, auth, signed);
    json!({
        "authentication": auth.map(|a| json!({
            "state": a.state,
            "dkim": { "result": a.dkim, "domain": a.dkim_domain, "selector": a.dkim_selector },
            "spf": { "result": a.spf, "domain": a.spf_domain, "hop": a.hop },
            "dmarc": { "result": a.dmarc, "policy": a.dmarc_policy, "from_domain": a.from_domain },
            "reason": a.reason,
            "computed_at": a.computed_at,
            "line": t.line,
            "warnings": t.warnings,
        })),
        "signature": signed.map(|s| json!({
            "kind": s.kind,
            "signer": s.signer,
            "email": s.email,
            "key_id": s.key_id,
            "verification": s.verification,
            "note": s.note,
            "text": t.signature,
        })),
    })
}
