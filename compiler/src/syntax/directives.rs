//! The checks gc's noder applies to `//go:` directives while parsing
//! (cmd/compile/internal/noder: `pragma` and `checkUnusedDuringParse`): a directive must
//! stand on a line of its own; one with a known effect must be taken by a declaration; some
//! are reserved for the runtime, the standard library or cgo-generated files; `go:linkname`
//! and `go:embed` need arguments. Whether a directive fits the declaration that took it is
//! checked later, with the declarations.

use super::ast::{Directive, File};
use super::SyntaxError;

/// What the package being compiled may use (gc's -+ and -std flags; `go build` sets them for
/// the runtime and for standard-library packages).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DirectiveRules {
    pub compiling_runtime: bool,
    pub std: bool,
}

/// The directive errors of `file`, in source order. `filename` decides whether the file is
/// cgo-generated (`_cgo_*`), where `go:cgo_*` directives are allowed.
pub fn check_directives(file: &File, filename: &str, rules: DirectiveRules) -> Vec<SyntaxError> {
    let cgo_generated = std::path::Path::new(filename)
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("_cgo_"));
    let mut errors = Vec::new();
    for d in &file.directives {
        check_one(d, rules, cgo_generated, &mut errors);
    }
    errors
}

fn check_one(d: &Directive, rules: DirectiveRules, cgo_generated: bool, errors: &mut Vec<SyntaxError>) {
    let mut error = |msg: String| errors.push(SyntaxError { pos: d.pos, msg });
    let text: &str = &d.text;
    if !d.blank {
        error("misplaced compiler directive".into());
        return;
    }
    let verb = text.split(' ').next().unwrap_or(text);
    let fields: Vec<&str> = text.split_whitespace().collect();
    match verb {
        "go:linkname" => {
            if !(2..=3).contains(&fields.len()) {
                error("usage: //go:linkname localname [linkname]".into());
            }
            return;
        }
        "go:embed" => {
            if fields.len() < 2 {
                error("usage: //go:embed pattern...".into());
            } else if !d.attached {
                error("misplaced go:embed directive".into());
            }
            return;
        }
        "go:cgo_import_dynamic" if fields.len() >= 4 => return,
        _ if verb.starts_with("go:cgo_") && !cgo_generated && !rules.std => {
            error(format!("//{text} only allowed in cgo-generated code"));
        }
        _ => {}
    }
    let flag = PragmaFlags::of(verb);
    if !rules.compiling_runtime && flag.runtime_only {
        error(format!("//{verb} only allowed in runtime"));
    }
    if verb == "go:uintptrkeepalive" && !rules.std {
        error(format!("//{verb} is only allowed in the standard library"));
    }
    if !flag.known && rules.std && !ALLOWED_IN_STD.contains(&verb) {
        error(format!("//{verb} is not allowed in the standard library"));
    }
    if flag.known && !d.attached {
        error("misplaced compiler directive".into());
    }
}

/// Directives without a pragma flag that the standard library may still use.
const ALLOWED_IN_STD: &[&str] = &[
    "go:cgo_export_static",
    "go:cgo_export_dynamic",
    "go:cgo_import_static",
    "go:cgo_import_dynamic",
    "go:cgo_ldflag",
    "go:cgo_dynamic_linker",
    "go:embed",
    "go:generate",
];

/// What gc's `pragmaFlag` knows about a directive verb.
struct PragmaFlags {
    /// The verb sets a pragma flag (which must then be taken by a declaration).
    known: bool,
    /// One of systemstack, nowritebarrier, nowritebarrierrec, yeswritebarrierrec.
    runtime_only: bool,
}

impl PragmaFlags {
    fn of(verb: &str) -> PragmaFlags {
        // go:nointerface has a flag only with the fieldtrack experiment, which is off.
        const KNOWN: &[&str] = &[
            "go:build",
            "go:noescape",
            "go:norace",
            "go:nosplit",
            "go:noinline",
            "go:nocheckptr",
            "go:systemstack",
            "go:nowritebarrier",
            "go:nowritebarrierrec",
            "go:yeswritebarrierrec",
            "go:cgo_unsafe_args",
            "go:uintptrkeepalive",
            "go:uintptrescapes",
            "go:registerparams",
            "go:notinheap",
        ];
        const RUNTIME_ONLY: &[&str] = &["go:systemstack", "go:nowritebarrier", "go:nowritebarrierrec", "go:yeswritebarrierrec"];
        PragmaFlags { known: KNOWN.contains(&verb), runtime_only: RUNTIME_ONLY.contains(&verb) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_file;
    use crate::syntax::pos::FileId;

    fn errors(src: &str, rules: DirectiveRules) -> Vec<String> {
        let (f, _) = parse_file(FileId(0), src.as_bytes());
        check_directives(&f, "x.go", rules).iter().map(|e| format!("{}:{}: {}", e.pos.line, e.pos.col, e.msg)).collect()
    }

    #[test]
    fn placement() {
        let src = "//go:build !x\n\npackage p\n\n//go:noinline\nfunc f() {\n\t//go:noinline\n\tx := 1\n\t_ = x\n}\n\nfunc g() {} //go:noinline\n\n//go:generate echo\nvar v int\n";
        let got = errors(src, DirectiveRules::default());
        assert_eq!(got, ["7:4: misplaced compiler directive", "12:15: misplaced compiler directive"]);
    }

    #[test]
    fn reserved_directives() {
        let src = "package p\n\n//go:nowritebarrier\nfunc f() {}\n\n//go:uintptrkeepalive\nfunc g(uintptr) {}\n\n//go:cgo_ldflag \"-x\"\n";
        let user = errors(src, DirectiveRules::default());
        assert_eq!(
            user,
            [
                "3:3: //go:nowritebarrier only allowed in runtime",
                "6:3: //go:uintptrkeepalive is only allowed in the standard library",
                "9:3: //go:cgo_ldflag \"-x\" only allowed in cgo-generated code",
            ]
        );
        let runtime = errors(src, DirectiveRules { compiling_runtime: true, std: true });
        assert!(runtime.is_empty(), "{runtime:?}");
    }

    #[test]
    fn linkname_and_embed_usage() {
        let src = "package p\n\n//go:linkname\nfunc f()\n\n//go:embed\nvar s string\n";
        assert_eq!(
            errors(src, DirectiveRules::default()),
            ["3:3: usage: //go:linkname localname [linkname]", "6:3: usage: //go:embed pattern..."]
        );
    }
}
