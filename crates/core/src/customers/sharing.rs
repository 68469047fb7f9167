//! The sales stages (seed 003) and the three kinds of ownership (操作权).

/// The sales stages of seed 003, lowest first.
pub const STAGES: [&str; 5] = ["reserve", "target", "prospect", "opportunity", "won"];

/// Who may work a customer (操作权).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// One owner (个人).
    Personal,
    /// Several owners (协同).
    Collaborative,
    /// Everyone: the public pool (公海 / 共享), from which one claims (占有).
    Shared,
}

impl Sharing {
    pub fn code(self) -> &'static str {
        match self {
            Sharing::Personal => "personal",
            Sharing::Collaborative => "collaborative",
            Sharing::Shared => "shared",
        }
    }

    pub fn from_code(code: &str) -> Option<Sharing> {
        match code {
            "personal" => Some(Sharing::Personal),
            "collaborative" => Some(Sharing::Collaborative),
            "shared" => Some(Sharing::Shared),
            _ => None,
        }
    }

    /// The sharing that goes with this many owners.
    pub fn for_owners(count: usize) -> Sharing {
        match count {
            0 => Sharing::Shared,
            1 => Sharing::Personal,
            _ => Sharing::Collaborative,
        }
    }
}
