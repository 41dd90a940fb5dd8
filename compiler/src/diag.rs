//! Diagnostics as gc prints them: `file:line:col: message`, positions relative to //line
//! directives, in position order, with gc's rules for duplicates and its limit of 10 errors
//! unless all errors are asked for (the rules themselves are in [`crate::syntax::report`]).

use crate::syntax::ast;
use crate::syntax::pos::{FileId, Pos, SourceMap};
use crate::syntax::report;

/// One error in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: FileId,
    pub pos: Pos,
    pub msg: String,
}

/// gc's limit on reported errors (without -e).
pub const MAX_ERRORS: usize = 10;

/// The text gc prints for `diags` (given in the order they were found). `files` are the
/// parsed files, whose //line directives decide how positions are shown; a diagnostic in a
/// file not among them shows its actual position.
pub fn render(sources: &SourceMap, files: &[&ast::File], diags: &[Diagnostic], all: bool) -> String {
    let shown: Vec<report::Diagnostic> = diags
        .iter()
        .map(|d| report::Diagnostic {
            file: d.file.0,
            line: d.pos.line,
            col: d.pos.col,
            pos_text: position(sources, files, d.file, d.pos),
            msg: d.msg.clone(),
        })
        .collect();
    let (lines, _) = report::gc_error_lines(&shown, if all { None } else { Some(MAX_ERRORS) });
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `file:line:col` as gc shows it: after //line directives, without a column when the
/// directive gave none.
fn position(sources: &SourceMap, files: &[&ast::File], file: FileId, pos: Pos) -> String {
    let name = &sources.file(file).name;
    let Some(f) = files.iter().find(|f| f.file == file) else {
        return sources.format(file, pos);
    };
    match f.resolve(pos) {
        (rel, line, 0) => format!("{}:{line}", rel.unwrap_or(name)),
        (rel, line, col) => format!("{}:{line}:{col}", rel.unwrap_or(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_ten_found_sorted_then_too_many() {
        let mut sm = SourceMap::default();
        let f = sm.add("x.go".into(), Vec::new());
        // Found in this order: lines 12, 11, ..., 1. gc keeps the first ten found (12..3),
        // prints them sorted, then "too many errors" at the tenth one's position.
        let diags: Vec<Diagnostic> = (1..=12)
            .rev()
            .map(|l| Diagnostic { file: f, pos: Pos::new(0, l, 2), msg: format!("e{l}") })
            .collect();
        let out = render(&sm, &[], &diags, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 11, "{out}");
        assert_eq!(lines[0], "x.go:3:2: e3");
        assert_eq!(lines[9], "x.go:12:2: e12");
        assert_eq!(lines[10], "x.go:3:2: too many errors");
        assert_eq!(render(&sm, &[], &diags, true).lines().count(), 12);
    }

    #[test]
    fn line_directives_rewrite_positions() {
        let src = b"package main\n//line other.go:100\nfunc main() { x := }\n".to_vec();
        let mut sm = SourceMap::default();
        let id = sm.add("x.go".into(), src.clone());
        let (file, errors, _) = crate::syntax::parse_and_check(id, "x.go", &src);
        let diags: Vec<Diagnostic> = errors.into_iter().map(|e| Diagnostic { file: id, pos: e.pos, msg: e.msg }).collect();
        let out = render(&sm, &[&file], &diags, false);
        assert!(out.starts_with("other.go:100"), "{out}");
    }
}
