//! Company settings (SPEC BASE-2) with their defaults and limits.

use crate::DomainError;
use crate::money::Currency;
use crate::validate::FieldErrors;
use crate::zone::Zone;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanySettings {
    pub company_name: String,
    pub company_name_en: String,
    pub address: String,
    pub phone: String,
    pub website: String,
    /// After-sales revisit is planned this many days after an order (SPEC PIPE-6).
    pub revisit_after_sale_days: i64,
    /// Seconds between two messages of a mass mailing (SPEC OUT-1).
    pub mass_mail_interval_seconds: i64,
    /// Working hours, "HH:MM".
    pub work_start: String,
    pub work_end: String,
    /// The company's time zone: its days, "today" and every time shown.
    pub time_zone: Zone,
    /// Link mail to a customer by its company domain too (LINK-1), never by a free-mail
    /// domain.
    pub match_company_domains: bool,
    /// The free-mail domains domain matching skips, one per line.
    pub free_mail_domains: Vec<String>,
    /// Pending also lists mail from colleagues (the company's own domains).
    pub pending_internal: bool,
    /// Pending also lists mail a machine sent (notifications, newsletters).
    pub pending_notifications: bool,
    /// The company's own currency: exchange rates are against it, pipeline values and
    /// totals are shown in it (issue 18).
    pub base_currency: Currency,
}

impl Default for CompanySettings {
    fn default() -> Self {
        CompanySettings {
            company_name: String::new(),
            company_name_en: String::new(),
            address: String::new(),
            phone: String::new(),
            website: String::new(),
            revisit_after_sale_days: 30,
            mass_mail_interval_seconds: 30,
            work_start: "09:00".into(),
            work_end: "18:00".into(),
            time_zone: Zone::default(),
            match_company_domains: true,
            free_mail_domains: crate::mail::link::parse_domain_list(
                &crate::mail::link::FREE_MAIL_DEFAULT.join("\n"),
            ),
            pending_internal: false,
            pending_notifications: false,
            base_currency: Currency::cny(),
        }
    }
}

/// The keys under which the settings are stored, in display order.
pub const KEYS: [&str; 15] = [
    "company_name",
    "company_name_en",
    "address",
    "phone",
    "website",
    "revisit_after_sale_days",
    "mass_mail_interval_seconds",
    "work_start",
    "work_end",
    "time_zone",
    "match_company_domains",
    "free_mail_domains",
    "pending_internal",
    "pending_notifications",
    "base_currency",
];

fn is_clock(value: &str) -> bool {
    let Some((h, m)) = value.split_once(':') else {
        return false;
    };
    h.len() == 2
        && m.len() == 2
        && h.parse::<u8>().is_ok_and(|h| h < 24)
        && m.parse::<u8>().is_ok_and(|m| m < 60)
}

impl CompanySettings {
    /// Builds settings from stored (key, value) pairs; missing or unreadable values fall
    /// back to the default.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut s = CompanySettings::default();
        for (k, v) in pairs {
            // Stored values were validated on the way in; a bad one keeps the default.
            let _ = s.set(k, v);
        }
        s
    }

    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "company_name" => self.company_name.clone(),
            "company_name_en" => self.company_name_en.clone(),
            "address" => self.address.clone(),
            "phone" => self.phone.clone(),
            "website" => self.website.clone(),
            "revisit_after_sale_days" => self.revisit_after_sale_days.to_string(),
            "mass_mail_interval_seconds" => self.mass_mail_interval_seconds.to_string(),
            "work_start" => self.work_start.clone(),
            "work_end" => self.work_end.clone(),
            "time_zone" => self.time_zone.name().to_string(),
            "match_company_domains" => if self.match_company_domains { "1" } else { "0" }.into(),
            "free_mail_domains" => self.free_mail_domains.join("\n"),
            "pending_internal" => if self.pending_internal { "1" } else { "0" }.into(),
            "pending_notifications" => if self.pending_notifications { "1" } else { "0" }.into(),
            "base_currency" => self.base_currency.code().to_string(),
            _ => return None,
        })
    }

    /// Sets one field from text; returns an error code when the value is unacceptable.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), &'static str> {
        let value = value.trim();
        let number = |min: i64, max: i64| -> Result<i64, &'static str> {
            let n: i64 = value.parse().map_err(|_| "not_a_number")?;
            if (min..=max).contains(&n) {
                Ok(n)
            } else {
                Err("out_of_range")
            }
        };
        let text = |max: usize| -> Result<String, &'static str> {
            if value.chars().count() > max {
                Err("too_long")
            } else {
                Ok(value.to_string())
            }
        };
        match key {
            "company_name" => self.company_name = text(200)?,
            "company_name_en" => self.company_name_en = text(200)?,
            "address" => self.address = text(500)?,
            "phone" => self.phone = text(60)?,
            "website" => self.website = text(200)?,
            "revisit_after_sale_days" => self.revisit_after_sale_days = number(0, 3650)?,
            "mass_mail_interval_seconds" => self.mass_mail_interval_seconds = number(0, 86_400)?,
            "work_start" | "work_end" => {
                if !is_clock(value) {
                    return Err("invalid_time");
                }
                if key == "work_start" {
                    self.work_start = value.to_string();
                } else {
                    self.work_end = value.to_string();
                }
            }
            "time_zone" => self.time_zone = Zone::named(value)?,
            "base_currency" => {
                self.base_currency = Currency::from_code(value).map_err(|e| e.code())?
            }
            "match_company_domains" | "pending_internal" | "pending_notifications" => {
                let on = match value {
                    "1" | "true" => true,
                    "0" | "false" => false,
                    _ => return Err("invalid_choice"),
                };
                match key {
                    "match_company_domains" => self.match_company_domains = on,
                    "pending_internal" => self.pending_internal = on,
                    _ => self.pending_notifications = on,
                }
            }
            "free_mail_domains" => {
                text(20_000)?;
                self.free_mail_domains = crate::mail::link::parse_domain_list(value);
            }
            _ => return Err("unknown_field"),
        }
        Ok(())
    }

    /// Applies a whole form; every bad field is reported at once.
    pub fn with_changes<'a>(
        &self,
        changes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<CompanySettings, DomainError> {
        let mut next = self.clone();
        let mut errors = FieldErrors::default();
        for (k, v) in changes {
            let Some(field) = KEYS.iter().find(|key| **key == k) else {
                errors.add("form", "unknown_field");
                continue;
            };
            if let Err(code) = next.set(field, v) {
                errors.add(field, code);
            }
        }
        if next.work_start >= next.work_end && errors.get("work_end").is_none() {
            errors.add("work_end", "end_before_start");
        }
        errors.into_result().map(|_| next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_changes() {
        let s = CompanySettings::default();
        assert_eq!(s.get("revisit_after_sale_days").as_deref(), Some("30"));
        let next = s
            .with_changes([("company_name", "宁波远洋贸易"), ("work_start", "08:30")])
            .expect("valid");
        assert_eq!(next.company_name, "宁波远洋贸易");
        assert_eq!(next.work_start, "08:30");
    }

    #[test]
    fn every_bad_field_is_reported() {
        let s = CompanySettings::default();
        let Err(DomainError::Invalid(e)) = s.with_changes([
            ("revisit_after_sale_days", "-1"),
            ("work_start", "25:00"),
            ("x", "1"),
        ]) else {
            panic!("expected errors")
        };
        assert_eq!(e.get("revisit_after_sale_days"), Some("out_of_range"));
        assert_eq!(e.get("work_start"), Some("invalid_time"));
        assert_eq!(e.get("form"), Some("unknown_field"));
    }

    #[test]
    fn the_time_zone_is_an_iana_name() {
        let s = CompanySettings::default();
        assert_eq!(s.get("time_zone").as_deref(), Some("Asia/Shanghai"));
        let next = s
            .with_changes([("time_zone", "america/new_york")])
            .expect("valid");
        assert_eq!(next.get("time_zone").as_deref(), Some("America/New_York"));
        let Err(DomainError::Invalid(e)) = s.with_changes([("time_zone", "Mars/Olympus")]) else {
            panic!("expected an error")
        };
        assert_eq!(e.get("time_zone"), Some("unknown_time_zone"));
    }

    #[test]
    fn the_base_currency_defaults_to_cny_and_takes_iso_codes_only() {
        let s = CompanySettings::default();
        assert_eq!(s.get("base_currency").as_deref(), Some("CNY"));
        let next = s.with_changes([("base_currency", "usd")]).expect("valid");
        assert_eq!(next.base_currency.code(), "USD");
        let Err(DomainError::Invalid(e)) = s.with_changes([("base_currency", "RMB")]) else {
            panic!("expected an error")
        };
        assert_eq!(e.get("base_currency"), Some("unknown_currency"));
    }

    #[test]
    fn the_old_offset_key_is_ignored() {
        let s = CompanySettings::from_pairs([("utc_offset_minutes", "-300")]);
        assert_eq!(s, CompanySettings::default());
    }

    #[test]
    fn round_trip_through_pairs() {
        let s = CompanySettings {
            company_name: "A".into(),
            time_zone: Zone::named("Europe/Berlin").expect("a zone"),
            ..Default::default()
        };
        let pairs: Vec<(String, String)> = KEYS
            .iter()
            .map(|k| (k.to_string(), s.get(k).unwrap_or_default()))
            .collect();
        let back = CompanySettings::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, s);
    }
}
