//! Functions without a Go body and `//go:linkname`: the symbol each function has, and who
//! provides the bodyless ones (a function of the program pushed to that symbol by a
//! `//go:linkname local target` directive, as goclift's go/runtime does for gc's hooks, or
//! an entry of [`crate::bodyless`]). Functions whose symbol a directive sets are always
//! compiled: code elsewhere refers to them by that symbol only.

use super::{Lowerer, Names};
use crate::ir::ExternFunc;
use crate::syntax::ast::DeclKind;
use crate::types::{FuncRef, ObjId};
use std::collections::{HashMap, HashSet};

impl Lowerer<'_> {
    /// The `//go:linkname local target` directives of file `fi`: target by local name.
    fn linknames(&self, fi: usize) -> HashMap<&str, &str> {
        let mut out = HashMap::new();
        for d in &self.files[fi].directives {
            let mut words = d.text.split_whitespace();
            if words.next() != Some("go:linkname") {
                continue;
            }
            if let (Some(local), Some(target)) = (words.next(), words.next()) {
                out.insert(local, target);
            }
        }
        out
    }

    /// The symbol of function `f`, with whether a `//go:linkname` directive chose it.
    pub(super) fn linked_symbol(&self, f: FuncRef) -> (String, bool) {
        let file = &self.files[f.file];
        if let DeclKind::Func { name, recv: None, .. } = file[f.decl].kind {
            if let Some(target) = self.linknames(f.file).get(file.name(name).as_str()) {
                return (target.to_string(), true);
            }
        }
        (self.symbol(f), false)
    }

    /// Registers the package's bodyless functions that something provides: a function of
    /// the program (`defined` holds every symbol the program defines) or the runtime.
    pub(super) fn declare_bodyless(&self, names: &mut Names, defined: &HashSet<String>) {
        for f in self.bodyless_funcs() {
            let (symbol, _) = self.linked_symbol(f);
            if defined.contains(&symbol) {
                names.func_symbols.insert(f.obj, symbol);
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

/// Marks `obj` as referred to (see `Lowerer::func_symbol`): it will be compiled.
pub(super) fn root(names: &Names, obj: ObjId, referred: &mut HashSet<ObjId>, wanted: &mut Vec<ObjId>) {
    if names.bodies.contains_key(&obj) && referred.insert(obj) {
        wanted.push(obj);
    }
}
