//! Diagnostics as gc prints them: `file:line:col: message`, sorted by position, at most
//! 10 unless all errors are asked for.

use crate::syntax::pos::{FileId, Pos, SourceMap};

/// One error in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: FileId,
    pub pos: Pos,
    pub msg: String,
}

/// gc's limit on reported errors (without -e).
pub const MAX_ERRORS: usize = 10;

/// Formats `diags` in position order as gc does: after [`MAX_ERRORS`] errors (unless `all`),
/// a final `too many errors` line at the position of the next one.
pub fn render(sources: &SourceMap, diags: &[Diagnostic], all: bool) -> String {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| (d.file, d.pos.line, d.pos.col));
    sorted.dedup_by(|a, b| a.file == b.file && a.pos.line == b.pos.line && a.msg == b.msg);
    let mut out = String::new();
    for (i, d) in sorted.iter().enumerate() {
        if !all && i == MAX_ERRORS {
            out.push_str(&format!("{}: too many errors\n", sources.format(d.file, d.pos)));
            break;
        }
        out.push_str(&format!("{}: {}\n", sources.format(d.file, d.pos), d.msg));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_limited() {
        let mut sm = SourceMap::default();
        let f = sm.add("x.go".into(), Vec::new());
        let diags: Vec<Diagnostic> = (1..=12)
            .rev()
            .map(|l| Diagnostic { file: f, pos: Pos::new(0, l, 2), msg: format!("e{l}") })
            .collect();
        let out = render(&sm, &diags, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[0], "x.go:1:2: e1");
        assert_eq!(lines[10], "x.go:11:2: too many errors");
        assert_eq!(render(&sm, &diags, true).lines().count(), 12);
    }
}
