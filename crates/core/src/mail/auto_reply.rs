//! Whether a message is an automatic answer (out-of-office, "automatic reply"): such mail
//! is stored and listed but never waits in Pending. Pure: headers and subject in, a
//! decision out.

/// The headers and subject that tell an automatic answer, as the message has them (raw
/// header values, `None` when absent).
#[derive(Debug, Default, Clone, Copy)]
pub struct Signals<'a> {
    /// RFC 3834 `Auto-Submitted`.
    pub auto_submitted: Option<&'a str>,
    /// `X-Autoreply` (Exim, cPanel, many webmail vacation tools).
    pub x_autoreply: Option<&'a str>,
    /// `X-Autorespond` (Zimbra, Tencent Exmail).
    pub x_autorespond: Option<&'a str>,
    /// `Precedence` (`auto_reply`, `bulk`, `junk`).
    pub precedence: Option<&'a str>,
    /// `X-Auto-Response-Suppress` is sent *by* Exchange auto-replies too, but also by
    /// ordinary Outlook mail, so it is not read here.
    pub subject: &'a str,
}

/// Subject beginnings (after any "Re:" / "回复：") that out-of-office tools use, in the
/// languages our users' buyers and colleagues write: English, Chinese, German, French,
/// Spanish, Italian, Portuguese, Dutch.
const SUBJECT_STARTS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "auto-response",
    "autoresponse",
    "vacation reply",
    "on vacation",
    "away from the office",
    "自动回复",
    "自動回覆",
    "自动答复",
    "休假",
    "不在办公室",
    "abwesenheitsnotiz",
    "automatische antwort",
    "réponse automatique",
    "absence du bureau",
    "respuesta automática",
    "fuera de la oficina",
    "risposta automatica",
    "fuori ufficio",
    "resposta automática",
    "automatisch antwoord",
    "afwezig",
];

/// Whether the message is an automatic answer.
pub fn is_auto_reply(s: &Signals<'_>) -> bool {
    let norm = |v: Option<&str>| v.map(|v| v.trim().to_ascii_lowercase());
    // RFC 3834: any value but "no" means a machine sent it; auto-replied is the answer
    // kind, auto-generated covers vacation notices that say so.
    let auto_submitted = norm(s.auto_submitted).is_some_and(|v| !v.is_empty() && v != "no");
    let flagged =
        |v: Option<&str>| norm(v).is_some_and(|v| !matches!(v.as_str(), "" | "no" | "false" | "0"));
    let precedence = norm(s.precedence)
        .is_some_and(|v| matches!(v.as_str(), "auto_reply" | "auto-reply" | "bulk" | "junk"));
    auto_submitted
        || flagged(s.x_autoreply)
        || flagged(s.x_autorespond)
        || precedence
        || subject_says_so(s.subject)
}

/// The subject, with reply prefixes taken off, starts like an out-of-office notice.
fn subject_says_so(subject: &str) -> bool {
    let mut rest = subject.trim().to_lowercase();
    loop {
        let before = rest.len();
        for prefix in [
            "re:",
            "re：",
            "回复:",
            "回复：",
            "答复:",
            "答复：",
            "aw:",
            "fw:",
            "[",
            "【",
        ] {
            if let Some(r) = rest.strip_prefix(prefix) {
                rest = r.trim_start().to_string();
            }
        }
        if rest.len() == before {
            break;
        }
    }
    SUBJECT_STARTS.iter().any(|s| rest.starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(subject: &str) -> bool {
        is_auto_reply(&Signals {
            subject,
            ..Default::default()
        })
    }

    #[test]
    fn headers_say_a_machine_answered() {
        for (name, value) in [
            ("auto_submitted", "auto-replied"),
            ("auto_submitted", "Auto-Generated"),
            ("x_autoreply", "yes"),
            ("x_autorespond", "1"),
            ("precedence", "auto_reply"),
            ("precedence", "bulk"),
            ("precedence", "junk"),
        ] {
            let mut s = Signals {
                subject: "Re: Tents",
                ..Default::default()
            };
            match name {
                "auto_submitted" => s.auto_submitted = Some(value),
                "x_autoreply" => s.x_autoreply = Some(value),
                "x_autorespond" => s.x_autorespond = Some(value),
                _ => s.precedence = Some(value),
            }
            assert!(is_auto_reply(&s), "{name}: {value}");
        }
        let person = Signals {
            auto_submitted: Some("no"),
            precedence: Some("list"),
            subject: "Re: Tents",
            ..Default::default()
        };
        assert!(!is_auto_reply(&person));
    }

    #[test]
    fn out_of_office_subjects_in_english_and_chinese() {
        for s in [
            "Out of Office: Tents",
            "Automatic reply: Quotation 2026-114",
            "RE: Out of office",
            "自动回复：报价单",
            "回复：自动回复: 样品",
            "【自动回复】感谢来信",
            "休假通知",
            "Abwesenheitsnotiz: Angebot",
        ] {
            assert!(subject(s), "{s}");
        }
        for s in [
            "Tents for the office",
            "Re: Quotation",
            "Inquiry about auto parts",
            "",
        ] {
            assert!(!subject(s), "{s}");
        }
    }
}
