//! message/partial (RFC 2046 §5.2.2): recognising a piece (`id`, `number`, `total`) and
//! putting a complete set of pieces back together into the whole message (§5.2.2.1):
//! the first piece's header fields except `Content-*`, `Subject`, `Message-ID`,
//! `Encrypted` and `MIME-Version`, then those fields of the enclosed message, then the
//! enclosed body followed by the bodies of the other pieces in order. Pure functions.

/// What a message/partial piece says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialInfo {
    pub id: String,
    pub number: u32,
    /// Only required on the last piece.
    pub total: Option<u32>,
}

/// The piece's `Content-Type: message/partial` parameters, when it is a piece.
pub fn partial_info(raw: &[u8]) -> Option<PartialInfo> {
    let (fields, _) = split_head(raw);
    let ct = fields
        .iter()
        .find(|f| field_name(f).eq_ignore_ascii_case(b"content-type"))?;
    let value = String::from_utf8_lossy(&ct[field_name(ct).len() + 1..]).replace(['\r', '\n'], "");
    let mut parts = value.split(';');
    if !parts.next()?.trim().eq_ignore_ascii_case("message/partial") {
        return None;
    }
    let (mut id, mut number, mut total) = (None, None, None);
    for p in parts {
        let Some((k, v)) = p.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"').to_string();
        match k.trim().to_ascii_lowercase().as_str() {
            "id" => id = Some(v),
            "number" => number = v.parse().ok(),
            "total" => total = v.parse().ok(),
            _ => {}
        }
    }
    let number = number.filter(|&n| n >= 1)?;
    Some(PartialInfo {
        id: id.filter(|i| !i.is_empty())?,
        number,
        total: total.filter(|&t| t >= number),
    })
}

/// The total number of pieces, when some piece of the set says it.
pub fn total_of(infos: &[PartialInfo]) -> Option<u32> {
    infos.iter().find_map(|i| i.total)
}

/// The whole message from its pieces in order (piece 1 first); `None` unless there are
/// pieces numbered exactly 1..=n of one id.
pub fn reassemble(pieces: &[&[u8]]) -> Option<Vec<u8>> {
    let first = *pieces.first()?;
    let infos: Vec<PartialInfo> = pieces
        .iter()
        .map(|p| partial_info(p))
        .collect::<Option<_>>()?;
    let total = total_of(&infos)? as usize;
    if total != pieces.len()
        || infos
            .iter()
            .enumerate()
            .any(|(k, i)| i.number as usize != k + 1 || i.id != infos[0].id)
    {
        return None;
    }
    let (outer, enclosed) = split_head(first);
    let (inner, inner_body) = split_head(enclosed);
    let eol: &[u8] = if first.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut out = Vec::new();
    for f in outer.iter().filter(|f| !is_enclosed_field(field_name(f))) {
        out.extend_from_slice(f);
    }
    for f in inner.iter().filter(|f| is_enclosed_field(field_name(f))) {
        out.extend_from_slice(f);
    }
    out.extend_from_slice(eol);
    out.extend_from_slice(inner_body);
    for p in &pieces[1..] {
        out.extend_from_slice(split_head(p).1);
    }
    Some(out)
}

/// The fields taken from the enclosed message rather than the first piece.
fn is_enclosed_field(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with(b"content-")
        || matches!(
            lower.as_slice(),
            b"subject" | b"message-id" | b"encrypted" | b"mime-version"
        )
}

/// The header fields (each with its folded lines and line ends) and the body after the
/// empty line.
fn split_head(raw: &[u8]) -> (Vec<&[u8]>, &[u8]) {
    let mut fields: Vec<&[u8]> = Vec::new();
    let mut pos = 0;
    let mut field_start = 0;
    while pos < raw.len() {
        let end = raw[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |p| pos + p + 1);
        let line = &raw[pos..end];
        if line == b"\n" || line == b"\r\n" {
            if pos > field_start {
                fields.push(&raw[field_start..pos]);
            }
            return (fields, &raw[end..]);
        }
        let folded = matches!(line.first(), Some(b' ' | b'\t'));
        if !folded && pos > field_start {
            fields.push(&raw[field_start..pos]);
            field_start = pos;
        }
        pos = end;
    }
    if pos > field_start {
        fields.push(&raw[field_start..pos]);
    }
    (fields, b"")
}

fn field_name(field: &[u8]) -> &[u8] {
    let colon = field.iter().position(|&b| b == b':').unwrap_or(field.len());
    &field[..colon.min(field.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parameters() {
        let p = b"Subject: x\nContent-Type: message/partial;\n\tid=\"abc@x\"; number=2; total=3\n\nbody";
        assert_eq!(
            partial_info(p),
            Some(PartialInfo {
                id: "abc@x".into(),
                number: 2,
                total: Some(3)
            })
        );
        assert_eq!(partial_info(b"Content-Type: text/plain\n\nx"), None);
        assert_eq!(
            partial_info(b"Content-Type: message/partial; number=1\n\nx"),
            None
        );
    }

    #[test]
    fn incomplete_sets_are_not_reassembled() {
        let one = b"Content-Type: message/partial; id=a; number=1; total=2\n\nSubject: s\n\nbody";
        assert_eq!(reassemble(&[one]), None);
    }
}
