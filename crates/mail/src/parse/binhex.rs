//! BinHex 4.0 (`.hqx`), the old Macintosh mail encoding. No maintained Rust crate
//! decodes it (checked crates.io: none for BinHex 4.0), so this is a small pure decoder
//! of the published format: 6-bit characters between `:` marks, run-length escapes
//! (0x90), a header (name, type, creator, fork lengths), the data fork, all checked
//! with CRC-16/XMODEM. The resource fork is dropped, as mail clients do off the Mac.

const ALPHABET: &[u8; 64] = b"!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr";

/// A decoded BinHex file: its name and data fork.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BinHex {
    pub name: String,
    pub data: Vec<u8>,
}

fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// Decodes the text between (and without) the two `:` marks.
pub(crate) fn decode(encoded: &[u8]) -> Option<BinHex> {
    let mut bytes = Vec::with_capacity(encoded.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in encoded {
        if c.is_ascii_whitespace() {
            continue;
        }
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Run-length: 0x90 n repeats the previous byte n-1 more times; 0x90 0 is 0x90.
    let mut data = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0x90 {
            let n = *bytes.get(i + 1)?;
            if n == 0 {
                data.push(0x90);
            } else {
                let prev = *data.last()?;
                for _ in 1..n {
                    data.push(prev);
                }
            }
            i += 2;
        } else {
            data.push(b);
            i += 1;
        }
    }
    let name_len = usize::from(*data.first()?);
    let header_len = 1 + name_len + 1 + 4 + 4 + 2 + 4 + 4;
    let header = data.get(..header_len)?;
    let stored = u16::from_be_bytes([*data.get(header_len)?, *data.get(header_len + 1)?]);
    if crc16(header) != stored {
        return None;
    }
    let len_at = 1 + name_len + 1 + 4 + 4 + 2;
    let data_len = u32::from_be_bytes(header.get(len_at..len_at + 4)?.try_into().ok()?) as usize;
    let start = header_len + 2;
    let fork = data.get(start..start.checked_add(data_len)?)?;
    let fork_crc = data.get(start + data_len..start + data_len + 2)?;
    if crc16(fork) != u16::from_be_bytes([fork_crc[0], fork_crc[1]]) {
        return None;
    }
    let name = encoding_rs::MACINTOSH
        .decode_without_bom_handling(&header[1..1 + name_len])
        .0
        .into_owned();
    Some(BinHex {
        name,
        data: fork.to_vec(),
    })
}

/// Encodes like BinHex 4.0 (no run-length compression); for tests and fixtures.
#[cfg(test)]
pub(crate) fn encode(name: &str, data: &[u8]) -> Vec<u8> {
    let mut raw = vec![name.len() as u8];
    raw.extend_from_slice(name.as_bytes());
    raw.push(0);
    raw.extend_from_slice(b"TEXTttxt");
    raw.extend_from_slice(&[0, 0]);
    raw.extend_from_slice(&(data.len() as u32).to_be_bytes());
    raw.extend_from_slice(&0u32.to_be_bytes());
    let crc = crc16(&raw);
    raw.extend_from_slice(&crc.to_be_bytes());
    raw.extend_from_slice(data);
    raw.extend_from_slice(&crc16(data).to_be_bytes());
    raw.extend_from_slice(&crc16(&[]).to_be_bytes());
    let mut escaped = Vec::new();
    for b in raw {
        escaped.push(b);
        if b == 0x90 {
            escaped.push(0);
        }
    }
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in escaped {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(ALPHABET[((acc >> bits) & 63) as usize]);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (6 - bits)) & 63) as usize]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_crc() {
        assert_eq!(crc16(b"123456789"), 0x31C3);
        let data = b"\x90\x90 price list \x00\x01";
        let enc = encode("price.txt", data);
        let d = decode(&enc).unwrap();
        assert_eq!(d.name, "price.txt");
        assert_eq!(d.data, data);
        let mut bad = enc.clone();
        bad[20] = if bad[20] == b'!' { b'"' } else { b'!' };
        assert!(decode(&bad).is_none());
    }

    #[test]
    fn run_length_repeats() {
        // Hand-made run: 'A' 0x90 0x04 gives "AAAA" (checked through the data fork).
        let mut raw = vec![1u8, b'x', 0];
        raw.extend_from_slice(b"TEXTttxt\0\0");
        raw.extend_from_slice(&4u32.to_be_bytes());
        raw.extend_from_slice(&0u32.to_be_bytes());
        let crc = crc16(&raw);
        raw.extend_from_slice(&crc.to_be_bytes());
        raw.extend_from_slice(&[b'A', 0x90, 4]);
        raw.extend_from_slice(&crc16(b"AAAA").to_be_bytes());
        raw.extend_from_slice(&[0, 0]);
        let mut out = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for b in raw {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 6 {
                bits -= 6;
                out.push(ALPHABET[((acc >> bits) & 63) as usize]);
            }
            acc &= (1 << bits) - 1;
        }
        out.push(ALPHABET[((acc << (6 - bits)) & 63) as usize]);
        assert_eq!(decode(&out).unwrap().data, b"AAAA");
    }
}
