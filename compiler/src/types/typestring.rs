//! Types and objects as types2 writes them in messages (typestring.go, object.go).

use super::object::{ObjId, ObjKind};
use super::ty::{ChanDir, Type, TypeId};
use super::world::{PackageId, World};

/// How package names are written before qualified names (types2's Qualifier).
#[derive(Clone, Copy, Debug)]
pub enum Qualifier<'a> {
    /// Package paths (types2's nil qualifier).
    Path,
    /// Relative to a package: nothing for it, the package name for others, and the quoted
    /// path for packages whose name is shared by several imported packages.
    Relative(PackageId, &'a [String]),
}

struct Writer<'a> {
    w: &'a World,
    buf: String,
    seen: Vec<TypeId>,
    qf: Qualifier<'a>,
    /// Write the type's identity key ([`World::link_string`]) rather than its source form.
    link: bool,
}

impl World {
    /// The type as types2 writes it.
    pub fn type_string(&self, t: TypeId, qf: Qualifier) -> String {
        let mut wr = Writer { w: self, buf: String::new(), seen: Vec::new(), qf, link: false };
        wr.typ(t);
        wr.buf
    }

    /// A string that is equal for two types exactly when they are identical (the key of
    /// run-time type descriptors and of per-type symbols): package paths, `uint8`/`int32`
    /// for `byte`/`rune`, no parameter names, and function-local named types told apart by
    /// their object (gc's `T·N`).
    pub fn link_string(&self, t: TypeId) -> String {
        let mut wr = Writer { w: self, buf: String::new(), seen: Vec::new(), qf: Qualifier::Path, link: true };
        wr.typ(t);
        wr.buf
    }

    /// [`World::link_string`] of a signature without its receiver and the `func` keyword.
    pub fn link_signature_string(&self, sig: TypeId) -> String {
        let mut wr = Writer { w: self, buf: String::new(), seen: Vec::new(), qf: Qualifier::Path, link: true };
        wr.signature(sig);
        wr.buf
    }

    /// A signature without the `func` keyword: `(x int) string`.
    pub fn signature_string(&self, sig: TypeId, qf: Qualifier) -> String {
        let mut wr = Writer { w: self, buf: String::new(), seen: Vec::new(), qf, link: false };
        wr.signature(sig);
        wr.buf
    }

    /// A list of types as `[T1, T2]`.
    pub fn type_list_string(&self, ts: &[TypeId], qf: Qualifier) -> String {
        let parts: Vec<String> = ts.iter().map(|&t| self.type_string(t, qf)).collect();
        format!("[{}]", parts.join(", "))
    }

    /// The object as types2's ObjectString writes it (`var x int`, `func f()`, ...).
    pub fn object_string(&self, o: ObjId, qf: Qualifier) -> String {
        let mut wr = Writer { w: self, buf: String::new(), seen: Vec::new(), qf, link: false };
        wr.object(o);
        wr.buf
    }

    /// `pkg.` (per the qualifier) for an object's package, or "".
    pub fn package_prefix(&self, p: Option<PackageId>, qf: Qualifier) -> String {
        let Some(p) = p else { return String::new() };
        let s = match qf {
            Qualifier::Path => self.pkg(p).path.clone(),
            Qualifier::Relative(cur, _) if cur == p => String::new(),
            Qualifier::Relative(_, ambiguous) => {
                let pk = self.pkg(p);
                if ambiguous.contains(&pk.name) {
                    super::constant::quote(pk.path.as_bytes())
                } else {
                    pk.name.clone()
                }
            }
        };
        if s.is_empty() {
            s
        } else {
            s + "."
        }
    }
}

impl Writer<'_> {
    fn s(&mut self, s: &str) {
        self.buf.push_str(s);
    }

    /// `,` and `;` are followed by a space, as in types2's typeWriter.byte.
    fn sep(&mut self, b: char) {
        self.buf.push(b);
        if b == ',' || b == ';' {
            self.buf.push(' ');
        }
    }

    fn typ(&mut self, t: TypeId) {
        if self.seen.contains(&t) {
            self.s("<cycle>");
            return;
        }
        self.seen.push(t);
        self.typ_inner(t);
        self.seen.pop();
    }

    fn typ_inner(&mut self, t: TypeId) {
        let w = self.w;
        match w.ty(t) {
            Type::Basic(k) => {
                if *k == super::ty::BasicKind::UnsafePointer {
                    let prefix = w.package_prefix(Some(w.unsafe_pkg), self.qf);
                    self.s(&prefix);
                }
                self.s(k.name())
            }
            Type::BasicAlias(k, _) if self.link => self.s(k.name()),
            Type::BasicAlias(_, name) => self.s(name),
            Type::Array(n, e) => {
                self.s(&format!("[{n}]"));
                self.typ(*e);
            }
            Type::Slice(e) => {
                self.s("[]");
                self.typ(*e);
            }
            Type::Pointer(b) => {
                self.s("*");
                self.typ(*b);
            }
            Type::Map(k, v) => {
                self.s("map[");
                self.typ(*k);
                self.s("]");
                self.typ(*v);
            }
            Type::Chan(dir, e) => self.chan(*dir, *e),
            Type::Struct(st) => {
                self.s("struct{");
                for (i, &f) in st.fields.iter().enumerate() {
                    if i > 0 {
                        self.sep(';');
                    }
                    let fo = w.obj(f);
                    if self.link {
                        // Fields are identical by name (an embedded alias names its field
                        // by the alias), package for unexported names, and embedding.
                        if !fo.exported() {
                            self.s(&w.package_prefix(fo.pkg, Qualifier::Path));
                        }
                        self.s(fo.name.as_str());
                        self.s(if fo.is_embedded() { " embedded " } else { " " });
                    } else if !fo.is_embedded() {
                        self.s(fo.name.as_str());
                        self.s(" ");
                    }
                    self.typ(fo.typ());
                    let tag = st.tag(i);
                    if !tag.is_empty() {
                        self.s(" ");
                        self.s(&super::constant::quote(tag.as_bytes()));
                    }
                }
                self.s("}");
            }
            Type::Tuple(_) => self.tuple(t, false),
            Type::Signature(_) => {
                self.s("func");
                self.signature(t);
            }
            Type::Union(terms) => {
                if terms.is_empty() {
                    self.s("<empty union>");
                }
                for (i, term) in terms.iter().enumerate() {
                    if i > 0 {
                        self.s("|");
                    }
                    if term.tilde {
                        self.s("~");
                    }
                    if let Some(ty) = term.ty {
                        self.typ(ty);
                    }
                }
            }
            Type::Interface(it) => self.interface(t, it),
            Type::Named(n) => {
                let obj = w.obj(n.obj);
                let prefix = w.package_prefix(obj.pkg, self.qf);
                self.s(&prefix);
                self.s(obj.name.as_str());
                let local = obj.pkg.is_some_and(|p| obj.parent.is_some_and(|s| s != w.pkg(p).scope));
                if self.link && local {
                    self.s(&format!("·{}", n.obj.0));
                }
                if !n.targs.is_empty() {
                    self.s("[");
                    for (i, &a) in n.targs.iter().enumerate() {
                        if i > 0 {
                            self.sep(',');
                        }
                        self.typ(a);
                    }
                    self.s("]");
                } else if !n.tparams.is_empty() {
                    let tps = n.tparams.clone();
                    self.tparam_list(&tps);
                }
            }
            Type::TypeParam(p) => self.s(w.obj(p.obj).name.as_str()),
        }
    }

    fn chan(&mut self, dir: ChanDir, e: TypeId) {
        let (s, parens) = match dir {
            ChanDir::Both => ("chan ", matches!(self.w.ty(e), Type::Chan(ChanDir::Recv, _))),
            ChanDir::Send => ("chan<- ", false),
            ChanDir::Recv => ("<-chan ", false),
        };
        self.s(s);
        if parens {
            self.s("(");
        }
        self.typ(e);
        if parens {
            self.s(")");
        }
    }

    fn interface(&mut self, t: TypeId, it: &super::ty::InterfaceType) {
        let w = self.w;
        if t == w.predeclared.any_type {
            self.s("any");
            return;
        }
        if let Some(n) = w.named(w.predeclared.comparable_type) {
            if n.underlying == t {
                self.s("interface{comparable}");
                return;
            }
        }
        if it.implicit {
            if it.methods.is_empty() && it.embeddeds.len() == 1 {
                self.typ(it.embeddeds[0]);
                return;
            }
            self.s("/* implicit */ ");
        }
        self.s("interface{");
        let mut first = true;
        for &m in &it.methods {
            if !first {
                self.sep(';');
            }
            first = false;
            self.s(w.obj(m).name.as_str());
            self.signature(w.obj(m).typ());
        }
        for &e in &it.embeddeds {
            if !first {
                self.sep(';');
            }
            first = false;
            self.typ(e);
        }
        self.s("}");
    }

    fn tparam_list(&mut self, list: &[TypeId]) {
        self.s("[");
        let mut prev: Option<TypeId> = None;
        for (i, &tp) in list.iter().enumerate() {
            let bound = self.w.type_param(tp).map_or(TypeId::INVALID, |p| p.bound);
            if i > 0 {
                if Some(bound) != prev {
                    self.s(" ");
                    if let Some(p) = prev {
                        self.typ(p);
                    }
                }
                self.sep(',');
            }
            prev = Some(bound);
            self.typ(tp);
        }
        if let Some(p) = prev {
            self.s(" ");
            self.typ(p);
        }
        self.s("]");
    }

    fn tuple(&mut self, t: TypeId, variadic: bool) {
        let w = self.w;
        let vars = w.tuple_vars(t);
        self.s("(");
        for (i, &v) in vars.iter().enumerate() {
            if i > 0 {
                self.sep(',');
            }
            let vo = w.obj(v);
            if !self.link && !vo.name.as_str().is_empty() {
                self.s(vo.name.as_str());
                self.s(" ");
            }
            let mut ty = vo.typ();
            if variadic && i == vars.len() - 1 {
                if let Type::Slice(e) = w.ty(ty) {
                    self.s("...");
                    ty = *e;
                } else {
                    self.typ(ty);
                    self.s("...");
                    continue;
                }
            }
            self.typ(ty);
        }
        self.s(")");
    }

    fn signature(&mut self, t: TypeId) {
        let w = self.w;
        let Some(sig) = w.sig(t) else {
            self.s("()");
            return;
        };
        if !sig.tparams.is_empty() {
            let tps = sig.tparams.clone();
            self.tparam_list(&tps);
        }
        self.tuple(sig.params, sig.variadic);
        let results = w.tuple_vars(sig.results);
        match results.len() {
            0 => {}
            1 if self.link || w.obj(results[0]).name.as_str().is_empty() => {
                self.s(" ");
                self.typ(w.obj(results[0]).typ());
            }
            _ => {
                self.s(" ");
                self.tuple(sig.results, false);
            }
        }
    }

    fn object(&mut self, o: ObjId) {
        let w = self.w;
        let obj = w.obj(o);
        let mut typ = obj.ty;
        let mut is_tname = false;
        match &obj.kind {
            ObjKind::PkgName { imported, .. } => {
                self.s(&format!("package {}", obj.name));
                let path = &w.pkg(*imported).path;
                if !path.is_empty() && path != obj.name.as_str() {
                    self.s(&format!(" ({})", super::constant::quote(path.as_bytes())));
                }
                return;
            }
            ObjKind::Const { .. } => self.s("const"),
            ObjKind::TypeName => {
                is_tname = true;
                self.s("type");
                if typ.is_some_and(|t| w.is_type_param(t)) {
                    self.s(" parameter");
                }
            }
            ObjKind::Var { is_field, .. } => self.s(if *is_field { "field" } else { "var" }),
            ObjKind::Func { .. } => {
                self.s("func ");
                self.func_name(o);
                if let Some(t) = typ {
                    self.signature(t);
                }
                return;
            }
            ObjKind::Label { .. } => {
                self.s("label");
                typ = None;
            }
            ObjKind::Builtin(_) => {
                self.s("builtin");
                typ = None;
            }
            ObjKind::Nil => {
                self.s("nil");
                return;
            }
        }
        self.s(" ");
        if let Some(p) = obj.pkg {
            if w.scope(w.pkg(p).scope).lookup(obj.name) == Some(o) {
                let prefix = w.package_prefix(Some(p), self.qf);
                self.s(&prefix);
            }
        }
        self.s(obj.name.as_str());
        let Some(mut t) = typ else { return };
        if is_tname {
            match w.ty(t) {
                Type::Basic(_) | Type::BasicAlias(..) => return,
                Type::Named(n) if !n.tparams.is_empty() && n.targs.is_empty() => {
                    let tps = n.tparams.clone();
                    self.tparam_list(&tps);
                }
                _ => {}
            }
            if w.is_alias(o) {
                self.s(" =");
            } else if let Some(p) = w.type_param(t) {
                t = p.bound;
            } else {
                t = w.under_no_expand(t);
            }
        }
        if o == w.predeclared.any {
            t = w.predeclared.empty_interface;
        }
        self.s(" ");
        self.typ(t);
    }

    fn func_name(&mut self, o: ObjId) {
        let w = self.w;
        let obj = w.obj(o);
        let sig = obj.ty.and_then(|t| w.sig(t));
        if let Some(recv) = sig.and_then(|s| s.recv) {
            self.s("(");
            let rt = w.obj(recv).typ();
            if matches!(w.ty(rt), Type::Interface(_)) {
                self.s("interface");
            } else {
                self.typ(rt);
            }
            self.s(").");
        } else {
            let prefix = w.package_prefix(obj.pkg, self.qf);
            self.s(&prefix);
        }
        self.s(obj.name.as_str());
    }
}

impl World {
    /// Whether a type name denotes an alias (its type is not a Named defined by it).
    pub fn is_alias(&self, o: ObjId) -> bool {
        let obj = self.obj(o);
        let Some(t) = obj.ty else { return false };
        match self.ty(t) {
            Type::Named(n) => n.obj != o,
            Type::TypeParam(p) => p.obj != o,
            Type::Basic(k) => obj.pkg != Some(self.unsafe_pkg) && (obj.pkg.is_some() || obj.name.as_str() != k.name()),
            Type::BasicAlias(..) => true,
            _ => true,
        }
    }
}
