//! gc's rules for printing compile errors (cmd/compile/internal/base/print.go), so that a
//! driver prints exactly gc's lines: only one syntax error per line; equal non-syntax errors
//! on one line only once; stop after 10 errors with "too many errors"; print sorted by
//! position, dropping consecutive duplicates.

/// One error as reported, in report order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Sort key: (file order, line, column). Files are ordered as given to the compiler.
    pub file: u32,
    pub line: u32,
    pub col: u32,
    /// The position as printed (`file:line:col`).
    pub pos_text: String,
    pub msg: String,
}

/// The lines gc prints for `diags` (given in the order the errors were found). `limit` is
/// gc's error limit (10; None for `-e`). The second result tells whether the limit was hit.
pub fn gc_error_lines(diags: &[Diagnostic], limit: Option<usize>) -> (Vec<String>, bool) {
    let mut kept: Vec<&Diagnostic> = Vec::new();
    let mut last_syntax: Option<(u32, u32)> = None;
    let mut last_other: Option<(u32, u32, &str)> = None;
    let mut too_many = None;
    for d in diags {
        let line = (d.file, d.line);
        if d.msg.starts_with("syntax error") {
            // Only one syntax error per line, no matter what error.
            if last_syntax == Some(line) {
                continue;
            }
            last_syntax = Some(line);
        } else {
            // Only one of several equal non-syntax errors per line.
            if last_other == Some((d.file, d.line, d.msg.as_str())) {
                continue;
            }
            last_other = Some((d.file, d.line, &d.msg));
        }
        kept.push(d);
        if limit.is_some_and(|n| kept.len() >= n) {
            too_many = Some(d);
            break;
        }
    }
    kept.sort_by_key(|d| (d.file, d.line, d.col));
    let mut lines: Vec<String> = Vec::with_capacity(kept.len() + 1);
    for d in kept {
        let line = format!("{}: {}", d.pos_text, d.msg);
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    if let Some(d) = too_many {
        lines.push(format!("{}: too many errors", d.pos_text));
    }
    (lines, too_many.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(line: u32, col: u32, msg: &str) -> Diagnostic {
        Diagnostic { file: 0, line, col, pos_text: format!("x.go:{line}:{col}"), msg: msg.to_string() }
    }

    #[test]
    fn one_syntax_error_per_line_sorted() {
        let diags = [d(3, 5, "syntax error: a"), d(3, 9, "syntax error: b"), d(1, 2, "syntax error: c"), d(3, 1, "other")];
        let (lines, hit) = gc_error_lines(&diags, Some(10));
        assert!(!hit);
        assert_eq!(lines, vec!["x.go:1:2: syntax error: c", "x.go:3:1: other", "x.go:3:5: syntax error: a"]);
    }

    #[test]
    fn equal_other_errors_once_per_line() {
        let diags = [d(2, 1, "m"), d(2, 4, "m"), d(2, 5, "n")];
        assert_eq!(gc_error_lines(&diags, Some(10)).0, vec!["x.go:2:1: m", "x.go:2:5: n"]);
    }

    #[test]
    fn limit_of_ten() {
        let diags: Vec<Diagnostic> = (1..=12).rev().map(|l| d(l, 1, "e")).collect();
        let (lines, hit) = gc_error_lines(&diags, Some(10));
        assert!(hit);
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[0], "x.go:3:1: e");
        assert_eq!(lines[10], "x.go:3:1: too many errors");
    }
}
