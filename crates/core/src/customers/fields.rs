//! Customers and contacts (SPEC CUST-1..4, seed 003): the record's fields and their rules,
//! the sales stages, the three kinds of ownership, and the normal forms that duplicate
//! checks compare (names, e-mail addresses, phone numbers, websites).

use crate::DomainError;
use crate::validate::{FieldErrors, is_plausible_email};

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

/// A customer as entered (CUST-1). Base-data references are item ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerInput {
    /// `customer` or `supplier`.
    pub party_kind: String,
    pub name: String,
    pub short_name: String,
    pub keywords: String,
    pub type_id: Option<i64>,
    pub status_id: Option<i64>,
    pub source_id: Option<i64>,
    pub industry_id: Option<i64>,
    pub country_id: Option<i64>,
    pub stage: String,
    pub city: String,
    pub address: String,
    pub website: String,
    /// Several numbers, separated by commas, semicolons or new lines.
    pub phones: String,
    pub fax: String,
    pub email: String,
    pub main_products: String,
    pub profile: String,
    pub scale: String,
    /// 0 (none) to 5 stars.
    pub rating: i64,
    pub follow: bool,
    /// Unix seconds (the day's start in the company's time zone).
    pub next_revisit_at: Option<i64>,
    pub tags: String,
    /// Admin-defined fields as (field id, value), checked by the store against the
    /// definitions ([`crate::custom_field::check_values`]).
    pub custom: Vec<(i64, String)>,
}

impl CustomerInput {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        if self.party_kind.is_empty() {
            self.party_kind = "customer".into();
        }
        if !matches!(self.party_kind.as_str(), "customer" | "supplier") {
            e.add("party_kind", "invalid_choice");
        }
        self.name = e.text("name", &self.name, true, 200);
        if !self.name.is_empty() && name_key(&self.name).is_empty() {
            e.add("name", "invalid_name");
        }
        self.short_name = e.text("short_name", &self.short_name, false, 100);
        self.keywords = e.text_block("keywords", &self.keywords, false, 200);
        if self.stage.is_empty() {
            self.stage = STAGES[0].into();
        }
        if !STAGES.contains(&self.stage.as_str()) {
            e.add("stage", "invalid_choice");
        }
        self.city = e.text("city", &self.city, false, 100);
        self.address = e.text("address", &self.address, false, 300);
        self.website = e.text("website", &self.website, false, 200);
        if !self.website.is_empty() && website_domain(&self.website).is_none() {
            e.add("website", "invalid_website");
        }
        self.phones = e.text_block("phones", &self.phones, false, 300);
        if split_list(&self.phones).any(|p| phone_key(p).is_none()) {
            e.add("phones", "invalid_phone");
        }
        self.fax = e.text("fax", &self.fax, false, 60);
        self.email = e.text_block("email", &self.email, false, 300);
        if split_list(&self.email).any(|m| !is_plausible_email(m)) {
            e.add("email", "invalid_email");
        }
        self.main_products = e.text_block("main_products", &self.main_products, false, 1000);
        self.profile = e.text_block("profile", &self.profile, false, 10_000);
        self.scale = e.text("scale", &self.scale, false, 100);
        if !(0..=5).contains(&self.rating) {
            e.add("rating", "out_of_range");
        }
        // A day between 1970 and 9999 (the API takes Unix seconds).
        if self
            .next_revisit_at
            .is_some_and(|t| !(0..=253_402_300_799).contains(&t))
        {
            e.add("next_revisit_at", "out_of_range");
        }
        self.tags = e.text_block("tags", &self.tags, false, 500);
        e.into_result()?;
        Ok(self)
    }
}

/// A contact person (CUST-2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInput {
    pub name: String,
    /// `` (unknown), `female`, `male`.
    pub gender: String,
    pub title: String,
    /// Several, separated by commas, semicolons or new lines.
    pub emails: String,
    pub phones: String,
    pub whatsapp: String,
    pub wechat: String,
    pub skype: String,
    pub qq: String,
    pub linkedin: String,
    /// `YYYY-MM-DD` or empty.
    pub birthday: String,
    pub notes: String,
    pub is_primary: bool,
}

impl ContactInput {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.name = e.text("name", &self.name, true, 100);
        if !matches!(self.gender.as_str(), "" | "female" | "male") {
            e.add("gender", "invalid_choice");
        }
        self.title = e.text("title", &self.title, false, 100);
        self.emails = e.text_block("emails", &self.emails, false, 500);
        if split_list(&self.emails).any(|m| !is_plausible_email(m)) {
            e.add("emails", "invalid_email");
        }
        self.phones = e.text_block("phones", &self.phones, false, 300);
        if split_list(&self.phones).any(|p| phone_key(p).is_none()) {
            e.add("phones", "invalid_phone");
        }
        for (field, value) in [
            ("whatsapp", &mut self.whatsapp),
            ("wechat", &mut self.wechat),
            ("skype", &mut self.skype),
            ("qq", &mut self.qq),
            ("linkedin", &mut self.linkedin),
        ] {
            *value = e.text(field, value, false, 200);
        }
        self.birthday = self.birthday.trim().to_string();
        if !self.birthday.is_empty() && !is_iso_date(&self.birthday) {
            e.add("birthday", "invalid_date");
        }
        self.notes = e.text_block("notes", &self.notes, false, 5000);
        e.into_result()?;
        Ok(self)
    }
}

fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    crate::validate::is_real_date(y, m, d)
}

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

    #[test]
    fn customer_rules() {
        let ok = CustomerInput {
            name: "  Acme Valves Ltd ".into(),
            website: "www.acme.com".into(),
            phones: "+1 555 0100 200, 0574-8765-4321".into(),
            email: "sales@acme.com".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.name, "Acme Valves Ltd");
        assert_eq!(ok.stage, "reserve");
        assert_eq!(ok.party_kind, "customer");
        let bad = CustomerInput {
            name: "".into(),
            stage: "somewhere".into(),
            website: "nonsense".into(),
            phones: "12".into(),
            email: "x@".into(),
            rating: 9,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let DomainError::Invalid(e) = bad else {
            panic!("invalid")
        };
        for (f, c) in [
            ("name", "required"),
            ("stage", "invalid_choice"),
            ("website", "invalid_website"),
            ("phones", "invalid_phone"),
            ("email", "invalid_email"),
            ("rating", "out_of_range"),
        ] {
            assert_eq!(e.get(f), Some(c), "{f}");
        }
        assert_eq!(Sharing::for_owners(0), Sharing::Shared);
        assert_eq!(Sharing::for_owners(2), Sharing::Collaborative);
    }

    #[test]
    fn contact_rules() {
        let bad = ContactInput {
            name: "Tom".into(),
            emails: "tom@acme.com, nope".into(),
            birthday: "1990-13-01".into(),
            gender: "x".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let DomainError::Invalid(e) = bad else {
            panic!("invalid")
        };
        assert_eq!(e.get("emails"), Some("invalid_email"));
        assert_eq!(e.get("birthday"), Some("invalid_date"));
        assert_eq!(e.get("gender"), Some("invalid_choice"));
    }
}
