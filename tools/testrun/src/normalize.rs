//! The few parts of a testdata program's output that cannot be the same byte for byte
//! across checkouts, targets and compilers, rewritten the same way in expected and
//! actual output before they are compared:
//!
//! - the absolute path of the testdata directory (tracebacks name source files by the
//!   path they were compiled from) becomes `$TESTDATA`;
//! - the PC offset at the end of a traceback location line (`\t/path/f.go:9 +0x8b`;
//!   it differs between amd64 and arm64, and between gc and goclift) is dropped;
//! - the faulting PC in a `[signal SIGSEGV: ... pc=0x47f3a6]` line becomes `pc=0x?`;
//! - the argument words of a traceback frame (`main.f(0x1, {0x4b2f40, 0x3})`, a line
//!   followed by a tab-indented location line) become `(...)`: gc prints words from its
//!   stack and spill slots (`0x0?` where unsure), goclift prints `(...)` for any
//!   function with arguments; whether a frame has arguments is still compared;
//! - a goroutine id other than 1 in a `goroutine N [status]:` header becomes `N`: gc's
//!   own ids for later goroutines depend on which P the main goroutine runs on (5 or 17
//!   for the first one, from run to run).

/// Applies the rewrites to `output` of a program whose sources are in `dir`.
pub fn normalize(output: &[u8], dir: &str) -> Vec<u8> {
    let text = replace_all(output, format!("{dir}/").as_bytes(), b"$TESTDATA/");
    let mut out = Vec::with_capacity(text.len());
    let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let (body, newline) = match line.strip_suffix(b"\n") {
            Some(body) => (body, &b"\n"[..]),
            None => (*line, &b""[..]),
        };
        let location_follows = lines.get(i + 1).is_some_and(|next| next.starts_with(b"\t") && next.contains(&b':'));
        if body.starts_with(b"\t") {
            out.extend_from_slice(strip_pc_offset(body));
        } else if body.starts_with(b"[signal ") {
            out.extend_from_slice(&mask_signal_pc(body));
        } else if body.starts_with(b"goroutine ") {
            out.extend_from_slice(&mask_goroutine_id(body));
        } else if location_follows {
            out.extend_from_slice(&elide_arguments(body));
        } else {
            out.extend_from_slice(body);
        }
        out.extend_from_slice(newline);
    }
    out
}

/// `main.f(0x1, {0x2})` -> `main.f(...)`; `main.f()` and lines that do not end in an
/// argument list stay as they are.
fn elide_arguments(line: &[u8]) -> Vec<u8> {
    if !line.ends_with(b")") {
        return line.to_vec();
    }
    let mut depth = 0;
    for i in (0..line.len()).rev() {
        match line[i] {
            b')' | b'}' => depth += 1,
            b'(' | b'{' => {
                depth -= 1;
                if depth == 0 {
                    if line[i] != b'(' || i + 2 == line.len() {
                        return line.to_vec();
                    }
                    let mut out = line[..=i].to_vec();
                    out.extend_from_slice(b"...)");
                    return out;
                }
            }
            _ => {}
        }
    }
    line.to_vec()
}

/// `goroutine 17 [chan send]:` -> `goroutine N [chan send]:`; goroutine 1 stays.
fn mask_goroutine_id(line: &[u8]) -> Vec<u8> {
    let rest = &line[b"goroutine ".len()..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || !rest[digits..].starts_with(b" [") || &rest[..digits] == b"1" {
        return line.to_vec();
    }
    let mut out = b"goroutine N".to_vec();
    out.extend_from_slice(&rest[digits..]);
    out
}

fn replace_all(text: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    if from.is_empty() {
        return text.to_vec();
    }
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    out
}

/// `\tfile.go:9 +0x8b` -> `\tfile.go:9`.
fn strip_pc_offset(line: &[u8]) -> &[u8] {
    let Some(space) = line.iter().rposition(|&b| b == b' ') else { return line };
    let suffix = &line[space + 1..];
    match suffix.strip_prefix(b"+0x") {
        Some(hex) if !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit) => &line[..space],
        _ => line,
    }
}

/// `... pc=0x47f3a6]` -> `... pc=0x?]`.
fn mask_signal_pc(line: &[u8]) -> Vec<u8> {
    let marker = b"pc=0x";
    let Some(start) = line.windows(marker.len()).position(|w| w == marker) else { return line.to_vec() };
    let digits_start = start + marker.len();
    let digits = line[digits_start..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 {
        return line.to_vec(); // already masked
    }
    let mut out = line[..digits_start].to_vec();
    out.push(b'?');
    out.extend_from_slice(&line[digits_start + digits..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceback_is_normalized() {
        let got = b"before\npanic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.main()\n\t/w/testdata/panics.go:9 +0x8b\nexit\n";
        let want = "before\npanic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.main()\n\t$TESTDATA/panics.go:9\nexit\n";
        assert_eq!(String::from_utf8(normalize(got, "/w/testdata")).unwrap(), want);
    }

    #[test]
    fn signal_pc_is_masked() {
        let got = b"[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47f3a6]\n";
        let want = "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x?]\n";
        assert_eq!(String::from_utf8(normalize(got, "/x")).unwrap(), want);
    }

    #[test]
    fn other_output_is_untouched() {
        let text = b"a +0x8b\n\tnot hex +0xzz\n\tx +0x\nno newline";
        assert_eq!(normalize(text, "/nowhere"), text.to_vec());
        assert_eq!(normalize(b"", "/x"), b"".to_vec());
    }

    #[test]
    fn frame_arguments_and_goroutine_ids_are_masked() {
        let got = b"goroutine 17 [chan send]:\nmain.T.Val({0x60?}, 0x1?)\n\t/d/f.go:5 +0x36\nmain.main()\n\t/d/f.go:9\npanic({0x45d5a0, 0x47ca48})\n\t/g/panic.go:884 +0x212\ngoroutine 1 [running]:\nnot(a frame)\n";
        let want = "goroutine N [chan send]:\nmain.T.Val(...)\n\t$TESTDATA/f.go:5\nmain.main()\n\t$TESTDATA/f.go:9\npanic(...)\n\t/g/panic.go:884\ngoroutine 1 [running]:\nnot(a frame)\n";
        assert_eq!(String::from_utf8(normalize(got, "/d")).unwrap(), want);
        assert_eq!(elide_arguments(b"main.(*T).M(...)"), b"main.(*T).M(...)".to_vec());
        assert_eq!(elide_arguments(b"x)"), b"x)".to_vec());
    }

    #[test]
    fn idempotent() {
        let once = normalize(b"goroutine 5 [x]:\nf(0x1)\n\t/d/f.go:1 +0x1\n[signal X pc=0xff]\n", "/d");
        assert_eq!(normalize(&once, "/d"), once);
    }
}
