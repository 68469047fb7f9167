//! The CSRF token of an upload (a multipart form): its first field, read from the start
//! of the body while the rest streams on untouched, so the token never has to ride in
//! the URL (and the address bar) and an upload is not held in memory twice. Strict: a
//! form whose first field is not the token is refused.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use futures_util::StreamExt;

use crate::error::AppError;

/// How much of the body may come before the first field's end (its headers and the
/// token): far more than a token needs, far less than an upload.
const HEAD_LIMIT: usize = 16 * 1024;

/// The `boundary` parameter of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.trim().split_once('=')?;
        k.eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty() && b.len() <= 200)
    })
}

/// The value of the first part when it is the field `name`, else `None`; `Err` while
/// `head` does not hold the whole first part yet.
fn parse_first(head: &[u8], boundary: &str, name: &str) -> Result<Option<String>, ()> {
    let open = format!("--{boundary}\r\n");
    if head.len() < open.len() {
        return Err(());
    }
    if !head.starts_with(open.as_bytes()) {
        return Ok(None);
    }
    let rest = &head[open.len()..];
    let Some(end_of_headers) = find(rest, b"\r\n\r\n") else {
        return Err(());
    };
    let headers = String::from_utf8_lossy(&rest[..end_of_headers]).to_ascii_lowercase();
    let named = headers.lines().any(|line| {
        line.starts_with("content-disposition:")
            && line.contains("form-data")
            && line
                .split(';')
                .any(|p| p.trim() == format!("name=\"{name}\""))
    });
    if !named {
        return Ok(None);
    }
    let body = &rest[end_of_headers + 4..];
    let close = format!("\r\n--{boundary}");
    let Some(end) = find(body, close.as_bytes()) else {
        return Err(());
    };
    Ok(Some(
        String::from_utf8_lossy(&body[..end]).trim().to_string(),
    ))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads the body until its first field is complete; gives the request back with the
/// body as it was (what was read, then the rest) and the field's value ("" when the
/// first field is another one).
pub async fn first_field(
    req: Request,
    boundary: &str,
    name: &str,
) -> Result<(Request, String), AppError> {
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    // The chunks read go on as they came; only their first HEAD_LIMIT bytes are copied
    // for the parse (a test or a proxy may hand over a whole upload as one chunk).
    let mut read: Vec<Bytes> = Vec::new();
    let mut head: Vec<u8> = Vec::new();
    let value = loop {
        match parse_first(&head, boundary, name) {
            Ok(v) => break v.unwrap_or_default(),
            Err(()) if head.len() >= HEAD_LIMIT => return Err(AppError::CsrfFailed),
            Err(()) => match stream.next().await {
                Some(Ok(chunk)) => {
                    let room = HEAD_LIMIT - head.len();
                    head.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    read.push(chunk);
                }
                Some(Err(_)) => return Err(AppError::BadRequest),
                None => break String::new(),
            },
        }
    };
    let read = futures_util::stream::iter(read.into_iter().map(Ok::<Bytes, axum::Error>));
    let body = Body::from_stream(read.chain(stream));
    Ok((Request::from_parts(parts, body), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_field_and_its_boundary() {
        assert_eq!(
            boundary("multipart/form-data; boundary=\"----x1\"").as_deref(),
            Some("----x1")
        );
        assert_eq!(boundary("multipart/form-data"), None);
        let body = b"--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx\r\n--b--\r\n";
        assert_eq!(parse_first(body, "b", "_csrf"), Ok(Some("tok".into())));
        assert_eq!(parse_first(&body[..30], "b", "_csrf"), Err(()));
        let other = b"--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--b--\r\n";
        assert_eq!(parse_first(other, "b", "_csrf"), Ok(None));
        let lookalike = b"--b\r\nContent-Disposition: form-data; name=\"_csrf2\"\r\n\r\nx\r\n--b--";
        assert_eq!(parse_first(lookalike, "b", "_csrf"), Ok(None));
    }
}
