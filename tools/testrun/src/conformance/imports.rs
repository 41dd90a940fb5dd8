//! Lists the import paths of a Go source file with a small scanner (for statistics: the
//! tests that import nothing are the first goclift can pass).

/// The import paths of `src`, in order. Stops at the first declaration that is not an
/// import, or at anything it does not understand.
pub fn imports(src: &str) -> Vec<String> {
    let mut scanner = Scanner { rest: src };
    let mut paths = Vec::new();
    if scanner.ident() != Some("package") || scanner.ident().is_none() {
        return paths;
    }
    while scanner.ident() == Some("import") {
        if scanner.punct('(') {
            while !scanner.punct(')') {
                match scanner.import_spec() {
                    Some(path) => paths.push(path),
                    None => return paths,
                }
            }
        } else if let Some(path) = scanner.import_spec() {
            paths.push(path);
        } else {
            break;
        }
    }
    paths
}

/// A cursor over Go source that skips white space, comments and semicolons.
struct Scanner<'a> {
    rest: &'a str,
}

impl<'a> Scanner<'a> {
    fn skip_space(&mut self) {
        loop {
            self.rest = self.rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
            if let Some(after) = self.rest.strip_prefix("//") {
                self.rest = after.find('\n').map_or("", |i| &after[i..]);
            } else if let Some(after) = self.rest.strip_prefix("/*") {
                self.rest = after.find("*/").map_or("", |i| &after[i + 2..]);
            } else {
                return;
            }
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        self.skip_space();
        let end = self.rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(self.rest.len());
        if end == 0 || self.rest.starts_with(|c: char| c.is_numeric()) {
            return None;
        }
        let (word, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(word)
    }

    fn punct(&mut self, c: char) -> bool {
        self.skip_space();
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// `[name | . | _] "path"`.
    fn import_spec(&mut self) -> Option<String> {
        if !self.punct('.') {
            let _ = self.ident();
        }
        self.string()
    }

    /// An interpreted or raw string literal (import paths contain no escapes worth decoding).
    fn string(&mut self) -> Option<String> {
        self.skip_space();
        let quote = self.rest.chars().next().filter(|&c| c == '"' || c == '`')?;
        let body = &self.rest[1..];
        let end = body.find(quote)?;
        self.rest = &body[end + 1..];
        Some(body[..end].to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_import() {
        let src = r#"// run

// Copyright
package main // comment

import "fmt"
import (
	"os" // why
	str "strings"
	. "math"
	_ `unsafe`
	/* c */ "sort";
)
import "late"

func main() { import_ := "not an import"; _ = import_ }
"#;
        assert_eq!(imports(src), ["fmt", "os", "strings", "math", "unsafe", "sort", "late"]);
    }

    #[test]
    fn no_imports() {
        assert!(imports("// run\n\npackage main\n\nfunc main() {}\n").is_empty());
        assert!(imports("package main\nvar x = 1\nimport \"fmt\"\n").is_empty());
        assert!(imports("not go at all").is_empty());
    }

    #[test]
    fn real_files() {
        let goroot = std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into());
        let read = |rel: &str| std::fs::read_to_string(format!("{goroot}/test/{rel}")).unwrap();
        assert!(imports(&read("helloworld.go")).is_empty());
        assert_eq!(imports(&read("fixedbugs/issue35027.go")), ["reflect", "unsafe"]);
    }
}
