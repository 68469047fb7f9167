//! The sales kit at hand on the tracking screen (PIPE-3): sales scripts (话术), personal
//! or the company's reference ones, and competitors (同行); their fields and checks.

mod competitor;
mod script;

pub use competitor::{CompetitorEntry, CompetitorInput};
pub use script::{ScriptEntry, ScriptInput};

/// The lower-cased words a search matches, from these texts.
pub fn search_text(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}
