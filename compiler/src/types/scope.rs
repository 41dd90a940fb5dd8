//! Scopes: name to object maps forming a tree (universe, package, file, function, block).

use super::object::ObjId;
use crate::syntax::intern::{FxBuild, Symbol};
use std::collections::HashMap;

/// A scope, by index into the world's scope arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScopeId(pub u32);

/// Scopes with more names than this also get a hash index.
const INDEX_THRESHOLD: usize = 12;

/// A scope: its names in insertion order (small scopes are searched linearly, larger ones
/// through a hash index).
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub parent: Option<ScopeId>,
    pub children: Vec<ScopeId>,
    elems: Vec<(Symbol, ObjId)>,
    index: Option<HashMap<Symbol, ObjId, FxBuild>>,
    /// Whether this is a function scope (parameters and results).
    pub is_func: bool,
    /// What the scope belongs to ("universe", "package", "file", "function", "block"...).
    pub comment: &'static str,
}

impl Scope {
    /// A new empty scope under `parent`.
    pub fn new(parent: Option<ScopeId>, comment: &'static str) -> Scope {
        Scope { parent, comment, ..Scope::default() }
    }

    /// The object named `name` in this scope (not its parents).
    pub fn lookup(&self, name: Symbol) -> Option<ObjId> {
        if let Some(ix) = &self.index {
            return ix.get(&name).copied();
        }
        self.elems.iter().find(|(n, _)| *n == name).map(|&(_, o)| o)
    }

    /// Inserts `obj` under `name` unless the name is taken; returns the existing object
    /// then.
    pub fn insert(&mut self, name: Symbol, obj: ObjId) -> Option<ObjId> {
        if let Some(alt) = self.lookup(name) {
            return Some(alt);
        }
        self.elems.push((name, obj));
        if let Some(ix) = &mut self.index {
            ix.insert(name, obj);
        } else if self.elems.len() > INDEX_THRESHOLD {
            self.index = Some(self.elems.iter().copied().collect());
        }
        None
    }

    /// The names and objects in insertion order.
    pub fn elems(&self) -> &[(Symbol, ObjId)] {
        &self.elems
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.elems.len()
    }

    /// Whether the scope declares nothing.
    pub fn is_empty(&self) -> bool {
        self.elems.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_and_lookup_small_and_large() {
        let mut s = Scope::new(None, "test");
        for i in 0..40u32 {
            let name = Symbol::intern(&format!("n{i}"));
            assert_eq!(s.insert(name, ObjId(i)), None);
        }
        assert_eq!(s.lookup(Symbol::intern("n7")), Some(ObjId(7)));
        assert_eq!(s.lookup(Symbol::intern("n39")), Some(ObjId(39)));
        assert_eq!(s.insert(Symbol::intern("n3"), ObjId(99)), Some(ObjId(3)));
        assert_eq!(s.lookup(Symbol::intern("zz")), None);
        assert_eq!(s.len(), 40);
    }
}
