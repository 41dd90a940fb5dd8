//! Values of string and rune literals, from their source text (as kept in the AST).
//!
//! Go strings are byte strings: `\x` and octal escapes produce single bytes, `\u` and `\U`
//! escapes UTF-8 encoded code points. Raw strings drop their carriage returns. The scanner
//! has already reported malformed literals; for those the functions return None.

/// The bytes of a string literal (`"..."` or `` `...` ``).
pub fn unquote_string(text: &str) -> Option<Vec<u8>> {
    let b = text.as_bytes();
    if b.len() >= 2 && b[0] == b'`' && b[b.len() - 1] == b'`' {
        return Some(b[1..b.len() - 1].iter().copied().filter(|&c| c != b'\r').collect());
    }
    if b.len() < 2 || b[0] != b'"' || b[b.len() - 1] != b'"' {
        return None;
    }
    let body = &b[1..b.len() - 1];
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' {
            out.push(body[i]);
            i += 1;
            continue;
        }
        let (value, len) = escape(&body[i + 1..], b'"')?;
        push_value(&mut out, value);
        i += 1 + len;
    }
    Some(out)
}

/// The code point of a rune literal (`'x'`, `'\n'`, `'\377'`, ...).
pub fn unquote_rune(text: &str) -> Option<u32> {
    let b = text.as_bytes();
    if b.len() < 3 || b[0] != b'\'' || b[b.len() - 1] != b'\'' {
        return None;
    }
    let body = &b[1..b.len() - 1];
    let (value, len) = if body[0] == b'\\' {
        let (v, n) = escape(&body[1..], b'\'')?;
        let v = match v {
            Escaped::Byte(x) => x as u32,
            Escaped::Char(c) => c,
        };
        (v, n + 1)
    } else {
        let s = std::str::from_utf8(body).ok()?;
        let c = s.chars().next()?;
        (c as u32, c.len_utf8())
    };
    (len == body.len()).then_some(value)
}

/// A decoded escape sequence: a single byte (`\x`, octal) or a code point.
enum Escaped {
    Byte(u8),
    Char(u32),
}

fn push_value(out: &mut Vec<u8>, v: Escaped) {
    match v {
        Escaped::Byte(x) => out.push(x),
        Escaped::Char(c) => {
            let ch = char::from_u32(c).unwrap_or('\u{FFFD}');
            let mut buf = [0; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        }
    }
}

/// Decodes the escape sequence after a backslash; returns its value and length.
fn escape(s: &[u8], quote: u8) -> Option<(Escaped, usize)> {
    let c = *s.first()?;
    let simple = match c {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'f' => Some(0x0C),
        b'n' => Some(0x0A),
        b'r' => Some(0x0D),
        b't' => Some(0x09),
        b'v' => Some(0x0B),
        b'\\' => Some(b'\\' as u32),
        _ if c == quote => Some(c as u32),
        _ => None,
    };
    if let Some(v) = simple {
        return Some((Escaped::Char(v), 1));
    }
    let (digits, base) = match c {
        b'0'..=b'7' => (3, 8),
        b'x' => (2, 16),
        b'u' => (4, 16),
        b'U' => (8, 16),
        _ => return None,
    };
    let start = if base == 8 { 0 } else { 1 };
    let hex = s.get(start..start + digits)?;
    let v = u32::from_str_radix(std::str::from_utf8(hex).ok()?, base).ok()?;
    let len = start + digits;
    match c {
        b'0'..=b'7' | b'x' => (v <= 255).then_some((Escaped::Byte(v as u8), len)),
        _ => char::from_u32(v).map(|_| (Escaped::Char(v), len)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings() {
        assert_eq!(unquote_string("\"hello, world\"").unwrap(), b"hello, world");
        assert_eq!(unquote_string("\"a\\tb\\n\\\\\\\"\"").unwrap(), b"a\tb\n\\\"");
        assert_eq!(unquote_string("\"\\x41\\101\\u00e9\\U0001F600\"").unwrap(), "AAé😀".as_bytes());
        assert_eq!(unquote_string("\"\\xff\\377\"").unwrap(), vec![0xFF, 0xFF]);
        assert_eq!(unquote_string("\"日本\"").unwrap(), "日本".as_bytes());
        assert_eq!(unquote_string("`raw\\n\r\nline`").unwrap(), b"raw\\n\nline");
        assert_eq!(unquote_string("\"\\q\""), None);
        assert_eq!(unquote_string("\"\\'\""), None);
        assert_eq!(unquote_string("\"\\400\""), None);
        assert_eq!(unquote_string("\"\\ud800\""), None);
    }

    #[test]
    fn runes() {
        assert_eq!(unquote_rune("'a'"), Some(97));
        assert_eq!(unquote_rune("'é'"), Some(0xE9));
        assert_eq!(unquote_rune("'\\n'"), Some(10));
        assert_eq!(unquote_rune("'\\''"), Some(39));
        assert_eq!(unquote_rune("'\\377'"), Some(255));
        assert_eq!(unquote_rune("'\\xff'"), Some(255));
        assert_eq!(unquote_rune("'\\u263a'"), Some(0x263A));
        assert_eq!(unquote_rune("'\\U0010FFFF'"), Some(0x10FFFF));
        assert_eq!(unquote_rune("'ab'"), None);
        assert_eq!(unquote_rune("'\\\"'"), None);
        assert_eq!(unquote_rune("''"), None);
    }
}
