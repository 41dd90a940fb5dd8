//! Checks of labels and branch statements in function bodies, as gc's parser does them
//! (cmd/compile/internal/syntax/branches.go): misplaced break, continue and fallthrough,
//! undefined, unused and duplicate labels, gotos jumping over variable declarations or
//! into blocks. gc reports these with the syntax errors but still type-checks the package.

use crate::diag::Diagnostic;
use crate::syntax::ast::{BlockId, DeclKind, ExprKind, File, StmtId, StmtKind};
use crate::syntax::intern::Symbol;
use crate::syntax::pos::Pos;
use crate::syntax::printer::expr_string;
use crate::syntax::token::Token;
use std::collections::HashMap;

/// Checks the branch statements of every function body (declarations and literals) of
/// `file`, whose name (as printed in diagnostics) is `name`.
pub fn check_branches(file: &File, name: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for &d in &file[file.decls] {
        if let DeclKind::Func { body: Some(b), .. } = file[d].kind {
            check_body(file, name, b, &mut diags);
        }
    }
    for e in &file.exprs {
        if let ExprKind::FuncLit { body, .. } = e.kind {
            check_body(file, name, body, &mut diags);
        }
    }
    diags
}

struct Label {
    /// Index of the block declaring the label.
    parent: usize,
    /// The labeled statement.
    stmt: StmtId,
    /// The label's position.
    pos: Pos,
    used: bool,
}

struct Block {
    parent: Option<usize>,
    start: Pos,
    /// The labeled statement this block belongs to.
    lstmt: Option<StmtId>,
}

#[derive(Clone, Copy)]
struct Targets {
    breaks: Option<StmtId>,
    continues: Option<StmtId>,
    case_index: Option<usize>,
}

/// A forward goto: the branch statement, its label name and position.
#[derive(Clone, Copy, PartialEq)]
struct Fwd {
    stmt: StmtId,
    name: Symbol,
    pos: Pos,
}

struct Scope<'a> {
    f: &'a File,
    file_name: &'a str,
    labels: HashMap<Symbol, Label>,
    label_order: Vec<Symbol>,
    blocks: Vec<Block>,
    diags: &'a mut Vec<Diagnostic>,
}

fn check_body(f: &File, file_name: &str, body: BlockId, diags: &mut Vec<Diagnostic>) {
    let mut ls = Scope { f, file_name, labels: HashMap::new(), label_order: Vec::new(), blocks: Vec::new(), diags };
    let stmts = f[f[body].stmts].to_vec();
    let targets = Targets { breaks: None, continues: None, case_index: None };
    let fwd = ls.block_branches(None, targets, None, f[body].pos, &stmts);
    for g in fwd {
        if let Some(l) = ls.labels.get_mut(&g.name) {
            l.used = true;
            let start = ls.blocks[l.parent].start;
            let at = ls.pos_string(start);
            ls.err(g.pos, format!("goto {} jumps into block starting at {at}", g.name));
        } else {
            ls.err(g.pos, format!("label {} not defined", g.name));
        }
    }
    let order = std::mem::take(&mut ls.label_order);
    for name in order {
        let l = &ls.labels[&name];
        if !l.used {
            let pos = l.pos;
            ls.err(pos, format!("label {name} defined and not used"));
        }
    }
}

impl Scope<'_> {
    fn err(&mut self, pos: Pos, msg: String) {
        self.diags.push(Diagnostic { file: self.f.file, pos, msg });
    }

    fn pos_string(&self, p: Pos) -> String {
        format!("{}:{}:{}", self.file_name, p.line, p.col)
    }

    fn declare(&mut self, b: usize, s: StmtId, label_pos: Pos, name: Symbol) {
        if let Some(alt) = self.labels.get(&name) {
            let at = self.pos_string(alt.pos);
            self.err(label_pos, format!("label {name} already defined at {at}"));
            return;
        }
        self.labels.insert(name, Label { parent: b, stmt: s, pos: label_pos, used: false });
        self.label_order.push(name);
    }

    fn goto_target(&mut self, mut b: Option<usize>, name: Symbol) -> bool {
        let Some(l) = self.labels.get_mut(&name) else { return false };
        l.used = true;
        let parent = l.parent;
        while let Some(i) = b {
            if i == parent {
                return true;
            }
            b = self.blocks[i].parent;
        }
        false
    }

    /// The statement a labeled break/continue refers to: Ok(Some(stmt)) if valid,
    /// Ok(None) if the label isn't an enclosing one, Err if undefined.
    fn enclosing_target(&mut self, mut b: Option<usize>, name: Symbol) -> Result<Option<StmtId>, ()> {
        let Some(l) = self.labels.get_mut(&name) else { return Err(()) };
        l.used = true;
        let lstmt = l.stmt;
        while let Some(i) = b {
            if self.blocks[i].lstmt == Some(lstmt) {
                return Ok(Some(lstmt));
            }
            b = self.blocks[i].parent;
        }
        Ok(None)
    }

    fn block_branches(
        &mut self,
        parent: Option<usize>,
        ctxt: Targets,
        lstmt: Option<StmtId>,
        start: Pos,
        body: &[StmtId],
    ) -> Vec<Fwd> {
        let f = self.f;
        self.blocks.push(Block { parent, start, lstmt });
        let b = self.blocks.len() - 1;
        let mut var_pos: Option<Pos> = None;
        let mut var_name = String::new();
        let mut fwd_gotos: Vec<Fwd> = Vec::new();
        let mut bad_gotos: Vec<Fwd> = Vec::new();
        let mut n = body.len();
        while n > 0 && matches!(f[body[n - 1]].kind, StmtKind::Empty) {
            n -= 1;
        }
        let list = &body[..n];
        for (stmt_index, &stmt0) in list.iter().enumerate() {
            let mut lstmt: Option<StmtId> = None;
            let mut stmt = stmt0;
            loop {
                match &f[stmt].kind {
                    StmtKind::Decl(decls) => {
                        for &d in &f[*decls] {
                            if let DeclKind::Var { names, .. } = &f[d].kind {
                                var_pos = Some(f[d].pos);
                                var_name = f[*names].first().map(|&n| expr_string(f, n)).unwrap_or_default();
                                bad_gotos = fwd_gotos.clone();
                                break;
                            }
                        }
                    }
                    StmtKind::Labeled { label, stmt: inner } => {
                        let name = f.name(*label);
                        if !name.is_blank() {
                            self.declare(b, stmt, f[*label].pos, name);
                            let mut keep = Vec::with_capacity(fwd_gotos.len());
                            for g in fwd_gotos.drain(..) {
                                if g.name == name {
                                    if let Some(l) = self.labels.get_mut(&name) {
                                        l.used = true;
                                    }
                                    if var_pos.is_some() && bad_gotos.contains(&g) {
                                        let at = self.pos_string(var_pos.unwrap_or_default());
                                        self.err(
                                            g.pos,
                                            format!("goto {name} jumps over declaration of {var_name} at {at}"),
                                        );
                                    }
                                } else {
                                    keep.push(g);
                                }
                            }
                            fwd_gotos = keep;
                            lstmt = Some(stmt);
                        }
                        stmt = *inner;
                        continue;
                    }
                    StmtKind::Branch { tok, label } => match label {
                        None => self.unlabeled_branch(stmt, *tok, ctxt, stmt_index, list.len()),
                        Some(l) => {
                            let name = f.name(*l);
                            let lpos = f[*l].pos;
                            match tok {
                                Token::Break => match self.enclosing_target(Some(b), name) {
                                    Ok(Some(t)) => {
                                        if !self.is_breakable(t) {
                                            self.err(lpos, format!("invalid break label {name}"));
                                        }
                                    }
                                    Ok(None) => self.err(lpos, format!("invalid break label {name}")),
                                    Err(()) => self.err(lpos, format!("break label not defined: {name}")),
                                },
                                Token::Continue => match self.enclosing_target(Some(b), name) {
                                    Ok(Some(t)) => {
                                        if !self.is_for(t) {
                                            self.err(lpos, format!("invalid continue label {name}"));
                                        }
                                    }
                                    Ok(None) => self.err(lpos, format!("invalid continue label {name}")),
                                    Err(()) => self.err(lpos, format!("continue label not defined: {name}")),
                                },
                                Token::Goto if !self.goto_target(Some(b), name) => {
                                    fwd_gotos.push(Fwd { stmt, name, pos: lpos });
                                }
                                _ => {}
                            }
                        }
                    },
                    StmtKind::Assign { op: Some(crate::syntax::token::Operator::Def), lhs, .. } => {
                        var_pos = Some(f[stmt].pos);
                        var_name = expr_string(f, *lhs);
                        bad_gotos = fwd_gotos.clone();
                    }
                    StmtKind::Block(blk) => {
                        let inner = Targets { case_index: None, ..ctxt };
                        let stmts = f[f[*blk].stmts].to_vec();
                        fwd_gotos.extend(self.block_branches(Some(b), inner, lstmt, f[*blk].pos, &stmts));
                    }
                    StmtKind::If { then, else_, .. } => {
                        let inner = Targets { case_index: None, ..ctxt };
                        let stmts = f[f[*then].stmts].to_vec();
                        fwd_gotos.extend(self.block_branches(Some(b), inner, lstmt, f[*then].pos, &stmts));
                        if let Some(e) = else_ {
                            let epos = match f[*e].kind {
                                StmtKind::Block(eb) => f[eb].pos,
                                _ => f[*e].pos,
                            };
                            fwd_gotos.extend(self.block_branches(Some(b), inner, lstmt, epos, &[*e]));
                        }
                    }
                    StmtKind::For { body, .. } => {
                        let inner = Targets { breaks: Some(stmt), continues: Some(stmt), case_index: None };
                        let stmts = f[f[*body].stmts].to_vec();
                        fwd_gotos.extend(self.block_branches(Some(b), inner, lstmt, f[*body].pos, &stmts));
                    }
                    StmtKind::Switch { body, .. } => {
                        for (i, cc) in f[*body].iter().enumerate() {
                            let inner = Targets { breaks: Some(stmt), continues: ctxt.continues, case_index: Some(i) };
                            let stmts = f[cc.body].to_vec();
                            fwd_gotos.extend(self.block_branches(Some(b), inner, lstmt, cc.pos, &stmts));
                        }
                    }
                    StmtKind::Select { body, .. } => {
                        for cc in &f[*body] {
                            let inner = Targets { breaks: Some(stmt), continues: ctxt.continues, case_index: None };
                            let stmts = f[cc.body].to_vec();
                            fwd_gotos.extend(self.block_branches(Some(b), inner, lstmt, cc.pos, &stmts));
                        }
                    }
                    _ => {}
                }
                break;
            }
        }
        fwd_gotos
    }

    fn unlabeled_branch(&mut self, s: StmtId, tok: Token, ctxt: Targets, stmt_index: usize, nstmts: usize) {
        let f = self.f;
        let pos = f[s].pos;
        match tok {
            Token::Break if ctxt.breaks.is_none() => {
                self.err(pos, "break is not in a loop, switch, or select".into());
            }
            Token::Continue if ctxt.continues.is_none() => {
                self.err(pos, "continue is not in a loop".into());
            }
            Token::Fallthrough => {
                let mut msg = "fallthrough statement out of place";
                if let Some(t) = ctxt.breaks {
                    if let StmtKind::Switch { tag, body, .. } = &f[t].kind {
                        if tag.is_some_and(|tg| matches!(f[tg].kind, ExprKind::TypeSwitchGuard { .. })) {
                            msg = "cannot fallthrough in type switch";
                        } else if ctxt.case_index.is_none() || stmt_index + 1 < nstmts {
                            // fallthrough is not the last statement of a case
                        } else if ctxt.case_index.is_some_and(|i| i + 1 == body.len()) {
                            msg = "cannot fallthrough final case in switch";
                        } else {
                            return;
                        }
                    }
                }
                self.err(pos, msg.into());
            }
            _ => {}
        }
    }

    fn is_breakable(&self, labeled: StmtId) -> bool {
        let StmtKind::Labeled { stmt, .. } = self.f[labeled].kind else { return false };
        matches!(self.f[stmt].kind, StmtKind::Switch { .. } | StmtKind::Select { .. } | StmtKind::For { .. })
    }

    fn is_for(&self, labeled: StmtId) -> bool {
        let StmtKind::Labeled { stmt, .. } = self.f[labeled].kind else { return false };
        matches!(self.f[stmt].kind, StmtKind::For { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parser::parse_file;
    use crate::syntax::pos::FileId;

    fn errors(src: &str) -> Vec<String> {
        let (f, errs) = parse_file(FileId(0), src.as_bytes());
        assert!(errs.is_empty(), "{:?}", errs.iter().map(|e| &e.msg).collect::<Vec<_>>());
        let mut d = check_branches(&f, "x.go");
        d.sort_by_key(|d| (d.pos.line, d.pos.col));
        d.into_iter().map(|d| format!("{}:{}: {}", d.pos.line, d.pos.col, d.msg)).collect()
    }

    #[test]
    fn gc_branch_errors() {
        let src = "package main\n\nfunc main() {\n\tgoto L\n\tx := 1\n\t_ = x\nL:\n\t{\n\tM:\n\t}\n\tgoto M\n\tfor {\n\t\tbreak Q\n\t}\nL:\n\tcontinue\n}\n";
        assert_eq!(
            errors(src),
            vec![
                "4:7: goto L jumps over declaration of x at x.go:5:4",
                "11:7: goto M jumps into block starting at x.go:8:2",
                "13:9: break label not defined: Q",
                "15:1: label L already defined at x.go:7:1",
                "16:2: continue is not in a loop",
            ]
        );
    }

    #[test]
    fn fallthrough_and_unused_labels() {
        let src = "package p\n\nfunc f(x int) {\n\tswitch x {\n\tcase 1:\n\t\tfallthrough\n\tcase 2:\n\t\tfallthrough\n\t}\nU:\n\tfor {\n\t\tbreak\n\t}\n\tfallthrough\n\tfunc() { break }()\n}\n";
        assert_eq!(
            errors(src),
            vec![
                "8:3: cannot fallthrough final case in switch",
                "10:1: label U defined and not used",
                "14:2: fallthrough statement out of place",
                "15:11: break is not in a loop, switch, or select",
            ]
        );
    }
}
