//! The message catalogs (one per language, `locales/*.toml`), language choice, and
//! message lookup with `{placeholder}` substitution.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Locale {
    ZhCn,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code {
            "zh-CN" | "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    /// The best match for an `Accept-Language` header; Chinese when nothing matches,
    /// since most users of Wharf read Chinese first.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let locale = if tag.starts_with("zh") {
                Locale::ZhCn
            } else if tag.starts_with("en") {
                Locale::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Locale::ZhCn)
    }
}

type Catalog = HashMap<String, String>;

fn parse(source: &str) -> Catalog {
    toml::from_str(source).expect("message catalog is valid TOML (checked by tests)")
}

fn catalog(locale: Locale) -> &'static Catalog {
    static EN: OnceLock<Catalog> = OnceLock::new();
    static ZH: OnceLock<Catalog> = OnceLock::new();
    match locale {
        Locale::En => EN.get_or_init(|| parse(include_str!("../locales/en.toml"))),
        Locale::ZhCn => ZH.get_or_init(|| parse(include_str!("../locales/zh-CN.toml"))),
    }
}

/// The message for `key`; a missing key shows the key itself (and a test prevents it).
pub fn t(locale: Locale, key: &str) -> String {
    catalog(locale)
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// The message with `{name}` placeholders replaced.
pub fn t_with(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(locale, key);
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

pub fn has_key(locale: Locale, key: &str) -> bool {
    catalog(locale).contains_key(key)
}

pub fn keys(locale: Locale) -> Vec<&'static str> {
    let mut k: Vec<&str> = catalog(locale).keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_have_the_same_keys() {
        assert_eq!(keys(Locale::En), keys(Locale::ZhCn));
    }

    #[test]
    fn negotiation() {
        assert_eq!(Locale::negotiate("en-US,en;q=0.9"), Locale::En);
        assert_eq!(Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("fr-FR, en;q=0.5"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::ZhCn);
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            t_with(Locale::En, "error.role_in_use", &[("n", "3")]),
            "Refused: 3 staff hold this role."
        );
    }
}
