//! Checks labels and branch statements in function bodies, as gc's syntax package does in
//! its CheckBranches mode (cmd/compile/internal/syntax/branches.go): misplaced `break`,
//! `continue` and `fallthrough`; bad labeled breaks and continues; undefined, unused and
//! duplicate labels; `goto`s jumping over variable declarations or into blocks.
//!
//! It also resolves every branch statement to its target statement, for later stages.

use std::collections::HashMap;

use super::ast::*;
use super::deep::{nested, Deep};
use super::intern::Symbol;
use super::parser::SyntaxError;
use super::pos::Pos;
use super::printer::expr_string;
use super::token::Token;

/// The result of [`check_branches`].
#[derive(Debug, Default)]
pub struct Branches {
    /// gc's errors, function by function.
    pub errors: Vec<SyntaxError>,
    /// For each resolved branch statement, its target: the `for`, `switch` or `select`
    /// statement for break/continue, the labeled statement for goto.
    pub targets: HashMap<StmtId, StmtId>,
}

/// Checks every function body of `file` that had no syntax errors (gc skips the others to
/// avoid follow-up errors). `filename` is used in messages that mention another position,
/// e.g. "label L already defined at x.go:3:1". ([`crate::syntax::parse_and_check`] does
/// this while parsing, which orders the errors exactly as gc does.)
pub fn check_branches(file: &File, filename: &str) -> Branches {
    let mut out = Branches::default();
    for fb in &file.func_bodies {
        if fb.clean {
            check_body(file, filename, fb.body, &mut out);
        }
    }
    out
}

/// Checks one function body, adding to `out`.
pub fn check_body(file: &File, filename: &str, body: BlockId, out: &mut Branches) {
    let mut ls =
        LabelScope { f: file, filename, out, labels: HashMap::new(), order: Vec::new(), blocks: Vec::new(), depth: 0 };
    ls.check_body(body);
}

struct Label {
    /// Index of the block declaring the label.
    parent: usize,
    lstmt: StmtId,
    used: bool,
}

struct BlockInfo {
    parent: Option<usize>,
    start: Pos,
    /// The labeled statement whose statement this block belongs to.
    lstmt: Option<StmtId>,
}

/// Where unlabeled break and continue statements go.
#[derive(Clone, Copy)]
struct Targets {
    breaks: Option<StmtId>,
    continues: Option<StmtId>,
    /// Index of the case clause of the immediately enclosing switch, or -1.
    case_index: i32,
}

struct LabelScope<'f, 'o> {
    f: &'f File,
    filename: &'f str,
    out: &'o mut Branches,
    labels: HashMap<Symbol, Label>,
    /// Label names in declaration order (for a deterministic error order).
    order: Vec<Symbol>,
    blocks: Vec<BlockInfo>,
    depth: u32,
}

impl Deep for LabelScope<'_, '_> {
    fn depth(&mut self) -> &mut u32 {
        &mut self.depth
    }
}

impl LabelScope<'_, '_> {
    fn err(&mut self, pos: Pos, msg: String) {
        self.out.errors.push(SyntaxError { pos, msg });
    }

    fn check_body(&mut self, body: BlockId) {
        let f = self.f;
        let no_targets = Targets { breaks: None, continues: None, case_index: -1 };
        let fwd_gotos = self.block_branches(None, no_targets, None, f[body].pos, &f[f[body].stmts]);
        // Forward gotos left over found no label: either it does not exist or it is
        // inside a block the goto cannot jump into.
        for (_, label) in fwd_gotos {
            let name = f.name(label);
            let pos = f[label].pos;
            if let Some(l) = self.labels.get_mut(&name) {
                l.used = true; // avoid the "defined and not used" error
                let start = self.blocks[l.parent].start;
                let at = format_pos(f, self.filename, start);
                self.err(pos, format!("goto {name} jumps into block starting at {at}"));
            } else {
                self.err(pos, format!("label {name} not defined"));
            }
        }
        // spec: "It is illegal to define a label that is never used."
        for name in std::mem::take(&mut self.order) {
            if let Some(l) = self.labels.get(&name) {
                if !l.used {
                    if let StmtKind::Labeled { label, .. } = f[l.lstmt].kind {
                        self.err(f[label].pos, format!("label {name} defined and not used"));
                    }
                }
            }
        }
    }

    /// Declares the label of labeled statement `s` in block `b`; a duplicate is reported and
    /// the earlier label returned.
    fn declare(&mut self, b: usize, s: StmtId, label: ExprId) -> Symbol {
        let f = self.f;
        let name = f.name(label);
        if let Some(alt) = self.labels.get(&name) {
            let StmtKind::Labeled { label: alt_label, .. } = f[alt.lstmt].kind else { return name };
            let at = format_pos(f, self.filename, f[alt_label].pos);
            self.err(f[label].pos, format!("label {name} already defined at {at}"));
            return name;
        }
        self.labels.insert(name, Label { parent: b, lstmt: s, used: false });
        self.order.push(name);
        name
    }

    /// The labeled statement `name` declared in block `b` or an enclosing block.
    fn goto_target(&mut self, b: usize, name: Symbol) -> Option<StmtId> {
        let l = self.labels.get_mut(&name)?;
        l.used = true; // even if it's not a valid target
        let mut cur = Some(b);
        while let Some(i) = cur {
            if l.parent == i {
                return Some(l.lstmt);
            }
            cur = self.blocks[i].parent;
        }
        None
    }

    /// The innermost enclosing labeled statement named `name`: None if the label is not
    /// defined, Some(None) if it is defined but does not enclose `b`.
    fn enclosing_target(&mut self, b: usize, name: Symbol) -> Option<Option<StmtId>> {
        let l = self.labels.get_mut(&name)?;
        l.used = true; // even if it's not a valid target
        let mut cur = Some(b);
        while let Some(i) = cur {
            if Some(l.lstmt) == self.blocks[i].lstmt {
                return Some(Some(l.lstmt));
            }
            cur = self.blocks[i].parent;
        }
        Some(None)
    }

    /// Processes the statements of a block and returns its unresolved forward gotos.
    fn block_branches(
        &mut self,
        parent: Option<usize>,
        ctxt: Targets,
        lstmt: Option<StmtId>,
        start: Pos,
        body: &[StmtId],
    ) -> Vec<(StmtId, ExprId)> {
        nested(self, |ls| ls.block_branches_inner(parent, ctxt, lstmt, start, body))
    }

    fn block_branches_inner(
        &mut self,
        parent: Option<usize>,
        ctxt: Targets,
        lstmt: Option<StmtId>,
        start: Pos,
        body: &[StmtId],
    ) -> Vec<(StmtId, ExprId)> {
        let f = self.f;
        self.blocks.push(BlockInfo { parent, start, lstmt });
        let b = self.blocks.len() - 1;

        let mut var_decl: Option<(Pos, ExprId)> = None;
        // Unresolved gotos (statement and label) and those jumping over `var_decl`.
        let mut fwd_gotos: Vec<(StmtId, ExprId)> = Vec::new();
        let mut bad_gotos: Vec<StmtId> = Vec::new();

        // A fallthrough counts as the last statement even if empty statements follow.
        let end = body.iter().rposition(|&s| !matches!(f[s].kind, StmtKind::Empty)).map_or(0, |i| i + 1);
        let list = &body[..end];
        for (index, &first) in list.iter().enumerate() {
            let mut lstmt = None;
            let mut stmt = first;
            loop {
                match f[stmt].kind {
                    StmtKind::Decl(decls) => {
                        // The first var declaration will do.
                        for &d in &f[decls] {
                            if let DeclKind::Var { names, .. } = f[d].kind {
                                if let Some(&n) = f[names].first() {
                                    var_decl = Some((f[d].pos, n));
                                    // Forward gotos so far jump over the declaration
                                    // (unless they jump out of the block).
                                    bad_gotos = fwd_gotos.iter().map(|g| g.0).collect();
                                }
                                break;
                            }
                        }
                    }
                    StmtKind::Labeled { label, stmt: inner } => {
                        if !f.name(label).is_blank() {
                            let name = self.declare(b, stmt, label);
                            // Resolve matching forward gotos.
                            let mut kept = Vec::with_capacity(fwd_gotos.len());
                            for (fwd, fwd_label) in fwd_gotos.drain(..) {
                                if f.name(fwd_label) != name {
                                    kept.push((fwd, fwd_label));
                                    continue;
                                }
                                self.out.targets.insert(fwd, stmt);
                                if let Some(l) = self.labels.get_mut(&name) {
                                    l.used = true;
                                }
                                if let Some((vpos, vname)) = var_decl {
                                    if bad_gotos.contains(&fwd) {
                                        let v = expr_string(f, vname);
                                        let at = format_pos(f, self.filename, vpos);
                                        self.err(f[fwd_label].pos, format!("goto {name} jumps over declaration of {v} at {at}"));
                                    }
                                }
                            }
                            fwd_gotos = kept;
                            lstmt = Some(stmt);
                        }
                        stmt = inner;
                        continue;
                    }
                    StmtKind::Branch { tok, label: None } => self.unlabeled_branch(stmt, tok, ctxt, index, list.len()),
                    StmtKind::Branch { tok, label: Some(label) } => {
                        let name = f.name(label);
                        let lpos = f[label].pos;
                        match tok {
                            Token::Break => match self.enclosing_target(b, name) {
                                Some(Some(t)) => {
                                    let StmtKind::Labeled { stmt: target, .. } = f[t].kind else { break };
                                    if matches!(f[target].kind, StmtKind::Switch { .. } | StmtKind::Select { .. } | StmtKind::For { .. }) {
                                        self.out.targets.insert(stmt, target);
                                    } else {
                                        self.err(lpos, format!("invalid break label {name}"));
                                    }
                                }
                                Some(None) => self.err(lpos, format!("invalid break label {name}")),
                                None => self.err(lpos, format!("break label not defined: {name}")),
                            },
                            Token::Continue => match self.enclosing_target(b, name) {
                                Some(Some(t)) => {
                                    let StmtKind::Labeled { stmt: target, .. } = f[t].kind else { break };
                                    if matches!(f[target].kind, StmtKind::For { .. }) {
                                        self.out.targets.insert(stmt, target);
                                    } else {
                                        self.err(lpos, format!("invalid continue label {name}"));
                                    }
                                }
                                Some(None) => self.err(lpos, format!("invalid continue label {name}")),
                                None => self.err(lpos, format!("continue label not defined: {name}")),
                            },
                            _ => match self.goto_target(b, name) {
                                Some(t) => {
                                    self.out.targets.insert(stmt, t);
                                }
                                // The label may be declared later.
                                None => fwd_gotos.push((stmt, label)),
                            },
                        }
                    }
                    StmtKind::Assign { op: Some(super::token::Operator::Def), lhs, .. } => {
                        var_decl = Some((f[stmt].pos, lhs));
                        bad_gotos = fwd_gotos.iter().map(|g| g.0).collect();
                    }
                    StmtKind::Block(blk) => {
                        let inner = Targets { case_index: -1, ..ctxt };
                        let r = self.block_branches(Some(b), inner, lstmt, f[blk].pos, &f[f[blk].stmts]);
                        fwd_gotos.extend(r);
                    }
                    StmtKind::If { then, else_, .. } => {
                        let inner = Targets { case_index: -1, ..ctxt };
                        let r = self.block_branches(Some(b), inner, lstmt, f[then].pos, &f[f[then].stmts]);
                        fwd_gotos.extend(r);
                        if let Some(e) = else_ {
                            let r = self.block_branches(Some(b), inner, lstmt, f[e].pos, std::slice::from_ref(&e));
                            fwd_gotos.extend(r);
                        }
                    }
                    StmtKind::For { body, .. } => {
                        let inner = Targets { breaks: Some(stmt), continues: Some(stmt), case_index: -1 };
                        let r = self.block_branches(Some(b), inner, lstmt, f[body].pos, &f[f[body].stmts]);
                        fwd_gotos.extend(r);
                    }
                    StmtKind::Switch { body, .. } => {
                        for (i, cc) in f[body].iter().enumerate() {
                            let inner = Targets { breaks: Some(stmt), continues: ctxt.continues, case_index: i as i32 };
                            let r = self.block_branches(Some(b), inner, lstmt, cc.pos, &f[cc.body]);
                            fwd_gotos.extend(r);
                        }
                    }
                    StmtKind::Select { body, .. } => {
                        for cc in &f[body] {
                            let inner = Targets { breaks: Some(stmt), continues: ctxt.continues, case_index: -1 };
                            let r = self.block_branches(Some(b), inner, lstmt, cc.pos, &f[cc.body]);
                            fwd_gotos.extend(r);
                        }
                    }
                    _ => {}
                }
                break;
            }
        }
        fwd_gotos
    }

    /// `break`, `continue` or `fallthrough` without a label at `list[index]`.
    fn unlabeled_branch(&mut self, s: StmtId, tok: Token, ctxt: Targets, index: usize, len: usize) {
        let f = self.f;
        let pos = f[s].pos;
        match tok {
            Token::Break => match ctxt.breaks {
                Some(t) => {
                    self.out.targets.insert(s, t);
                }
                None => self.err(pos, "break is not in a loop, switch, or select".to_string()),
            },
            Token::Continue => match ctxt.continues {
                Some(t) => {
                    self.out.targets.insert(s, t);
                }
                None => self.err(pos, "continue is not in a loop".to_string()),
            },
            Token::Fallthrough => {
                let mut msg = "fallthrough statement out of place";
                if let Some(t) = ctxt.breaks {
                    if let StmtKind::Switch { tag, body, .. } = f[t].kind {
                        if tag.is_some_and(|tag| matches!(f[tag].kind, ExprKind::TypeSwitchGuard { .. })) {
                            msg = "cannot fallthrough in type switch";
                        } else if ctxt.case_index < 0 || index + 1 < len {
                            // nested in a block or not the last statement
                        } else if ctxt.case_index as usize + 1 == body.len() {
                            msg = "cannot fallthrough final case in switch";
                        } else {
                            // fallthrough ok
                            return;
                        }
                    }
                }
                self.err(pos, msg.to_string());
            }
            _ => {}
        }
    }
}

/// Formats a position as gc's `Pos.String()`: `file:line:col`, relative to line directives,
/// followed by `[file:line:col]` (the actual position) when that differs.
pub fn format_pos(f: &File, filename: &str, pos: Pos) -> String {
    let i = f.line_directives.partition_point(|d| d.offset <= pos.offset);
    if i == 0 {
        return format!("{filename}:{}:{}", pos.line, pos.col);
    }
    let (rel_name, line, col) = f.resolve(pos);
    let rel_name = rel_name.unwrap_or(filename);
    let rel = if col == 0 { format!("{rel_name}:{line}") } else { format!("{rel_name}:{line}:{col}") };
    // The actual position, named after the base the directive itself appeared in.
    let abs_name = if i >= 2 { f.line_directives[i - 2].filename.as_deref().unwrap_or(filename) } else { filename };
    let abs = format!("{abs_name}:{}:{}", pos.line, pos.col);
    if rel == abs {
        rel
    } else {
        format!("{rel}[{abs}]")
    }
}
