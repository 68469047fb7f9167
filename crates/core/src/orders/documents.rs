//! The export documents an order needs and where each stands.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    CommercialInvoice,
    PackingList,
    CertificateOfOrigin,
    BillOfLading,
    InspectionCertificate,
    Insurance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocState {
    NotNeeded,
    Pending,
    Ready,
    Sent,
}

impl DocKind {
    pub const ALL: [DocKind; 6] = [
        DocKind::CommercialInvoice,
        DocKind::PackingList,
        DocKind::CertificateOfOrigin,
        DocKind::BillOfLading,
        DocKind::InspectionCertificate,
        DocKind::Insurance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocKind::CommercialInvoice => "invoice",
            DocKind::PackingList => "packing_list",
            DocKind::CertificateOfOrigin => "certificate_of_origin",
            DocKind::BillOfLading => "bill_of_lading",
            DocKind::InspectionCertificate => "inspection",
            DocKind::Insurance => "insurance",
        }
    }

    pub fn from_code(code: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl DocState {
    pub const ALL: [DocState; 4] = [
        DocState::NotNeeded,
        DocState::Pending,
        DocState::Ready,
        DocState::Sent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocState::NotNeeded => "not_needed",
            DocState::Pending => "pending",
            DocState::Ready => "ready",
            DocState::Sent => "sent",
        }
    }

    pub fn from_code(code: &str) -> Option<DocState> {
        DocState::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::from_code(k.code()), Some(k));
        }
        for s in DocState::ALL {
            assert_eq!(DocState::from_code(s.code()), Some(s));
        }
        assert_eq!(DocKind::from_code("passport"), None);
    }
}
