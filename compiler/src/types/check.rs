//! The checker's state, entry point, error reporting and result recording (types2's
//! check.go and errors.go).

use super::constant::ConstValue;
use super::object::{ObjId, ObjKind};
use super::operand::{Mode, Operand};
use super::scope::ScopeId;
use super::ty::TypeId;
use super::typestring::Qualifier;
use super::world::{FxHashMap, PackageId, World};
use super::{FileInfo, Implicit, Info, Instance, Selection, SelectionKind, TypeAndValue};
use crate::diag::Diagnostic;
use crate::syntax::ast::{DeclId, ExprId, File};
use crate::syntax::intern::Symbol;
use crate::syntax::pos::{FileId, Pos, SourceMap};
use std::collections::HashSet;

/// Options for checking a package.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The package's import path (`main` for a command).
    pub path: String,
    /// Skip function bodies (declarations only).
    pub ignore_func_bodies: bool,
    /// The language version (gc's `-lang`, e.g. "go1.17", usually from go.mod); None or
    /// "" means the newest (go1.19).
    pub go_version: Option<String>,
}

/// Parses "go1.N" into (1, N).
fn parse_go_version(s: &str) -> Option<(u32, u32)> {
    let rest = s.strip_prefix("go")?;
    let (ma, mi) = rest.split_once('.').unwrap_or((rest, "0"));
    Some((ma.parse().ok()?, mi.parse().ok()?))
}

/// Access to already-checked packages by import path.
pub trait Importer {
    /// The package imported by `path` (as written in the import declaration), or an error
    /// text for "could not import path (text)".
    fn import(&mut self, world: &mut World, path: &str) -> Result<PackageId, String>;
}

impl<F: FnMut(&mut World, &str) -> Result<PackageId, String>> Importer for F {
    fn import(&mut self, world: &mut World, path: &str) -> Result<PackageId, String> {
        self(world, path)
    }
}

impl Importer for std::collections::HashMap<String, PackageId> {
    fn import(&mut self, _: &mut World, path: &str) -> Result<PackageId, String> {
        self.get(path).copied().ok_or_else(|| format!("cannot find package \"{path}\""))
    }
}

/// Checks the files of one package (parsed without syntax errors) into `world`.
///
/// Returns the results (with `Info::pkg` set unless no file was given) and the errors in
/// gc's wording, unsorted (see `diag::render`).
pub fn check_package(
    world: &mut World,
    config: &Config,
    files: &[File],
    sources: &SourceMap,
    importer: &mut dyn Importer,
) -> (Info, Vec<Diagnostic>) {
    let pkg = world.new_package(&config.path, "");
    let mut c = Checker::new(world, config, files, sources, importer, pkg);
    c.check_files();
    let diags = std::mem::take(&mut c.diags);
    let info = std::mem::take(&mut c.info);
    (info, diags)
}

/// Declaration information of a package-level object (types2's declInfo).
pub(crate) struct DeclInfo {
    /// Index of the declaring file.
    pub file: usize,
    /// The file scope.
    pub file_scope: ScopeId,
    pub kind: DeclKind,
    /// For the variables of an n:1 declaration after the first: the first, which holds
    /// the dependencies of the shared initializer.
    pub shared_with: Option<ObjId>,
    /// Package-level objects the initializer or body refers to.
    pub deps: Vec<ObjId>,
    deps_set: HashSet<ObjId, crate::syntax::intern::FxBuild>,
}

/// What kind of declaration.
#[derive(Clone, Debug)]
pub(crate) enum DeclKind {
    /// `typ` and `init` of a constant (`inherited` from an earlier spec of the group).
    Const {
        typ: Option<ExprId>,
        init: Option<ExprId>,
        inherited: bool,
    },
    /// A variable; `lhs` lists all variables of an n:1 declaration.
    Var {
        lhs: Option<Vec<ObjId>>,
        typ: Option<ExprId>,
        init: Option<ExprId>,
    },
    Type(DeclId),
    Func(DeclId),
}

impl DeclInfo {
    /// A declaration of the file with index `file`.
    pub fn new(file: usize, file_scope: ScopeId, kind: DeclKind) -> DeclInfo {
        DeclInfo { file, file_scope, kind, shared_with: None, deps: Vec::new(), deps_set: HashSet::default() }
    }

    fn add_dep(&mut self, o: ObjId) {
        if self.deps_set.insert(o) {
            self.deps.push(o);
        }
    }
}

/// An untyped expression whose final type is not yet known.
#[derive(Clone, Debug)]
pub(crate) struct ExprInfo {
    pub is_lhs: bool,
    pub mode: Mode,
    pub typ: TypeId,
    pub val: ConstValue,
}

/// The checking context of the code being checked (types2's environment).
#[derive(Default)]
pub(crate) struct Env {
    /// Index of the current file.
    pub file: usize,
    /// The package-level declaration whose initializer or body is checked.
    pub decl: Option<ObjId>,
    pub scope: Option<ScopeId>,
    /// The value of iota in a constant declaration.
    pub iota: Option<ConstValue>,
    /// Identifier position of a constant with inherited initializer (errors go there).
    pub errpos: Option<(FileId, Pos)>,
    pub in_tparam_list: bool,
    /// The signature of the function whose body is checked.
    pub sig: Option<TypeId>,
    /// Calls of panic (for the termination check).
    pub is_panic: HashSet<ExprId, crate::syntax::intern::FxBuild>,
    pub has_label: bool,
    pub has_call_or_recv: bool,
    /// Whether the outermost function being checked is generic (gc 1.19 rejects local
    /// type declarations there).
    pub top_sig_generic: bool,
}

/// Where an error is reported.
#[derive(Clone, Copy, Debug)]
pub(crate) enum At {
    /// The start of an expression of the current file.
    Expr(ExprId),
    /// A position in the current file.
    Pos(Pos),
    /// A position in a given file.
    FilePos(FileId, Pos),
    /// An object's declaration.
    Obj(ObjId),
}

type Action<'a> = Box<dyn FnOnce(&mut Checker<'a>) + 'a>;

/// The state of checking one package.
pub(crate) struct Checker<'a> {
    pub w: &'a mut World,
    pub config: &'a Config,
    pub files: &'a [File],
    pub sources: &'a SourceMap,
    pub importer: &'a mut dyn Importer,
    pub pkg: PackageId,
    pub info: Info,
    pub diags: Vec<Diagnostic>,
    /// Errors gc reports only after type checking succeeded (from its back end).
    pub late_diags: Vec<Diagnostic>,
    pub first_err: bool,
    /// Package-level objects (and methods) with their declarations.
    pub obj_map: FxHashMap<ObjId, DeclInfo>,
    /// Imported packages' name objects.
    pub imports: Vec<ObjId>,
    /// Objects dot-imported into file scopes, with the package name they came through.
    pub dot_import_map: FxHashMap<(ScopeId, Symbol), ObjId>,
    /// Methods collected per base type name (until associated with the type).
    pub methods: FxHashMap<ObjId, Vec<ObjId>>,
    /// Untyped expressions by (file, expr).
    pub untyped: FxHashMap<(u32, ExprId), ExprInfo>,
    delayed: Vec<(usize, Option<Action<'a>>)>,
    /// Objects being declared (for cycle detection).
    pub obj_path: Vec<ObjId>,
    /// Blank receiver type parameters by (file, name expr).
    pub recv_tparam_map: FxHashMap<(u32, ExprId), TypeId>,
    pub broken_aliases: HashSet<ObjId, crate::syntax::intern::FxBuild>,
    /// Package names shared by several imported packages (printed as paths).
    pub ambiguous: Vec<String>,
    /// Position of the declaration statement being checked.
    pub decl_stmt_pos: Option<Pos>,
    /// Defined types declared by this package (their underlying types are resolved at the
    /// end).
    pub named_types: Vec<TypeId>,
    /// Imported packages by path.
    pub imp_map: FxHashMap<String, PackageId>,
    /// Indices of the files that belong to the package (in order).
    pub pkg_files: Vec<usize>,
    /// The file scopes (parallel to `pkg_files`).
    pub file_scopes: Vec<ScopeId>,
    /// Type names whose validity has been established (validType).
    pub valid_types: FxHashMap<TypeId, bool>,
    pub env: Env,
    /// The instantiation graph (for instantiation cycles).
    pub mono: super::mono::MonoGraph,
    /// The accepted language version ((0, 0): any).
    pub version: (u32, u32),
}

impl<'a> Checker<'a> {
    fn new(
        w: &'a mut World,
        config: &'a Config,
        files: &'a [File],
        sources: &'a SourceMap,
        importer: &'a mut dyn Importer,
        pkg: PackageId,
    ) -> Checker<'a> {
        let info = Info {
            pkg: Some(pkg),
            files: files
                .iter()
                .map(|f| FileInfo {
                    types: vec![TypeAndValue::default(); f.exprs.len()],
                    defs: vec![None; f.exprs.len()],
                    uses: vec![None; f.exprs.len()],
                    ..FileInfo::default()
                })
                .collect(),
            consts: vec![ConstValue::Unknown],
            ..Info::default()
        };
        Checker {
            w,
            config,
            files,
            sources,
            importer,
            pkg,
            info,
            diags: Vec::new(),
            late_diags: Vec::new(),
            first_err: false,
            obj_map: FxHashMap::default(),
            imports: Vec::new(),
            dot_import_map: FxHashMap::default(),
            methods: FxHashMap::default(),
            untyped: FxHashMap::default(),
            delayed: Vec::new(),
            obj_path: Vec::new(),
            recv_tparam_map: FxHashMap::default(),
            broken_aliases: HashSet::default(),
            ambiguous: Vec::new(),
            valid_types: FxHashMap::default(),
            named_types: Vec::new(),
            decl_stmt_pos: None,
            imp_map: FxHashMap::default(),
            pkg_files: Vec::new(),
            file_scopes: Vec::new(),
            env: Env::default(),
            mono: Default::default(),
            version: config.go_version.as_deref().and_then(parse_go_version).unwrap_or((0, 0)),
        }
    }

    /// checkFiles: the phases of types2's Checker.Files.
    fn check_files(&mut self) {
        if !self.init_files() {
            return;
        }
        self.collect_objects();
        self.package_objects();
        self.process_delayed(0);
        self.resolve_underlying();
        self.init_order();
        if !self.config.ignore_func_bodies {
            self.unused_imports();
        }
        self.record_untyped();
        if self.diags.is_empty() {
            self.monomorph();
        }
        self.collect_funcs();
        if self.diags.is_empty() {
            self.diags = std::mem::take(&mut self.late_diags);
        }
        self.w.pkg_mut(self.pkg).complete = true;
    }

    /// Replaces underlying types that are still defined types by their final ones,
    /// reporting cycles (`type T U; type U T`, also through instances) as types2's
    /// Named.under does.
    fn resolve_underlying(&mut self) {
        for t in std::mem::take(&mut self.named_types) {
            let mut path = vec![t];
            let mut cur = t;
            let final_u = loop {
                self.w.expand_named(cur);
                let u = self.w.named(cur).map_or(TypeId::INVALID, |n| n.underlying);
                if self.w.named(u).is_none() {
                    break u;
                }
                if let Some(i) = path.iter().position(|&p| p == u) {
                    let objs: Vec<ObjId> = path[i..].iter().filter_map(|&p| self.w.named(p).map(|n| n.obj)).collect();
                    self.cycle_error(&objs);
                    break TypeId::INVALID;
                }
                if path.len() > 1000 {
                    break TypeId::INVALID;
                }
                path.push(u);
                cur = u;
            };
            let comparable = self.w.predeclared.comparable;
            for p in path {
                if let Some(n) = self.w.named_mut(p) {
                    if n.obj != comparable && (n.expanded || n.targs.is_empty()) {
                        n.underlying = final_u;
                    }
                }
            }
        }
        self.drain_type_set_errors();
    }

    /// Reports the problems found while computing type sets on demand.
    pub fn drain_type_set_errors(&mut self) {
        for e in std::mem::take(&mut self.w.pending_tset_errors) {
            let mut parts = vec![(Some(At::FilePos(e.file, e.pos)), e.msg)];
            if let Some((f, p, m)) = e.other {
                parts.push((Some(At::FilePos(f, p)), m));
            }
            self.report(parts);
        }
        for d in std::mem::take(&mut self.w.pending_tset_dups) {
            let (mt, ot) = (self.w.obj(d.method).typ(), self.w.obj(d.other).typ());
            if !self.w.identical(mt, ot) {
                let name = self.w.obj(d.method).name;
                let parts = vec![
                    (Some(At::FilePos(d.file, d.pos)), format!("duplicate method {name}")),
                    (Some(At::FilePos(d.other_pos.0, d.other_pos.1)), format!("other declaration of {name}")),
                ];
                self.report(parts);
            }
        }
    }

    /// Sets the package name from the first file and drops files of other packages.
    fn init_files(&mut self) -> bool {
        let mut name: Option<String> = None;
        for (fi, f) in self.files.iter().enumerate() {
            self.env.file = fi;
            let (fname, at) = match f.pkg_name {
                Some(n) => (f.name(n).as_str().to_string(), At::Expr(n)),
                None => ("_".to_string(), At::Pos(f.pos)),
            };
            match &name {
                None => {
                    if fname == "_" {
                        self.error(at, "invalid package name _".into());
                    } else {
                        name = Some(fname);
                    }
                    self.pkg_files.push(fi);
                }
                Some(n) if *n != fname => {
                    let msg = format!("package {fname}; expected {n}");
                    self.error(At::Pos(f.pos), msg);
                }
                Some(_) => self.pkg_files.push(fi),
            }
        }
        let Some(name) = name else { return !self.files.is_empty() };
        self.info.package = name.clone();
        self.w.pkg_mut(self.pkg).name = name;
        true
    }

    /// The dependencies of package-level object `o` (shared by n:1 variable declarations).
    pub fn deps_of(&self, o: ObjId) -> &[ObjId] {
        let Some(d) = self.obj_map.get(&o) else { return &[] };
        match d.shared_with.and_then(|s| self.obj_map.get(&s)) {
            Some(sd) => &sd.deps,
            None => &d.deps,
        }
    }

    /// Lists the functions with bodies for code generation.
    fn collect_funcs(&mut self) {
        use crate::syntax::ast::DeclKind as D;
        let is_main = self.w.pkg(self.pkg).name == "main";
        for fi in self.pkg_files.clone() {
            let f = &self.files[fi];
            for &d in &f[f.decls] {
                let D::Func { name, body: Some(_), recv, .. } = &f[d].kind else { continue };
                let Some(obj) = self.info.files[fi].def(*name) else { continue };
                let fref = super::FuncRef { obj, file: fi, decl: d };
                self.info.funcs.push(fref);
                if recv.is_none() {
                    match f.name(*name).as_str() {
                        "init" => self.info.inits.push(fref),
                        "main" if is_main => self.info.main = Some(fref),
                        _ => {}
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------
    // Current file and formatting

    /// The current file.
    pub fn file(&self) -> &'a File {
        &self.files[self.env.file]
    }

    /// The current file's source id.
    pub fn file_id(&self) -> FileId {
        self.files[self.env.file].file
    }

    /// The qualifier for messages (relative to this package).
    pub fn qf(&self) -> Qualifier<'_> {
        Qualifier::Relative(self.pkg, &self.ambiguous)
    }

    /// A type as written in messages.
    pub fn ts(&self, t: TypeId) -> String {
        self.w.type_string(t, self.qf())
    }

    /// An object as written in messages.
    pub fn os(&self, o: ObjId) -> String {
        self.w.object_string(o, self.qf())
    }

    /// An expression of the current file as written in messages.
    pub fn es(&self, e: ExprId) -> String {
        crate::syntax::printer::expr_string(self.file(), e)
    }

    /// The current scope.
    pub fn scope(&self) -> ScopeId {
        self.env.scope.unwrap_or(self.w.universe)
    }

    /// The object named `name` visible in the current scope.
    pub fn lookup(&self, name: Symbol) -> Option<ObjId> {
        self.w.lookup_parent(self.scope(), name).map(|(_, o)| o)
    }

    // ------------------------------------------------------------------------------------
    // Errors

    /// The file and position an error at `at` is reported at.
    pub fn pos_of(&self, at: At) -> (FileId, Pos) {
        match at {
            At::Expr(e) => (self.file_id(), self.start_pos(e)),
            At::Pos(p) => (self.file_id(), p),
            At::FilePos(f, p) => (f, p),
            At::Obj(o) => {
                let obj = self.w.obj(o);
                (obj.file, obj.pos)
            }
        }
    }

    /// gc's syntax.StartPos of an expression (which, unlike `File::start_pos`, stops at
    /// slice expressions: gc reports those at the `[`).
    pub fn start_pos(&self, mut e: ExprId) -> Pos {
        use crate::syntax::ast::ExprKind as E;
        let f = self.file();
        loop {
            let x = &f[e];
            e = match x.kind {
                E::CompositeLit { typ: Some(t), .. } => t,
                E::Selector { x, .. } | E::Index { x, .. } | E::Assert { x, .. } => x,
                E::TypeSwitchGuard { lhs, x } => lhs.unwrap_or(x),
                E::Operation { x, y: Some(_), .. } => x,
                E::Call { fun, .. } => fun,
                E::List(l) if !l.is_empty() => f[l][0],
                _ => return x.pos,
            };
        }
    }

    /// gc's syntax.StartPos of a statement (expression statements report at the
    /// expression's own position).
    pub fn stmt_start(&self, s: crate::syntax::ast::StmtId) -> Pos {
        use crate::syntax::ast::StmtKind as S;
        let f = self.file();
        match f[s].kind {
            S::Send { chan, .. } => self.start_pos(chan),
            S::Assign { lhs, .. } => self.start_pos(lhs),
            S::Range { lhs, x, .. } => self.start_pos(lhs.unwrap_or(x)),
            _ => f[s].pos,
        }
    }

    /// Formats a position as gc prints it inside messages (`file:line:col`).
    pub fn pos_string(&self, (file, pos): (FileId, Pos)) -> String {
        if file == super::object::NO_FILE {
            return String::new();
        }
        self.sources.format(file, pos)
    }

    /// Reports an error.
    pub fn error(&mut self, at: At, msg: String) {
        // Follow-on errors mentioning invalid operands or types add nothing.
        if self.first_err
            && (msg.find("invalid operand").is_some_and(|i| i > 0) || msg.find("invalid type").is_some_and(|i| i > 0))
        {
            return;
        }
        let (file, pos) = match self.env.errpos {
            Some(p) => p,
            None => self.pos_of(at),
        };
        self.first_err = true;
        self.diags.push(Diagnostic { file, pos, msg });
    }

    /// Reports an error at an expression.
    pub fn err_expr(&mut self, e: ExprId, msg: String) {
        self.error(At::Expr(e), msg);
    }

    /// Reports an error made of several parts: the first at `parts[0]`, the others on
    /// following lines prefixed by their positions.
    pub fn report(&mut self, parts: Vec<(Option<At>, String)>) {
        let Some((Some(at), _)) = parts.first() else { return };
        let at = *at;
        let mut msg = String::new();
        for (i, (pat, text)) in parts.iter().enumerate() {
            if i > 0 {
                msg.push_str("\n\t");
                if let Some(p) = pat {
                    let s = self.pos_string(self.pos_of(*p));
                    if !s.is_empty() {
                        msg.push_str(&s);
                        msg.push_str(": ");
                    }
                }
            }
            msg.push_str(text);
        }
        self.error(at, msg);
    }

    /// "x redeclared in this block" with the other declaration.
    pub fn report_redeclared(&mut self, at: At, name: Symbol, alt: ObjId) {
        let mut parts = vec![(Some(at), format!("{name} redeclared in this block"))];
        if self.w.obj(alt).has_pos() {
            parts.push((Some(At::Obj(alt)), format!("other declaration of {}", self.w.obj(alt).name)));
        }
        self.report(parts);
    }

    // ------------------------------------------------------------------------------------
    // Delayed actions

    /// Schedules `f` to run later (types2's check.later), in the current file.
    pub fn later(&mut self, f: impl FnOnce(&mut Checker<'a>) + 'a) {
        self.delayed.push((self.env.file, Some(Box::new(f))));
    }

    /// The number of scheduled actions (a mark for `process_delayed`).
    pub fn delayed_mark(&self) -> usize {
        self.delayed.len()
    }

    /// Runs the actions scheduled since `top` (including those they schedule).
    pub fn process_delayed(&mut self, top: usize) {
        let mut i = top;
        while i < self.delayed.len() {
            let (file, action) = (self.delayed[i].0, self.delayed[i].1.take());
            if let Some(action) = action {
                let saved = self.env.file;
                self.env.file = file;
                action(self);
                self.env.file = saved;
            }
            i += 1;
        }
        self.delayed.truncate(top);
    }

    // ------------------------------------------------------------------------------------
    // Recording results

    fn file_info(&mut self) -> &mut FileInfo {
        let fi = self.env.file;
        &mut self.info.files[fi]
    }

    /// Records an operand's type (untyped ones are remembered until final).
    pub fn record(&mut self, x: &Operand) {
        let Some(e) = x.expr else { return };
        let (typ, val) = match x.mode {
            Mode::Invalid => (TypeId::INVALID, None),
            Mode::NoValue => (self.w.empty_tuple, None),
            Mode::Constant => (x.typ, Some(&x.val)),
            _ => (x.typ, None),
        };
        if self.w.is_untyped(typ) {
            let info = ExprInfo { is_lhs: false, mode: x.mode, typ, val: val.cloned().unwrap_or_default() };
            self.untyped.insert((self.env.file as u32, e), info);
        } else {
            let v = val.cloned();
            self.record_type_and_value(e, x.mode, typ, v);
        }
    }

    /// Records the type (and constant value) of expression `e` of the current file.
    pub fn record_type_and_value(&mut self, e: ExprId, mode: Mode, typ: TypeId, val: Option<ConstValue>) {
        if mode == Mode::Invalid {
            return;
        }
        let val = match val {
            Some(v) if mode == Mode::Constant => {
                self.info.consts.push(v);
                self.info.consts.len() as u32 - 1
            }
            _ => 0,
        };
        let tv = TypeAndValue { mode, ty: typ, val };
        if let Some(slot) = self.file_info().types.get_mut(e.index()) {
            *slot = tv;
        }
    }

    /// Records the final types of the remaining untyped expressions.
    fn record_untyped(&mut self) {
        let mut entries: Vec<((u32, ExprId), ExprInfo)> = self.untyped.drain().collect();
        entries.sort_by_key(|(k, _)| *k);
        for ((fi, e), info) in entries {
            self.env.file = fi as usize;
            let val = (info.mode == Mode::Constant).then_some(info.val);
            self.record_type_and_value(e, info.mode, info.typ, val);
        }
    }

    /// Records the signature a built-in has at a call (on the function expression and
    /// the names inside parentheses).
    pub fn record_builtin_type(&mut self, mut f: ExprId, sig: TypeId) {
        loop {
            self.record_type_and_value(f, Mode::Builtin, sig, None);
            match self.file()[f].kind {
                crate::syntax::ast::ExprKind::Paren(x) => f = x,
                _ => return,
            }
        }
    }

    /// Updates the recorded type of a comma-ok expression to the (value, ok) tuple.
    pub fn record_comma_ok_types(&mut self, mut x: ExprId, a: [TypeId; 2]) {
        if a[0] == TypeId::INVALID && a[1] == TypeId::INVALID {
            return;
        }
        let fid = self.file_id();
        let pos = self.file()[x].pos;
        let v0 = self.w.new_var(fid, pos, Some(self.pkg), Symbol::intern(""), Some(a[0]));
        let v1 = self.w.new_var(fid, pos, Some(self.pkg), Symbol::intern(""), Some(a[1]));
        let tuple = self.w.tuple(vec![v0, v1]);
        loop {
            if let Some(tv) = self.file_info().types.get_mut(x.index()) {
                if tv.mode != Mode::Invalid {
                    tv.ty = tuple;
                }
            }
            match self.file()[x].kind {
                crate::syntax::ast::ExprKind::Paren(inner) => x = inner,
                _ => return,
            }
        }
    }

    /// Records the instantiation of the generic function or type named in `expr`.
    pub fn record_instance(&mut self, expr: ExprId, targs: Vec<TypeId>, typ: TypeId) {
        if let Some(id) = self.instantiated_ident(expr) {
            self.file_info().instances.insert(id, Instance { targs, ty: typ });
        }
    }

    fn instantiated_ident(&self, expr: ExprId) -> Option<ExprId> {
        use crate::syntax::ast::ExprKind as E;
        let f = self.file();
        let e = match f[expr].kind {
            E::Index { x, .. } => x,
            _ => expr,
        };
        match f[e].kind {
            E::Name(_) => Some(e),
            E::Selector { sel, .. } => Some(sel),
            _ => None,
        }
    }

    /// Records the object an identifier declares.
    pub fn record_def(&mut self, id: ExprId, obj: Option<ObjId>) {
        if let Some(slot) = self.file_info().defs.get_mut(id.index()) {
            *slot = obj;
        }
    }

    /// Records the object an identifier denotes.
    pub fn record_use(&mut self, id: ExprId, obj: ObjId) {
        if let Some(slot) = self.file_info().uses.get_mut(id.index()) {
            *slot = Some(obj);
        }
    }

    /// Records an implicitly declared object.
    pub fn record_implicit(&mut self, node: Implicit, obj: ObjId) {
        self.file_info().implicits.insert(node, obj);
    }

    /// Records the resolution of selector `x` (and the use of its selector name).
    pub fn record_selection(
        &mut self,
        x: ExprId,
        kind: SelectionKind,
        recv: TypeId,
        obj: ObjId,
        index: Vec<u32>,
        indirect: bool,
    ) {
        if let crate::syntax::ast::ExprKind::Selector { sel, .. } = self.file()[x].kind {
            self.record_use(sel, obj);
        }
        self.file_info().selections.insert(x, Selection { kind, recv, obj, index, indirect });
    }

    // ------------------------------------------------------------------------------------
    // Declarations

    /// Declares `obj` in `scope` (reporting redeclarations) and records the definition.
    pub fn declare(&mut self, scope: ScopeId, id: Option<ExprId>, obj: ObjId) {
        let name = self.w.obj(obj).name;
        if !name.is_blank() {
            if let Some(alt) = self.w.scope_insert(scope, obj) {
                self.report_redeclared(At::Obj(obj), name, alt);
                return;
            }
        }
        if let Some(id) = id {
            self.record_def(id, Some(obj));
        }
    }

    /// Records that the current package-level declaration depends on `to`.
    pub fn add_decl_dep(&mut self, to: ObjId) {
        let Some(from) = self.env.decl else { return };
        if !self.obj_map.contains_key(&to) {
            return;
        }
        let from = self.obj_map.get(&from).and_then(|d| d.shared_with).unwrap_or(from);
        if let Some(d) = self.obj_map.get_mut(&from) {
            d.add_dep(to);
        }
    }

    /// Opens a new scope (of the given kind) under the current one.
    pub fn open_scope(&mut self, comment: &'static str) {
        let s = self.w.new_scope(Some(self.scope()), comment);
        self.env.scope = Some(s);
    }

    /// Returns to the parent scope.
    pub fn close_scope(&mut self) {
        let parent = self.w.scope(self.scope()).parent;
        self.env.scope = parent;
    }

    /// A new object position in the current file.
    pub fn here(&self, e: ExprId) -> (FileId, Pos) {
        (self.file_id(), self.file()[e].pos)
    }

    /// Marks a variable used.
    pub fn set_used(&mut self, o: ObjId) {
        self.w.obj_mut(o).set_used();
    }

    /// Whether `o` is a variable of this package.
    pub fn is_local_var(&self, o: ObjId) -> bool {
        let obj = self.w.obj(o);
        matches!(obj.kind, ObjKind::Var { .. }) && obj.pkg == Some(self.pkg)
    }

    /// Whether the language version allows a feature of go`major`.`minor` in package
    /// `pkg` (imported packages were checked with their own versions).
    pub fn allow_version(&self, pkg: Option<PackageId>, major: u32, minor: u32) -> bool {
        if pkg != Some(self.pkg) {
            return true;
        }
        let (ma, mi) = self.version;
        ma == 0 && mi == 0 || ma > major || ma == major && mi >= minor
    }

    /// Reports a feature that needs a newer language version than `-lang`.
    pub fn version_error(&mut self, at: At, go: &str, what: String) {
        let lang = self.config.go_version.clone().unwrap_or_default();
        self.error(at, format!("{what} requires {go} or later (-lang was set to {lang}; check go.mod)"));
    }
}
