//! Mail accounts as the domain sees them (SPEC ACC-1): their settings and validation,
//! provider presets and which way a message went. Who may use an account is
//! [`crate::policy::mail`].

use serde::Serialize;

use crate::DomainError;
use crate::validate::FieldErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// One salesperson's mailbox.
    Personal,
    /// A shared mailbox (info@, sales@) used by its members.
    Public,
}

impl AccountKind {
    pub fn code(self) -> &'static str {
        match self {
            AccountKind::Personal => "personal",
            AccountKind::Public => "public",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [AccountKind::Personal, AccountKind::Public]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InProtocol {
    Imap,
    Pop3,
    /// Send-only account (no incoming server).
    None,
}

impl InProtocol {
    pub fn code(self) -> &'static str {
        match self {
            InProtocol::Imap => "imap",
            InProtocol::Pop3 => "pop3",
            InProtocol::None => "none",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [InProtocol::Imap, InProtocol::Pop3, InProtocol::None]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// TLS from the first byte (IMAPS 993, POP3S 995, SMTPS 465).
    Tls,
    /// Plain connection upgraded with STARTTLS / STLS (143, 110, 587).
    StartTls,
    /// No encryption (only sensible on a trusted network).
    None,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::Tls, Security::StartTls, Security::None];
    pub fn code(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::StartTls => "starttls",
            Security::None => "none",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Security::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// What an administrator enters for an account. Passwords left empty on an edit keep
/// the stored ones.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub address: String,
    pub display_name: String,
    pub kind: String,
    pub owner_id: Option<i64>,
    pub member_ids: Vec<i64>,
    pub in_protocol: String,
    pub in_host: String,
    pub in_port: i64,
    pub in_security: String,
    pub in_username: String,
    pub in_password: String,
    pub out_host: String,
    pub out_port: i64,
    pub out_security: String,
    pub out_username: String,
    pub out_password: String,
    pub accept_invalid_certs: bool,
    pub leave_on_server: bool,
    /// Unix seconds: only mail from this day on is shown (ACC-5).
    pub show_since: Option<i64>,
    pub sync_enabled: bool,
    pub signature: String,
    pub max_attachment_mb: i64,
}

impl AccountInput {
    /// Checks and normalises the input; `creating` requires the passwords.
    pub fn validate(mut self, creating: bool) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.address = e.text("address", &self.address, true, 254).to_lowercase();
        self.address = e.email("address", &self.address);
        self.display_name = e.text("display_name", &self.display_name, false, 200);
        match AccountKind::from_code(&self.kind) {
            Some(AccountKind::Personal) if self.owner_id.is_none() => e.add("owner_id", "required"),
            Some(_) => {}
            None => e.add("kind", "invalid_choice"),
        }
        let protocol = InProtocol::from_code(&self.in_protocol);
        if protocol.is_none() {
            e.add("in_protocol", "invalid_choice");
        }
        if protocol != Some(InProtocol::None) {
            self.in_host = e.text("in_host", &self.in_host, true, 253);
            check_port(&mut e, "in_port", self.in_port);
            if Security::from_code(&self.in_security).is_none() {
                e.add("in_security", "invalid_choice");
            }
            self.in_username = e.text("in_username", &self.in_username, false, 254);
            if self.in_username.is_empty() {
                self.in_username = self.address.clone();
            }
            if creating && self.in_password.is_empty() {
                e.add("in_password", "required");
            }
        }
        self.out_host = e.text("out_host", &self.out_host, true, 253);
        check_port(&mut e, "out_port", self.out_port);
        if Security::from_code(&self.out_security).is_none() {
            e.add("out_security", "invalid_choice");
        }
        self.out_username = e.text("out_username", &self.out_username, false, 254);
        if self.out_username.is_empty() {
            self.out_username = self.in_username.clone();
        }
        if self.out_username.is_empty() {
            self.out_username = self.address.clone();
        }
        self.signature = e.text_block("signature", &self.signature, false, 20_000);
        if !(1..=100).contains(&self.max_attachment_mb) {
            e.add("max_attachment_mb", "out_of_range");
        }
        e.into_result().map(|_| self)
    }
}

fn check_port(e: &mut FieldErrors, field: &'static str, port: i64) {
    if !(1..=65535).contains(&port) {
        e.add(field, "invalid_port");
    }
}

/// Server settings of a well-known provider (ACC-1 presets).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Preset {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub domains: &'static [&'static str],
    pub imap_host: &'static str,
    pub pop3_host: &'static str,
    pub smtp_host: &'static str,
}

/// IMAPS 993, POP3S 995 and SMTPS 465 with TLS for all of them.
pub const PRESETS: &[Preset] = &[
    Preset {
        code: "exmail",
        name_zh: "腾讯企业邮",
        name_en: "Tencent Exmail",
        domains: &[],
        imap_host: "imap.exmail.qq.com",
        pop3_host: "pop.exmail.qq.com",
        smtp_host: "smtp.exmail.qq.com",
    },
    Preset {
        code: "qq",
        name_zh: "QQ 邮箱",
        name_en: "QQ Mail",
        domains: &["qq.com", "foxmail.com"],
        imap_host: "imap.qq.com",
        pop3_host: "pop.qq.com",
        smtp_host: "smtp.qq.com",
    },
    Preset {
        code: "163",
        name_zh: "网易 163 邮箱",
        name_en: "NetEase 163",
        domains: &["163.com"],
        imap_host: "imap.163.com",
        pop3_host: "pop.163.com",
        smtp_host: "smtp.163.com",
    },
    Preset {
        code: "126",
        name_zh: "网易 126 邮箱",
        name_en: "NetEase 126",
        domains: &["126.com"],
        imap_host: "imap.126.com",
        pop3_host: "pop.126.com",
        smtp_host: "smtp.126.com",
    },
    Preset {
        code: "yeah",
        name_zh: "网易 yeah.net 邮箱",
        name_en: "NetEase yeah.net",
        domains: &["yeah.net"],
        imap_host: "imap.yeah.net",
        pop3_host: "pop.yeah.net",
        smtp_host: "smtp.yeah.net",
    },
    Preset {
        code: "aliyun",
        name_zh: "阿里邮箱",
        name_en: "Alibaba Mail",
        domains: &["aliyun.com"],
        imap_host: "imap.qiye.aliyun.com",
        pop3_host: "pop.qiye.aliyun.com",
        smtp_host: "smtp.qiye.aliyun.com",
    },
    Preset {
        code: "gmail",
        name_zh: "Gmail",
        name_en: "Gmail",
        domains: &["gmail.com", "googlemail.com"],
        imap_host: "imap.gmail.com",
        pop3_host: "pop.gmail.com",
        smtp_host: "smtp.gmail.com",
    },
    Preset {
        code: "outlook",
        name_zh: "Outlook.com",
        name_en: "Outlook.com",
        domains: &["outlook.com", "hotmail.com", "live.com"],
        imap_host: "outlook.office365.com",
        pop3_host: "outlook.office365.com",
        smtp_host: "smtp-mail.outlook.com",
    },
];

/// Which way a message went, judged by whether an account address sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// `from` is the message's From address; `own` the account's own addresses.
pub fn direction(from: &str, own: &[String]) -> Direction {
    if own.iter().any(|a| a.eq_ignore_ascii_case(from.trim())) {
        Direction::Out
    } else {
        Direction::In
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AccountInput {
        AccountInput {
            address: "Li@Example.test".into(),
            kind: "personal".into(),
            owner_id: Some(3),
            in_protocol: "imap".into(),
            in_host: "imap.example.test".into(),
            in_port: 993,
            in_security: "tls".into(),
            in_password: "x".into(),
            out_host: "smtp.example.test".into(),
            out_port: 465,
            out_security: "tls".into(),
            max_attachment_mb: 25,
            ..Default::default()
        }
    }

    #[test]
    fn validation() {
        let ok = input().validate(true).unwrap();
        assert_eq!(ok.address, "li@example.test");
        assert_eq!(ok.in_username, "li@example.test");
        assert_eq!(ok.out_username, "li@example.test");
        let bad = AccountInput {
            address: "not-an-address".into(),
            in_port: 0,
            in_security: "ssl3".into(),
            in_password: String::new(),
            owner_id: None,
            ..input()
        };
        let DomainError::Invalid(errs) = bad.validate(true).unwrap_err() else {
            panic!("expected field errors")
        };
        for f in [
            "address",
            "in_port",
            "in_security",
            "in_password",
            "owner_id",
        ] {
            assert!(errs.get(f).is_some(), "{f}");
        }
        // Editing without retyping the password keeps the stored one.
        assert!(
            AccountInput {
                in_password: String::new(),
                ..input()
            }
            .validate(false)
            .is_ok()
        );
    }

    #[test]
    fn directions() {
        let own = vec!["li@example.test".to_string()];
        assert_eq!(direction("LI@example.test", &own), Direction::Out);
        assert_eq!(direction("buyer@example.com", &own), Direction::In);
    }
}
