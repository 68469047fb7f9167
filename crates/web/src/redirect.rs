//! Where the app sends the browser after an action: every target built from request
//! data passes [`same_site_path`], so a `back=` or saved query can neither leave the
//! site nor put a line break into the `Location` header.

use axum::response::{IntoResponse, Redirect, Response};

use crate::error::AppError;

/// The target if it is a path on this site: one leading `/` (not `//`, which browsers
/// read as another host), no `\` (read as `/` by browsers) and no control characters
/// (CR / LF would split the header). Anything else is a bad request.
pub fn same_site_path(target: &str) -> Result<&str, AppError> {
    let ok = target.starts_with('/')
        && !target.starts_with("//")
        && !target.contains('\\')
        && !target.chars().any(char::is_control);
    if ok {
        Ok(target)
    } else {
        Err(AppError::BadRequest)
    }
}

/// A 303 to a checked same-site path.
pub fn to(target: &str) -> Result<Response, AppError> {
    Ok(Redirect::to(same_site_path(target)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn only_paths_of_this_site_pass() {
        for good in [
            "/",
            "/customers?q=a%20b",
            "/mail?view=inbox&m=3",
            "/customers?q=中文",
        ] {
            assert!(same_site_path(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "customers",
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "/customers\r\nSet-Cookie: x=1",
            "/mail?view=inbox\n",
            "/a\tb",
            "/a\0b",
            "/a\u{7f}",
        ] {
            assert!(same_site_path(bad).is_err(), "{bad:?}");
        }
    }
}
