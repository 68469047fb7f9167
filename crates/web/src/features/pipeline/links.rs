//! The per-stage lists (seed 003: 个人 / 共享 per stage, the flags as tabs) are the
//! customer list with URL filters; these build their addresses.

use wharf_core::pipeline::Flag;

/// `/customers?stage=…&quick=…&flag=…`: `quick` is the list's quick filter (`mine`,
/// `collaborative`, `pool`, or empty for all).
pub fn stage_list(stage: &str, quick: &str, flag: Option<Flag>) -> String {
    let mut href = format!("/customers?stage={stage}");
    if !quick.is_empty() {
        href.push_str("&quick=");
        href.push_str(quick);
    }
    if let Some(f) = flag {
        href.push_str("&flag=");
        href.push_str(f.code());
    }
    href
}

/// The list's sales-path filters from the URL's `flag` and `like`; `None` when one names
/// nothing known (the API answers 400; the page ignores it).
pub fn path_filter(flag: &str, like: &str) -> Option<wharf_store::pipeline::PathFilter> {
    use wharf_store::pipeline::{LikeWinners, PathFilter};
    let flag = match flag {
        "" => None,
        f => Some(Flag::from_code(f)?),
    };
    let like_winners = match like {
        "" => None,
        l => Some(LikeWinners::from_code(l)?),
    };
    Some(PathFilter { flag, like_winners })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_filters_are_none() {
        assert!(path_filter("paused", "city").is_some());
        assert!(path_filter("selling", "").is_none());
        assert!(path_filter("", "planet").is_none());
    }

    #[test]
    fn addresses_carry_only_what_is_set() {
        assert_eq!(stage_list("won", "", None), "/customers?stage=won");
        assert_eq!(
            stage_list("target", "pool", Some(Flag::NotContacted)),
            "/customers?stage=target&quick=pool&flag=not_contacted"
        );
    }
}
