//! A minimal DER writer for the CMS structures Vanthu builds (ITU-T X.690): a
//! tag, its definite length, its content. Parsed input goes through the `der` and
//! `x509-cert` crates; only output is written by hand, so the signed attributes are
//! exactly the ones PAdES B-B asks for.

/// A TLV with `tag` around `content`.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A SEQUENCE of already-encoded elements.
pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A SET OF already-encoded elements, sorted by their encodings (DER, X.690 11.6).
pub fn set_of(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut sorted = parts.to_vec();
    sorted.sort();
    tlv(0x31, &sorted.concat())
}

/// An OCTET STRING.
pub fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(0x04, bytes)
}

/// A small non-negative INTEGER.
pub fn small_int(n: u8) -> Vec<u8> {
    if n < 0x80 { tlv(0x02, &[n]) } else { tlv(0x02, &[0, n]) }
}

/// An OBJECT IDENTIFIER from its dotted text (the arcs Vanthu uses are constants).
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().expect("a constant OID")).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        chunk.reverse();
        body.extend(chunk);
    }
    tlv(0x06, &body)
}

/// NULL.
pub const NULL: [u8; 2] = [0x05, 0x00];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_encodings() {
        // sha256 = 2.16.840.1.101.3.4.2.1 encodes to 06 09 60 86 48 01 65 03 04 02 01.
        assert_eq!(oid("2.16.840.1.101.3.4.2.1"), [6, 9, 0x60, 0x86, 0x48, 1, 0x65, 3, 4, 2, 1]);
        assert_eq!(tlv(4, &[0u8; 200])[..3], [4, 0x81, 200]);
        assert_eq!(tlv(4, &[0u8; 300])[..4], [4, 0x82, 1, 44]);
        assert_eq!(set_of(&[vec![2, 1, 5], vec![2, 1, 3]]), [0x31, 6, 2, 1, 3, 2, 1, 5]);
        assert_eq!(small_int(200), [2, 2, 0, 200]);
    }
}
