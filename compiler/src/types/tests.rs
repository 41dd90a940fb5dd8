//! Unit tests: small packages checked from source, compared with gc's messages.

use super::*;
use crate::syntax::parser::parse_file;
use crate::syntax::pos::SourceMap;

/// Checks the package made of `srcs` (named a.go, b.go, ...) and returns the rendered
/// diagnostics (all of them, sorted as gc prints them).
pub(crate) fn check_src(srcs: &[&str]) -> String {
    let mut sources = SourceMap::default();
    let mut files = Vec::new();
    for (i, s) in srcs.iter().enumerate() {
        let name = format!("{}.go", (b'a' + i as u8) as char);
        let id = sources.add(name, s.as_bytes().to_vec());
        let (f, errs) = parse_file(id, s.as_bytes());
        assert!(errs.is_empty(), "syntax errors: {:?}", errs.iter().map(|e| &e.msg).collect::<Vec<_>>());
        files.push(f);
    }
    let mut world = World::new();
    let config = Config { path: "p".into(), ..Config::default() };
    let mut imports: std::collections::HashMap<String, PackageId> = std::collections::HashMap::new();
    let (_, mut diags) = check_package(&mut world, &config, &files, &sources, &mut imports);
    for f in &files {
        diags.extend(check_branches(f, &sources.file(f.file).name));
    }
    crate::diag::render(&sources, &diags, true)
}

#[test]
fn empty_package_has_no_errors() {
    assert_eq!(check_src(&["package p\n"]), "");
}
