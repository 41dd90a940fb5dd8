//! Functions without a Go body and `//go:linkname`: the symbol each function has, and who
//! provides the bodyless ones (a function of the program pushed to that symbol by a
//! `//go:linkname local target` directive, as goclift's go/runtime does for gc's hooks, or
//! an entry of [`crate::bodyless`]). A reference to such a bodyless function makes its
//! definition reachable.

use super::{Lowerer, Names};
use crate::ir::ExternFunc;
use crate::syntax::ast::DeclKind;
use crate::types::{FuncRef, ObjId};
use std::collections::HashMap;

impl Lowerer<'_> {
    /// The target of a `//go:linkname local target` directive for `local` in file `fi`.
    fn linkname_target(&self, fi: usize, local: &str) -> Option<&str> {
        self.files[fi].directives.iter().find_map(|d| {
            let mut words = d.text.split_whitespace();
            (words.next() == Some("go:linkname") && words.next() == Some(local)).then(|| words.next()).flatten()
        })
    }

    /// The symbol of function `f`: a `//go:linkname` directive's target, or gc's name.
    pub(super) fn linked_symbol(&self, f: FuncRef) -> String {
        let file = &self.files[f.file];
        if let DeclKind::Func { name, recv: None, .. } = file[f.decl].kind {
            if let Some(target) = self.linkname_target(f.file, file.name(name).as_str()) {
                return target.to_string();
            }
        }
        self.symbol(f)
    }

    /// Registers the package's bodyless functions that something provides: a function of
    /// the program (`defined`: the function defining each symbol) or the runtime.
    pub(super) fn declare_bodyless(&self, names: &mut Names, defined: &HashMap<String, ObjId>) {
        for f in self.bodyless_funcs() {
            let symbol = self.linked_symbol(f);
            if let Some(&definition) = defined.get(&symbol) {
                names.func_symbols.insert(f.obj, symbol);
                names.aliases.insert(f.obj, definition);
            } else if crate::bodyless::provider(&symbol).is_some() {
                let (params, results) = self.signature_tys(self.world.obj(f.obj).typ());
                self.externs.borrow_mut().push(ExternFunc { symbol: symbol.clone(), params, results });
                names.func_symbols.insert(f.obj, symbol);
            }
        }
    }

    /// The package's functions declared without a body.
    fn bodyless_funcs(&self) -> Vec<FuncRef> {
        let mut out = Vec::new();
        for (fi, file) in self.files.iter().enumerate() {
            for &d in &file[file.decls] {
                let DeclKind::Func { name, body: None, .. } = file[d].kind else { continue };
                if let Some(obj) = self.info.files[fi].def(name) {
                    out.push(FuncRef { obj, file: fi, decl: d });
                }
            }
        }
        out
    }
}
