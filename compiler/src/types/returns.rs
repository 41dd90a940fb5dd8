//! Terminating statements (spec: "Terminating statements"; types2's return.go).

use super::check::Checker;
use crate::syntax::ast::{BlockId, ExprKind, File, StmtId, StmtKind};
use crate::syntax::intern::Symbol;
use crate::syntax::token::Token;

impl Checker<'_> {
    /// Whether statement `s` (labeled `label`) is terminating.
    pub(crate) fn is_terminating(&self, s: StmtId, label: Option<Symbol>) -> bool {
        let f = self.file();
        match &f[s].kind {
            StmtKind::Labeled { label: l, stmt } => self.is_terminating(*stmt, Some(f.name(*l))),
            StmtKind::Expr(e) => {
                let e = f.unparen(*e);
                matches!(f[e].kind, ExprKind::Call { .. }) && self.env.is_panic.contains(&e)
            }
            StmtKind::Return { .. } => true,
            StmtKind::Branch { tok, .. } => matches!(tok, Token::Goto | Token::Fallthrough),
            StmtKind::Block(b) => self.is_terminating_list(&f[f[*b].stmts], None),
            StmtKind::If { then, else_: Some(e), .. } => {
                self.is_terminating_list(&f[f[*then].stmts], None) && self.is_terminating(*e, None)
            }
            StmtKind::Switch { body, .. } => {
                let mut has_default = false;
                for cc in &f[*body] {
                    if cc.cases.is_none() {
                        has_default = true;
                    }
                    if !self.is_terminating_list(&f[cc.body], None) || has_break_list(f, &f[cc.body], label, true) {
                        return false;
                    }
                }
                has_default
            }
            StmtKind::Select { body, .. } => {
                for cc in &f[*body] {
                    if !self.is_terminating_list(&f[cc.body], None) || has_break_list(f, &f[cc.body], label, true) {
                        return false;
                    }
                }
                true
            }
            StmtKind::For { init, cond, body, .. } => {
                if init.is_some_and(|i| matches!(f[i].kind, StmtKind::Range { .. })) {
                    return false;
                }
                cond.is_none() && !has_break_block(f, *body, label, true)
            }
            _ => false,
        }
    }

    /// Whether the last non-empty statement of `list` is terminating.
    pub(crate) fn is_terminating_list(&self, list: &[StmtId], label: Option<Symbol>) -> bool {
        let f = self.file();
        for &s in list.iter().rev() {
            if !matches!(f[s].kind, StmtKind::Empty) {
                return self.is_terminating(s, label);
            }
        }
        false
    }

    /// Whether a function body block is terminating.
    pub(crate) fn is_terminating_body(&self, b: BlockId) -> bool {
        let f = self.file();
        self.is_terminating_list(&f[f[b].stmts], None)
    }
}

fn has_break_block(f: &File, b: BlockId, label: Option<Symbol>, implicit: bool) -> bool {
    has_break_list(f, &f[f[b].stmts], label, implicit)
}

fn has_break_list(f: &File, list: &[StmtId], label: Option<Symbol>, implicit: bool) -> bool {
    list.iter().any(|&s| has_break(f, s, label, implicit))
}

/// Whether `s` contains a break out of the statement labeled `label` (or, if `implicit`,
/// an unlabeled break out of the enclosing statement).
fn has_break(f: &File, s: StmtId, label: Option<Symbol>, implicit: bool) -> bool {
    match &f[s].kind {
        StmtKind::Labeled { stmt, .. } => has_break(f, *stmt, label, implicit),
        StmtKind::Branch { tok: Token::Break, label: l } => match l {
            None => implicit,
            Some(l) => Some(f.name(*l)) == label,
        },
        StmtKind::Block(b) => has_break_block(f, *b, label, implicit),
        StmtKind::If { then, else_, .. } => {
            has_break_block(f, *then, label, implicit) || else_.is_some_and(|e| has_break(f, e, label, implicit))
        }
        StmtKind::Switch { body, .. } => {
            label.is_some() && f[*body].iter().any(|cc| has_break_list(f, &f[cc.body], label, false))
        }
        StmtKind::Select { body, .. } => {
            label.is_some() && f[*body].iter().any(|cc| has_break_list(f, &f[cc.body], label, false))
        }
        StmtKind::For { body, .. } => label.is_some() && has_break_block(f, *body, label, false),
        _ => false,
    }
}
