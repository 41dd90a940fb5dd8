//! Prints syntax trees back as Go source in gc's "short form" (`syntax.String`): on one
//! line, with function and composite literal bodies abbreviated to `{…}`.
//!
//! gc's parser and type checker embed such strings in error messages ("cannot use x := 1
//! as value", "cannot use s (variable of type []int) as ..."), so the spacing rules follow
//! gc's printer exactly: blanks and semicolons are kept pending and a semicolon is dropped
//! before a closing `)` or `}`.

use super::ast::*;
use super::deep::{nested, Deep};
use super::token::{Operator, Token};

/// gc's `syntax.String(expr)`.
pub fn expr_string(f: &File, e: ExprId) -> String {
    let mut p = Printer::new(f);
    p.expr(e);
    p.finish()
}

/// gc's `syntax.String(stmt)`.
pub fn stmt_string(f: &File, s: StmtId) -> String {
    let mut p = Printer::new(f);
    p.stmt(s);
    p.finish()
}

/// gc's `syntax.String(decl)`.
pub fn decl_string(f: &File, d: DeclId) -> String {
    let mut p = Printer::new(f);
    p.decl(d);
    p.finish()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ws {
    None,
    Semi,
    Blank,
}

/// A token as far as the printer's semicolon rules care.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Other,
    Name,
    ImpliesSemi,
    Semi,
}

struct Printer<'f> {
    f: &'f File,
    out: String,
    pending: Vec<(Last, Ws)>,
    last: Last,
    depth: u32,
}

impl Deep for Printer<'_> {
    fn depth(&mut self) -> &mut u32 {
        &mut self.depth
    }
}

impl<'f> Printer<'f> {
    fn new(f: &'f File) -> Printer<'f> {
        Printer { f, out: String::new(), pending: Vec::new(), last: Last::Other, depth: 0 }
    }

    fn finish(mut self) -> String {
        self.flush(None);
        self.out
    }

    fn add_ws(&mut self, ws: Ws) {
        self.pending.push((self.last, ws));
        if ws == Ws::Semi {
            self.last = Last::Semi;
        }
    }

    fn blank(&mut self) {
        self.add_ws(Ws::Blank);
    }

    fn semi(&mut self) {
        self.add_ws(Ws::Semi);
    }

    /// Writes pending white space before the next token (`None` = end of output), dropping
    /// a semicolon right before `)`/`}` or, at the end, after a token that implies one.
    fn flush(&mut self, next: Option<Token>) {
        let mut saw_newline = next.is_none();
        let mut saw_paren = matches!(next, Some(Token::RParen | Token::RBrace));
        for i in (0..self.pending.len()).rev() {
            let (last, ws) = self.pending[i];
            if ws == Ws::Semi {
                if saw_paren {
                    saw_paren = false;
                    self.pending[i].1 = Ws::None;
                } else if saw_newline && matches!(last, Last::Name | Last::ImpliesSemi) {
                    saw_newline = false;
                    self.pending[i].1 = Ws::None;
                }
            }
        }
        let mut prev = Ws::None;
        for &(_, ws) in &self.pending {
            match ws {
                Ws::None => {}
                Ws::Semi => {
                    self.out.push(';');
                    prev = Ws::Semi;
                }
                Ws::Blank => {
                    if prev != Ws::Blank {
                        self.out.push(' ');
                        prev = Ws::Blank;
                    }
                }
            }
        }
        self.pending.clear();
    }

    fn tok(&mut self, t: Token) {
        self.flush(Some(t));
        self.out.push_str(match t {
            Token::Comma => ",",
            t => t.describe(),
        });
        self.last = match t {
            Token::Break | Token::Continue | Token::Fallthrough | Token::Return => Last::ImpliesSemi,
            Token::RParen | Token::RBrack | Token::RBrace => Last::ImpliesSemi,
            _ => Last::Other,
        };
    }

    /// A name-like token: identifiers, literals, `…`.
    fn word(&mut self, s: &str) {
        self.flush(Some(Token::Name));
        self.out.push_str(s);
        self.last = Last::Name;
    }

    fn op(&mut self, op: Operator) {
        self.flush(Some(Token::Operator));
        self.out.push_str(op.as_str());
    }

    // ------------------------------------------------------------------------------------
    // Expressions

    fn expr(&mut self, e: ExprId) {
        nested(self, |p| p.expr_inner(e))
    }

    fn expr_inner(&mut self, e: ExprId) {
        let f = self.f;
        match f[e].kind {
            ExprKind::Bad => self.word("<bad expr>"),
            ExprKind::Name(s) => self.word(s.as_str()),
            ExprKind::BasicLit { text, .. } => self.word(f.text(text)),
            ExprKind::FuncLit { typ, body } => {
                self.expr(typ);
                self.blank();
                self.tok(Token::LBrace);
                if !f[f[body].stmts].is_empty() {
                    self.word("…");
                }
                self.tok(Token::RBrace);
            }
            ExprKind::CompositeLit { typ, elems, .. } => {
                if let Some(t) = typ {
                    self.expr(t);
                }
                self.tok(Token::LBrace);
                if !elems.is_empty() {
                    self.word("…");
                }
                self.tok(Token::RBrace);
            }
            ExprKind::Paren(x) => {
                self.tok(Token::LParen);
                self.expr(x);
                self.tok(Token::RParen);
            }
            ExprKind::Selector { x, sel } => {
                self.expr(x);
                self.tok(Token::Dot);
                self.expr(sel);
            }
            ExprKind::Index { x, index } => {
                self.expr(x);
                self.tok(Token::LBrack);
                self.expr(index);
                self.tok(Token::RBrack);
            }
            ExprKind::Slice { x, index, .. } => {
                self.expr(x);
                self.tok(Token::LBrack);
                if let Some(i) = index[0] {
                    self.expr(i);
                }
                self.tok(Token::Colon);
                if let Some(j) = index[1] {
                    self.expr(j);
                }
                if let Some(k) = index[2] {
                    self.tok(Token::Colon);
                    self.expr(k);
                }
                self.tok(Token::RBrack);
            }
            ExprKind::Assert { x, typ } => {
                self.expr(x);
                self.tok(Token::Dot);
                self.tok(Token::LParen);
                self.expr(typ);
                self.tok(Token::RParen);
            }
            ExprKind::TypeSwitchGuard { lhs, x } => {
                if let Some(l) = lhs {
                    self.expr(l);
                    self.blank();
                    self.tok(Token::Define);
                    self.blank();
                }
                self.expr(x);
                self.tok(Token::Dot);
                self.tok(Token::LParen);
                self.tok(Token::Type);
                self.tok(Token::RParen);
            }
            ExprKind::Call { fun, args, has_dots } => {
                self.expr(fun);
                self.tok(Token::LParen);
                self.expr_list(args);
                if has_dots {
                    self.tok(Token::DotDotDot);
                }
                self.tok(Token::RParen);
            }
            ExprKind::Operation { op, x, y: None } => {
                self.op(op);
                self.expr(x);
            }
            ExprKind::Operation { op, x, y: Some(y) } => {
                self.expr(x);
                self.blank();
                self.op(op);
                self.blank();
                self.expr(y);
            }
            ExprKind::KeyValue { key, value } => {
                self.expr(key);
                self.tok(Token::Colon);
                self.blank();
                self.expr(value);
            }
            ExprKind::List(l) => self.expr_list(l),
            ExprKind::ArrayType { len, elem } => {
                self.tok(Token::LBrack);
                match len {
                    Some(l) => self.expr(l),
                    None => self.tok(Token::DotDotDot),
                }
                self.tok(Token::RBrack);
                self.expr(elem);
            }
            ExprKind::SliceType { elem } => {
                self.tok(Token::LBrack);
                self.tok(Token::RBrack);
                self.expr(elem);
            }
            ExprKind::DotsType { elem } => {
                self.tok(Token::DotDotDot);
                self.expr(elem);
            }
            ExprKind::StructType { fields } => {
                self.tok(Token::Struct);
                self.tok(Token::LBrace);
                if !fields.is_empty() {
                    self.field_list(fields);
                }
                self.tok(Token::RBrace);
            }
            ExprKind::FuncType { .. } => {
                self.tok(Token::Func);
                self.signature(e);
            }
            ExprKind::InterfaceType { methods } => {
                self.tok(Token::Interface);
                self.tok(Token::LBrace);
                self.method_list(methods);
                self.tok(Token::RBrace);
            }
            ExprKind::MapType { key, value } => {
                self.tok(Token::Map);
                self.tok(Token::LBrack);
                self.expr(key);
                self.tok(Token::RBrack);
                self.expr(value);
            }
            ExprKind::ChanType { dir, elem } => {
                if dir == ChanDir::RecvOnly {
                    self.tok(Token::Arrow);
                }
                self.tok(Token::Chan);
                if dir == ChanDir::SendOnly {
                    self.tok(Token::Arrow);
                }
                self.blank();
                let elem_is_recv = matches!(f[elem].kind, ExprKind::ChanType { dir: ChanDir::RecvOnly, .. });
                if dir == ChanDir::Both && elem_is_recv {
                    // Don't print chan (<-chan T) as chan <-chan T.
                    self.tok(Token::LParen);
                    self.expr(elem);
                    self.tok(Token::RParen);
                } else {
                    self.expr(elem);
                }
            }
        }
    }

    fn expr_list(&mut self, l: List<ExprId>) {
        for (i, &x) in self.f[l].iter().enumerate() {
            if i > 0 {
                self.tok(Token::Comma);
                self.blank();
            }
            self.expr(x);
        }
    }

    /// Struct fields, grouping consecutive names that share a type.
    fn field_list(&mut self, fields: List<Field>) {
        let list = &self.f[fields];
        let mut i0 = 0;
        let mut typ = None;
        for (i, fl) in list.iter().enumerate() {
            if fl.name.is_none() || Some(fl.typ) != typ {
                if i0 < i {
                    self.fields(&list[i0..i]);
                    self.semi();
                    self.blank();
                    i0 = i;
                }
                typ = Some(fl.typ);
            }
        }
        self.fields(&list[i0..]);
    }

    fn fields(&mut self, group: &[Field]) {
        let Some(first) = group.first() else { return };
        if group.len() == 1 && first.name.is_none() {
            self.expr(first.typ);
        } else {
            for (k, fl) in group.iter().enumerate() {
                if k > 0 {
                    self.tok(Token::Comma);
                    self.blank();
                }
                if let Some(n) = fl.name {
                    self.expr(n);
                }
            }
            self.blank();
            self.expr(first.typ);
        }
        if let Some(tag) = first.tag {
            self.blank();
            self.expr(tag);
        }
    }

    fn method_list(&mut self, methods: List<Field>) {
        for (i, m) in self.f[methods].iter().enumerate() {
            if i > 0 {
                self.semi();
                self.blank();
            }
            match m.name {
                Some(n) => {
                    self.expr(n);
                    self.signature(m.typ);
                }
                None => self.expr(m.typ),
            }
        }
    }

    /// `(params) results` of a FuncType.
    fn signature(&mut self, sig: ExprId) {
        let ExprKind::FuncType { params, results } = self.f[sig].kind else {
            self.expr(sig);
            return;
        };
        self.param_list(params, None);
        if !results.is_empty() {
            self.blank();
            let r = &self.f[results];
            if r.len() == 1 && r[0].name.is_none() {
                self.expr(r[0].typ);
            } else {
                self.param_list(results, None);
            }
        }
    }

    /// A parameter list; `tparams` is Some(Type or Func) for type parameter lists.
    fn param_list(&mut self, list: List<Field>, tparams: Option<Token>) {
        let (open, close) = if tparams.is_some() { (Token::LBrack, Token::RBrack) } else { (Token::LParen, Token::RParen) };
        self.tok(open);
        let fields = &self.f[list];
        for (i, fl) in fields.iter().enumerate() {
            if i > 0 {
                self.tok(Token::Comma);
                self.blank();
            }
            if let Some(n) = fl.name {
                self.expr(n);
                if let Some(next) = fields.get(i + 1) {
                    if next.name.is_some() && next.typ == fl.typ {
                        continue; // no need to print the type
                    }
                }
                self.blank();
            }
            let t = self.f.unparen(fl.typ);
            self.expr(t);
        }
        // [P *T,]: a trailing comma keeps a type parameter list from reading as an array length.
        if tparams == Some(Token::Type) && fields.len() == 1 && self.combines_with_name(fields[0].typ) {
            self.tok(Token::Comma);
        }
        self.tok(close);
    }

    /// Whether `name x` would read as a value expression (e.g. `name *T` as `name*T`).
    fn combines_with_name(&self, x: ExprId) -> bool {
        match self.f[x].kind {
            ExprKind::Operation { op, x, y: None } => op == Operator::Mul && !is_type_elem(self.f, x),
            ExprKind::Operation { x, y: Some(y), .. } => self.combines_with_name(x) && !is_type_elem(self.f, y),
            _ => false,
        }
    }

    // ------------------------------------------------------------------------------------
    // Statements

    fn stmt(&mut self, s: StmtId) {
        nested(self, |p| p.stmt_inner(s))
    }

    fn stmt_inner(&mut self, s: StmtId) {
        let f = self.f;
        match f[s].kind {
            StmtKind::Empty => {}
            StmtKind::Labeled { label, stmt } => {
                self.expr(label);
                self.tok(Token::Colon);
                self.blank();
                self.stmt(stmt);
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::Expr(x) => self.expr(x),
            StmtKind::Send { chan, value } => {
                self.expr(chan);
                self.blank();
                self.tok(Token::Arrow);
                self.blank();
                self.expr(value);
            }
            StmtKind::Decl(decls) => self.decl_group(decls),
            StmtKind::Assign { op, lhs, rhs } => {
                self.expr(lhs);
                match rhs {
                    None => {
                        // ++ or --
                        if let Some(op) = op {
                            self.op(op);
                            self.op(op);
                        }
                    }
                    Some(rhs) => {
                        self.blank();
                        if let Some(op) = op {
                            self.op(op);
                        }
                        self.tok(Token::Assign);
                        self.blank();
                        self.expr(rhs);
                    }
                }
            }
            StmtKind::Branch { tok, label } => {
                self.tok(tok);
                if let Some(l) = label {
                    self.blank();
                    self.expr(l);
                }
            }
            StmtKind::CallStmt { tok, call } => {
                self.tok(tok);
                self.blank();
                self.expr(call);
            }
            StmtKind::Return { results } => {
                self.tok(Token::Return);
                if let Some(r) = results {
                    self.blank();
                    self.expr(r);
                }
            }
            StmtKind::If { init, cond, then, else_ } => {
                self.tok(Token::If);
                self.blank();
                if let Some(i) = init {
                    self.stmt(i);
                    self.semi();
                    self.blank();
                }
                if let Some(c) = cond {
                    self.expr(c);
                }
                self.blank();
                self.block(then);
                if let Some(e) = else_ {
                    self.blank();
                    self.tok(Token::Else);
                    self.blank();
                    self.stmt(e);
                }
            }
            StmtKind::For { init, cond, post, body } => self.for_stmt(init, cond, post, body),
            StmtKind::Switch { init, tag, body, .. } => {
                self.tok(Token::Switch);
                self.blank();
                if let Some(i) = init {
                    self.stmt(i);
                    self.semi();
                    self.blank();
                }
                if let Some(t) = tag {
                    self.expr(t);
                    self.blank();
                }
                self.tok(Token::LBrace);
                let clauses = &f[body];
                if !clauses.is_empty() {
                    self.blank();
                    for (i, c) in clauses.iter().enumerate() {
                        match c.cases {
                            Some(cs) => {
                                self.tok(Token::Case);
                                self.blank();
                                self.expr(cs);
                            }
                            None => self.tok(Token::Default),
                        }
                        self.clause_body(c.body, i + 1 == clauses.len());
                        self.blank();
                    }
                }
                self.tok(Token::RBrace);
            }
            StmtKind::Select { body, .. } => {
                self.tok(Token::Select);
                self.blank();
                self.tok(Token::LBrace);
                let clauses = &f[body];
                if !clauses.is_empty() {
                    self.blank();
                    for (i, c) in clauses.iter().enumerate() {
                        match c.comm {
                            Some(cs) => {
                                self.tok(Token::Case);
                                self.blank();
                                self.stmt(cs);
                            }
                            None => self.tok(Token::Default),
                        }
                        self.clause_body(c.body, i + 1 == clauses.len());
                        self.blank();
                    }
                }
                self.tok(Token::RBrace);
            }
            StmtKind::Range { lhs, def, x } => {
                if let Some(l) = lhs {
                    self.expr(l);
                    self.blank();
                    self.tok(if def { Token::Define } else { Token::Assign });
                    self.blank();
                }
                self.tok(Token::Range);
                self.blank();
                self.expr(x);
            }
        }
    }

    fn clause_body(&mut self, body: List<StmtId>, braces: bool) {
        self.tok(Token::Colon);
        if !body.is_empty() {
            self.blank();
            self.stmt_list(body, braces);
        }
    }

    fn for_stmt(&mut self, init: Option<StmtId>, cond: Option<ExprId>, post: Option<StmtId>, body: BlockId) {
        self.tok(Token::For);
        self.blank();
        if init.is_none() && post.is_none() {
            if let Some(c) = cond {
                self.expr(c);
                self.blank();
            }
        } else {
            if let Some(i) = init {
                self.stmt(i);
                if matches!(self.f[i].kind, StmtKind::Range { .. }) {
                    self.blank();
                    self.block(body);
                    return;
                }
            }
            self.semi();
            self.blank();
            if let Some(c) = cond {
                self.expr(c);
            }
            self.semi();
            self.blank();
            if let Some(p) = post {
                self.stmt(p);
                self.blank();
            }
        }
        self.block(body);
    }

    fn block(&mut self, b: BlockId) {
        self.tok(Token::LBrace);
        let stmts = self.f[b].stmts;
        if !stmts.is_empty() {
            self.blank();
            self.stmt_list(stmts, true);
            self.blank();
        }
        self.tok(Token::RBrace);
    }

    fn stmt_list(&mut self, list: List<StmtId>, braces: bool) {
        let stmts = &self.f[list];
        for (i, &s) in stmts.iter().enumerate() {
            self.stmt(s);
            self.semi();
            if i + 1 < stmts.len() {
                self.blank();
            } else if braces && matches!(self.f[s].kind, StmtKind::Empty) {
                // One semicolon is dropped before '}': print an extra one.
                self.stmt(s);
                self.semi();
            }
        }
    }

    // ------------------------------------------------------------------------------------
    // Declarations

    fn decl_group(&mut self, decls: List<DeclId>) {
        let list = &self.f[decls];
        let Some(&first) = list.first() else { return };
        let d = &self.f[first];
        if d.group.is_none() {
            self.decl(first);
            return;
        }
        self.tok(decl_token(&d.kind));
        self.blank();
        self.tok(Token::LParen);
        if !list.is_empty() {
            self.blank();
            for &d in list {
                self.decl(d);
                self.semi();
                self.blank();
            }
        }
        self.tok(Token::RParen);
    }

    fn decl(&mut self, d: DeclId) {
        let f = self.f;
        let decl = &f[d];
        let ungrouped = decl.group.is_none();
        match decl.kind {
            DeclKind::Import { local, path } => {
                if ungrouped {
                    self.tok(Token::Import);
                    self.blank();
                }
                if let Some(l) = local {
                    self.expr(l);
                    self.blank();
                }
                if let Some(p) = path {
                    self.expr(p);
                }
            }
            DeclKind::Const { names, typ, values } | DeclKind::Var { names, typ, values } => {
                if ungrouped {
                    self.tok(decl_token(&decl.kind));
                    self.blank();
                }
                self.expr_list(names);
                if let Some(t) = typ {
                    self.blank();
                    self.expr(t);
                }
                if let Some(v) = values {
                    self.blank();
                    self.tok(Token::Assign);
                    self.blank();
                    self.expr(v);
                }
            }
            DeclKind::Type { name, tparams, alias, typ } => {
                if ungrouped {
                    self.tok(Token::Type);
                    self.blank();
                }
                self.expr(name);
                if !tparams.is_empty() {
                    self.param_list(tparams, Some(Token::Type));
                }
                self.blank();
                if alias {
                    self.tok(Token::Assign);
                    self.blank();
                }
                self.expr(typ);
            }
            DeclKind::Func { recv, name, tparams, typ, body } => {
                self.tok(Token::Func);
                self.blank();
                if let Some(r) = recv {
                    self.tok(Token::LParen);
                    if let Some(n) = r.name {
                        self.expr(n);
                        self.blank();
                    }
                    self.expr(r.typ);
                    self.tok(Token::RParen);
                    self.blank();
                }
                self.expr(name);
                if !tparams.is_empty() {
                    self.param_list(tparams, Some(Token::Func));
                }
                self.signature(typ);
                if let Some(b) = body {
                    self.blank();
                    self.block(b);
                }
            }
        }
    }
}

fn decl_token(kind: &DeclKind) -> Token {
    match kind {
        DeclKind::Import { .. } => Token::Import,
        DeclKind::Const { .. } => Token::Const,
        DeclKind::Type { .. } => Token::Type,
        DeclKind::Var { .. } => Token::Var,
        DeclKind::Func { .. } => Token::Func,
    }
}

/// Whether `x` is (possibly parenthesized) type element syntax (gc's `isTypeElem`).
/// Iterative: unions of many terms nest deeply.
pub fn is_type_elem(f: &File, x: ExprId) -> bool {
    let mut work = vec![x];
    while let Some(x) = work.pop() {
        match f[x].kind {
            ExprKind::ArrayType { .. }
            | ExprKind::StructType { .. }
            | ExprKind::FuncType { .. }
            | ExprKind::InterfaceType { .. }
            | ExprKind::SliceType { .. }
            | ExprKind::MapType { .. }
            | ExprKind::ChanType { .. } => return true,
            ExprKind::Operation { op: Operator::Tilde, .. } => return true,
            ExprKind::Operation { x, y, .. } => {
                work.push(x);
                work.extend(y);
            }
            ExprKind::Paren(x) => work.push(x),
            _ => {}
        }
    }
    false
}
