//! Incoterms 2020: the eleven trade terms a quote names (FOB, CIF, EXW …).

/// A trade term; the code is what is stored and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incoterm {
    Exw,
    Fca,
    Fas,
    Fob,
    Cfr,
    Cif,
    Cpt,
    Cip,
    Dap,
    Dpu,
    Ddp,
}

impl Incoterm {
    /// In the order a form lists them (the sea terms exporters use most first).
    pub const ALL: [Incoterm; 11] = [
        Incoterm::Fob,
        Incoterm::Cif,
        Incoterm::Cfr,
        Incoterm::Exw,
        Incoterm::Fca,
        Incoterm::Fas,
        Incoterm::Cpt,
        Incoterm::Cip,
        Incoterm::Dap,
        Incoterm::Dpu,
        Incoterm::Ddp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Incoterm::Exw => "EXW",
            Incoterm::Fca => "FCA",
            Incoterm::Fas => "FAS",
            Incoterm::Fob => "FOB",
            Incoterm::Cfr => "CFR",
            Incoterm::Cif => "CIF",
            Incoterm::Cpt => "CPT",
            Incoterm::Cip => "CIP",
            Incoterm::Dap => "DAP",
            Incoterm::Dpu => "DPU",
            Incoterm::Ddp => "DDP",
        }
    }

    /// Reads a code, in any case.
    pub fn from_code(code: &str) -> Option<Incoterm> {
        let code = code.trim();
        Incoterm::ALL
            .into_iter()
            .find(|term| term.code().eq_ignore_ascii_case(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for term in Incoterm::ALL {
            assert_eq!(Incoterm::from_code(&term.code().to_lowercase()), Some(term));
        }
        assert_eq!(Incoterm::from_code("FOBB"), None);
    }
}
