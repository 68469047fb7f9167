//! The SMTP hop that SPF is checked against: the connecting IP and HELO name read from
//! the topmost `Received` header that the receiving side (the account's own provider)
//! added when the message came in from outside, and the envelope sender from
//! `Return-Path`. Pure: raw header bytes in, values out.

use std::net::IpAddr;

/// One `Received` hop, as far as SPF needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The name the client gave in HELO / EHLO (may be an address literal).
    pub helo: String,
    /// The connecting IP the receiving server recorded.
    pub ip: IpAddr,
    /// The receiving server (`by …`).
    pub by: String,
    /// Which `Received` header it is, counted from the top (1 = topmost).
    pub index: usize,
}

impl Hop {
    /// How the view names the hop: `helo [ip] → by (Received #n)`.
    pub fn describe(&self) -> String {
        let by = if self.by.is_empty() { "?" } else { &self.by };
        format!(
            "{} [{}] → {} (Received #{})",
            self.helo, self.ip, by, self.index
        )
    }
}

/// The header block of a message (up to the first empty line).
pub fn header_block(raw: &[u8]) -> &[u8] {
    let mut i = 0;
    while i < raw.len() {
        let rest = &raw[i..];
        if rest.starts_with(b"\r\n") || rest.starts_with(b"\n") {
            return &raw[..i];
        }
        match rest.iter().position(|&b| b == b'\n') {
            Some(n) => i += n + 1,
            None => return raw,
        }
    }
    raw
}

/// The unfolded values of every header called `name`, top first.
pub fn header_values(raw: &[u8], name: &str) -> Vec<String> {
    let block = String::from_utf8_lossy(header_block(raw));
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in block.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if let Some(c) = current.as_mut() {
                c.push(' ');
                c.push_str(line.trim());
            }
            continue;
        }
        if let Some(c) = current.take() {
            out.push(c);
        }
        if let Some((n, v)) = line.split_once(':')
            && n.trim().eq_ignore_ascii_case(name)
        {
            current = Some(v.trim().to_string());
        }
    }
    if let Some(c) = current {
        out.push(c);
    }
    out
}

/// The hop SPF is checked against: the topmost `Received` with a `from` clause and an
/// IP that is public (the provider's inner relays on private or loopback addresses
/// are passed over); if none is public, the topmost with any IP.
pub fn receiving_hop(raw: &[u8]) -> Option<Hop> {
    let hops: Vec<Hop> = header_values(raw, "Received")
        .iter()
        .enumerate()
        .filter_map(|(i, v)| parse_received(v, i + 1))
        .collect();
    hops.iter()
        .find(|h| is_public(h.ip))
        .or_else(|| hops.first())
        .cloned()
}

/// The envelope sender (MAIL FROM) the delivering server recorded in `Return-Path`
/// ("" for a null sender or none).
pub fn envelope_sender(raw: &[u8]) -> String {
    header_values(raw, "Return-Path")
        .first()
        .map(|v| {
            v.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

fn parse_received(value: &str, index: usize) -> Option<Hop> {
    let lower = value.to_ascii_lowercase();
    let rest = lower.strip_prefix("from ")?;
    let start = value.len() - rest.len();
    // The from-part ends where ` by ` begins (outside a comment).
    let from_part_end = find_outside_comments(&lower[start..], " by ").map(|i| start + i);
    let from_part = &value[start..from_part_end.unwrap_or(value.len())];
    let by = from_part_end
        .map(|i| {
            value[i + 4..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches(';')
                .to_string()
        })
        .unwrap_or_default();
    let mut helo = from_part
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c| c == '[' || c == ']')
        .to_string();
    // Exim: `from [1.2.3.4] (helo=mail.example.com)`.
    if let Some(i) = from_part.to_ascii_lowercase().find("helo=") {
        let h: String = from_part[i + 5..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != ')')
            .collect();
        if !h.is_empty() {
            helo = h.trim_matches(|c| c == '[' || c == ']').to_string();
        }
    }
    let ip = bracketed_ips(from_part)
        .into_iter()
        .last()
        .or_else(|| helo.parse().ok())?;
    Some(Hop {
        helo,
        ip,
        by,
        index,
    })
}

fn find_outside_comments(s: &str, needle: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && s[i..].starts_with(needle) => return Some(i),
            _ => {}
        }
    }
    None
}

/// Every `[address]` literal (also `[IPv6:…]`) of a text, in order.
fn bracketed_ips(s: &str) -> Vec<IpAddr> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { break };
        let inner = &after[..close];
        let inner = inner
            .strip_prefix("IPv6:")
            .or_else(|| inner.strip_prefix("ipv6:"))
            .unwrap_or(inner);
        if let Ok(ip) = inner.parse::<IpAddr>() {
            out.push(ip);
        }
        rest = &after[close + 1..];
    }
    out
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIL: &str = "Return-Path: <bounce@sender.example>\r\n\
Received: from mx.provider.example (internal.provider.example [10.1.2.3])\r\n\
\tby store.provider.example (Postfix) with ESMTP id 1; Mon, 1 Jun 2026 10:00:02 +0000\r\n\
Received: from mail.sender.example (out.sender.example [192.0.2.10])\r\n\
\tby mx.provider.example (Postfix) with ESMTPS id 2 for <me@provider.example>; Mon, 1 Jun 2026 10:00:01 +0000\r\n\
Received: from [198.51.100.99] (forged.example [203.0.113.66]) by mail.sender.example; Mon, 1 Jun 2026 10:00:00 +0000\r\n\
From: a@sender.example\r\n\r\nbody\r\nReceived: from body.example ([203.0.113.1]) by nobody\r\n";

    #[test]
    fn the_topmost_public_hop_is_the_one_from_outside() {
        let hop = receiving_hop(MAIL.as_bytes()).expect("a hop");
        assert_eq!(hop.helo, "mail.sender.example");
        assert_eq!(hop.ip, "192.0.2.10".parse::<IpAddr>().unwrap());
        assert_eq!(hop.by, "mx.provider.example");
        assert_eq!(hop.index, 2);
        assert_eq!(
            hop.describe(),
            "mail.sender.example [192.0.2.10] → mx.provider.example (Received #2)"
        );
    }

    #[test]
    fn a_loopback_only_chain_uses_its_topmost_hop() {
        let raw = b"Received: from client.test (localhost [127.0.0.1])\r\n by mx.test (Postfix); now\r\n\r\n";
        let hop = receiving_hop(raw).expect("a hop");
        assert_eq!(hop.ip, "127.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!(hop.helo, "client.test");
    }

    #[test]
    fn exim_helo_and_ipv6_literals() {
        let raw = b"Received: from [IPv6:2001:db8::5] (helo=smtp.example.org)\r\n by mx.example.net with esmtp; x\r\n\r\n";
        let hop = receiving_hop(raw).expect("a hop");
        assert_eq!(hop.helo, "smtp.example.org");
        assert_eq!(hop.ip, "2001:db8::5".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn no_received_no_hop_and_the_envelope_sender() {
        assert_eq!(receiving_hop(b"From: a@b\r\n\r\nx"), None);
        assert_eq!(envelope_sender(MAIL.as_bytes()), "bounce@sender.example");
        assert_eq!(envelope_sender(b"Return-Path: <>\r\n\r\n"), "");
    }
}
