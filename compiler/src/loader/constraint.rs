//! Build constraint expressions: `//go:build` lines and the older `// +build` lines, parsed
//! and evaluated as Go 1.19's go/build/constraint does.
//!
//! `//go:build` takes a boolean expression over tags with `||`, `&&`, `!` and parentheses
//! (`!` may not be doubled). A `// +build` line is an OR of space-separated clauses, each an
//! AND of comma-separated literals `tag` or `!tag`; malformed literals (`!!x`, `!`, bad tag
//! characters) stand for the tag `ignore`, which is never satisfied, rather than failing.

use std::fmt;

/// A parsed build constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A build tag such as `linux` or `go1.18`.
    Tag(String),
    /// `!x`
    Not(Box<Expr>),
    /// `x && y`
    And(Box<Expr>, Box<Expr>),
    /// `x || y`
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Evaluates the constraint with `has_tag` saying which tags are satisfied.
    pub fn eval(&self, has_tag: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Expr::Tag(t) => has_tag(t),
            Expr::Not(x) => !x.eval(has_tag),
            Expr::And(x, y) => x.eval(has_tag) && y.eval(has_tag),
            Expr::Or(x, y) => x.eval(has_tag) || y.eval(has_tag),
        }
    }

    fn not(x: Expr) -> Expr {
        Expr::Not(Box::new(x))
    }

    fn and(x: Expr, y: Expr) -> Expr {
        Expr::And(Box::new(x), Box::new(y))
    }

    fn or(x: Expr, y: Expr) -> Expr {
        Expr::Or(Box::new(x), Box::new(y))
    }
}

/// Prints the expression in `//go:build` syntax, parenthesising as go/build/constraint does.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Tag(t) => f.write_str(t),
            Expr::Not(x) => match **x {
                Expr::And(..) | Expr::Or(..) => write!(f, "!({x})"),
                _ => write!(f, "!{x}"),
            },
            // go/build/constraint parenthesises an OR inside an AND and an AND inside an OR.
            Expr::And(x, y) => {
                let arg = |e: &Expr| if matches!(e, Expr::Or(..)) { format!("({e})") } else { e.to_string() };
                write!(f, "{} && {}", arg(x), arg(y))
            }
            Expr::Or(x, y) => {
                let arg = |e: &Expr| if matches!(e, Expr::And(..)) { format!("({e})") } else { e.to_string() };
                write!(f, "{} || {}", arg(x), arg(y))
            }
        }
    }
}

/// A malformed `//go:build` expression: the byte offset in the expression text and gc's
/// message (`unexpected token )`, `missing close paren`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset in the expression text.
    pub offset: usize,
    /// gc's message.
    pub msg: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

/// The expression text of a `//go:build` line (`line` without a trailing newline), or None
/// if it is not one: the word must be followed by a space or end the line.
pub fn go_build_text(line: &str) -> Option<&str> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    if line.contains('\n') || !line.starts_with("//go:build") {
        return None;
    }
    let rest = &line.trim()["//go:build".len()..];
    let trimmed = rest.trim();
    if rest.len() == trimmed.len() && !rest.is_empty() {
        return None; // e.g. //go:buildx
    }
    Some(trimmed)
}

/// The clauses of a `// +build` line, or None if it is not one.
pub fn plus_build_text(line: &str) -> Option<&str> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    if line.contains('\n') {
        return None;
    }
    let rest = line.strip_prefix("//")?.trim().strip_prefix("+build")?;
    let trimmed = rest.trim();
    if rest.len() == trimmed.len() && !rest.is_empty() {
        return None; // e.g. // +builder
    }
    Some(trimmed)
}

/// Parses a `//go:build` or `// +build` line; None if the line is neither.
pub fn parse_line(line: &str) -> Option<Result<Expr, SyntaxError>> {
    if let Some(text) = go_build_text(line) {
        return Some(parse_go_build(text));
    }
    plus_build_text(line).map(|text| Ok(parse_plus_build(text)))
}

/// Parses the expression of a `//go:build` line.
pub fn parse_go_build(text: &str) -> Result<Expr, SyntaxError> {
    let mut p = ExprParser { s: text, i: 0, tok: Tok::End, pos: 0 };
    let x = p.or()?;
    if p.tok != Tok::End {
        return Err(p.error(format!("unexpected token {}", p.token_text())));
    }
    Ok(x)
}

/// Parses the clauses of a `// +build` line (never fails: bad literals become `ignore`).
pub fn parse_plus_build(text: &str) -> Expr {
    let clauses = text.split_whitespace().map(|clause| {
        let lits = clause.split(',').map(plus_build_literal);
        lits.reduce(Expr::and).expect("split yields at least one item")
    });
    clauses.reduce(Expr::or).unwrap_or_else(|| Expr::Tag("ignore".into()))
}

fn plus_build_literal(lit: &str) -> Expr {
    if lit.starts_with("!!") || lit == "!" {
        return Expr::Tag("ignore".into());
    }
    let (neg, name) = match lit.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, lit),
    };
    let tag = if is_valid_tag(name) { Expr::Tag(name.into()) } else { Expr::Tag("ignore".into()) };
    if neg {
        Expr::not(tag)
    } else {
        tag
    }
}

/// Whether `word` is a valid build tag: letters, digits, `_` and `.` (all digits are fine,
/// as in `386`).
pub fn is_valid_tag(word: &str) -> bool {
    !word.is_empty() && word.chars().all(is_tag_char)
}

fn is_tag_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || c == '_' || c == '.'
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    End,
    LParen,
    RParen,
    Not,
    AndAnd,
    OrOr,
    Tag,
}

/// A recursive-descent parser over the `//go:build` expression text, with go/build's
/// one-token lookahead: `tok` is the last token read, starting at byte `pos`.
struct ExprParser<'a> {
    s: &'a str,
    i: usize,
    tok: Tok,
    pos: usize,
}

impl<'a> ExprParser<'a> {
    fn error(&self, msg: String) -> SyntaxError {
        SyntaxError { offset: self.pos, msg }
    }

    fn token_text(&self) -> &'a str {
        &self.s[self.pos..self.i]
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        let mut x = self.and()?;
        while self.tok == Tok::OrOr {
            x = Expr::or(x, self.and()?);
        }
        Ok(x)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        let mut x = self.not()?;
        while self.tok == Tok::AndAnd {
            x = Expr::and(x, self.not()?);
        }
        Ok(x)
    }

    fn not(&mut self) -> Result<Expr, SyntaxError> {
        self.lex()?;
        if self.tok != Tok::Not {
            return self.atom();
        }
        self.lex()?;
        if self.tok == Tok::Not {
            return Err(self.error("double negation not allowed".into()));
        }
        Ok(Expr::not(self.atom()?))
    }

    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        match self.tok {
            Tok::LParen => {
                let open = self.pos;
                let x = self.or().map_err(|mut e| {
                    if e.msg == "unexpected end of expression" {
                        e.msg = "missing close paren".into();
                    }
                    e
                })?;
                if self.tok != Tok::RParen {
                    return Err(SyntaxError { offset: open, msg: "missing close paren".into() });
                }
                self.lex()?;
                Ok(x)
            }
            Tok::Tag => {
                let tag = Expr::Tag(self.token_text().to_string());
                self.lex()?;
                Ok(tag)
            }
            Tok::End => Err(self.error("unexpected end of expression".into())),
            _ => Err(self.error(format!("unexpected token {}", self.token_text()))),
        }
    }

    /// Reads the next token into `tok`/`pos`.
    fn lex(&mut self) -> Result<(), SyntaxError> {
        let bytes = self.s.as_bytes();
        while self.i < bytes.len() && (bytes[self.i] == b' ' || bytes[self.i] == b'\t') {
            self.i += 1;
        }
        self.pos = self.i;
        let Some(&c) = bytes.get(self.i) else {
            self.tok = Tok::End;
            return Ok(());
        };
        let single = match c {
            b'(' => Some(Tok::LParen),
            b')' => Some(Tok::RParen),
            b'!' => Some(Tok::Not),
            _ => None,
        };
        if let Some(tok) = single {
            self.i += 1;
            self.tok = tok;
            return Ok(());
        }
        if c == b'&' || c == b'|' {
            if bytes.get(self.i + 1) != Some(&c) {
                return Err(self.error(format!("invalid syntax at {}", c as char)));
            }
            self.i += 2;
            self.tok = if c == b'&' { Tok::AndAnd } else { Tok::OrOr };
            return Ok(());
        }
        let rest = &self.s[self.i..];
        let len = rest.find(|c: char| !is_tag_char(c)).unwrap_or(rest.len());
        if len == 0 {
            let c = rest.chars().next().unwrap_or('?');
            return Err(self.error(format!("invalid syntax at {c}")));
        }
        self.i += len;
        self.tok = Tok::Tag;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go_build(text: &str) -> String {
        match parse_go_build(text) {
            Ok(x) => x.to_string(),
            Err(e) => format!("error at {}: {}", e.offset, e.msg),
        }
    }

    #[test]
    fn go_build_precedence_and_printing() {
        assert_eq!(go_build("a || b && c"), "a || (b && c)");
        assert_eq!(go_build("a && b || c && !d"), "(a && b) || (c && !d)");
        assert_eq!(go_build("a && b && c"), "a && b && c");
        assert_eq!(go_build("(a || b) && c"), "(a || b) && c");
        assert_eq!(go_build("!(a && b) || !c"), "!(a && b) || !c");
        assert_eq!(go_build("  linux   &&\tamd64 "), "linux && amd64");
        let x = parse_go_build("a || b && c").unwrap();
        let want = Expr::or(Expr::Tag("a".into()), Expr::and(Expr::Tag("b".into()), Expr::Tag("c".into())));
        assert_eq!(x, want);
    }

    #[test]
    fn go_build_errors_have_gc_messages() {
        assert_eq!(go_build(""), "error at 0: unexpected end of expression");
        assert_eq!(go_build("a &&"), "error at 4: unexpected end of expression");
        assert_eq!(go_build("!!a"), "error at 1: double negation not allowed");
        assert_eq!(go_build("(a || b"), "error at 0: missing close paren");
        assert_eq!(go_build("(a ||"), "error at 5: missing close paren");
        assert_eq!(go_build("a b"), "error at 2: unexpected token b");
        assert_eq!(go_build("a & b"), "error at 2: invalid syntax at &");
        assert_eq!(go_build("a ,b"), "error at 2: invalid syntax at ,");
        assert_eq!(go_build(")"), "error at 0: unexpected token )");
    }

    #[test]
    fn plus_build_clauses() {
        assert_eq!(parse_plus_build("linux,386 darwin,!cgo").to_string(), "(linux && 386) || (darwin && !cgo)");
        assert_eq!(parse_plus_build("!!x").to_string(), "ignore");
        assert_eq!(parse_plus_build("! a-b").to_string(), "ignore || ignore");
        assert_eq!(parse_plus_build("").to_string(), "ignore");
    }

    #[test]
    fn recognising_lines() {
        assert_eq!(go_build_text("//go:build linux"), Some("linux"));
        assert_eq!(go_build_text("//go:build"), Some(""));
        assert_eq!(go_build_text("//go:buildlinux"), None);
        assert_eq!(go_build_text("// go:build linux"), None);
        assert_eq!(plus_build_text("// +build linux"), Some("linux"));
        assert_eq!(plus_build_text("//+build linux darwin\n"), Some("linux darwin"));
        assert_eq!(plus_build_text("// +builder"), None);
        assert!(parse_line("// hello").is_none());
    }

    #[test]
    fn evaluation() {
        let has = |t: &str| matches!(t, "linux" | "amd64");
        let x = parse_go_build("linux && (amd64 || arm64) && !cgo").unwrap();
        assert!(x.eval(&has));
        let y = parse_plus_build("darwin linux,!amd64");
        assert!(!y.eval(&has));
    }
}
