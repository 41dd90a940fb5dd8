//! Type sets of interfaces and unions, and the algebra of type-set terms (types2's
//! typeset.go, typeterm.go, termlist.go).

use super::object::ObjId;
use super::ty::*;
use super::world::World;
use crate::syntax::pos::{FileId, Pos};

/// The maximum number of terms in a union (implementation limit, as in types2).
pub const MAX_TERM_COUNT: usize = 100;

/// An error found while computing a type set: position and message.
#[derive(Clone, Debug)]
pub struct TypeSetError {
    pub file: FileId,
    pub pos: Pos,
    pub msg: String,
    /// Secondary position ("other declaration of ...").
    pub other: Option<(FileId, Pos, String)>,
}

/// Duplicate methods found through embedding, checked for identical signatures later.
#[derive(Clone, Debug)]
pub struct DuplicateEmbedded {
    pub file: FileId,
    pub pos: Pos,
    pub method: ObjId,
    pub other: ObjId,
    pub other_pos: (FileId, Pos),
}

/// The set of all types.
fn all() -> Vec<Term> {
    vec![Term { tilde: false, ty: None }]
}

impl World {
    /// The type set of an interface type (computed on first use, without reporting errors).
    pub fn type_set(&mut self, iface: TypeId) -> TypeSetId {
        if let Some(ts) = self.iface(iface).and_then(|i| i.tset) {
            return ts;
        }
        // As in types2 (where interfaces remember their checker), problems found while
        // computing a type set on demand are still reported: the checker drains them.
        let mut errs = std::mem::take(&mut self.pending_tset_errors);
        let mut dups = std::mem::take(&mut self.pending_tset_dups);
        let ts = self.compute_type_set(iface, Some(&mut errs), Some(&mut dups));
        self.pending_tset_errors = errs;
        self.pending_tset_dups = dups;
        ts
    }

    /// The type set of interface `iface`, reporting duplicate explicit methods and union
    /// limits to `errs` and collecting embedded duplicates for a later identity check.
    pub fn compute_type_set(
        &mut self,
        iface: TypeId,
        mut errs: Option<&mut Vec<TypeSetError>>,
        mut dups: Option<&mut Vec<DuplicateEmbedded>>,
    ) -> TypeSetId {
        let it = match self.ty(iface) {
            Type::Interface(it) => it,
            _ => return self.predeclared.top_type_set,
        };
        if let Some(ts) = it.tset {
            return ts;
        }
        if !it.complete {
            return self.predeclared.top_type_set;
        }
        let it = (**it).clone();
        // Guard against cycles through embedding (reported by the validity check).
        let guard = self.add_type_set(TypeSet { methods: Vec::new(), terms: all(), comparable: false });
        self.set_tset(iface, guard);

        let mut all_methods: Vec<ObjId> = Vec::new();
        let mut mpos: Vec<(FileId, Pos)> = Vec::new();
        for &m in &it.methods {
            let o = self.obj(m);
            let at = (o.file, o.pos);
            self.add_method(&mut all_methods, &mut mpos, at, m, true, errs.as_deref_mut(), dups.as_deref_mut());
        }
        let mut terms = all();
        let mut comparable = false;
        for (i, &e) in it.embeddeds.iter().enumerate() {
            let at = it.embed_pos.get(i).copied().unwrap_or((super::object::NO_FILE, Pos::default()));
            let u = self.under(e);
            let (eterms, ecomp) = match self.ty(u) {
                Type::Interface(_) => {
                    let ts = self.compute_type_set(u, errs.as_deref_mut(), dups.as_deref_mut());
                    let set = self.type_set_data(ts).clone();
                    for m in set.methods {
                        self.add_method(
                            &mut all_methods,
                            &mut mpos,
                            at,
                            m,
                            false,
                            errs.as_deref_mut(),
                            dups.as_deref_mut(),
                        );
                    }
                    (set.terms, set.comparable)
                }
                Type::Union(_) => match self.union_terms_reporting(u, at, errs.as_deref_mut()) {
                    Some(t) => (t, false),
                    None => continue,
                },
                Type::Basic(BasicKind::Invalid) => continue,
                _ => (vec![Term { tilde: false, ty: Some(e) }], false),
            };
            let (t2, c2) = self.intersect_term_lists(&terms, comparable, &eterms, ecomp);
            terms = t2;
            comparable = c2;
        }
        self.sort_methods(&mut all_methods);
        let ts = self.add_type_set(TypeSet { methods: all_methods, terms, comparable });
        self.set_tset(iface, ts);
        ts
    }

    fn set_tset(&mut self, iface: TypeId, ts: TypeSetId) {
        if let Type::Interface(it) = self.ty_mut(iface) {
            it.tset = Some(ts);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_method(
        &mut self,
        all: &mut Vec<ObjId>,
        mpos: &mut Vec<(FileId, Pos)>,
        at: (FileId, Pos),
        m: ObjId,
        explicit: bool,
        errs: Option<&mut Vec<TypeSetError>>,
        dups: Option<&mut Vec<DuplicateEmbedded>>,
    ) {
        let (pkg, name) = (self.obj(m).pkg, self.obj(m).name);
        let Some(i) = all.iter().position(|&o| self.same_id(o, pkg, name)) else {
            all.push(m);
            mpos.push(at);
            return;
        };
        if explicit {
            if let Some(errs) = errs {
                errs.push(TypeSetError {
                    file: at.0,
                    pos: at.1,
                    msg: format!("duplicate method {name}"),
                    other: Some((mpos[i].0, mpos[i].1, format!("other declaration of {name}"))),
                });
            }
        } else if let Some(dups) = dups {
            dups.push(DuplicateEmbedded { file: at.0, pos: at.1, method: m, other: all[i], other_pos: mpos[i] });
        }
    }

    /// The terms of a union's type set (cached); None if the union is invalid.
    pub fn union_terms(&mut self, u: TypeId) -> Option<Vec<Term>> {
        self.union_terms_reporting(u, (super::object::NO_FILE, Pos::default()), None)
    }

    fn union_terms_reporting(
        &mut self,
        u: TypeId,
        at: (FileId, Pos),
        errs: Option<&mut Vec<TypeSetError>>,
    ) -> Option<Vec<Term>> {
        if let Some(cached) = self.union_sets.get(&u) {
            return cached.clone();
        }
        self.union_sets.insert(u, Some(Vec::new()));
        let terms: Vec<Term> = match self.ty(u) {
            Type::Union(t) => t.to_vec(),
            _ => Vec::new(),
        };
        let mut all_terms: Vec<Term> = Vec::new();
        for t in terms {
            let Some(ty) = t.ty else { continue };
            let under = self.under(ty);
            let sub = match self.ty(under) {
                Type::Interface(_) => {
                    let ts = self.type_set(under);
                    self.type_set_data(ts).terms.clone()
                }
                Type::Basic(BasicKind::Invalid) => continue,
                _ => {
                    if t.tilde && !self.identical(ty, under) {
                        Vec::new()
                    } else {
                        vec![t]
                    }
                }
            };
            all_terms.extend(sub);
            all_terms = self.norm(all_terms);
            if all_terms.len() > MAX_TERM_COUNT {
                if let Some(errs) = errs {
                    errs.push(TypeSetError {
                        file: at.0,
                        pos: at.1,
                        msg: format!(
                            "cannot handle more than {MAX_TERM_COUNT} union terms (implementation limitation)"
                        ),
                        other: None,
                    });
                }
                self.union_sets.insert(u, None);
                return None;
            }
        }
        self.union_sets.insert(u, Some(all_terms.clone()));
        Some(all_terms)
    }

    fn intersect_term_lists(&mut self, x: &[Term], xc: bool, y: &[Term], yc: bool) -> (Vec<Term>, bool) {
        let mut terms = self.terms_intersect(x, y);
        let mut comp = xc || yc;
        if comp && !terms.iter().any(|t| t.ty.is_none()) {
            let mut kept = Vec::with_capacity(terms.len());
            for t in terms {
                if t.ty.is_some_and(|ty| self.comparable(ty)) {
                    kept.push(t);
                }
            }
            terms = kept;
            comp = terms.iter().any(|t| t.ty.is_none());
        }
        (terms, comp)
    }

    // ------------------------------------------------------------------------------------
    // Terms. `None` stands for the empty term ∅; a term with `ty` None is 𝓤.

    /// Whether the sets of two type terms are disjoint.
    pub fn term_disjoint(&mut self, x: Term, y: Term) -> bool {
        let (Some(xt), Some(yt)) = (x.ty, y.ty) else { return false };
        let ux = if y.tilde { self.under(xt) } else { xt };
        let uy = if x.tilde { self.under(yt) } else { yt };
        !self.identical(ux, uy)
    }

    fn term_union(&mut self, x: Term, y: Term) -> (Term, Option<Term>) {
        if x.ty.is_none() {
            return (x, None);
        }
        if y.ty.is_none() {
            return (y, None);
        }
        if self.term_disjoint(x, y) {
            return (x, Some(y));
        }
        if x.tilde || !y.tilde {
            (x, None)
        } else {
            (y, None)
        }
    }

    fn term_intersect(&mut self, x: Term, y: Term) -> Option<Term> {
        if x.ty.is_none() {
            return Some(y);
        }
        if y.ty.is_none() {
            return Some(x);
        }
        if self.term_disjoint(x, y) {
            return None;
        }
        if !x.tilde || y.tilde {
            Some(x)
        } else {
            Some(y)
        }
    }

    /// Whether type `t` is in the set of term `x`.
    pub fn term_includes(&mut self, x: Term, t: TypeId) -> bool {
        let Some(xt) = x.ty else { return true };
        let u = if x.tilde { self.under(t) } else { t };
        self.identical(xt, u)
    }

    fn term_subset_of(&mut self, x: Term, y: Term) -> bool {
        if y.ty.is_none() {
            return true;
        }
        if x.ty.is_none() {
            return false;
        }
        if self.term_disjoint(x, y) {
            return false;
        }
        !x.tilde || y.tilde
    }

    /// Normal form of a term list: no two terms overlap.
    fn norm(&mut self, xl: Vec<Term>) -> Vec<Term> {
        let mut used = vec![false; xl.len()];
        let mut rl = Vec::new();
        for i in 0..xl.len() {
            if used[i] {
                continue;
            }
            let mut xi = xl[i];
            for j in i + 1..xl.len() {
                if used[j] {
                    continue;
                }
                let (u1, u2) = self.term_union(xi, xl[j]);
                if u2.is_none() {
                    if u1.ty.is_none() {
                        return all();
                    }
                    xi = u1;
                    used[j] = true;
                }
            }
            rl.push(xi);
        }
        rl
    }

    fn terms_intersect(&mut self, xl: &[Term], yl: &[Term]) -> Vec<Term> {
        if xl.is_empty() || yl.is_empty() {
            return Vec::new();
        }
        let mut rl = Vec::new();
        for &x in xl {
            for &y in yl {
                if let Some(r) = self.term_intersect(x, y) {
                    rl.push(r);
                }
            }
        }
        self.norm(rl)
    }

    /// Whether two term lists denote the same set.
    pub fn terms_equal(&mut self, xl: &[Term], yl: &[Term]) -> bool {
        self.terms_subset_of(xl, yl) && self.terms_subset_of(yl, xl)
    }

    /// Whether some term of `xl` includes `t`.
    pub fn terms_include(&mut self, xl: &[Term], t: TypeId) -> bool {
        xl.iter().any(|&x| self.term_includes(x, t))
    }

    /// Whether the set of `xl` is a subset of the set of `yl`.
    pub fn terms_subset_of(&mut self, xl: &[Term], yl: &[Term]) -> bool {
        if yl.is_empty() {
            return xl.is_empty();
        }
        xl.iter().all(|&x| yl.iter().any(|&y| self.term_subset_of(x, y)))
    }

    /// Writes a term list as types2 does (`~int | string`, ∅, 𝓤).
    pub fn terms_string(&self, terms: &[Term], qf: super::typestring::Qualifier) -> String {
        if terms.is_empty() {
            return "∅".into();
        }
        let parts: Vec<String> = terms
            .iter()
            .map(|t| match t.ty {
                None => "𝓤".to_string(),
                Some(ty) => format!("{}{}", if t.tilde { "~" } else { "" }, self.type_string(ty, qf)),
            })
            .collect();
        parts.join(" | ")
    }
}
