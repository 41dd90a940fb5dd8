//! A short line diff around the first difference between expected and actual output.

use std::fmt::Write;

/// Lines of unchanged context shown before the first difference.
const CONTEXT: usize = 2;

/// Renders the first differing region of `want` and `got` as `-`/`+` lines with a little
/// context, at most `max_lines` lines per side. Empty when the two are equal.
pub fn short_diff(want: &[u8], got: &[u8], max_lines: usize) -> String {
    if want == got {
        return String::new();
    }
    let want_lines = split_lines(want);
    let got_lines = split_lines(got);
    let prefix = common_prefix(&want_lines, &got_lines);
    let suffix = common_suffix(&want_lines[prefix..], &got_lines[prefix..]);
    let mut out = String::from("--- want\n+++ got\n");
    let _ = writeln!(out, "@@ line {} @@", prefix + 1);
    for line in &want_lines[prefix.saturating_sub(CONTEXT)..prefix] {
        push_line(&mut out, ' ', line);
    }
    push_side(&mut out, '-', &want_lines[prefix..want_lines.len() - suffix], max_lines);
    push_side(&mut out, '+', &got_lines[prefix..got_lines.len() - suffix], max_lines);
    out
}

/// Splits after each newline, keeping it, so a missing final newline is a difference.
fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|&b| b == b'\n').collect()
}

fn common_prefix(a: &[&[u8]], b: &[&[u8]]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &[&[u8]], b: &[&[u8]]) -> usize {
    a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
}

fn push_side(out: &mut String, mark: char, lines: &[&[u8]], max_lines: usize) {
    for line in lines.iter().take(max_lines) {
        push_line(out, mark, line);
    }
    if lines.len() > max_lines {
        let _ = writeln!(out, "{mark} ... ({} more lines)", lines.len() - max_lines);
    }
}

fn push_line(out: &mut String, mark: char, line: &[u8]) {
    let text = String::from_utf8_lossy(line);
    match text.strip_suffix('\n') {
        Some(body) => {
            let _ = writeln!(out, "{mark}{body}");
        }
        None => {
            let _ = writeln!(out, "{mark}{text}\n\\ no newline at end");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_is_empty() {
        assert_eq!(short_diff(b"a\n", b"a\n", 5), "");
    }

    #[test]
    fn shows_context_and_changed_lines() {
        let d = short_diff(b"1\n2\n3\n4\n5\n", b"1\n2\n3\nX\n5\n", 5);
        assert_eq!(d, "--- want\n+++ got\n@@ line 4 @@\n 2\n 3\n-4\n+X\n");
    }

    #[test]
    fn missing_output_and_final_newline() {
        let d = short_diff(b"a\nb\n", b"a\n", 5);
        assert_eq!(d, "--- want\n+++ got\n@@ line 2 @@\n a\n-b\n");
        let d = short_diff(b"a\n", b"a", 5);
        assert_eq!(d, "--- want\n+++ got\n@@ line 1 @@\n-a\n+a\n\\ no newline at end\n");
    }

    #[test]
    fn long_differences_are_cut() {
        let want = "x\n".repeat(10);
        let d = short_diff(want.as_bytes(), b"", 3);
        assert!(d.ends_with("-x\n-x\n-x\n- ... (7 more lines)\n"), "{d}");
    }
}
