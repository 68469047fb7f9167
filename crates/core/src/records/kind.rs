//! The kinds of contact: how the salesperson reached the customer.

use serde::Serialize;

/// Stored as its code; the catalogs name it `record.kind.<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Call,
    Mail,
    Visit,
    Meeting,
    Whatsapp,
    Wechat,
    Note,
}

impl RecordKind {
    pub const ALL: [RecordKind; 7] = [
        RecordKind::Call,
        RecordKind::Mail,
        RecordKind::Visit,
        RecordKind::Meeting,
        RecordKind::Whatsapp,
        RecordKind::Wechat,
        RecordKind::Note,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Call => "call",
            RecordKind::Mail => "mail",
            RecordKind::Visit => "visit",
            RecordKind::Meeting => "meeting",
            RecordKind::Whatsapp => "whatsapp",
            RecordKind::Wechat => "wechat",
            RecordKind::Note => "note",
        }
    }

    pub fn from_code(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A note is written down, not a contact: it does not make the customer
    /// "contacted" (the workbench's counts, `last_contacted_at`).
    pub fn is_contact(self) -> bool {
        self != RecordKind::Note
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_notes_are_no_contact() {
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::from_code(k.code()), Some(k));
        }
        assert_eq!(RecordKind::from_code("fax"), None);
        assert!(RecordKind::Call.is_contact());
        assert!(!RecordKind::Note.is_contact());
    }
}
