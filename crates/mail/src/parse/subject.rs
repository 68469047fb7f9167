//! Conversation keys from subjects: reply and forward prefixes (English and Chinese)
//! taken off.

/// The subject without reply / forward prefixes (English and Chinese), lower-cased: two
/// messages with the same key may belong to one conversation.
pub fn subject_key(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let before = s;
        for prefix in [
            "re", "fw", "fwd", "aw", "wg", "sv", "回复", "答复", "回覆", "转发", "轉寄",
        ] {
            if let Some(rest) = strip_prefix_ci(s, prefix) {
                let rest = rest.trim_start();
                let rest = rest
                    .strip_prefix(':')
                    .or_else(|| rest.strip_prefix('：'))
                    .or_else(|| {
                        // "Re[2]:" and "Re(2):"
                        let inner = rest.strip_prefix('[').or_else(|| rest.strip_prefix('('))?;
                        let close = inner.find([']', ')'])?;
                        inner[close + 1..].trim_start().strip_prefix(':')
                    });
                if let Some(rest) = rest {
                    s = rest.trim_start();
                }
            }
        }
        if s == before {
            break;
        }
    }
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// True when the subject starts with a reply or forward prefix.
pub fn is_reply_subject(subject: &str) -> bool {
    let key = subject_key(subject);
    !key.is_empty()
        && key
            != subject
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_keys() {
        assert_eq!(subject_key("Re: RE: Fwd: Price list"), "price list");
        assert_eq!(subject_key("回复：报价单"), "报价单");
        assert_eq!(subject_key("Re[2]: Order  #12"), "order #12");
        assert_eq!(subject_key("Reply needed"), "reply needed");
        assert!(is_reply_subject("Re: x"));
        assert!(!is_reply_subject("Regarding x"));
    }
}
