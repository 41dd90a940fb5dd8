//! Build constraints (`//go:build` and `// +build` lines), parsed and evaluated the way
//! go/build/constraint does in Go 1.19, with tag matching as GOROOT/test/run.go's
//! `context.match` does it.

use crate::target::Arch;

/// A boolean build-constraint expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A single tag such as `linux` or `goexperiment.regabiargs`.
    Tag(String),
    /// `!x`
    Not(Box<Expr>),
    /// `x && y` (or a comma in `// +build` syntax).
    And(Box<Expr>, Box<Expr>),
    /// `x || y` (or a space in `// +build` syntax).
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Evaluates the expression, asking `has_tag` about each tag.
    pub fn eval(&self, has_tag: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Expr::Tag(tag) => has_tag(tag),
            Expr::Not(x) => !x.eval(has_tag),
            Expr::And(x, y) => x.eval(has_tag) && y.eval(has_tag),
            Expr::Or(x, y) => x.eval(has_tag) || y.eval(has_tag),
        }
    }
}

/// Parses one line as a build constraint. Returns `None` when the line is not a
/// constraint line or when a `//go:build` expression has a syntax error (run.go
/// ignores such lines, and so do we).
pub fn parse_line(line: &str) -> Option<Expr> {
    if let Some(text) = split_go_build(line) {
        return parse_go_build_expr(text).ok();
    }
    split_plus_build(line).map(parse_plus_build_expr)
}

/// Drops one trailing newline; a line with more newlines is no constraint.
fn single_line(line: &str) -> Option<&str> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    (!line.contains('\n')).then_some(line)
}

/// Go's strings.TrimSpace (ASCII and Unicode white space).
fn trim_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

/// The expression text of a `//go:build` line.
fn split_go_build(line: &str) -> Option<&str> {
    let line = single_line(line)?;
    if !line.starts_with("//go:build") {
        return None;
    }
    let rest = &trim_space(line)["//go:build".len()..];
    let trimmed = trim_space(rest);
    // "//go:buildfoo" is not a constraint: the prefix must be followed by space or end.
    if rest.len() == trimmed.len() && !rest.is_empty() {
        return None;
    }
    Some(trimmed)
}

/// The expression text of a `// +build` (or `//+build`) line.
fn split_plus_build(line: &str) -> Option<&str> {
    let line = single_line(line)?;
    let rest = trim_space(line.strip_prefix("//")?);
    let rest = rest.strip_prefix("+build")?;
    let trimmed = trim_space(rest);
    if rest.len() == trimmed.len() && !rest.is_empty() {
        return None;
    }
    Some(trimmed)
}

/// Tags are letters, digits, underscores or dots (all digits are fine, e.g. "386").
pub fn is_valid_tag(word: &str) -> bool {
    !word.is_empty() && word.chars().all(is_tag_char)
}

fn is_tag_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || c == '_' || c == '.'
}

/// Legacy syntax: space-separated clauses are OR-ed, comma-separated terms AND-ed;
/// malformed terms become the never-set tag "ignore".
fn parse_plus_build_expr(text: &str) -> Expr {
    let clauses = text.split_whitespace().map(|clause| {
        clause.split(',').map(parse_plus_build_term).reduce(and).expect("split yields a term")
    });
    clauses.reduce(or).unwrap_or_else(|| Expr::Tag("ignore".into()))
}

fn parse_plus_build_term(lit: &str) -> Expr {
    if lit.starts_with("!!") || lit == "!" {
        return Expr::Tag("ignore".into());
    }
    let (negated, name) = match lit.strip_prefix('!') {
        Some(name) => (true, name),
        None => (false, lit),
    };
    let tag = Expr::Tag(if is_valid_tag(name) { name.into() } else { "ignore".into() });
    if negated {
        Expr::Not(Box::new(tag))
    } else {
        tag
    }
}

fn and(x: Expr, y: Expr) -> Expr {
    Expr::And(Box::new(x), Box::new(y))
}

fn or(x: Expr, y: Expr) -> Expr {
    Expr::Or(Box::new(x), Box::new(y))
}

/// Parses a `//go:build` expression: `||`, `&&`, `!`, parentheses and tags.
pub fn parse_go_build_expr(text: &str) -> Result<Expr, String> {
    let mut parser = ExprParser { s: text, i: 0, tok: String::new(), is_tag: false };
    let x = parser.or()?;
    if !parser.tok.is_empty() {
        return Err(format!("unexpected token {}", parser.tok));
    }
    Ok(x)
}

/// Recursive-descent parser mirroring go/build/constraint's exprParser.
struct ExprParser<'a> {
    s: &'a str,
    i: usize,
    tok: String,
    is_tag: bool,
}

impl ExprParser<'_> {
    fn or(&mut self) -> Result<Expr, String> {
        let mut x = self.and()?;
        while self.tok == "||" {
            x = or(x, self.and()?);
        }
        Ok(x)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut x = self.not()?;
        while self.tok == "&&" {
            x = and(x, self.not()?);
        }
        Ok(x)
    }

    fn not(&mut self) -> Result<Expr, String> {
        self.lex()?;
        if self.tok == "!" {
            self.lex()?;
            if self.tok == "!" {
                return Err("double negation not allowed".into());
            }
            return Ok(Expr::Not(Box::new(self.atom()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, String> {
        if self.tok == "(" {
            let x = self.or().map_err(|e| {
                if e == "unexpected end of expression" {
                    "missing close paren".to_string()
                } else {
                    e
                }
            })?;
            if self.tok != ")" {
                return Err("missing close paren".into());
            }
            self.lex()?;
            return Ok(x);
        }
        if !self.is_tag {
            if self.tok.is_empty() {
                return Err("unexpected end of expression".into());
            }
            return Err(format!("unexpected token {}", self.tok));
        }
        let tag = std::mem::take(&mut self.tok);
        self.lex()?;
        Ok(Expr::Tag(tag))
    }

    fn lex(&mut self) -> Result<(), String> {
        self.is_tag = false;
        let bytes = self.s.as_bytes();
        while self.i < bytes.len() && (bytes[self.i] == b' ' || bytes[self.i] == b'\t') {
            self.i += 1;
        }
        let rest = &self.s[self.i..];
        let Some(first) = rest.chars().next() else {
            self.tok.clear();
            return Ok(());
        };
        let len = match first {
            '(' | ')' | '!' => 1,
            '&' | '|' if rest[1..].starts_with(first) => 2,
            '&' | '|' => return Err(format!("invalid syntax at {first}")),
            _ => rest.find(|c| !is_tag_char(c)).unwrap_or(rest.len()),
        };
        if len == 0 {
            return Err(format!("invalid syntax at {first}"));
        }
        self.is_tag = is_tag_char(first);
        self.tok = rest[..len].to_string();
        self.i += len;
        Ok(())
    }
}

/// The build context a test is judged for, as run.go's `context` with goclift's answers:
/// GOOS is linux, cgo is off (goclift has no cgo), the compiler counts as "gc" (goclift
/// mimics gc, and run.go sets that tag), no -N/-l in GO_GCFLAGS, and the GOEXPERIMENT
/// tags are gc 1.19's defaults for the architecture.
#[derive(Debug, Clone, Copy)]
pub struct BuildContext {
    /// The target architecture.
    pub arch: Arch,
}

impl BuildContext {
    /// Reports whether `name` is a satisfied tag (run.go's `context.match`).
    pub fn has_tag(&self, name: &str) -> bool {
        if !is_valid_tag(name) {
            return false;
        }
        if name.starts_with("goexperiment.") {
            return default_tool_tags(self.arch).contains(&name);
        }
        matches!(name, "linux" | "gc" | "test_run") || name == self.arch.goarch()
    }

    /// Evaluates every constraint line of a test header; all must hold.
    /// Returns the first line that excludes the file, if any.
    pub fn first_excluding_line<'a>(&self, constraint_lines: &'a [String]) -> Option<&'a str> {
        constraint_lines
            .iter()
            .find(|line| parse_line(line).is_some_and(|expr| !expr.eval(&|tag| self.has_tag(tag))))
            .map(String::as_str)
    }
}

/// build.Default.ToolTags of gc 1.19 for linux on this architecture: the register ABI
/// experiments are on by default on amd64 and arm64 (internal/buildcfg/exp.go).
fn default_tool_tags(arch: Arch) -> &'static [&'static str] {
    match arch {
        Arch::Amd64 | Arch::Arm64 => &["goexperiment.regabiwrappers", "goexperiment.regabiargs"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(arch: Arch) -> BuildContext {
        BuildContext { arch }
    }

    fn eval(line: &str, arch: Arch) -> bool {
        ctx(arch).first_excluding_line(&[line.to_string()]).is_none()
    }

    #[test]
    fn plus_build_or_and_not() {
        assert!(eval("// +build linux", Arch::Amd64));
        assert!(eval("// +build !windows", Arch::Arm64));
        assert!(!eval("// +build arm 386", Arch::Amd64));
        assert!(eval("// +build arm 386 arm64", Arch::Arm64));
        assert!(!eval("// +build !linux,!plan9", Arch::Amd64));
        assert!(eval("// +build !windows !plan9", Arch::Amd64));
        assert!(eval("//+build amd64", Arch::Amd64));
        assert!(!eval("// +build cgo", Arch::Amd64));
        assert!(!eval("// +build ignore", Arch::Amd64));
        assert!(!eval("// +build !!linux", Arch::Amd64));
    }

    #[test]
    fn multiple_lines_are_anded() {
        let lines = vec!["// +build !windows".to_string(), "// +build amd64".to_string()];
        assert!(ctx(Arch::Amd64).first_excluding_line(&lines).is_none());
        assert_eq!(ctx(Arch::Arm64).first_excluding_line(&lines), Some("// +build amd64"));
    }

    #[test]
    fn go_build_expressions() {
        assert!(eval("//go:build !wasm", Arch::Amd64));
        assert!(eval("//go:build (386 || amd64 || arm64) && !gcflags_noopt", Arch::Arm64));
        assert!(!eval("//go:build goexperiment.unified", Arch::Amd64));
        assert!(eval("//go:build goexperiment.regabiargs && linux", Arch::Amd64));
        assert!(!eval("//go:build !(linux || darwin)", Arch::Amd64));
        assert!(eval("//go:build gc && test_run", Arch::Amd64));
    }

    #[test]
    fn non_constraints_are_ignored() {
        assert_eq!(parse_line("// run"), None);
        assert_eq!(parse_line("//go:buildx linux"), None);
        assert_eq!(parse_line("// +buildx linux"), None);
        assert_eq!(parse_line("//go:build linux &&"), None, "syntax errors are ignored");
        assert!(eval("// +buildfoo windows", Arch::Amd64));
        assert_eq!(parse_line("// +build"), Some(Expr::Tag("ignore".into())));
    }

    #[test]
    fn go_build_syntax_errors() {
        assert_eq!(parse_go_build_expr("a && (b").unwrap_err(), "missing close paren");
        assert_eq!(parse_go_build_expr("!!a").unwrap_err(), "double negation not allowed");
        assert_eq!(parse_go_build_expr("a & b").unwrap_err(), "invalid syntax at &");
        assert_eq!(parse_go_build_expr("a b").unwrap_err(), "unexpected token b");
        assert_eq!(parse_go_build_expr("").unwrap_err(), "unexpected end of expression");
        assert_eq!(
            parse_go_build_expr("a || !b").unwrap(),
            or(Expr::Tag("a".into()), Expr::Not(Box::new(Expr::Tag("b".into()))))
        );
    }

    #[test]
    fn tag_matching() {
        let amd = ctx(Arch::Amd64);
        assert!(amd.has_tag("linux") && amd.has_tag("amd64") && amd.has_tag("gc"));
        assert!(!amd.has_tag("arm64") && !amd.has_tag("cgo") && !amd.has_tag("gccgo"));
        assert!(!amd.has_tag("unix"), "run.go does not know the unix tag");
        assert!(!amd.has_tag("gcflags_noopt") && !amd.has_tag("") && !amd.has_tag("a-b"));
        assert!(ctx(Arch::Arm64).has_tag("arm64"));
    }
}
