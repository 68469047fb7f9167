//! Days as people write them in files, forms and query conditions (`2026-11-23`,
//! `2026/11/23`, `2026.11.23`, an ISO date-time), read into the one normal form.

/// `2026-11-23`, `2026/11/23` or an ISO date-time → `2026-11-23`; anything that is not
/// a real calendar day → `None`.
pub fn normal_date(s: &str) -> Option<String> {
    let day = s.trim().get(..10).unwrap_or(s.trim());
    if !is_date(day) {
        return None;
    }
    let parts: Vec<&str> = day.split(['-', '/', '.']).collect();
    Some(format!("{}-{:0>2}-{:0>2}", parts[0], parts[1], parts[2]))
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => crate::validate::is_real_date(y, m, d),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::normal_date;

    #[test]
    fn written_days_read_into_one_form() {
        assert_eq!(normal_date("2026/1/5").as_deref(), Some("2026-01-05"));
        assert_eq!(normal_date(" 2026.11.23 ").as_deref(), Some("2026-11-23"));
        assert_eq!(
            normal_date("2026-11-23T08:00:00Z").as_deref(),
            Some("2026-11-23")
        );
        assert_eq!(normal_date("2026-02-30"), None);
        assert_eq!(normal_date("23/11/2026"), None);
        assert_eq!(normal_date(""), None);
    }
}
