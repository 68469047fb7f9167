//! The client's address for the audit log and the sign-in limits. Behind a reverse proxy
//! every connection comes from the proxy, so for connections from `trusted_proxies`
//! (CIDRs in the config) the address is read from `Forwarded` (RFC 7239) or, without
//! it, `X-Forwarded-For`: the right-most hop that is not itself a trusted proxy, since
//! everything left of it was written by the client and proves nothing.

use std::net::IpAddr;

use axum::http::{HeaderMap, header};

/// Networks whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses `10.0.0.0/8`, `127.0.0.1`, `::1`, `fd00::/8`; an unreadable entry is an
    /// error naming it.
    pub fn parse(list: &[String]) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for entry in list {
            let entry = entry.trim();
            let (addr, bits) = match entry.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (entry, None),
            };
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("trusted_proxies: {entry:?} is not an address or CIDR"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits =
                match bits {
                    Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(|| {
                        format!("trusted_proxies: {entry:?} has a bad prefix length")
                    })?,
                    None => max,
                };
            nets.push((addr, bits));
        }
        Ok(TrustedProxies(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0
            .iter()
            .any(|(net, bits)| match (canonical(*net), ip) {
                (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(&n.octets(), &a.octets(), *bits),
                (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(&n.octets(), &a.octets(), *bits),
                _ => false,
            })
    }

    /// The client behind `peer` (the connection's address).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let forwarded: Vec<&str> = headers
            .get_all(header::FORWARDED)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let hops: Vec<Option<IpAddr>> = if !forwarded.is_empty() {
            forwarded
                .iter()
                .flat_map(|v| v.split(','))
                .map(|element| {
                    element
                        .split(';')
                        .filter_map(|pair| pair.trim().split_once('='))
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                        .and_then(|(_, v)| node_address(v))
                })
                .collect()
        } else {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(node_address)
                .collect()
        };
        let mut nearest = peer;
        for hop in hops.into_iter().rev() {
            match hop {
                Some(ip) if self.contains(ip) => nearest = ip,
                Some(ip) => return canonical(ip),
                // "unknown" or an obfuscated name: the last proxy we trust is all we know.
                None => return nearest,
            }
        }
        nearest
    }
}

/// `1.2.3.4`, `1.2.3.4:80`, `"[2001:db8::1]:443"`, `2001:db8::1`.
fn node_address(raw: &str) -> Option<IpAddr> {
    let v = raw.trim().trim_matches('"');
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    if let Ok(ip) = v.parse() {
        return Some(ip);
    }
    v.rsplit_once(':')
        .filter(|(host, _)| !host.contains(':'))
        .and_then(|(host, _)| host.parse().ok())
}

/// IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let full = usize::from(bits / 8);
    let rest = bits % 8;
    if a[..full] != b[..full] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[full] & mask == b[full] & mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies() -> TrustedProxies {
        TrustedProxies::parse(&["127.0.0.1".into(), "10.0.0.0/8".into(), "fd00::/8".into()])
            .unwrap_or_default()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                *k,
                v.parse()
                    .unwrap_or_else(|_| axum::http::HeaderValue::from_static("")),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn cidrs_parse_and_match() {
        let p = proxies();
        assert!(
            p.contains(ip("10.200.3.4"))
                && p.contains(ip("127.0.0.1"))
                && p.contains(ip("fd12::1"))
        );
        assert!(p.contains(ip("::ffff:10.0.0.1")));
        assert!(
            !p.contains(ip("11.0.0.1"))
                && !p.contains(ip("127.0.0.2"))
                && !p.contains(ip("fe80::1"))
        );
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
        assert!(TrustedProxies::parse(&["proxy.local".into()]).is_err());
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let p = proxies();
        let peer = ip("127.0.0.1");
        // The client wrote the left part itself.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.1.1.1")]);
        assert_eq!(p.client(peer, &h), ip("203.0.113.7"));
        let h = headers(&[(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.2",
        )]);
        assert_eq!(p.client(peer, &h), ip("2001:db8::7"));
        let h = headers(&[("forwarded", "for=203.0.113.8:5555")]);
        assert_eq!(p.client(peer, &h), ip("203.0.113.8"));
        // Forwarded wins over X-Forwarded-For.
        let h = headers(&[
            ("forwarded", "for=203.0.113.9"),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(p.client(peer, &h), ip("203.0.113.9"));
        // Nothing forwarded, or an unknown hop: the nearest trusted proxy.
        assert_eq!(p.client(peer, &HeaderMap::new()), peer);
        let h = headers(&[("forwarded", "for=unknown, for=10.0.0.3")]);
        assert_eq!(p.client(peer, &h), ip("10.0.0.3"));
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(proxies().client(ip("203.0.113.1"), &h), ip("203.0.113.1"));
        assert_eq!(
            TrustedProxies::default().client(ip("127.0.0.1"), &h),
            ip("127.0.0.1")
        );
    }
}
