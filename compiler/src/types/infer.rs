//! Type argument inference: function argument type inference and constraint type
//! inference (types2's infer.go).

use super::check::{At, Checker};
use super::object::ObjId;
use super::operand::{Mode, Operand};
use super::subst::SubstMap;
use super::ty::*;
use super::unify::{tparam_index, Unifier};
use super::world::World;

/// Whether `t` mentions any of the type parameters `tparams`.
pub(crate) fn is_parameterized(w: &mut World, tparams: &[TypeId], t: TypeId) -> bool {
    let mut seen: Vec<(TypeId, bool)> = Vec::new();
    parameterized(w, tparams, t, &mut seen)
}

fn parameterized(w: &mut World, tparams: &[TypeId], t: TypeId, seen: &mut Vec<(TypeId, bool)>) -> bool {
    if let Some(&(_, r)) = seen.iter().find(|(s, _)| *s == t) {
        return r;
    }
    seen.push((t, false));
    let r = match w.ty(t).clone() {
        Type::Basic(_) | Type::BasicAlias(..) => false,
        Type::Array(_, e) | Type::Slice(e) | Type::Pointer(e) | Type::Chan(_, e) => parameterized(w, tparams, e, seen),
        Type::Struct(st) => st.fields.iter().any(|&f| {
            let ft = w.obj(f).typ();
            parameterized(w, tparams, ft, seen)
        }),
        Type::Tuple(vars) => vars.iter().any(|&v| {
            let vt = w.obj(v).typ();
            parameterized(w, tparams, vt, seen)
        }),
        Type::Signature(s) => parameterized(w, tparams, s.params, seen) || parameterized(w, tparams, s.results, seen),
        Type::Interface(_) => {
            let ts = w.type_set(t);
            let set = w.type_set_data(ts).clone();
            set.methods.iter().any(|&m| {
                let mt = w.obj(m).typ();
                parameterized(w, tparams, mt, seen)
            }) || set.has_terms()
                && set.terms.iter().any(|term| term.ty.is_some_and(|ty| parameterized(w, tparams, ty, seen)))
        }
        Type::Map(k, v) => parameterized(w, tparams, k, seen) || parameterized(w, tparams, v, seen),
        Type::Named(n) => n.targs.iter().any(|&a| parameterized(w, tparams, a, seen)),
        Type::TypeParam(_) => tparam_index(w, tparams, t).is_some(),
        Type::Union(terms) => terms.iter().any(|term| term.ty.is_some_and(|ty| parameterized(w, tparams, ty, seen))),
    };
    if let Some(e) = seen.iter_mut().find(|(s, _)| *s == t) {
        e.1 = r;
    }
    r
}

/// "P", "P and Q", "P, Q, and R".
fn type_params_string(w: &World, list: &[TypeId]) -> String {
    let names: Vec<&str> = list.iter().map(|&t| w.type_param(t).map_or("", |p| w.obj(p.obj).name.as_str())).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        2 => format!("{} and {}", names[0], names[1]),
        n => format!("{}, and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

impl<'a> Checker<'a> {
    /// Infers the missing type arguments of `tparams` (given `targs` so far) from the
    /// arguments `args` for parameters `params` (a tuple); None after reporting failure.
    pub(crate) fn infer(
        &mut self,
        at: At,
        tparams: &[TypeId],
        targs: &[TypeId],
        params: TypeId,
        args: &[Operand],
    ) -> Option<Vec<TypeId>> {
        let n = tparams.len();
        if targs.len() == n {
            return Some(targs.to_vec());
        }
        let mut tparams = tparams.to_vec();
        let mut params = params;
        // A recursive call of a generic function: rename its type parameters.
        let self_recursive = self.env.sig.and_then(|s| self.w.sig(s).map(|s| s.tparams.first().copied())).flatten()
            == tparams.first().copied()
            && !tparams.is_empty();
        if self_recursive {
            let mut tparams2 = Vec::with_capacity(n);
            for &tp in &tparams {
                let p = self.w.type_param(tp).cloned();
                let Some(p) = p else { continue };
                let o = self.w.obj(p.obj).clone();
                let tname = self.w.new_type_name(o.file, o.pos, o.pkg, o.name, None);
                tparams2.push(self.w.new_type_param(tname, p.index, TypeId::INVALID));
            }
            let smap = SubstMap::new(&tparams, &tparams2);
            for (i, &tp) in tparams.iter().enumerate() {
                let b = self.w.type_param(tp).map_or(TypeId::INVALID, |p| p.bound);
                let nb = self.w.subst(b, &smap);
                if let Type::TypeParam(p) = self.w.ty_mut(tparams2[i]) {
                    p.bound = nb;
                }
            }
            tparams = tparams2;
            params = self.w.subst(params, &smap);
        }
        // Arguments of named types first (for better inference of untyped ones).
        let mut pvars: Vec<ObjId> = self.w.tuple_vars(params).to_vec();
        let mut args: Vec<Operand> = args.to_vec();
        if args.len() >= 2 {
            let (named, unnamed): (Vec<usize>, Vec<usize>) =
                (0..args.len()).partition(|&i| self.w.has_name(args[i].typ));
            if !named.is_empty() && !unnamed.is_empty() {
                let order: Vec<usize> = named.into_iter().chain(unnamed).collect();
                pvars = order.iter().map(|&i| pvars[i]).collect();
                args = order.iter().map(|&i| args[i].clone()).collect();
            }
        }
        let mut full_targs: Vec<Option<TypeId>> = targs.iter().map(|&t| Some(t)).collect();
        full_targs.resize(n, None);
        let mut ptypes: Vec<TypeId> = pvars.iter().map(|&v| self.w.obj(v).typ()).collect();
        if !ptypes.is_empty() {
            let known: Vec<(TypeId, TypeId)> =
                full_targs.iter().enumerate().filter_map(|(i, t)| t.map(|t| (tparams[i], t))).collect();
            if !known.is_empty() {
                let smap =
                    SubstMap { from: known.iter().map(|k| k.0).collect(), to: known.iter().map(|k| k.1).collect() };
                for p in &mut ptypes {
                    *p = self.w.subst(*p, &smap);
                }
            }
        }
        let mut u = Unifier::new(&tparams, false);
        for (i, t) in full_targs.iter().enumerate() {
            if let Some(t) = t {
                u.set(i, *t);
            }
        }
        let mut indices = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            let ptyp = ptypes[i];
            if !is_parameterized(self.w, &tparams, ptyp) {
                continue;
            }
            if arg.mode == Mode::Invalid {
                continue;
            }
            if self.w.is_typed(arg.typ) {
                if !u.unify(self.w, ptyp, arg.typ) {
                    self.infer_error(&u, &tparams, "type", ptyp, arg.typ, arg);
                    return None;
                }
            } else if self.w.is_type_param(ptyp) {
                indices.push(i);
            }
        }
        let (types, index) = u.types();
        if index.is_none() {
            return Some(types.into_iter().flatten().collect());
        }
        let (types, index) = self.infer_b(at, &tparams, &types)?;
        if index.is_none() {
            return Some(types.into_iter().flatten().collect());
        }
        // Untyped arguments for parameters of type parameter type get their default types
        // (checked against the types known before this loop, as types2 does).
        for i in indices {
            let tpar = ptypes[i];
            let Some(ti) = tparam_index(self.w, &tparams, tpar) else { continue };
            if types[ti].is_none() {
                let arg = &args[i];
                let targ = self.w.default_type(arg.typ);
                if self.w.is_typed(targ) && !u.unify(self.w, tpar, targ) {
                    self.infer_error(&u, &tparams, "default type", tpar, targ, arg);
                    return None;
                }
            }
        }
        let (types, index) = u.types();
        if index.is_none() {
            return Some(types.into_iter().flatten().collect());
        }
        let (types, index) = self.infer_b(at, &tparams, &types)?;
        let Some(index) = index else {
            return Some(types.into_iter().flatten().collect());
        };
        let tpar = tparams[index];
        let obj = self.w.type_param(tpar).map(|p| p.obj);
        if let Some(o) = obj {
            let name = self.w.obj(o).name;
            let pos = self.pos_string(self.pos_of(At::Obj(o)));
            self.error(at, format!("cannot infer {name} ({pos})"));
        }
        None
    }

    fn infer_error(&mut self, u: &Unifier, tparams: &[TypeId], kind: &str, tpar: TypeId, targ: TypeId, arg: &Operand) {
        let (targs, index) = u.types();
        let expr = arg.expr.map(|e| self.es(e)).unwrap_or_default();
        if index == Some(0) && targs.iter().all(Option::is_none) {
            let msg = format!(
                "{kind} {} of {expr} does not match {} (cannot infer {})",
                self.ts(targ),
                self.ts(tpar),
                type_params_string(self.w, tparams)
            );
            self.error(self.at(arg), msg);
            return;
        }
        let known: Vec<(TypeId, TypeId)> =
            targs.iter().enumerate().filter_map(|(i, t)| t.map(|t| (tparams[i], t))).collect();
        let smap = SubstMap { from: known.iter().map(|k| k.0).collect(), to: known.iter().map(|k| k.1).collect() };
        let inferred = self.w.subst(tpar, &smap);
        let msg = if inferred != tpar {
            format!(
                "{kind} {} of {expr} does not match inferred type {} for {}",
                self.ts(targ),
                self.ts(inferred),
                self.ts(tpar)
            )
        } else {
            format!("{kind} {} of {expr} does not match {}", self.ts(targ), self.ts(tpar))
        };
        self.error(self.at(arg), msg);
    }

    /// Constraint type inference: infers type arguments from the core types of the
    /// constraints. Returns the types and the index of the first unknown one.
    fn infer_b(
        &mut self,
        at: At,
        tparams: &[TypeId],
        targs: &[Option<TypeId>],
    ) -> Option<(Vec<Option<TypeId>>, Option<usize>)> {
        let mut u = Unifier::new(tparams, true);
        for (i, t) in targs.iter().enumerate() {
            if let Some(t) = t {
                u.set(i, *t);
            }
        }
        let mut n = u.unknowns();
        while n > 0 {
            let mut nn = n;
            for (i, &tpar) in tparams.iter().enumerate() {
                let Some((tilde, core, single)) = self.core_term(tpar) else { continue };
                match u.at(i) {
                    Some(mut tx) => {
                        if tilde && !self.w.is_type_param(tx) {
                            tx = self.w.under(tx);
                        }
                        if !u.unify(self.w, tx, core) {
                            let t = if tilde { "~" } else { "" };
                            let msg = format!("{} does not match {t}{}", self.ts(tpar), self.ts(core));
                            self.error(at, msg);
                            return None;
                        }
                    }
                    None if single && !tilde => u.set(i, core),
                    None => continue,
                }
                nn = u.unknowns();
                if nn == 0 {
                    break;
                }
            }
            if nn == n {
                break;
            }
            n = nn;
        }
        let (mut types, _) = u.types();
        // Break cycles through the inferred types.
        for &t in tparams {
            let mut seen = Vec::new();
            self.kill_cycles(tparams, &mut types, t, &mut seen);
        }
        // Substitute inferred type arguments into other inferred ones until stable.
        let mut dirty: Vec<usize> =
            (0..types.len()).filter(|&i| types[i].is_some() && targs.get(i).copied().flatten().is_none()).collect();
        let mut rounds = 0;
        while !dirty.is_empty() && rounds < 100 {
            rounds += 1;
            let known: Vec<(TypeId, TypeId)> =
                types.iter().enumerate().filter_map(|(i, t)| t.map(|t| (tparams[i], t))).collect();
            let smap = SubstMap { from: known.iter().map(|k| k.0).collect(), to: known.iter().map(|k| k.1).collect() };
            let mut next = Vec::new();
            for index in dirty {
                let Some(t0) = types[index] else { continue };
                let t1 = self.w.subst(t0, &smap);
                if t1 != t0 {
                    types[index] = Some(t1);
                    next.push(index);
                }
            }
            dirty = next;
        }
        for t in types.iter_mut() {
            if let Some(ty) = *t {
                if is_parameterized(self.w, tparams, ty) {
                    *t = None;
                }
            }
        }
        let index = types.iter().position(Option::is_none);
        Some((types, index))
    }

    /// The single term of a type parameter's constraint, or its core type (tilde, type,
    /// whether it is a single term).
    fn core_term(&mut self, tpar: TypeId) -> Option<(bool, TypeId, bool)> {
        let terms = self.w.tparam_terms(tpar);
        if let Some(terms) = &terms {
            if terms.len() == 1 {
                let t = terms[0];
                return t.ty.map(|ty| (t.tilde, ty, true));
            }
        }
        let tilde = terms.as_ref().is_some_and(|ts| ts.iter().any(|t| t.tilde));
        let core = self.w.core_type(tpar)?;
        // Without specific terms, there is no core term.
        terms.as_ref()?;
        Some((tilde, core, false))
    }

    fn kill_cycles(&mut self, tparams: &[TypeId], types: &mut [Option<TypeId>], t: TypeId, seen: &mut Vec<TypeId>) {
        if seen.contains(&t) {
            if let Some(i) = tparam_index(self.w, tparams, t) {
                types[i] = None;
            }
            return;
        }
        if seen.len() > 64 {
            return;
        }
        seen.push(t);
        match self.w.ty(t).clone() {
            Type::Array(_, e) | Type::Slice(e) | Type::Pointer(e) | Type::Chan(_, e) => {
                self.kill_cycles(tparams, types, e, seen)
            }
            Type::Struct(st) => {
                for f in st.fields {
                    let ft = self.w.obj(f).typ();
                    self.kill_cycles(tparams, types, ft, seen);
                }
            }
            Type::Signature(s) => {
                for v in self.w.tuple_vars(s.params).to_vec().into_iter().chain(self.w.tuple_vars(s.results).to_vec()) {
                    let vt = self.w.obj(v).typ();
                    self.kill_cycles(tparams, types, vt, seen);
                }
            }
            Type::Union(terms) => {
                for term in terms.iter() {
                    if let Some(ty) = term.ty {
                        self.kill_cycles(tparams, types, ty, seen);
                    }
                }
            }
            Type::Interface(it) => {
                for m in it.methods {
                    let mt = self.w.obj(m).typ();
                    self.kill_cycles(tparams, types, mt, seen);
                }
                for e in it.embeddeds {
                    self.kill_cycles(tparams, types, e, seen);
                }
            }
            Type::Map(k, v) => {
                self.kill_cycles(tparams, types, k, seen);
                self.kill_cycles(tparams, types, v, seen);
            }
            Type::Named(n) => {
                for a in n.targs {
                    self.kill_cycles(tparams, types, a, seen);
                }
            }
            Type::TypeParam(_) => {
                if let Some(i) = tparam_index(self.w, tparams, t) {
                    if let Some(ti) = types[i] {
                        self.kill_cycles(tparams, types, ti, seen);
                    }
                }
            }
            _ => {}
        }
        seen.pop();
    }

    /// verify: checks that the type arguments satisfy their constraints; on failure the
    /// index of the failing one and the message.
    pub(crate) fn verify(&mut self, tparams: &[TypeId], targs: &[TypeId]) -> Result<(), (usize, String)> {
        let smap = SubstMap::new(tparams, targs);
        for (i, &tp) in tparams.iter().enumerate() {
            self.w.tparam_iface(tp);
            let bound = self.w.type_param(tp).map_or(TypeId::INVALID, |p| p.bound);
            let bound = self.w.subst(bound, &smap);
            if let Some(&t) = targs.get(i) {
                if let Err(e) = self.implements(t, bound) {
                    return Err((i, e));
                }
            }
        }
        Ok(())
    }
}
