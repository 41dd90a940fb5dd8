//! UTF-8 as the runtime needs it (Go's utf8.go): decoding for range-over-string and []rune
//! conversions, encoding for string(rune) and string([]rune), rune counting.
//!
//! These are gc's algorithms, which differ from a strict decoder only in what they return for
//! bad input: every invalid or truncated sequence decodes as U+FFFD with width 1, and runes that
//! cannot be encoded (negative, surrogates, above U+10FFFF) encode as U+FFFD.

/// The "error" rune, U+FFFD (gc's runeError).
pub const RUNE_ERROR: i32 = 0xFFFD;
/// Bytes below this are single-byte runes (gc's runeSelf).
pub const RUNE_SELF: u8 = 0x80;
/// The largest Unicode code point (gc's maxRune).
pub const MAX_RUNE: i32 = 0x10FFFF;
/// Most bytes one rune encodes to (gc's utf8.UTFMax).
pub const UTF_MAX: usize = 4;

const SURROGATE_MIN: i32 = 0xD800;
const SURROGATE_MAX: i32 = 0xDFFF;

const T2: u8 = 0xC0;
const T3: u8 = 0xE0;
const T4: u8 = 0xF0;
const T5: u8 = 0xF8;
const TX: u8 = 0x80;

const MASKX: u8 = 0x3F;
const MASK2: u8 = 0x1F;
const MASK3: u8 = 0x0F;
const MASK4: u8 = 0x07;

const RUNE1_MAX: i32 = (1 << 7) - 1;
const RUNE2_MAX: i32 = (1 << 11) - 1;
const RUNE3_MAX: i32 = (1 << 16) - 1;

/// Lowest and highest continuation byte.
const LOCB: u8 = 0x80;
const HICB: u8 = 0xBF;

fn is_continuation(b: u8) -> bool {
    (LOCB..=HICB).contains(&b)
}

/// Decodes the non-ASCII rune starting at byte `k` of `s`: returns the rune and the index of
/// the byte after it (gc's decoderune). Invalid or truncated sequences give (U+FFFD, k+1), as
/// does `k >= s.len()`. Callers handle ASCII bytes themselves, as compiled range loops do: an
/// ASCII byte at `k` also gives (U+FFFD, k+1).
pub fn decoderune(s: &[u8], k: usize) -> (i32, usize) {
    if k >= s.len() {
        return (RUNE_ERROR, k + 1);
    }
    let s = &s[k..];
    let b0 = s[0];
    if (T2..T3).contains(&b0) {
        if s.len() > 1 && is_continuation(s[1]) {
            let r = ((b0 & MASK2) as i32) << 6 | (s[1] & MASKX) as i32;
            if RUNE1_MAX < r {
                return (r, k + 2);
            }
        }
    } else if (T3..T4).contains(&b0) {
        if s.len() > 2 && is_continuation(s[1]) && is_continuation(s[2]) {
            let r = ((b0 & MASK3) as i32) << 12
                | ((s[1] & MASKX) as i32) << 6
                | (s[2] & MASKX) as i32;
            if RUNE2_MAX < r && !(SURROGATE_MIN..=SURROGATE_MAX).contains(&r) {
                return (r, k + 3);
            }
        }
    } else if (T4..T5).contains(&b0)
        && s.len() > 3
        && is_continuation(s[1])
        && is_continuation(s[2])
        && is_continuation(s[3])
    {
        let r = ((b0 & MASK4) as i32) << 18
            | ((s[1] & MASKX) as i32) << 12
            | ((s[2] & MASKX) as i32) << 6
            | (s[3] & MASKX) as i32;
        if RUNE3_MAX < r && r <= MAX_RUNE {
            return (r, k + 4);
        }
    }
    (RUNE_ERROR, k + 1)
}

/// Decodes the rune at byte `k` of `s`, ASCII included (the body of a range loop over a
/// string): the rune and the index of the next one.
#[inline]
pub fn next_rune(s: &[u8], k: usize) -> (i32, usize) {
    let b = s[k];
    if b < RUNE_SELF {
        (b as i32, k + 1)
    } else {
        decoderune(s, k)
    }
}

/// Writes the UTF-8 encoding of `r` to the start of `p` and returns its length (gc's
/// encoderune). Runes that are not valid code points encode as U+FFFD. `p` must have room for
/// the encoding (`rune_len(r)` bytes; UTF_MAX always suffice).
pub fn encoderune(p: &mut [u8], r: i32) -> usize {
    let i = r as u32;
    if i <= RUNE1_MAX as u32 {
        p[0] = r as u8;
        return 1;
    }
    if i <= RUNE2_MAX as u32 {
        p[0] = T2 | (r >> 6) as u8;
        p[1] = TX | (r as u8 & MASKX);
        return 2;
    }
    let r = if i > MAX_RUNE as u32 || (SURROGATE_MIN as u32..=SURROGATE_MAX as u32).contains(&i)
    {
        RUNE_ERROR
    } else {
        r
    };
    if r <= RUNE3_MAX {
        p[0] = T3 | (r >> 12) as u8;
        p[1] = TX | ((r >> 6) as u8 & MASKX);
        p[2] = TX | (r as u8 & MASKX);
        return 3;
    }
    p[0] = T4 | (r >> 18) as u8;
    p[1] = TX | ((r >> 12) as u8 & MASKX);
    p[2] = TX | ((r >> 6) as u8 & MASKX);
    p[3] = TX | (r as u8 & MASKX);
    4
}

/// How many bytes `encoderune` writes for `r`.
pub fn rune_len(r: i32) -> usize {
    let i = r as u32;
    if i <= RUNE1_MAX as u32 {
        1
    } else if i <= RUNE2_MAX as u32 {
        2
    } else if i > MAX_RUNE as u32 || i <= RUNE3_MAX as u32 {
        // Invalid runes become U+FFFD, three bytes (surrogates are below RUNE3_MAX).
        3
    } else {
        4
    }
}

/// The number of runes in `s` as a range loop counts them (gc's countrunes): each invalid
/// byte counts as one rune.
pub fn countrunes(s: &[u8]) -> usize {
    let mut n = 0;
    let mut k = 0;
    while k < s.len() {
        k = next_rune(s, k).1;
        n += 1;
    }
    n
}

/// The rune and next index returned by `runtime.decoderune` in two registers.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuneAndPos {
    /// The decoded rune (U+FFFD for invalid input).
    pub rune: i32,
    /// The index of the byte after the rune.
    pub pos: isize,
}

/// `runtime.decoderune(s string, k int) (rune, int)`: decodes the non-ASCII rune at byte `k`
/// of the string (`ptr`, `len`), for the slow path of range over a string. Results in two
/// registers (rax:rdx, x0:x1; the rune in the low 32 bits of the first).
///
/// A leaf that calls nothing and uses a few words of stack, so it is exported without an entry
/// stub, like gc's nosplit functions (see runtime/README.md).
///
/// # Safety
/// `ptr` must point to `len` readable bytes; `0 <= k`.
#[unsafe(export_name = "runtime.decoderune")]
pub unsafe extern "C" fn decoderune_export(ptr: *const u8, len: isize, k: isize) -> RuneAndPos {
    let s = crate::string::bytes(ptr, len);
    let (rune, pos) = decoderune(s, k as usize);
    RuneAndPos {
        rune,
        pos: pos as isize,
    }
}

/// `runtime.countrunes(s string) int`: the number of runes in the string (`ptr`, `len`), for
/// `len([]rune(s))` and `utf8.RuneCountInString`-like loops. A leaf, exported without a stub.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
#[unsafe(export_name = "runtime.countrunes")]
pub unsafe extern "C" fn countrunes_export(ptr: *const u8, len: isize) -> isize {
    countrunes(crate::string::bytes(ptr, len)) as isize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rust's decoder agrees with gc's on what is valid UTF-8.
    fn std_decode(s: &[u8], k: usize) -> (i32, usize) {
        let end = (k + 4).min(s.len());
        for w in 1..=end - k {
            if let Ok(t) = core::str::from_utf8(&s[k..k + w]) {
                return (t.chars().next().unwrap() as i32, k + w);
            }
        }
        (RUNE_ERROR, k + 1)
    }

    #[test]
    fn every_code_point_round_trips() {
        let mut buf = [0u8; 4];
        for c in (0..=MAX_RUNE).filter_map(|r| char::from_u32(r as u32)) {
            let n = encoderune(&mut buf, c as i32);
            assert_eq!(&buf[..n], c.encode_utf8(&mut [0; 4]).as_bytes());
            assert_eq!(n, rune_len(c as i32));
            assert_eq!(next_rune(&buf[..n], 0), (c as i32, n));
        }
    }

    #[test]
    fn invalid_runes_encode_as_the_replacement_character() {
        let mut buf = [0u8; 4];
        for r in [-1, SURROGATE_MIN, SURROGATE_MAX, MAX_RUNE + 1, i32::MIN, i32::MAX] {
            assert_eq!(encoderune(&mut buf, r), 3, "{r:#x}");
            assert_eq!(&buf[..3], "\u{FFFD}".as_bytes());
            assert_eq!(rune_len(r), 3);
        }
    }

    #[test]
    fn every_two_and_three_byte_sequence_decodes_as_std_does() {
        for b0 in 0x80..=0xFFu8 {
            for b1 in 0..=0xFFu8 {
                let s = [b0, b1];
                assert_eq!(decoderune(&s, 0), std_decode(&s, 0), "{s:x?}");
                for b2 in [0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF] {
                    let s = [b0, b1, b2];
                    assert_eq!(decoderune(&s, 0), std_decode(&s, 0), "{s:x?}");
                }
            }
        }
    }

    #[test]
    fn four_byte_sequences_and_truncations() {
        let cases: &[&[u8]] = &[
            b"\xf0\x9f\x98\x80",
            b"\xf4\x8f\xbf\xbf",
            b"\xf4\x90\x80\x80",
            b"\xf0\x80\x80\x80",
            b"\xf0\x9f\x98",
            b"\xf8\x88\x80\x80\x80",
            b"\xed\xa0\x80",
            b"\xc0\xaf",
            b"\xe2\x82",
        ];
        for s in cases {
            assert_eq!(decoderune(s, 0), std_decode(s, 0), "{s:x?}");
        }
        assert_eq!(decoderune(b"ab", 2), (RUNE_ERROR, 3), "k at the end");
    }

    /// gc 1.19: `for i, r := range "a\xffb\xc0\xafc\xe0\x80\x80d\xed\xa0\x80e\xf4\x90\x80\x80f\xf0\x9f\x98\x80g\xe2\x82"`
    /// prints these (index, rune) pairs.
    #[test]
    fn range_over_a_string_matches_gc() {
        let s = b"a\xffb\xc0\xafc\xe0\x80\x80d\xed\xa0\x80e\xf4\x90\x80\x80f\xf0\x9f\x98\x80g\xe2\x82";
        let gc = "0:61 1:fffd 2:62 3:fffd 4:fffd 5:63 6:fffd 7:fffd 8:fffd 9:64 10:fffd 11:fffd \
                  12:fffd 13:65 14:fffd 15:fffd 16:fffd 17:fffd 18:66 19:1f600 23:67 24:fffd 25:fffd";
        let mut got = Vec::new();
        let mut k = 0;
        while k < s.len() {
            let (r, next) = next_rune(s, k);
            got.push(format!("{k}:{r:x}"));
            k = next;
        }
        assert_eq!(got.join(" "), gc);
        assert_eq!(countrunes(s), got.len());
        assert_eq!(countrunes(b""), 0);
        assert_eq!(countrunes("héllo, 世界".as_bytes()), 9);
    }

    #[test]
    fn exported_decoderune_returns_rune_and_position() {
        let s = "x世".as_bytes();
        // SAFETY: s is live.
        let got = unsafe { decoderune_export(s.as_ptr(), s.len() as isize, 1) };
        assert_eq!(got, RuneAndPos { rune: '世' as i32, pos: 4 });
        // SAFETY: s is live.
        assert_eq!(unsafe { countrunes_export(s.as_ptr(), s.len() as isize) }, 2);
    }
}
