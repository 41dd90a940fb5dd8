//! Detection of invalid recursive types (types2's validtype.go).

use super::check::Checker;
use super::ty::{Type, TypeId};

impl Checker<'_> {
    /// Reports if defined type `t` contains itself (directly, or through arrays, structs
    /// and embedded interfaces) and marks it invalid.
    pub(crate) fn valid_type(&mut self, t: TypeId) {
        self.valid_type0(t, &mut Vec::new(), &mut Vec::new());
    }

    fn valid_type0(&mut self, t: TypeId, nest: &mut Vec<TypeId>, path: &mut Vec<TypeId>) -> bool {
        if nest.len() > 200 {
            return true;
        }
        match self.w.ty(t).clone() {
            Type::Array(_, e) => return self.valid_type0(e, nest, path),
            Type::Struct(st) => {
                for f in st.fields {
                    let ft = self.w.obj(f).typ();
                    if !self.valid_type0(ft, nest, path) {
                        return false;
                    }
                }
            }
            Type::Union(terms) => {
                for term in terms.iter() {
                    if let Some(ty) = term.ty {
                        if !self.valid_type0(ty, nest, path) {
                            return false;
                        }
                    }
                }
            }
            Type::Interface(it) => {
                for e in it.embeddeds {
                    if !self.valid_type0(e, nest, path) {
                        return false;
                    }
                }
            }
            Type::Named(n) => {
                if self.valid_types.contains_key(&t) {
                    return true;
                }
                // The direct underlying type (not following defined types), as types2's
                // Named.Underlying.
                self.w.expand_named(t);
                if self.w.named(t).map_or(TypeId::INVALID, |n| n.underlying) == TypeId::INVALID {
                    return false;
                }
                let mut cyc = None;
                for &e in nest.iter() {
                    if self.w.identical(e, t) {
                        cyc = Some(());
                        break;
                    }
                }
                if cyc.is_some() {
                    if let Some(nm) = self.w.named_mut(t) {
                        nm.underlying = TypeId::INVALID;
                    }
                    let mut start = None;
                    for (i, &p) in path.iter().enumerate() {
                        if self.w.identical(p, t) {
                            start = Some(i);
                            break;
                        }
                    }
                    if let Some(s) = start {
                        let objs: Vec<_> = path[s..].iter().filter_map(|&p| self.w.named(p).map(|n| n.obj)).collect();
                        self.cycle_error(&objs);
                    }
                    return false;
                }
                let rhs = self.w.named(n.orig).map_or(TypeId::INVALID, |o| o.from_rhs);
                nest.push(t);
                path.push(t);
                let ok = self.valid_type0(rhs, nest, path);
                nest.pop();
                path.pop();
                if !ok {
                    return false;
                }
                self.valid_types.insert(t, true);
            }
            Type::TypeParam(p) => {
                if let Some(&inst) = nest.last() {
                    let (tparams, targs) = match self.w.named(inst) {
                        Some(n) => {
                            (self.w.named(n.orig).map(|o| o.tparams.clone()).unwrap_or_default(), n.targs.clone())
                        }
                        None => (Vec::new(), Vec::new()),
                    };
                    for (i, &tp) in tparams.iter().enumerate() {
                        if tp == t && i < targs.len() {
                            let targ = targs[i];
                            let saved = nest.pop();
                            let ok = self.valid_type0(targ, nest, path);
                            if let Some(s) = saved {
                                nest.push(s);
                            }
                            return ok;
                        }
                    }
                }
                let _ = p;
            }
            _ => {}
        }
        true
    }
}
