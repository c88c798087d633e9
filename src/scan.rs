//! Byte scanning for hot loops over text and HTML, eight bytes at a time on a `u64` (no unsafe):
//! where the next byte of a small set is, and which of eight ASCII bytes are spaces.
//!
//! Each test below on a `u64` of eight bytes gives a mask with the high bit of each matching
//! byte set, and is exact for every byte value (no false matches from carries between bytes).

const HI: u64 = 0x8080_8080_8080_8080;
const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const ONES: u64 = 0x0101_0101_0101_0101;

/// The bytes of `x` equal to `c`.
#[inline]
fn eq(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * c as u64);
    !(((y & LO7) + LO7) | y) & HI
}

/// The bytes of `x` below `n` (`n` ≤ 0x80).
#[inline]
fn below(x: u64, n: u8) -> u64 {
    !(((x & LO7) + ONES * (0x80 - n as u64)) | x) & HI
}

/// The first byte of `b` at or after `from` for which `mask` (of eight bytes) has its high bit
/// set, or `b.len()`; bytes of a last partial word are tested one at a time with `one`.
#[inline]
fn first(b: &[u8], from: usize, mask: impl Fn(u64) -> u64, one: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let m = mask(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| one(c))
        .map_or(b.len(), |k| i + k)
}

/// The next byte at or after `from` that a JSON string must escape: `"`, `\` or a control
/// character below U+0020; `b.len()` if none.
pub fn json_special(b: &[u8], from: usize) -> usize {
    first(
        b,
        from,
        |x| eq(x, b'"') | eq(x, b'\\') | below(x, 0x20),
        |c| c == b'"' || c == b'\\' || c < 0x20,
    )
}

/// The next byte at or after `from` that may start a control character in UTF-8: below 0x20,
/// DEL (0x7F), or 0xC2 (which starts U+0080–U+00BF, the C1 controls among them); `b.len()` if
/// none.
pub fn control_start(b: &[u8], from: usize) -> usize {
    first(
        b,
        from,
        |x| below(x, 0x20) | eq(x, 0x7f) | eq(x, 0xc2),
        |c| c < 0x20 || c == 0x7f || c == 0xc2,
    )
}

/// The next mark of `markdown::html` (a byte from 0 to 4) at or after `from`; `b.len()` if none.
pub fn marks(b: &[u8], from: usize) -> usize {
    first(b, from, |x| below(x, 5), |c| c < 5)
}

/// The next byte at or after `from` that HTML text must escape (`&<>"'`); `b.len()` if none.
pub fn html_special(b: &[u8], from: usize) -> usize {
    first(
        b,
        from,
        |x| eq(x, b'&') | eq(x, b'<') | eq(x, b'>') | eq(x, b'"') | eq(x, b'\''),
        |c| matches!(c, b'&' | b'<' | b'>' | b'"' | b'\''),
    )
}

/// The next byte at or after `from` that is `&`, a control character (below U+0020, or DEL)
/// or a space: the bytes text needs looked at when its whitespace is collapsed and its
/// entities decoded. A space is only reported when it follows a space, or is at `from` with
/// `space_before`; `b.len()` if none.
pub fn text_special(b: &[u8], from: usize, space_before: bool) -> usize {
    let mut i = from;
    let mut prev_space = space_before;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let sp = eq(x, b' ');
        // A space whose previous byte (in this word, or the last of the one before) is a space.
        let doubled = sp & ((sp << 8) | if prev_space { 0x80 } else { 0 });
        let m = eq(x, b'&') | below(x, 0x20) | eq(x, 0x7f) | doubled;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        prev_space = sp >> 63 != 0;
        i += 8;
    }
    while i < b.len() {
        let c = b[i];
        if c == b'&' || c < 0x20 || c == 0x7f || (c == b' ' && prev_space) {
            return i;
        }
        prev_space = c == b' ';
        i += 1;
    }
    b.len()
}

/// For eight bytes that are all ASCII (`None` if one is not): one bit per byte, byte k at bit k,
/// set where the byte is whitespace as `char::is_whitespace` has it (' ', '\t', '\n', '\x0b',
/// '\x0c', '\r').
pub fn ascii_spaces(x: u64) -> Option<u32> {
    if x & HI != 0 {
        return None;
    }
    let spaces = eq(x, b' ') | (!below(x, 9) & below(x, 14));
    // Each byte's high bit moved down to bit 0 of its byte, then gathered by one multiply (no
    // two partial products meet, so nothing carries).
    Some(((spaces >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every scan against a byte-at-a-time reference, on texts that put each kind of byte at
    /// every position of a word and at the edges of the text (all 256 byte values included).
    #[test]
    fn scans_agree_with_a_byte_at_a_time_reference() {
        let json = |c: u8| c == b'"' || c == b'\\' || c < 0x20;
        let html = |c: u8| matches!(c, b'&' | b'<' | b'>' | b'"' | b'\'');
        let mut seed: u64 = 11;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let alphabet: Vec<u8> = (0..=255u8).chain(*b"  aaaa  bbb ").collect();
        for _ in 0..20_000 {
            let len = next() % 40;
            let b: Vec<u8> = (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            let from = if len == 0 { 0 } else { next() % (len + 1) };
            let space_before = next() % 2 == 0;
            let reference = |f: &dyn Fn(u8) -> bool| {
                b[from..]
                    .iter()
                    .position(|&c| f(c))
                    .map_or(b.len(), |k| from + k)
            };
            assert_eq!(
                json_special(&b, from),
                reference(&json),
                "{b:?} from {from}"
            );
            assert_eq!(
                html_special(&b, from),
                reference(&html),
                "{b:?} from {from}"
            );
            assert_eq!(
                control_start(&b, from),
                reference(&|c| c < 0x20 || c == 0x7f || c == 0xc2),
                "{b:?} from {from}"
            );
            let text = (from..b.len())
                .find(|&k| {
                    let c = b[k];
                    let prev = if k == from {
                        space_before
                    } else {
                        b[k - 1] == b' '
                    };
                    c == b'&' || c < 0x20 || c == 0x7f || (c == b' ' && prev)
                })
                .unwrap_or(b.len());
            assert_eq!(
                text_special(&b, from, space_before),
                text,
                "{b:?} from {from}, space before: {space_before}"
            );
        }
    }

    #[test]
    fn ascii_spaces_are_the_whitespace_bytes_of_eight_ascii_bytes() {
        for c in 0..=255u8 {
            for k in 0..8 {
                let mut word = [b'a'; 8];
                word[k] = c;
                let want = (c < 0x80).then(|| {
                    if (c as char).is_whitespace() {
                        1u32 << k
                    } else {
                        0
                    }
                });
                assert_eq!(
                    ascii_spaces(u64::from_le_bytes(word)),
                    want,
                    "byte {c:#x} at {k}"
                );
            }
        }
        assert_eq!(
            ascii_spaces(u64::from_le_bytes(*b" \t\n\x0b\x0c\r  ")),
            Some(0xff)
        );
    }
}
