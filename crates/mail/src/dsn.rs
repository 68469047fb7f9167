//! Recognising bounces: RFC 3464 delivery-status reports (multipart/report with a
//! message/delivery-status part), and the common non-standard bounces that only quote
//! the original message. Gives the recipients that failed and the original Message-ID,
//! so the bounce can be tied to the message that was sent.

use mail_parser::{Message, MimeHeaders, PartType};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DsnRecipient {
    pub address: String,
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded` (RFC 3464 Action).
    pub action: String,
    /// Enhanced status code such as `5.1.1`.
    pub status: String,
    pub diagnostic: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Dsn {
    /// Message-ID of the message that bounced, without angle brackets.
    pub original_message_id: Option<String>,
    pub recipients: Vec<DsnRecipient>,
}

impl Dsn {
    /// True when at least one recipient failed for good (or no recipient was named).
    pub fn is_failure(&self) -> bool {
        self.recipients.is_empty() || self.recipients.iter().any(|r| r.action == "failed")
    }
}

/// The delivery report in `message`, if it is one.
pub fn find(message: &Message) -> Option<Dsn> {
    let is_report = message.content_type().is_some_and(|ct| {
        ct.c_type.eq_ignore_ascii_case("multipart")
            && ct
                .c_subtype
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
    });
    if is_report {
        return Some(from_report(message));
    }
    if looks_like_bounce(message) {
        return Some(Dsn {
            original_message_id: quoted_message_id(message),
            recipients: Vec::new(),
        });
    }
    None
}

fn from_report(message: &Message) -> Dsn {
    let mut dsn = Dsn::default();
    for part in &message.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let sub = ct.c_subtype.as_deref().unwrap_or("").to_ascii_lowercase();
        let main = ct.c_type.to_ascii_lowercase();
        if main == "message" && (sub == "delivery-status" || sub == "global-delivery-status") {
            dsn.recipients = status_fields(part.contents());
        }
        if dsn.original_message_id.is_none()
            && ((main == "text" && sub == "rfc822-headers")
                || (main == "message" && (sub == "rfc822" || sub == "global")))
        {
            dsn.original_message_id = match &part.body {
                PartType::Message(inner) => inner.message_id().map(clean),
                _ => header_in_text(part.contents(), "message-id"),
            };
        }
    }
    if dsn.original_message_id.is_none() {
        dsn.original_message_id = quoted_message_id(message);
    }
    dsn
}

/// Per-recipient blocks of a message/delivery-status body.
fn status_fields(body: &[u8]) -> Vec<DsnRecipient> {
    let text = String::from_utf8_lossy(body).replace("\r\n", "\n");
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let mut r = DsnRecipient {
            address: String::new(),
            action: String::new(),
            status: String::new(),
            diagnostic: String::new(),
        };
        for (name, value) in unfolded_fields(block) {
            match name.as_str() {
                "final-recipient" | "original-recipient" if r.address.is_empty() => {
                    r.address = value
                        .split_once(';')
                        .map(|(_, a)| a)
                        .unwrap_or(&value)
                        .trim()
                        .trim_matches(['<', '>'])
                        .to_string();
                }
                "action" => r.action = value.trim().to_ascii_lowercase(),
                "status" => r.status = value.trim().to_string(),
                "diagnostic-code" => {
                    r.diagnostic = value
                        .split_once(';')
                        .map(|(_, d)| d)
                        .unwrap_or(&value)
                        .trim()
                        .to_string()
                }
                _ => {}
            }
        }
        if !r.address.is_empty() {
            out.push(r);
        }
    }
    out
}

fn unfolded_fields(block: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    fields
}

fn header_in_text(bytes: &[u8], wanted: &str) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let head = text.split("\n\n").next().unwrap_or("");
    unfolded_fields(head)
        .into_iter()
        .find(|(n, _)| n == wanted)
        .map(|(_, v)| clean(&v))
        .filter(|v| !v.is_empty())
}

/// Non-standard bounces: sent by a mailer daemon with a bounce-like subject.
fn looks_like_bounce(message: &Message) -> bool {
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address.as_deref())
        .unwrap_or("")
        .to_ascii_lowercase();
    let daemon = from.starts_with("mailer-daemon") || from.starts_with("postmaster");
    let subject = message.subject().unwrap_or("").to_lowercase();
    let bouncy = [
        "undeliver",
        "delivery status",
        "delivery failure",
        "failure notice",
        "returned mail",
        "mail delivery failed",
        "delivery has failed",
        "退信",
        "投递失败",
        "未送达",
    ]
    .iter()
    .any(|w| subject.contains(w));
    daemon && bouncy
}

/// A Message-ID quoted in an attached message or in the body of a bounce.
fn quoted_message_id(message: &Message) -> Option<String> {
    for part in message.parts.iter().skip(1) {
        if let PartType::Message(inner) = &part.body
            && let Some(id) = inner.message_id()
        {
            return Some(clean(id));
        }
    }
    let text = message.body_text(0)?;
    text.lines().find_map(|line| {
        let (name, value) = line.trim_start().split_once(':')?;
        name.eq_ignore_ascii_case("message-id")
            .then(|| clean(value))
            .filter(|v| !v.is_empty())
    })
}

fn clean(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

#[cfg(test)]
mod tests {
    use crate::parse::parse;

    #[test]
    fn rfc3464_report() {
        let raw = b"From: MAILER-DAEMON@example.test\r\nTo: a@example.test\r\nSubject: Undelivered Mail\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n\
--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\n\
Final-Recipient: rfc822; nobody@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address\r\n rejected\r\n\r\n\
--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <orig-1@wharf>\r\nSubject: Quote\r\n\r\n--B--\r\n";
        let dsn = parse(raw).unwrap().dsn.unwrap();
        assert_eq!(dsn.original_message_id.as_deref(), Some("orig-1@wharf"));
        assert_eq!(dsn.recipients.len(), 1);
        let r = &dsn.recipients[0];
        assert_eq!(r.address, "nobody@example.com");
        assert_eq!(r.action, "failed");
        assert_eq!(r.status, "5.1.1");
        assert!(r.diagnostic.contains("Recipient address rejected"));
        assert!(dsn.is_failure());
    }

    #[test]
    fn ordinary_mail_is_not_a_bounce() {
        let raw = b"From: a@example.test\r\nSubject: Undelivered? no\r\n\r\nhello\r\n";
        assert!(parse(raw).unwrap().dsn.is_none());
    }
}
