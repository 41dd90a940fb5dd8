//! What each parser reported for a file, how the two reports compare, and the summary.

use std::fmt::Write as _;
use std::path::Path;

/// The first error a parser printed for a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstError {
    /// The file name printed, when it is not the path the parser was given (gc prints
    /// the name of a `//line` directive).
    pub renamed: Option<String>,
    /// Line as printed.
    pub line: u32,
    /// Column as printed; 0 when none is printed.
    pub col: u32,
    /// The message.
    pub msg: String,
    /// gc only: the position in the file itself, when a `//line` directive makes the
    /// printed one differ.
    pub in_file: Option<(u32, u32)>,
}

impl FirstError {
    /// `[file:]line[:col]: message`, and the position in the file when it differs.
    pub fn render(&self) -> String {
        let mut text = String::new();
        if let Some(file) = &self.renamed {
            let _ = write!(text, "{file}:");
        }
        let _ = write!(text, "{}", self.line);
        if self.col != 0 {
            let _ = write!(text, ":{}", self.col);
        }
        let _ = write!(text, ": {}", self.msg);
        if let Some((line, col)) = self.in_file {
            let _ = write!(text, " (at {line}:{col} in the file, before //line directives)");
        }
        text
    }

    fn same_line(&self, other: &FirstError) -> bool {
        self.renamed == other.renamed && self.line == other.line
    }
}

/// What one parser reported for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileReport {
    /// No error.
    Clean,
    /// This many errors were printed; the first of them.
    Errors {
        /// Number of error lines.
        count: usize,
        /// The first one printed.
        first: FirstError,
    },
    /// The parser could not report on the file (goclift crashed or timed out); why.
    Failed(String),
}

impl FileReport {
    /// One line for the disagreement listings.
    pub fn render(&self) -> String {
        match self {
            FileReport::Clean => "no error".to_string(),
            FileReport::Errors { count, first } => {
                let more = if *count > 1 { format!(" (+{} more)", count - 1) } else { String::new() };
                format!("{}{more}", first.render())
            }
            FileReport::Failed(why) => format!("FAILED: {why}"),
        }
    }

    fn has_errors(&self) -> bool {
        matches!(self, FileReport::Errors { .. })
    }
}

/// How goclift's report on a file compares with gc's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Neither reports an error.
    BothClean,
    /// Both report errors, the first on the same line; `exact` when column and message
    /// match too.
    SameLine {
        /// Column and message match.
        exact: bool,
    },
    /// Only gc reports errors.
    GcOnly,
    /// Only goclift reports errors.
    GocliftOnly,
    /// Both report errors, the first on different lines.
    OtherLine,
    /// goclift produced no usable report.
    GocliftFailed,
}

impl Verdict {
    /// Whether the error set and the first line agree (the parser issue's measure).
    pub fn agrees(self) -> bool {
        matches!(self, Verdict::BothClean | Verdict::SameLine { .. })
    }

    /// Whether they agree down to the column and the message.
    pub fn exact(self) -> bool {
        matches!(self, Verdict::BothClean | Verdict::SameLine { exact: true })
    }

    /// A few words for listings.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::BothClean => "both clean",
            Verdict::SameLine { exact: true } => "same first error",
            Verdict::SameLine { exact: false } => "same first line",
            Verdict::GcOnly => "only gc reports errors",
            Verdict::GocliftOnly => "only goclift reports errors",
            Verdict::OtherLine => "different first line",
            Verdict::GocliftFailed => "goclift failed",
        }
    }

    /// Compares the two reports on one file.
    pub fn of(gc: &FileReport, goclift: &FileReport) -> Verdict {
        match (gc, goclift) {
            (_, FileReport::Failed(_)) => Verdict::GocliftFailed,
            (FileReport::Errors { first: a, .. }, FileReport::Errors { first: b, .. }) => {
                if a.same_line(b) {
                    Verdict::SameLine { exact: a.col == b.col && a.msg == b.msg }
                } else {
                    Verdict::OtherLine
                }
            }
            (FileReport::Errors { .. }, _) => Verdict::GcOnly,
            (_, FileReport::Errors { .. }) => Verdict::GocliftOnly,
            _ => Verdict::BothClean,
        }
    }
}

/// The result for one file.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Path relative to GOROOT/test.
    pub rel: String,
    /// gc's report.
    pub gc: FileReport,
    /// goclift's report.
    pub goclift: FileReport,
    /// How they compare.
    pub verdict: Verdict,
}

impl Comparison {
    /// Compares the reports of `rel`.
    pub fn new(rel: String, gc: FileReport, goclift: FileReport) -> Comparison {
        let verdict = Verdict::of(&gc, &goclift);
        Comparison { rel, gc, goclift, verdict }
    }

    /// `SAME rel` for agreeing files without errors, else
    /// `DIFF rel (verdict)` / `SAME rel (verdict)` and both reports indented.
    pub fn render(&self) -> String {
        self.render_as(if self.verdict.agrees() { "SAME" } else { "DIFF" })
    }

    /// [`Comparison::render`] with another leading word.
    pub fn render_as(&self, tag: &str) -> String {
        if self.verdict == Verdict::BothClean {
            return format!("{tag} {}\n", self.rel);
        }
        format!(
            "{tag} {} ({})\n    gc:      {}\n    goclift: {}\n",
            self.rel,
            self.verdict.label(),
            self.gc.render(),
            self.goclift.render()
        )
    }
}

/// The counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files compared.
    pub files: usize,
    /// Files gc reports errors in.
    pub gc_errors: usize,
    /// Files goclift reports errors in.
    pub goclift_errors: usize,
    /// Agreeing on error set and first line.
    pub agreeing: usize,
    /// Of those, both clean.
    pub both_clean: usize,
    /// Agreeing down to column and message.
    pub exact: usize,
    /// Only gc reports errors.
    pub gc_only: usize,
    /// Only goclift reports errors.
    pub goclift_only: usize,
    /// Both report errors, first on different lines.
    pub other_line: usize,
    /// goclift failed.
    pub goclift_failed: usize,
}

impl Summary {
    /// Counts `comparisons`.
    pub fn of(comparisons: &[Comparison]) -> Summary {
        let mut s = Summary { files: comparisons.len(), ..Summary::default() };
        for c in comparisons {
            s.gc_errors += usize::from(c.gc.has_errors());
            s.goclift_errors += usize::from(c.goclift.has_errors());
            s.agreeing += usize::from(c.verdict.agrees());
            s.exact += usize::from(c.verdict.exact());
            match c.verdict {
                Verdict::BothClean => s.both_clean += 1,
                Verdict::SameLine { .. } => {}
                Verdict::GcOnly => s.gc_only += 1,
                Verdict::GocliftOnly => s.goclift_only += 1,
                Verdict::OtherLine => s.other_line += 1,
                Verdict::GocliftFailed => s.goclift_failed += 1,
            }
        }
        s
    }

    /// The summary block.
    pub fn render(&self, test_root: &Path) -> String {
        let s = self;
        let disagreeing = s.files - s.agreeing;
        let mut out = String::new();
        let _ = writeln!(out, "syntax: {} .go files under {}", s.files, test_root.display());
        let _ = writeln!(out, "  gc reports errors in {}, goclift in {}", s.gc_errors, s.goclift_errors);
        let _ = writeln!(
            out,
            "  agreeing (error set and first line): {} ({} without errors, {} with errors)",
            s.agreeing,
            s.both_clean,
            s.agreeing - s.both_clean
        );
        let _ = writeln!(out, "  agreeing exactly (also column and message): {}", s.exact);
        let _ = writeln!(
            out,
            "  disagreeing: {disagreeing} (only gc reports errors: {}, only goclift: {}, \
             different first line: {}, goclift failed: {})",
            s.gc_only, s.goclift_only, s.other_line, s.goclift_failed
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(line: u32, col: u32, msg: &str) -> FileReport {
        let first = FirstError { renamed: None, line, col, msg: msg.into(), in_file: None };
        FileReport::Errors { count: 1, first }
    }

    #[test]
    fn verdicts() {
        let clean = FileReport::Clean;
        assert_eq!(Verdict::of(&clean, &clean), Verdict::BothClean);
        assert_eq!(Verdict::of(&error(3, 4, "x"), &error(3, 4, "x")), Verdict::SameLine { exact: true });
        assert_eq!(Verdict::of(&error(3, 4, "x"), &error(3, 5, "x")), Verdict::SameLine { exact: false });
        assert_eq!(Verdict::of(&error(3, 4, "x"), &error(3, 4, "y")), Verdict::SameLine { exact: false });
        assert_eq!(Verdict::of(&error(3, 4, "x"), &error(4, 4, "x")), Verdict::OtherLine);
        assert_eq!(Verdict::of(&error(3, 4, "x"), &clean), Verdict::GcOnly);
        assert_eq!(Verdict::of(&clean, &error(3, 4, "x")), Verdict::GocliftOnly);
        assert_eq!(Verdict::of(&clean, &FileReport::Failed("crash".into())), Verdict::GocliftFailed);
        assert!(Verdict::SameLine { exact: false }.agrees() && !Verdict::SameLine { exact: false }.exact());
        assert!(!Verdict::GcOnly.agrees() && !Verdict::GocliftFailed.agrees());
    }

    #[test]
    fn a_line_directive_file_name_is_part_of_the_line() {
        let FileReport::Errors { first, .. } = error(20, 0, "syntax error: x") else { panic!() };
        let renamed = FirstError { renamed: Some("a.go".into()), ..first.clone() };
        let gc = FileReport::Errors { count: 1, first: renamed.clone() };
        assert_eq!(Verdict::of(&gc, &FileReport::Errors { count: 1, first }), Verdict::OtherLine);
        let moved = FirstError { in_file: Some((13, 30)), ..renamed };
        assert_eq!(moved.render(), "a.go:20: syntax error: x (at 13:30 in the file, before //line directives)");
    }

    #[test]
    fn summary_counts() {
        let comparisons = vec![
            Comparison::new("a.go".into(), FileReport::Clean, FileReport::Clean),
            Comparison::new("b.go".into(), error(1, 2, "m"), error(1, 2, "m")),
            Comparison::new("c.go".into(), error(1, 2, "m"), error(1, 3, "m")),
            Comparison::new("d.go".into(), error(1, 2, "m"), FileReport::Clean),
            Comparison::new("e.go".into(), FileReport::Clean, FileReport::Failed("signal".into())),
        ];
        let s = Summary::of(&comparisons);
        assert_eq!((s.files, s.agreeing, s.both_clean, s.exact), (5, 3, 1, 2));
        assert_eq!((s.gc_errors, s.goclift_errors, s.gc_only, s.goclift_failed), (3, 2, 1, 1));
        let text = s.render(Path::new("/go/test"));
        assert!(text.contains("disagreeing: 2 (only gc reports errors: 1, only goclift: 0"), "{text}");
        assert_eq!(comparisons[0].render(), "SAME a.go\n");
        assert_eq!(
            comparisons[3].render(),
            "DIFF d.go (only gc reports errors)\n    gc:      1:2: m\n    goclift: no error\n"
        );
    }
}
