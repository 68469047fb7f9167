//! The normal forms that duplicate checks compare: names, e-mail addresses, phone
//! numbers, websites, and the items of a list field.

/// The items of a list field: "a, b; c" → a, b, c.
pub fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split([',', ';', '\n', '，', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The name as duplicates are compared: lower case, letters and digits only (so
/// "ACME Co., Ltd." and "Acme Co Ltd" are the same customer).
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An e-mail address as compared: trimmed, lower case.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A phone number as compared: its last nine digits (so "+86 138-0013-8000" and
/// "13800138000" match whatever the prefix); `None` for too few digits.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 5 || phone.chars().any(|c| c.is_alphabetic() && c != 'x') {
        return None;
    }
    Some(digits[digits.len().saturating_sub(9)..].to_string())
}

/// A website as compared: its host without `www.`, lower case ("https://www.Acme.com/en"
/// → "acme.com"); `None` when there is no plausible host.
pub fn website_domain(website: &str) -> Option<String> {
    let s = website.trim().to_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let plausible = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    plausible.then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys() {
        assert_eq!(name_key("ACME Co., Ltd."), name_key("Acme Co Ltd"));
        assert_eq!(name_key("宁波 阀门 有限公司"), "宁波阀门有限公司");
        assert_eq!(phone_key("+86 138-0013-8000"), phone_key("13800138000"));
        assert_eq!(
            phone_key("0086 (574) 8765 4321"),
            phone_key("0574-87654321")
        );
        assert_eq!(phone_key("12"), None);
        assert_eq!(phone_key("call me"), None);
        assert_eq!(
            website_domain("https://www.Acme.com/en/index.html").as_deref(),
            Some("acme.com")
        );
        assert_eq!(website_domain("acme.com").as_deref(), Some("acme.com"));
        assert_eq!(website_domain("not a site"), None);
        assert_eq!(email_key(" Tom@Acme.COM "), "tom@acme.com");
        assert_eq!(split_list("a@x.com， b@y.com; c@z.com").count(), 3);
    }
}
