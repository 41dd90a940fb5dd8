//! The Go parser: builds a [`File`] from source bytes.
//!
//! This is a port of gc's recursive-descent parser (cmd/compile/internal/syntax/parser.go):
//! the same grammar decisions (composite literal vs. block ambiguity, type parameter vs.
//! array length, ...), the same error messages at the same positions and the same error
//! recovery, so that `file:line:col: msg` lines match gc's. Nodes are allocated in the
//! file's arenas; lists are collected on scratch stacks and moved to the list pools when
//! complete, so parsing does no allocation per node or per list.

use super::ast::*;
use super::branches::{check_body, Branches};
use super::deep;
use super::directives::{check_directives, DirectiveRules};
use super::intern::{sym, FileNames, Symbol};
use super::pos::{FileId, Pos};
use super::printer;
use super::scanner::Scanner;
use super::token::{LitKind, Operator, Token};

/// A syntax error: position and gc's message text (e.g. "syntax error: unexpected newline,
/// expecting comma or )"). Print it as `{file}:{line}:{col}: {msg}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub msg: String,
}

/// Parses one Go source file and checks its labels and branch statements, as gc's noder
/// does (gc's syntax.Parse in CheckBranches mode): each function body without syntax errors
/// is checked right after it is parsed, so the errors come in gc's order. `filename`
/// appears in messages that cite another position. Also returns the targets of branch
/// statements (their errors are included in the error list).
pub fn parse_and_check(file: FileId, filename: &str, src: &[u8]) -> (File, Vec<SyntaxError>, Branches) {
    parse_and_check_in(file, filename, src, DirectiveRules::default())
}

/// [`parse_and_check`] plus gc's checks of `//go:` directives ([`check_directives`]) under
/// `rules` (the runtime and the standard library may use directives user code may not).
/// Directive errors are merged into the list at their position, which is where gc's scanner
/// finds them.
pub fn parse_and_check_in(file: FileId, filename: &str, src: &[u8], rules: DirectiveRules) -> (File, Vec<SyntaxError>, Branches) {
    let mut p = Parser::new(file, src, src);
    p.branch_file = Some(filename);
    p.next();
    p.file();
    let branches = std::mem::take(&mut p.branches);
    let (f, mut errors) = p.finish();
    for e in check_directives(&f, filename, rules) {
        let at = errors.iter().position(|x| (x.pos.line, x.pos.col) > (e.pos.line, e.pos.col)).unwrap_or(errors.len());
        errors.insert(at, e);
    }
    (f, errors, branches)
}

/// Parses only the package clause and the imports of a file (what a package loader needs to
/// build the import graph); stops at the first other declaration. Errors are those gc would
/// report for that part of the file.
pub fn parse_imports(file: FileId, src: &[u8]) -> (File, Vec<SyntaxError>) {
    let mut p = Parser::new(file, &src[..0], src);
    p.imports_only = true;
    p.next();
    p.file();
    p.finish()
}

/// Parses one Go source file (without the branch checks, see [`parse_and_check`]). Always returns a [`File`] (partial if there were errors: after
/// an error in the package clause it has no declarations, as in gc) and all errors in the
/// order they were found (gc sorts them by position before printing).
pub fn parse_file(file: FileId, src: &[u8]) -> (File, Vec<SyntaxError>) {
    let mut p = Parser::new(file, src, src);
    p.next();
    p.file();
    p.finish()
}

/// Maximum line or column number in line directives (gc's `PosMax`).
const POS_MAX: u64 = 1 << 30;

/// Statement keywords where parsing resynchronises after an error inside a function.
const STOPSET: &[Token] = &[
    Token::Break,
    Token::Const,
    Token::Continue,
    Token::Defer,
    Token::Fallthrough,
    Token::For,
    Token::Go,
    Token::Goto,
    Token::If,
    Token::Return,
    Token::Select,
    Token::Switch,
    Token::Type,
    Token::Var,
];

/// A field while its parameter list is being parsed: name and type may still be missing.
#[derive(Clone, Copy)]
struct PField {
    pos: Pos,
    name: Option<ExprId>,
    typ: Option<ExprId>,
    tag: Option<ExprId>,
}

/// Which kind of spec a declaration group holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SpecKind {
    Import,
    Const,
    Type,
    Var,
}

/// What `[` after a name turned out to start (see [`Parser::array_or_targs`]).
enum ArrayOrArgs {
    /// An array or slice type.
    Type(ExprId),
    /// Type arguments `[index]` at `pos`; the caller supplies the indexed expression.
    Args { pos: Pos, index: ExprId },
}

impl deep::Deep for Parser<'_> {
    fn depth(&mut self) -> &mut u32 {
        &mut self.depth
    }
}

struct Parser<'a> {
    s: Scanner<'a>,
    f: File,
    /// Function nesting level (for error recovery).
    fnest: u32,
    /// Expression nesting level (for the composite literal ambiguity); -1 in control
    /// clause headers.
    xnest: i32,
    /// Nesting depth of the recursive productions (see [`deep`]).
    depth: u32,
    /// Stop after the imports (see [`parse_imports`]).
    imports_only: bool,
    /// With a file name: check branches of each function body (see [`parse_and_check`]).
    branch_file: Option<&'a str>,
    branches: Branches,
    /// Branch errors, each with the number of other errors reported before it.
    branch_errors: Vec<(usize, SyntaxError)>,
    /// Scanner directives processed so far.
    dirs_seen: usize,
    /// First directive in `f.directives` not yet taken or cleared (the pending pragma).
    pragma_start: usize,
    groups: u32,
    /// The file's own names (the thread's table, held for the whole file).
    file_names: FileNames,
    // Scratch stacks for lists under construction.
    sx: Vec<ExprId>,
    ss: Vec<StmtId>,
    sd: Vec<DeclId>,
    sf: Vec<PField>,
    sc: Vec<CaseClause>,
    sm: Vec<CommClause>,
    /// Branch and labeled statements parsed so far: a function body without any needs no
    /// branch check.
    jumps: u32,
    /// Name nodes with provisional symbols (see [`Parser::settle`]).
    unsettled: Vec<ExprId>,
}

/// The scratch stacks, kept by each thread from one file to the next so that they do not
/// regrow for every file.
#[derive(Default)]
struct Stacks {
    sx: Vec<ExprId>,
    ss: Vec<StmtId>,
    sd: Vec<DeclId>,
    sf: Vec<PField>,
    sc: Vec<CaseClause>,
    sm: Vec<CommClause>,
    unsettled: Vec<ExprId>,
}

impl Stacks {
    fn clear(&mut self) {
        self.unsettled.clear();
        self.sx.clear();
        self.ss.clear();
        self.sd.clear();
        self.sf.clear();
        self.sc.clear();
        self.sm.clear();
    }
}

thread_local! {
    static STACKS: std::cell::Cell<Option<Stacks>> = const { std::cell::Cell::new(None) };
}

impl<'a> Parser<'a> {
    /// A parser for `src`; the node arenas are sized for `expected` (all of `src`, or
    /// nothing when only the imports are wanted).
    fn new(file: FileId, expected: &[u8], src: &'a [u8]) -> Parser<'a> {
        // Node counts per source byte at about the 90th percentile of GOROOT's files (see
        // `trim`), so that the arenas rarely regrow (which copies them).
        let n = expected.len();
        let f = File {
            file,
            exprs: Vec::with_capacity(n / 6 + 16),
            stmts: Vec::with_capacity(n / 32 + 16),
            expr_lists: Vec::with_capacity(n / 16 + 16),
            stmt_lists: Vec::with_capacity(n / 40 + 16),
            decl_nodes: Vec::with_capacity(n / 128 + 8),
            decl_lists: Vec::with_capacity(n / 128 + 8),
            blocks: Vec::with_capacity(n / 96 + 8),
            fields: Vec::with_capacity(n / 96 + 8),
            func_bodies: Vec::with_capacity(n / 512 + 4),
            text: String::with_capacity(n / 4 + 16),
            ..File::default()
        };
        let stacks = STACKS.with(|c| c.take()).unwrap_or_default();
        Parser {
            s: Scanner::new(src),
            f,
            fnest: 0,
            xnest: 0,
            depth: 0,
            imports_only: false,
            branch_file: None,
            branches: Branches::default(),
            branch_errors: Vec::new(),
            dirs_seen: 0,
            pragma_start: 0,
            groups: 0,
            jumps: 0,
            unsettled: stacks.unsettled,
            file_names: FileNames::take(src.len()),
            sx: stacks.sx,
            ss: stacks.ss,
            sd: stacks.sd,
            sf: stacks.sf,
            sc: stacks.sc,
            sm: stacks.sm,
        }
    }

    fn finish(mut self) -> (File, Vec<SyntaxError>) {
        self.settle();
        std::mem::replace(&mut self.file_names, FileNames::empty()).put_back();
        let mut stacks = Stacks {
            sx: std::mem::take(&mut self.sx),
            ss: std::mem::take(&mut self.ss),
            sd: std::mem::take(&mut self.sd),
            sf: std::mem::take(&mut self.sf),
            sc: std::mem::take(&mut self.sc),
            sm: std::mem::take(&mut self.sm),
            unsettled: std::mem::take(&mut self.unsettled),
        };
        stacks.clear();
        STACKS.with(|c| c.set(Some(stacks)));
        self.f.comments = std::mem::take(&mut self.s.comments);
        self.trim();
        // Merge the branch errors in at the points where they were found.
        let mut branch_errors = std::mem::take(&mut self.branch_errors).into_iter().peekable();
        let mut errors = Vec::with_capacity(self.s.errors.len() + branch_errors.len());
        for (i, (pos, msg)) in std::mem::take(&mut self.s.errors).into_iter().enumerate() {
            while let Some((_, e)) = branch_errors.next_if(|(at, _)| *at <= i) {
                errors.push(e);
            }
            errors.push(SyntaxError { pos, msg });
        }
        errors.extend(branch_errors.map(|(_, e)| e));
        (self.f, errors)
    }

    /// Gives back the arenas' unused capacity where it is large (the tree may be kept for
    /// the whole compilation). Shrinking in place does not copy.
    fn trim(&mut self) {
        fn trim<T>(v: &mut Vec<T>) {
            if v.capacity() > v.len() + v.len() / 2 + 64 {
                v.shrink_to_fit();
            }
        }
        let f = &mut self.f;
        trim(&mut f.exprs);
        trim(&mut f.stmts);
        trim(&mut f.expr_lists);
        trim(&mut f.stmt_lists);
        trim(&mut f.decl_nodes);
        trim(&mut f.decl_lists);
        trim(&mut f.blocks);
        trim(&mut f.fields);
        trim(&mut f.func_bodies);
        trim(&mut f.comments);
        if f.text.capacity() > f.text.len() + f.text.len() / 2 + 64 {
            f.text.shrink_to_fit();
        }
    }

    // ------------------------------------------------------------------------------------
    // Tokens, directives and errors

    #[inline(always)]
    fn next(&mut self) {
        self.s.next();
        if self.s.directives.len() > self.dirs_seen {
            self.process_directives();
        }
    }

    fn tok(&self) -> Token {
        self.s.tok
    }

    fn pos(&self) -> Pos {
        self.s.pos
    }

    fn is_op(&self, op: Operator) -> bool {
        self.s.tok == Token::Operator && self.s.op == op
    }

    fn got(&mut self, tok: Token) -> bool {
        if self.s.tok == tok {
            self.next();
            true
        } else {
            false
        }
    }

    fn want(&mut self, tok: Token) {
        if !self.got(tok) {
            self.syntax_error(&format!("expecting {}", tokstring(tok)));
            self.advance(&[]);
        }
    }

    /// Like `got(Assign)` but also accepts `:=` (with an error) for better recovery.
    fn got_assign(&mut self) -> bool {
        match self.s.tok {
            Token::Define => {
                self.syntax_error("expecting =");
                self.next();
                true
            }
            Token::Assign => {
                self.next();
                true
            }
            _ => false,
        }
    }

    fn has_errors(&self) -> bool {
        !self.s.errors.is_empty()
    }

    fn error_at(&mut self, pos: Pos, msg: impl Into<String>) {
        self.s.errors.push((pos, msg.into()));
    }

    fn error(&mut self, msg: impl Into<String>) {
        let pos = self.pos();
        self.error_at(pos, msg);
    }

    fn syntax_error(&mut self, msg: &str) {
        let pos = self.pos();
        self.syntax_error_at(pos, msg);
    }

    /// Reports a syntax error as gc does: messages starting with "in ", "at ", "after " or
    /// "expecting " are prefixed with "unexpected <current token>".
    fn syntax_error_at(&mut self, pos: Pos, msg: &str) {
        if self.s.tok == Token::Eof && self.has_errors() {
            return; // avoid meaningless follow-up errors
        }
        let suffix = if msg.is_empty() {
            String::new()
        } else if msg.starts_with("in ") || msg.starts_with("at ") || msg.starts_with("after ") {
            format!(" {msg}")
        } else if msg.starts_with("expecting ") {
            format!(", {msg}")
        } else {
            self.error_at(pos, format!("syntax error: {msg}"));
            return;
        };
        let tok = match self.s.tok {
            Token::Name => String::from_utf8_lossy(self.s.lit_raw).into_owned(),
            Token::Semi => self.s.lit().to_string(),
            Token::Literal(_) => format!("literal {}", String::from_utf8_lossy(self.s.lit_raw)),
            Token::Operator => self.s.op.as_str().to_string(),
            Token::AssignOp => format!("{}=", self.s.op.as_str()),
            Token::IncDec => format!("{0}{0}", self.s.op.as_str()),
            t => tokstring(t).to_string(),
        };
        self.error_at(pos, format!("syntax error: unexpected {tok}{suffix}"));
    }

    /// Skips tokens until one in `follow` (or, inside functions, a statement keyword) or EOF.
    /// With an empty `follow`, skips exactly one token (unless at EOF).
    fn advance(&mut self, follow: &[Token]) {
        loop {
            let t = self.s.tok;
            if t == Token::Eof {
                return;
            }
            if !follow.is_empty() && (follow.iter().any(|&f| same_token(f, t)) || (self.fnest > 0 && STOPSET.contains(&t))) {
                return;
            }
            self.next();
            if follow.is_empty() {
                return;
            }
        }
    }

    /// Handles directive comments the scanner found: line directives update the position
    /// mapping; `//go:` directives join the pending pragma.
    fn process_directives(&mut self) {
        let src = self.s.source();
        while self.dirs_seen < self.s.directives.len() {
            let d = self.s.directives[self.dirs_seen];
            self.dirs_seen += 1;
            let raw = &src[d.start as usize..d.end as usize];
            let is_line_comment = raw.get(1) == Some(&b'/');
            let text = comment_text(raw);
            if (d.pos.col == 1 || !is_line_comment) && text.starts_with(b"line ") {
                self.line_directive(d.pos, d.start, d.end, is_line_comment, &text[5..]);
            } else if text.starts_with(b"go:") {
                let pos = Pos::new(d.pos.offset + 2, d.pos.line, d.pos.col + 2);
                let text = String::from_utf8_lossy(text).into_owned().into_boxed_str();
                self.f.directives.push(Directive { pos, text, blank: d.blank, attached: false });
            }
        }
    }

    /// gc's `updateBase`: records `//line filename:line[:col]` (text after "line ").
    fn line_directive(&mut self, pos: Pos, start: u32, end: u32, is_line_comment: bool, text: &[u8]) {
        // Errors point into the directive text, which starts after "//line ".
        let at = |i: usize| Pos::new(start + 7 + i as u32, pos.line, pos.col + 7 + i as u32);
        let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let Some((i, n, ok)) = trailing_digits(text) else { return };
        if !ok {
            self.error_at(at(i), format!("invalid line number: {}", show(&text[i..])));
            return;
        }
        let (mut i, mut text) = (i, text);
        let (line, col);
        match trailing_digits(&text[..i - 1]) {
            Some((i2, n2, true)) => {
                // //line filename:line:col
                line = n2;
                col = n;
                if col == 0 || col > POS_MAX {
                    self.error_at(at(i), format!("invalid column number: {}", show(&text[i..])));
                    return;
                }
                text = &text[..i - 1];
                i = i2;
            }
            _ => {
                line = n;
                col = 0;
            }
        }
        if line == 0 || line > POS_MAX {
            self.error_at(at(i), format!("invalid line number: {}", show(&text[i..])));
            return;
        }
        let mut filename = Some(show(&text[..i - 1]).into_boxed_str());
        if filename.as_deref() == Some("") && col != 0 {
            // An empty filename with a column means "the previous filename".
            filename = self.f.line_directives.last().and_then(|prev| prev.filename.clone());
        }
        let (offset, at_line, at_col) = if is_line_comment {
            (end + 1, pos.line + 1, 1)
        } else {
            (end, pos.line, pos.col + (end - start))
        };
        self.f.line_directives.push(LineDirective {
            offset,
            at_line,
            at_col,
            filename,
            line: line as u32,
            col: col as u32,
        });
    }

    /// Attaches the pending directives to the declaration being parsed.
    fn take_pragma(&mut self) -> Pragma {
        let (start, end) = (self.pragma_start, self.f.directives.len());
        for d in &mut self.f.directives[start..end] {
            d.attached = true;
        }
        self.pragma_start = end;
        Pragma { start: start as u32, end: end as u32 }
    }

    /// Drops the pending directives: they precede something that takes no pragma (they stay
    /// in `File::directives`, unattached).
    fn clear_pragma(&mut self) {
        self.pragma_start = self.f.directives.len();
    }

    /// Runs a recursive production one nesting level deeper (see [`deep`]).
    #[inline(always)]
    fn nested<T: Send>(&mut self, f: impl FnOnce(&mut Self) -> T + Send) -> T {
        deep::nested(self, f)
    }

    // ------------------------------------------------------------------------------------
    // Node construction

    fn new_expr(&mut self, pos: Pos, kind: ExprKind) -> ExprId {
        self.f.exprs.push(Expr { pos, kind });
        ExprId::from_index(self.f.exprs.len() - 1)
    }

    fn new_stmt(&mut self, pos: Pos, kind: StmtKind) -> StmtId {
        self.f.stmts.push(Stmt { pos, kind });
        StmtId::from_index(self.f.stmts.len() - 1)
    }

    fn new_decl(&mut self, pos: Pos, group: Option<GroupId>, pragma: Pragma, kind: DeclKind) -> DeclId {
        self.f.decl_nodes.push(Decl { pos, group, pragma, kind });
        DeclId::from_index(self.f.decl_nodes.len() - 1)
    }

    fn new_block(&mut self, pos: Pos, stmts: List<StmtId>, rbrace: Pos) -> BlockId {
        self.f.blocks.push(Block { pos, stmts, rbrace });
        BlockId::from_index(self.f.blocks.len() - 1)
    }

    fn new_name(&mut self, pos: Pos, sym: Symbol) -> ExprId {
        self.new_expr(pos, ExprKind::Name(sym))
    }

    fn bad_expr(&mut self) -> ExprId {
        let pos = self.pos();
        self.new_expr(pos, ExprKind::Bad)
    }

    fn kind(&self, e: ExprId) -> &ExprKind {
        &self.f[e].kind
    }

    /// Puts the real symbols in place of the provisional ones that [`FileNames::intern`]
    /// gave (in the Name nodes listed in `unsettled`). Nothing may look at a name's symbol
    /// before this.
    fn settle(&mut self) {
        if self.unsettled.is_empty() {
            return;
        }
        let Some(src) = self.s.source_text() else { return };
        let map = self.file_names.resolve(src);
        for &id in &self.unsettled {
            if let ExprKind::Name(sym) = &mut self.f.exprs[id.index()].kind {
                if let Some(k) = sym.provisional_index() {
                    *sym = map[k];
                }
            }
        }
        self.unsettled.clear();
    }

    /// The symbol of the current Name token (provisional, see [`Parser::settle`]).
    fn intern_name(&mut self) -> Symbol {
        let offset = self.s.pos.offset as usize;
        match self.s.source_text() {
            Some(src) if self.s.is_clean() => self.file_names.intern(src, offset, self.s.lit_raw),
            // The token text may differ from the source after encoding errors.
            _ => Symbol::intern(&String::from_utf8_lossy(self.s.lit_raw)),
        }
    }

    fn finish_exprs(&mut self, start: usize) -> List<ExprId> {
        let l = List::new(self.f.expr_lists.len(), self.sx.len() - start);
        self.f.expr_lists.extend(self.sx.drain(start..));
        l
    }

    fn finish_stmts(&mut self, start: usize) -> List<StmtId> {
        let l = List::new(self.f.stmt_lists.len(), self.ss.len() - start);
        self.f.stmt_lists.extend(self.ss.drain(start..));
        l
    }

    fn finish_decls(&mut self, start: usize) -> List<DeclId> {
        let l = List::new(self.f.decl_lists.len(), self.sd.len() - start);
        self.f.decl_lists.extend(self.sd.drain(start..));
        l
    }

    fn finish_fields(&mut self, start: usize) -> List<Field> {
        let l = List::new(self.f.fields.len(), self.sf.len() - start);
        for i in start..self.sf.len() {
            let pf = self.sf[i];
            // Every field has a type by now; guard anyway rather than panic.
            let typ = match pf.typ {
                Some(t) => t,
                None => self.new_expr(pf.pos, ExprKind::Bad),
            };
            self.f.fields.push(Field { pos: pf.pos, name: pf.name, typ, tag: pf.tag });
        }
        self.sf.truncate(start);
        l
    }

    fn finish_case_clauses(&mut self, start: usize) -> List<CaseClause> {
        let l = List::new(self.f.case_clauses.len(), self.sc.len() - start);
        self.f.case_clauses.extend(self.sc.drain(start..));
        l
    }

    fn finish_comm_clauses(&mut self, start: usize) -> List<CommClause> {
        let l = List::new(self.f.comm_clauses.len(), self.sm.len() - start);
        self.f.comm_clauses.extend(self.sm.drain(start..));
        l
    }

    // ------------------------------------------------------------------------------------
    // Files and declarations

    /// SourceFile = PackageClause ";" { ImportDecl ";" } { TopLevelDecl ";" } .
    fn file(&mut self) {
        self.f.pos = self.pos();
        if !self.got(Token::Package) {
            self.syntax_error("package statement must be first");
            return;
        }
        self.f.pragma = self.take_pragma();
        let name = self.name();
        self.f.pkg_name = Some(name);
        self.want(Token::Semi);
        if self.has_errors() {
            // Don't bother continuing if the package clause has errors.
            return;
        }

        let start = self.sd.len();
        while self.got(Token::Import) {
            self.append_group(SpecKind::Import);
            self.want(Token::Semi);
        }
        if self.imports_only {
            self.f.eof = self.pos();
            self.f.decls = self.finish_decls(start);
            return;
        }

        while self.tok() != Token::Eof {
            match self.tok() {
                Token::Const => {
                    self.next();
                    self.append_group(SpecKind::Const);
                }
                Token::Type => {
                    self.next();
                    self.append_group(SpecKind::Type);
                }
                Token::Var => {
                    self.next();
                    self.append_group(SpecKind::Var);
                }
                Token::Func => {
                    self.next();
                    if let Some(d) = self.func_decl_or_nil() {
                        self.sd.push(d);
                    }
                }
                _ => {
                    if self.tok() == Token::LBrace && self.last_is_func_without_body(start) {
                        // The opening { of a function declaration on the next line.
                        self.syntax_error("unexpected semicolon or newline before {");
                    } else {
                        self.syntax_error("non-declaration statement outside function body");
                    }
                    self.advance(&[Token::Const, Token::Type, Token::Var, Token::Func]);
                    continue;
                }
            }
            // Reset the pragma before consuming ';': comments before it may set pragmas
            // for the next declaration.
            self.clear_pragma();
            if self.tok() != Token::Eof && !self.got(Token::Semi) {
                self.syntax_error("after top level declaration");
                self.advance(&[Token::Const, Token::Type, Token::Var, Token::Func]);
            }
        }
        self.clear_pragma();
        self.f.eof = self.pos();
        self.f.decls = self.finish_decls(start);
    }

    fn last_is_func_without_body(&self, start: usize) -> bool {
        match self.sd[start..].last() {
            Some(&d) => matches!(self.f[d].kind, DeclKind::Func { body: None, .. }),
            None => false,
        }
    }

    /// list = [ f { sep f } [sep] ] close . Calls `f` for each element (it returns true
    /// to stop accepting elements). Returns the position of the closing token.
    fn list(&mut self, context: &str, sep: Token, close: Token, mut f: impl FnMut(&mut Self) -> bool) -> Pos {
        let mut done = false;
        while self.tok() != Token::Eof && self.tok() != close && !done {
            done = f(self);
            // sep is optional before close
            if !self.got(sep) && self.tok() != close {
                self.syntax_error(&format!("in {context}; possibly missing {} or {}", tokstring(sep), tokstring(close)));
                self.advance(&[Token::RParen, Token::RBrack, Token::RBrace]);
                if self.tok() != close {
                    return self.pos();
                }
            }
        }
        let pos = self.pos();
        self.want(close);
        pos
    }

    /// appendGroup(f) = f | "(" { f ";" } ")" . Pushes the declarations onto `sd`.
    fn append_group(&mut self, kind: SpecKind) {
        if self.tok() == Token::LParen {
            self.groups += 1;
            let group = Some(GroupId::from_index(self.groups as usize - 1));
            self.clear_pragma();
            self.next(); // must consume "(" after calling clear_pragma
            self.list("grouped declaration", Token::Semi, Token::RParen, |p| {
                let d = p.spec(kind, group);
                p.sd.push(d);
                false
            });
        } else {
            let d = self.spec(kind, None);
            self.sd.push(d);
        }
    }

    fn spec(&mut self, kind: SpecKind, group: Option<GroupId>) -> DeclId {
        match kind {
            SpecKind::Import => self.import_decl(group),
            SpecKind::Const => self.const_decl(group),
            SpecKind::Type => self.type_decl(group),
            SpecKind::Var => self.var_decl(group),
        }
    }

    /// ImportSpec = [ "." | PackageName ] ImportPath .
    fn import_decl(&mut self, group: Option<GroupId>) -> DeclId {
        let pos = self.pos();
        let pragma = self.take_pragma();
        let local = match self.tok() {
            Token::Name => Some(self.name()),
            Token::Dot => {
                let n = self.new_name(pos, Symbol::intern("."));
                self.next();
                Some(n)
            }
            _ => None,
        };
        let path = self.oliteral();
        match path {
            None => {
                self.syntax_error("missing import path");
                self.advance(&[Token::Semi, Token::RParen]);
            }
            Some(path) => {
                if let ExprKind::BasicLit { kind, bad, .. } = &mut self.f.exprs[path.index()].kind {
                    if !*bad && *kind != LitKind::String {
                        *bad = true;
                        self.syntax_error("import path must be a string");
                    }
                }
            }
        }
        self.new_decl(pos, group, pragma, DeclKind::Import { local, path })
    }

    /// ConstSpec = IdentifierList [ [ Type ] "=" ExpressionList ] .
    fn const_decl(&mut self, group: Option<GroupId>) -> DeclId {
        let pos = self.pos();
        let pragma = self.take_pragma();
        let first = self.name();
        let names = self.name_list(first);
        let (mut typ, mut values) = (None, None);
        if !matches!(self.tok(), Token::Eof | Token::Semi | Token::RParen) {
            typ = self.type_or_nil();
            if self.got_assign() {
                values = Some(self.expr_list());
            }
        }
        self.new_decl(pos, group, pragma, DeclKind::Const { names, typ, values })
    }

    /// TypeSpec = identifier [ TypeParams ] [ "=" ] Type .
    fn type_decl(&mut self, group: Option<GroupId>) -> DeclId {
        let pos = self.pos();
        let pragma = self.take_pragma();
        let name = self.name();
        let mut tparams = List::EMPTY;
        let mut alias = false;
        let typ;
        if self.tok() == Token::LBrack {
            // An array/slice type or a type parameter list.
            let lpos = self.pos();
            self.next();
            match self.tok() {
                Token::Name => {
                    // If the name is followed by "[" it must start an array or slice
                    // constraint (an index expression is never a constant array length);
                    // otherwise parse a full expression and analyse it.
                    let mut x = self.name();
                    if self.tok() != Token::LBrack {
                        self.xnest += 1;
                        let px = self.pexpr(Some(x), false);
                        x = self.binary_expr(Some(px), 0);
                        self.xnest -= 1;
                    }
                    let force = self.tok() == Token::Comma;
                    match self.extract_name(x, force) {
                        (Some(pname), ptype) if ptype.is_some() || self.tok() != Token::RBrack => {
                            tparams = self.param_list(Some(pname), ptype, Token::RBrack, true);
                            alias = self.got_assign();
                            typ = self.type_or_nil();
                        }
                        _ => typ = Some(self.array_type(lpos, Some(x))),
                    }
                }
                Token::RBrack => {
                    self.next();
                    typ = Some(self.slice_type(lpos));
                }
                _ => typ = Some(self.array_type(lpos, None)),
            }
        } else {
            alias = self.got_assign();
            typ = self.type_or_nil();
        }
        let typ = match typ {
            Some(t) => t,
            None => {
                let t = self.bad_expr();
                self.syntax_error("in type declaration");
                self.advance(&[Token::Semi, Token::RParen]);
                t
            }
        };
        self.new_decl(pos, group, pragma, DeclKind::Type { name, tparams, alias, typ })
    }

    /// Splits `x` into (name, type element) if it can be read as `name expr` where expr is a
    /// type element (or `force` is set): `P *[]int`, `P([]int)`, `P *E|F|~G`. A lone name
    /// gives (name, None); no split gives (None, Some(x)).
    fn extract_name(&mut self, x: ExprId, force: bool) -> (Option<ExprId>, Option<ExprId>) {
        let pos = self.f[x].pos;
        match *self.kind(x) {
            ExprKind::Name(_) => return (Some(x), None),
            ExprKind::Operation { op: Operator::Mul, x: ox, y: Some(oy) } => {
                if matches!(self.kind(ox), ExprKind::Name(_)) && (force || self.is_type_elem(oy)) {
                    let t = self.new_expr(pos, ExprKind::Operation { op: Operator::Mul, x: oy, y: None });
                    return (Some(ox), Some(t));
                }
            }
            ExprKind::Operation { op: Operator::Or, x: ox, y: Some(oy) } => {
                let force = force || self.is_type_elem(oy);
                if let (Some(name), Some(lhs)) = self.nested(|p| p.extract_name(ox, force)) {
                    let t = self.new_expr(pos, ExprKind::Operation { op: Operator::Or, x: lhs, y: Some(oy) });
                    return (Some(name), Some(t));
                }
            }
            ExprKind::Call { fun, args, has_dots } => {
                if matches!(self.kind(fun), ExprKind::Name(_)) && args.len() == 1 && !has_dots {
                    let arg = self.f[args][0];
                    if force || self.is_type_elem(arg) {
                        return (Some(fun), Some(arg));
                    }
                }
            }
            _ => {}
        }
        (None, Some(x))
    }

    /// Whether `x` is (possibly parenthesized) type element syntax that cannot be a value.
    fn is_type_elem(&self, x: ExprId) -> bool {
        printer::is_type_elem(&self.f, x)
    }

    /// VarSpec = IdentifierList ( Type [ "=" ExpressionList ] | "=" ExpressionList ) .
    fn var_decl(&mut self, group: Option<GroupId>) -> DeclId {
        let pos = self.pos();
        let pragma = self.take_pragma();
        let first = self.name();
        let names = self.name_list(first);
        let (mut typ, mut values) = (None, None);
        if self.got_assign() {
            values = Some(self.expr_list());
        } else {
            typ = Some(self.type_());
            if self.got_assign() {
                values = Some(self.expr_list());
            }
        }
        self.new_decl(pos, group, pragma, DeclKind::Var { names, typ, values })
    }

    /// FunctionDecl = "func" FunctionName [ TypeParams ] ( Function | Signature ) .
    /// MethodDecl   = "func" Receiver MethodName ( Function | Signature ) .
    fn func_decl_or_nil(&mut self) -> Option<DeclId> {
        let pos = self.pos();
        let pragma = self.take_pragma();
        let mut recv = None;
        if self.got(Token::LParen) {
            let rcvr = self.param_list(None, None, Token::RParen, false);
            match rcvr.len() {
                0 => self.error("method has no receiver"),
                1 => recv = Some(self.f[rcvr][0]),
                _ => {
                    self.error("method has multiple receivers");
                    recv = Some(self.f[rcvr][0]);
                }
            }
        }
        if self.tok() != Token::Name {
            self.syntax_error("expecting name or (");
            self.advance(&[Token::LBrace, Token::Semi]);
            return None;
        }
        let name = self.name();
        // Methods may not have type parameters.
        let context = if recv.is_some() { "method" } else { "" };
        let (tparams, typ) = self.func_type(context);
        let body = if self.tok() == Token::LBrace { Some(self.func_body()) } else { None };
        Some(self.new_decl(pos, None, pragma, DeclKind::Func { recv, name, tparams, typ, body }))
    }

    fn func_body(&mut self) -> BlockId {
        self.fnest += 1;
        let errors = self.s.errors.len();
        let jumps = self.jumps;
        let body = self.block_stmt("");
        self.fnest -= 1;
        let clean = errors == self.s.errors.len();
        self.f.func_bodies.push(FuncBody { body, clean });
        // Without labels and branch statements there is nothing to check or resolve.
        if let (true, true, Some(filename)) = (clean, jumps != self.jumps, self.branch_file) {
            self.settle();
            let mut found = Branches::default();
            check_body(&self.f, filename, body, &mut found);
            let at = self.s.errors.len();
            self.branch_errors.extend(found.errors.drain(..).map(|e| (at, e)));
            self.branches.targets.extend(found.targets);
        }
        body
    }

    // ------------------------------------------------------------------------------------
    // Expressions

    fn expr(&mut self) -> ExprId {
        self.binary_expr(None, 0)
    }

    /// Expression = UnaryExpr | Expression binary_op Expression .
    fn binary_expr(&mut self, x: Option<ExprId>, prec: u8) -> ExprId {
        let mut x = match x {
            Some(x) => x,
            None => self.unary_expr(),
        };
        while matches!(self.tok(), Token::Operator | Token::Star) && self.s.prec > prec {
            let pos = self.pos();
            let op = self.s.op;
            let tprec = self.s.prec;
            self.next();
            let y = self.binary_expr(None, tprec);
            x = self.new_expr(pos, ExprKind::Operation { op, x, y: Some(y) });
        }
        x
    }

    /// UnaryExpr = PrimaryExpr | unary_op UnaryExpr .
    fn unary_expr(&mut self) -> ExprId {
        self.nested(|p| p.unary_expr_inner())
    }

    fn unary_expr_inner(&mut self) -> ExprId {
        match self.tok() {
            Token::Operator | Token::Star => match self.s.op {
                Operator::Mul | Operator::Add | Operator::Sub | Operator::Not | Operator::Xor | Operator::Tilde => {
                    let (pos, op) = (self.pos(), self.s.op);
                    self.next();
                    let x = self.unary_expr();
                    return self.new_expr(pos, ExprKind::Operation { op, x, y: None });
                }
                Operator::And => {
                    let pos = self.pos();
                    self.next();
                    // unary_expr may have returned a parenthesized composite literal
                    // (see operand); remove the parentheses.
                    let x = self.unary_expr();
                    let x = self.f.unparen(x);
                    return self.new_expr(pos, ExprKind::Operation { op: Operator::And, x, y: None });
                }
                _ => {}
            },
            Token::Arrow => {
                // A receive operation (<-x) or a receive-only channel type (<-chan E): only
                // known once the operand has been parsed.
                let pos = self.pos();
                self.next();
                let x = self.unary_expr();
                if matches!(self.kind(x), ExprKind::ChanType { .. }) {
                    self.reassociate_arrow(x);
                    return x;
                }
                return self.new_expr(pos, ExprKind::Operation { op: Operator::Recv, x, y: None });
            }
            _ => {}
        }
        // Parentheses are kept so that "(x) := true" can be reported later.
        self.pexpr(None, true)
    }

    /// `<-` before a channel type: `<-(chan E)` becomes `<-chan E`, and `<-(chan<- E)`
    /// becomes `<-chan (<-E)`.
    fn reassociate_arrow(&mut self, x: ExprId) {
        let mut dir = ChanDir::SendOnly;
        let mut t = x;
        while dir == ChanDir::SendOnly {
            let ExprKind::ChanType { dir: d, elem } = *self.kind(t) else { break };
            dir = d;
            if dir == ChanDir::RecvOnly {
                // t is <-chan E but <-<-chan E is not permitted.
                self.syntax_error("unexpected <-, expecting chan");
            }
            if let ExprKind::ChanType { dir, .. } = &mut self.f.exprs[t.index()].kind {
                *dir = ChanDir::RecvOnly;
            }
            t = elem;
        }
        if dir == ChanDir::SendOnly {
            // The channel direction is <- but the element type is not a channel.
            self.settle();
            let s = printer::expr_string(&self.f, t);
            self.syntax_error(&format!("unexpected {s}, expecting chan"));
        }
    }

    /// `go` or `defer` followed by a call.
    fn call_stmt(&mut self) -> StmtId {
        let pos = self.pos();
        let tok = self.tok();
        self.next();
        let keep_parens = self.tok() == Token::LParen;
        let mut x = self.pexpr(None, keep_parens);
        let t = self.f.unparen(x);
        if t != x {
            let xpos = self.f[x].pos;
            self.error_at(xpos, format!("expression in {} must not be parenthesized", tok.describe()));
            x = t;
        }
        let call = if matches!(self.kind(x), ExprKind::Call { .. }) {
            x
        } else {
            let xpos = self.f[x].pos;
            self.error_at(xpos, format!("expression in {} must be function call", tok.describe()));
            // Assume the common error of missing parentheses.
            self.new_expr(xpos, ExprKind::Call { fun: x, args: List::EMPTY, has_dots: false })
        };
        self.new_stmt(pos, StmtKind::CallStmt { tok, call })
    }

    /// Operand = Literal | OperandName | MethodExpr | "(" Expression ")" .
    fn operand(&mut self, keep_parens: bool) -> ExprId {
        match self.tok() {
            Token::Name => self.name(),
            Token::Literal(_) => match self.oliteral() {
                Some(l) => l,
                None => self.bad_expr(),
            },
            Token::LParen => {
                let pos = self.pos();
                self.next();
                self.xnest += 1;
                let x = self.expr();
                self.xnest -= 1;
                self.want(Token::RParen);
                // Parentheses are recorded only where needed for errors: around a
                // possible composite literal type (T){...} and in go/defer statements.
                if keep_parens || self.tok() == Token::LBrace {
                    return self.new_expr(pos, ExprKind::Paren(x));
                }
                x
            }
            Token::Func => {
                let pos = self.pos();
                self.next();
                let (_, ftyp) = self.func_type("function type");
                if self.tok() == Token::LBrace {
                    self.xnest += 1;
                    let body = self.func_body();
                    self.xnest -= 1;
                    return self.new_expr(pos, ExprKind::FuncLit { typ: ftyp, body });
                }
                ftyp
            }
            Token::LBrack | Token::Chan | Token::Map | Token::Struct | Token::Interface => self.type_(),
            _ => {
                let x = self.bad_expr();
                self.syntax_error("expecting expression");
                self.advance(&[Token::RParen, Token::RBrack, Token::RBrace]);
                x
            }
        }
    }

    /// PrimaryExpr = Operand | Conversion | PrimaryExpr ( Selector | Index | Slice |
    /// TypeAssertion | Arguments ) . Composite literals are parsed here too.
    fn pexpr(&mut self, x: Option<ExprId>, keep_parens: bool) -> ExprId {
        let mut x = match x {
            Some(x) => x,
            None => self.operand(keep_parens),
        };
        loop {
            let pos = self.pos();
            match self.tok() {
                Token::Dot => {
                    self.next();
                    match self.tok() {
                        Token::Name => {
                            let sel = self.name();
                            x = self.new_expr(pos, ExprKind::Selector { x, sel });
                        }
                        Token::LParen => {
                            self.next();
                            if self.got(Token::Type) {
                                x = self.new_expr(pos, ExprKind::TypeSwitchGuard { lhs: None, x });
                            } else {
                                let typ = self.type_();
                                x = self.new_expr(pos, ExprKind::Assert { x, typ });
                            }
                            self.want(Token::RParen);
                        }
                        _ => {
                            self.syntax_error("expecting name or (");
                            self.advance(&[Token::Semi, Token::RParen]);
                        }
                    }
                }
                Token::LBrack => x = self.index_or_slice(pos, x),
                Token::LParen => {
                    self.next();
                    let (args, has_dots) = self.arg_list();
                    x = self.new_expr(pos, ExprKind::Call { fun: x, args, has_dots });
                }
                Token::LBrace => {
                    // Does '{' start a composite literal or a block?
                    let t = self.f.unparen(x);
                    let complit_ok = match self.kind(t) {
                        ExprKind::Name(_) | ExprKind::Selector { .. } => self.xnest >= 0,
                        ExprKind::Index { .. } => self.xnest >= 0 && !self.is_value(t),
                        ExprKind::ArrayType { .. }
                        | ExprKind::SliceType { .. }
                        | ExprKind::StructType { .. }
                        | ExprKind::MapType { .. } => true,
                        _ => false,
                    };
                    if !complit_ok {
                        return x;
                    }
                    if t != x {
                        self.syntax_error("cannot parenthesize type in composite literal");
                    }
                    x = self.complitexpr(Some(x));
                }
                _ => return x,
            }
        }
    }

    /// After `x`: `[i]`, `[a, b]` (instantiation), `[lo:hi]` or `[lo:hi:max]`.
    fn index_or_slice(&mut self, pos: Pos, x: ExprId) -> ExprId {
        self.next();
        if self.tok() == Token::RBrack {
            // An invalid empty instance, slice or index expression: accept but complain.
            self.syntax_error("expecting operand");
            self.next();
            return x;
        }
        let mut i = None;
        if self.tok() != Token::Colon {
            let (index, comma) = self.type_list();
            if comma || self.tok() == Token::RBrack {
                self.want(Token::RBrack);
                return self.new_expr(pos, ExprKind::Index { x, index });
            }
            i = Some(index);
        }
        // x[i:...  (for a better message, not simply want(Colon); see go.dev/issue/47704)
        if !self.got(Token::Colon) {
            self.syntax_error("expecting comma, : or ]");
            self.advance(&[Token::Comma, Token::Colon, Token::RBrack]);
        }
        self.xnest += 1;
        let mut index = [i, None, None];
        let mut full = false;
        if self.tok() != Token::Colon && self.tok() != Token::RBrack {
            index[1] = Some(self.expr());
        }
        if self.tok() == Token::Colon {
            full = true;
            if index[1].is_none() {
                self.error("middle index required in 3-index slice");
                index[1] = Some(self.bad_expr());
            }
            self.next();
            if self.tok() != Token::RBrack {
                index[2] = Some(self.expr());
            } else {
                self.error("final index required in 3-index slice");
                index[2] = Some(self.bad_expr());
            }
        }
        self.xnest -= 1;
        self.want(Token::RBrack);
        self.new_expr(pos, ExprKind::Slice { x, index, full })
    }

    /// Whether `x` syntactically must be a value (not a type). Iterative: parentheses and
    /// index expressions may nest deeply.
    fn is_value(&self, x: ExprId) -> bool {
        let mut work = vec![x];
        while let Some(x) = work.pop() {
            match *self.kind(x) {
                ExprKind::BasicLit { .. }
                | ExprKind::CompositeLit { .. }
                | ExprKind::FuncLit { .. }
                | ExprKind::Slice { .. }
                | ExprKind::Assert { .. }
                | ExprKind::TypeSwitchGuard { .. }
                | ExprKind::Call { .. } => return true,
                // *T may be a type
                ExprKind::Operation { op, y, .. } if op != Operator::Mul || y.is_some() => return true,
                ExprKind::Paren(x) => work.push(x),
                ExprKind::Index { x, index } => {
                    work.push(x);
                    work.push(index);
                }
                _ => {}
            }
        }
        false
    }

    /// Element = Expression | LiteralValue .
    fn bare_complitexpr(&mut self) -> ExprId {
        self.nested(|p| p.bare_complitexpr_inner())
    }

    fn bare_complitexpr_inner(&mut self) -> ExprId {
        if self.tok() == Token::LBrace {
            return self.complitexpr(None);
        }
        self.expr()
    }

    /// LiteralValue = "{" [ ElementList [ "," ] ] "}" .
    fn complitexpr(&mut self, typ: Option<ExprId>) -> ExprId {
        let pos = self.pos();
        self.xnest += 1;
        self.want(Token::LBrace);
        let start = self.sx.len();
        let mut nkeys = 0;
        let rbrace = self.list("composite literal", Token::Comma, Token::RBrace, |p| {
            let mut e = p.bare_complitexpr();
            if p.tok() == Token::Colon {
                let kpos = p.pos();
                p.next();
                let value = p.bare_complitexpr();
                e = p.new_expr(kpos, ExprKind::KeyValue { key: e, value });
                nkeys += 1;
            }
            p.sx.push(e);
            false
        });
        self.xnest -= 1;
        let elems = self.finish_exprs(start);
        self.new_expr(pos, ExprKind::CompositeLit { typ, elems, nkeys, rbrace })
    }

    // ------------------------------------------------------------------------------------
    // Types

    fn type_(&mut self) -> ExprId {
        match self.type_or_nil() {
            Some(t) => t,
            None => {
                let t = self.bad_expr();
                self.syntax_error("expecting type");
                self.advance(&[Token::Comma, Token::Colon, Token::Semi, Token::RParen, Token::RBrack, Token::RBrace]);
                t
            }
        }
    }

    /// Type = TypeName | TypeLit | "(" Type ")" . Returns None if there is no type.
    fn type_or_nil(&mut self) -> Option<ExprId> {
        self.nested(|p| p.type_or_nil_inner())
    }

    fn type_or_nil_inner(&mut self) -> Option<ExprId> {
        let pos = self.pos();
        Some(match self.tok() {
            Token::Star => {
                self.next();
                let elem = self.type_();
                self.new_expr(pos, ExprKind::Operation { op: Operator::Mul, x: elem, y: None })
            }
            Token::Arrow => {
                self.next();
                self.want(Token::Chan);
                let elem = self.chan_elem();
                self.new_expr(pos, ExprKind::ChanType { dir: ChanDir::RecvOnly, elem })
            }
            Token::Func => {
                self.next();
                self.func_type("function type").1
            }
            Token::LBrack => {
                self.next();
                if self.got(Token::RBrack) {
                    return Some(self.slice_type(pos));
                }
                self.array_type(pos, None)
            }
            Token::Chan => {
                self.next();
                let dir = if self.got(Token::Arrow) { ChanDir::SendOnly } else { ChanDir::Both };
                let elem = self.chan_elem();
                self.new_expr(pos, ExprKind::ChanType { dir, elem })
            }
            Token::Map => {
                self.next();
                self.want(Token::LBrack);
                let key = self.type_();
                self.want(Token::RBrack);
                let value = self.type_();
                self.new_expr(pos, ExprKind::MapType { key, value })
            }
            Token::Struct => self.struct_type(),
            Token::Interface => self.interface_type(),
            Token::Name => self.qualified_name(None),
            Token::LParen => {
                self.next();
                let t = self.type_();
                self.want(Token::RParen);
                t
            }
            _ => return None,
        })
    }

    /// `typ[args]`.
    fn type_instance(&mut self, typ: ExprId) -> ExprId {
        let pos = self.pos();
        self.want(Token::LBrack);
        let index = if self.tok() == Token::RBrack {
            self.syntax_error("expecting type");
            self.bad_expr()
        } else {
            self.type_list().0
        };
        self.want(Token::RBrack);
        self.new_expr(pos, ExprKind::Index { x: typ, index })
    }

    /// Parses `[tparams](params) results` after `func` (and the name). If `context` is not
    /// empty, type parameters are reported as not permitted there.
    fn func_type(&mut self, context: &str) -> (List<Field>, ExprId) {
        let pos = self.pos();
        let mut tparams = List::EMPTY;
        if self.got(Token::LBrack) {
            if !context.is_empty() {
                self.syntax_error_at(pos, &format!("{context} must have no type parameters"));
            }
            if self.tok() == Token::RBrack {
                self.syntax_error("empty type parameter list");
                self.next();
            } else {
                tparams = self.param_list(None, None, Token::RBrack, true);
            }
        }
        self.want(Token::LParen);
        let params = self.param_list(None, None, Token::RParen, false);
        let results = self.func_result();
        (tparams, self.new_expr(pos, ExprKind::FuncType { params, results }))
    }

    /// After `[` (at `pos`); `len` is the already parsed length, if any.
    fn array_type(&mut self, pos: Pos, len: Option<ExprId>) -> ExprId {
        let mut len = len;
        if len.is_none() && !self.got(Token::DotDotDot) {
            self.xnest += 1;
            len = Some(self.expr());
            self.xnest -= 1;
        }
        if self.tok() == Token::Comma {
            // Trailing commas are accepted in type parameter lists but not in array
            // type declarations; accept for better error handling but complain.
            self.syntax_error("unexpected comma; expecting ]");
            self.next();
        }
        self.want(Token::RBrack);
        let elem = self.type_();
        self.new_expr(pos, ExprKind::ArrayType { len, elem })
    }

    /// After `[]` (the `[` at `pos`).
    fn slice_type(&mut self, pos: Pos) -> ExprId {
        let elem = self.type_();
        self.new_expr(pos, ExprKind::SliceType { elem })
    }

    fn chan_elem(&mut self) -> ExprId {
        match self.type_or_nil() {
            Some(t) => t,
            None => {
                let t = self.bad_expr();
                // Assume the element type is simply absent: don't advance.
                self.syntax_error("missing channel element type");
                t
            }
        }
    }

    /// StructType = "struct" "{" { FieldDecl ";" } "}" .
    fn struct_type(&mut self) -> ExprId {
        let pos = self.pos();
        self.want(Token::Struct);
        self.want(Token::LBrace);
        let start = self.sf.len();
        self.list("struct type", Token::Semi, Token::RBrace, |p| {
            p.field_decl();
            false
        });
        let fields = self.finish_fields(start);
        self.new_expr(pos, ExprKind::StructType { fields })
    }

    /// InterfaceType = "interface" "{" { ( MethodDecl | EmbeddedElem ) ";" } "}" .
    fn interface_type(&mut self) -> ExprId {
        let pos = self.pos();
        self.want(Token::Interface);
        self.want(Token::LBrace);
        let start = self.sf.len();
        self.list("interface type", Token::Semi, Token::RBrace, |p| {
            let mut f = None;
            if p.tok() == Token::Name {
                f = Some(p.method_decl());
            }
            let f = match f {
                Some(f) if f.name.is_some() => f,
                f => p.embedded_elem(f),
            };
            p.sf.push(f);
            false
        });
        let methods = self.finish_fields(start);
        self.new_expr(pos, ExprKind::InterfaceType { methods })
    }

    /// Result = Parameters | Type .
    fn func_result(&mut self) -> List<Field> {
        if self.got(Token::LParen) {
            return self.param_list(None, None, Token::RParen, false);
        }
        let pos = self.pos();
        match self.type_or_nil() {
            Some(typ) => {
                let start = self.sf.len();
                self.sf.push(PField { pos, name: None, typ: Some(typ), tag: None });
                self.finish_fields(start)
            }
            None => List::EMPTY,
        }
    }

    fn add_field(&mut self, pos: Pos, name: Option<ExprId>, typ: ExprId, tag: Option<ExprId>) {
        self.sf.push(PField { pos, name, typ: Some(typ), tag });
    }

    /// FieldDecl = (IdentifierList Type | EmbeddedField) [ Tag ] .
    fn field_decl(&mut self) {
        let pos = self.pos();
        match self.tok() {
            Token::Name => {
                let name = self.name();
                if matches!(self.tok(), Token::Dot | Token::Literal(_) | Token::Semi | Token::RBrace) {
                    // embedded type
                    let typ = self.qualified_name(Some(name));
                    let tag = self.oliteral();
                    self.add_field(pos, None, typ, tag);
                    return;
                }
                let names = self.name_list(name);
                // An embedded instantiated type T[P1, P2] or a field T of type [P]E / []E?
                let typ = if names.len() == 1 && self.tok() == Token::LBrack {
                    match self.array_or_targs() {
                        ArrayOrArgs::Args { pos: ipos, index } => {
                            let typ = self.new_expr(ipos, ExprKind::Index { x: name, index });
                            let tag = self.oliteral();
                            self.add_field(pos, None, typ, tag);
                            return;
                        }
                        ArrayOrArgs::Type(t) => t,
                    }
                } else {
                    self.type_()
                };
                let tag = self.oliteral();
                for i in 0..names.len() {
                    let n = self.f[names][i];
                    let npos = self.f[n].pos;
                    self.add_field(npos, Some(n), typ, tag);
                }
            }
            Token::Star => {
                self.next();
                let typ = if self.tok() == Token::LParen {
                    // *(T)
                    self.syntax_error("cannot parenthesize embedded type");
                    self.next();
                    let t = self.qualified_name(None);
                    self.got(Token::RParen); // no need to complain if missing
                    t
                } else {
                    self.qualified_name(None)
                };
                let tag = self.oliteral();
                let ptr = self.new_expr(pos, ExprKind::Operation { op: Operator::Mul, x: typ, y: None });
                self.add_field(pos, None, ptr, tag);
            }
            Token::LParen => {
                self.syntax_error("cannot parenthesize embedded type");
                self.next();
                let typ = if self.tok() == Token::Star {
                    // (*T)
                    let spos = self.pos();
                    self.next();
                    let t = self.qualified_name(None);
                    self.new_expr(spos, ExprKind::Operation { op: Operator::Mul, x: t, y: None })
                } else {
                    // (T)
                    self.qualified_name(None)
                };
                self.got(Token::RParen); // no need to complain if missing
                let tag = self.oliteral();
                self.add_field(pos, None, typ, tag);
            }
            _ => {
                self.syntax_error("expecting field name or embedded type");
                self.advance(&[Token::Semi, Token::RBrace]);
            }
        }
    }

    /// After a name: `[n]E` / `[]E` (a type) or `[P1, P2]` (type arguments).
    fn array_or_targs(&mut self) -> ArrayOrArgs {
        let pos = self.pos();
        self.want(Token::LBrack);
        if self.got(Token::RBrack) {
            return ArrayOrArgs::Type(self.slice_type(pos));
        }
        let (n, comma) = self.type_list();
        self.want(Token::RBrack);
        if !comma {
            if let Some(elem) = self.type_or_nil() {
                return ArrayOrArgs::Type(self.new_expr(pos, ExprKind::ArrayType { len: Some(n), elem }));
            }
        }
        ArrayOrArgs::Args { pos, index: n }
    }

    /// A literal if the current token is one.
    fn oliteral(&mut self) -> Option<ExprId> {
        let Token::Literal(kind) = self.tok() else { return None };
        let start = self.f.text.len() as u32;
        if self.s.is_clean() {
            self.f.text.push_str(self.s.lit());
        } else {
            // Keep skipped invalid bytes visible, as gc does.
            self.f.text.push_str(&String::from_utf8_lossy(self.s.lit_raw));
        }
        let text = TextRange { start, len: self.f.text.len() as u32 - start };
        let (pos, bad) = (self.pos(), self.s.bad);
        self.next();
        Some(self.new_expr(pos, ExprKind::BasicLit { kind, bad, text }))
    }

    /// MethodSpec = MethodName Signature | InterfaceTypeName .
    fn method_decl(&mut self) -> PField {
        const CONTEXT: &str = "interface method";
        let pos = self.pos();
        let name = self.name();
        let mut f = PField { pos, name: None, typ: None, tag: None };
        match self.tok() {
            Token::LParen => {
                f.name = Some(name);
                f.typ = Some(self.func_type(CONTEXT).1);
            }
            Token::LBrack => {
                // A generic method m[T C](x T) (accepted, with an error) or an embedded
                // instantiated type T[P1, P2]?
                let lpos = self.pos();
                self.next();
                if self.tok() == Token::RBrack {
                    // Empty lists are not permitted: treat as if [] were absent.
                    let rpos = self.pos();
                    self.next();
                    if self.tok() == Token::LParen {
                        self.error_at(rpos, "empty type parameter list");
                        f.name = Some(name);
                        f.typ = Some(self.func_type(CONTEXT).1);
                    } else {
                        self.error_at(rpos, "empty type argument list");
                        f.typ = Some(name);
                    }
                    return f;
                }
                // A type argument list looks like a parameter list with only types.
                let list = self.param_list(None, None, Token::RBrack, false);
                if list.is_empty() {
                    // Errors were reported by param_list; treat as if [] were absent.
                    if self.tok() == Token::LParen {
                        f.name = Some(name);
                        f.typ = Some(self.func_type(CONTEXT).1);
                    } else {
                        f.typ = Some(name);
                    }
                    return f;
                }
                let first = self.f[list][0];
                if first.name.is_some() {
                    // generic method
                    f.name = Some(name);
                    f.typ = Some(self.func_type(CONTEXT).1);
                    self.error_at(lpos, "interface method must have no type parameters");
                    return f;
                }
                // embedded instantiated type
                let index = if list.len() == 1 {
                    first.typ
                } else {
                    let start = self.sx.len();
                    for i in 0..list.len() {
                        let t = self.f[list][i].typ;
                        self.sx.push(t);
                    }
                    let elems = self.finish_exprs(start);
                    self.new_expr(first.pos, ExprKind::List(elems))
                };
                f.typ = Some(self.new_expr(lpos, ExprKind::Index { x: name, index }));
            }
            _ => f.typ = Some(self.qualified_name(Some(name))),
        }
        f
    }

    /// EmbeddedElem = MethodSpec | EmbeddedTerm { "|" EmbeddedTerm } .
    fn embedded_elem(&mut self, f: Option<PField>) -> PField {
        let mut f = match f {
            Some(f) => f,
            None => {
                let pos = self.pos();
                let typ = self.embedded_term();
                PField { pos, name: None, typ: Some(typ), tag: None }
            }
        };
        while self.is_op(Operator::Or) {
            let pos = self.pos();
            self.next();
            let y = self.embedded_term();
            let x = match f.typ {
                Some(x) => x,
                None => self.new_expr(f.pos, ExprKind::Bad),
            };
            f.typ = Some(self.new_expr(pos, ExprKind::Operation { op: Operator::Or, x, y: Some(y) }));
        }
        f
    }

    /// EmbeddedTerm = [ "~" ] Type .
    fn embedded_term(&mut self) -> ExprId {
        if self.is_op(Operator::Tilde) {
            let pos = self.pos();
            self.next();
            let x = self.type_();
            return self.new_expr(pos, ExprKind::Operation { op: Operator::Tilde, x, y: None });
        }
        match self.type_or_nil() {
            Some(t) => t,
            None => {
                let t = self.bad_expr();
                self.syntax_error("expecting ~ term or type");
                self.advance(&[Token::Operator, Token::Semi, Token::RParen, Token::RBrack, Token::RBrace]);
                t
            }
        }
    }

    /// ParameterDecl = [ IdentifierList ] [ "..." ] Type . `name` is an already consumed
    /// first name; `follow` is the closing token (`]` for type parameters, which may use
    /// type set notation).
    fn param_decl_or_nil(&mut self, name: Option<ExprId>, follow: Token) -> Option<PField> {
        let type_sets_ok = follow == Token::RBrack;
        let mut pos = self.pos();
        if let Some(n) = name {
            pos = self.f[n].pos;
        } else if type_sets_ok && self.is_op(Operator::Tilde) {
            return Some(self.embedded_elem(None));
        }
        let mut f = PField { pos, name: None, typ: None, tag: None };

        if self.tok() == Token::Name || name.is_some() {
            let name = match name {
                Some(n) => n,
                None => self.name(),
            };
            if self.tok() == Token::LBrack {
                // name "[" ...
                match self.array_or_targs() {
                    ArrayOrArgs::Args { pos: ipos, index } => {
                        f.typ = Some(self.new_expr(ipos, ExprKind::Index { x: name, index }));
                    }
                    ArrayOrArgs::Type(t) => {
                        f.typ = Some(t);
                        f.name = Some(name);
                    }
                }
                if type_sets_ok && self.is_op(Operator::Or) {
                    f = self.embedded_elem(Some(f));
                }
                return Some(f);
            }
            if self.tok() == Token::Dot {
                // name "." ...
                f.typ = Some(self.qualified_name(Some(name)));
                if type_sets_ok && self.is_op(Operator::Or) {
                    f = self.embedded_elem(Some(f));
                }
                return Some(f);
            }
            if type_sets_ok && self.is_op(Operator::Or) {
                // name "|" ...
                f.typ = Some(name);
                return Some(self.embedded_elem(Some(f)));
            }
            f.name = Some(name);
        }

        if self.tok() == Token::DotDotDot {
            // [name] "..." ...
            let dpos = self.pos();
            self.next();
            let elem = match self.type_or_nil() {
                Some(t) => t,
                None => {
                    let t = self.bad_expr();
                    self.syntax_error("... is missing type");
                    t
                }
            };
            f.typ = Some(self.new_expr(dpos, ExprKind::DotsType { elem }));
            return Some(f);
        }

        if type_sets_ok && self.is_op(Operator::Tilde) {
            // [name] "~" ...
            f.typ = self.embedded_elem(None).typ;
            return Some(f);
        }

        f.typ = self.type_or_nil();
        if type_sets_ok && self.is_op(Operator::Or) && f.typ.is_some() {
            // [name] type "|"
            f = self.embedded_elem(Some(f));
        }
        if f.name.is_some() || f.typ.is_some() {
            return Some(f);
        }

        self.syntax_error(&format!("expecting {}", tokstring(follow)));
        self.advance(&[Token::Comma, follow]);
        None
    }

    /// Parameters = "(" [ ParameterList [ "," ] ] ")" ; the opening token is consumed.
    /// `name` (and `typ`) may be an already parsed first parameter. In the result either all
    /// fields have names or none has.
    fn param_list(&mut self, name: Option<ExprId>, typ: Option<ExprId>, close: Token, require_names: bool) -> List<Field> {
        let start = self.sf.len();
        if let (Some(n), Some(t)) = (name, typ) {
            if self.tok() == close {
                // A complete single field; list() would not call us back.
                self.next();
                let pos = self.f[n].pos;
                self.sf.push(PField { pos, name: Some(n), typ: Some(t), tag: None });
                return self.finish_fields(start);
            }
        }

        let (mut name, mut typ) = (name, typ);
        let mut named = 0; // parameters with an explicit name and type
        let mut typed = 0; // parameters with an explicit type
        let end = self.list("parameter list", Token::Comma, close, |p| {
            let par = match (typ, name) {
                (Some(t), Some(n)) => Some(PField { pos: p.f[n].pos, name: Some(n), typ: Some(t), tag: None }),
                _ => p.param_decl_or_nil(name, close),
            };
            name = None; // the first name was consumed if present
            typ = None;
            if let Some(par) = par {
                if par.name.is_some() && par.typ.is_some() {
                    named += 1;
                }
                if par.typ.is_some() {
                    typed += 1;
                }
                p.sf.push(par);
            }
            false
        });

        let n = self.sf.len() - start;
        if n == 0 {
            return List::EMPTY;
        }
        if named == 0 && !require_names {
            // All unnamed: the names found are type names.
            for par in &mut self.sf[start..] {
                if let Some(t) = par.name.take() {
                    par.typ = Some(t);
                }
            }
        } else if named != n {
            self.distribute_param_types(start, end, named, typed, require_names);
        }
        self.finish_fields(start)
    }

    /// Some parameters are named: then all must have names and types. Gives each name
    /// without a type the type to its right, and reports gc's error for what is missing.
    fn distribute_param_types(&mut self, start: usize, end: Pos, named: usize, typed: usize, require_names: bool) {
        let mut err_pos = None; // left-most error position
        let mut typ = None; // current type, from right to left
        for i in (start..self.sf.len()).rev() {
            let par = self.sf[i];
            if let Some(t) = par.typ {
                typ = Some(t);
                if par.name.is_none() {
                    let pos = self.f.start_pos(t);
                    err_pos = Some(pos);
                    self.sf[i].name = Some(self.new_name(pos, sym::UNDERSCORE));
                }
            } else if let Some(t) = typ {
                self.sf[i].typ = Some(t);
            } else {
                // Only a name.
                let pos = par.name.map_or(par.pos, |n| self.f[n].pos);
                err_pos = Some(pos);
                self.sf[i].typ = Some(self.new_expr(pos, ExprKind::Bad));
            }
        }
        if let Some(mut pos) = err_pos {
            let msg = if require_names {
                if named == typed {
                    pos = end; // at the closing ]
                    "missing type constraint"
                } else {
                    "type parameters must be named"
                }
            } else {
                "mixed named and unnamed parameters"
            };
            self.syntax_error_at(pos, msg);
        }
    }

    // ------------------------------------------------------------------------------------
    // Statements

    /// SimpleStmt = EmptyStmt | ExpressionStmt | SendStmt | IncDecStmt | Assignment |
    /// ShortVarDecl . `keyword` is For, Switch or If in control clause headers.
    fn simple_stmt(&mut self, lhs: Option<ExprId>, keyword: Option<Token>) -> StmtId {
        if keyword == Some(Token::For) && self.tok() == Token::Range {
            return self.range_clause(None, false);
        }
        let lhs = match lhs {
            Some(l) => l,
            None => self.expr_list(),
        };
        let is_list = matches!(self.kind(lhs), ExprKind::List(_));
        if !is_list && self.tok() != Token::Assign && self.tok() != Token::Define {
            let pos = self.pos();
            match self.tok() {
                Token::AssignOp => {
                    let op = self.s.op;
                    self.next();
                    let rhs = self.expr();
                    return self.new_stmt(pos, StmtKind::Assign { op: Some(op), lhs, rhs: Some(rhs) });
                }
                Token::IncDec => {
                    let op = self.s.op;
                    self.next();
                    return self.new_stmt(pos, StmtKind::Assign { op: Some(op), lhs, rhs: None });
                }
                Token::Arrow => {
                    self.next();
                    let value = self.expr();
                    return self.new_stmt(pos, StmtKind::Send { chan: lhs, value });
                }
                _ => {
                    let xpos = self.f[lhs].pos;
                    return self.new_stmt(xpos, StmtKind::Expr(lhs));
                }
            }
        }

        match self.tok() {
            Token::Assign | Token::Define => {
                let pos = self.pos();
                let op = if self.tok() == Token::Define { Some(Operator::Def) } else { None };
                self.next();
                if keyword == Some(Token::For) && self.tok() == Token::Range {
                    return self.range_clause(Some(lhs), op.is_some());
                }
                let rhs = self.expr_list();
                if keyword == Some(Token::Switch) && op.is_some() {
                    if let ExprKind::TypeSwitchGuard { x, .. } = *self.kind(rhs) {
                        if matches!(self.kind(lhs), ExprKind::Name(_)) {
                            // switch ... lhs := rhs.(type)
                            self.f.exprs[rhs.index()].kind = ExprKind::TypeSwitchGuard { lhs: Some(lhs), x };
                            let rpos = self.f[rhs].pos;
                            return self.new_stmt(rpos, StmtKind::Expr(rhs));
                        }
                    }
                }
                self.new_stmt(pos, StmtKind::Assign { op, lhs, rhs: Some(rhs) })
            }
            _ => {
                self.syntax_error("expecting := or = or comma");
                self.advance(&[Token::Semi, Token::RBrace]);
                // Make the best of what we have.
                let mut x = lhs;
                if let ExprKind::List(l) = *self.kind(lhs) {
                    if let Some(&first) = self.f[l].first() {
                        x = first;
                    }
                }
                let xpos = self.f[x].pos;
                self.new_stmt(xpos, StmtKind::Expr(x))
            }
        }
    }

    fn range_clause(&mut self, lhs: Option<ExprId>, def: bool) -> StmtId {
        let pos = self.pos();
        self.next(); // consume range
        let x = self.expr();
        self.new_stmt(pos, StmtKind::Range { lhs, def, x })
    }

    fn labeled_stmt_or_nil(&mut self, label: ExprId) -> Option<StmtId> {
        let pos = self.pos();
        self.want(Token::Colon);
        if self.tok() == Token::RBrace {
            // A statement must follow a label; before "}" an empty one is implied.
            let epos = self.pos();
            let e = self.new_stmt(epos, StmtKind::Empty);
            self.jumps += 1;
            return Some(self.new_stmt(pos, StmtKind::Labeled { label, stmt: e }));
        }
        if let Some(stmt) = self.stmt_or_nil() {
            self.jumps += 1;
            return Some(self.new_stmt(pos, StmtKind::Labeled { label, stmt }));
        }
        // Report the error at the line of the ':'.
        self.syntax_error_at(pos, "missing statement after label");
        None
    }

    /// A `{ ... }` block; `context` names the construct for the "expecting {" error.
    fn block_stmt(&mut self, context: &str) -> BlockId {
        let pos = self.pos();
        // People coming from C may forget that braces are mandatory in Go.
        if !self.got(Token::LBrace) {
            self.syntax_error(&format!("expecting {{ after {context}"));
            self.advance(&[Token::Name, Token::RBrace]);
            let rbrace = self.pos(); // in case we found "}"
            if self.got(Token::RBrace) {
                return self.new_block(pos, List::EMPTY, rbrace);
            }
        }
        let stmts = self.stmt_list();
        let rbrace = self.pos();
        self.want(Token::RBrace);
        self.new_block(pos, stmts, rbrace)
    }

    fn decl_stmt(&mut self, kind: SpecKind) -> StmtId {
        let pos = self.pos();
        self.next(); // const, type or var
        let start = self.sd.len();
        self.append_group(kind);
        let decls = self.finish_decls(start);
        self.new_stmt(pos, StmtKind::Decl(decls))
    }

    fn for_stmt(&mut self) -> StmtId {
        let pos = self.pos();
        let (init, cond, post) = self.header(Token::For);
        let body = self.block_stmt("for clause");
        self.new_stmt(pos, StmtKind::For { init, cond, post, body })
    }

    /// The header of an if, for or switch statement (the keyword is consumed here).
    fn header(&mut self, keyword: Token) -> (Option<StmtId>, Option<ExprId>, Option<StmtId>) {
        self.want(keyword);
        let (mut init, mut cond, mut post) = (None, None, None);
        if self.tok() == Token::LBrace {
            if keyword == Token::If {
                self.syntax_error("missing condition in if statement");
                cond = Some(self.bad_expr());
            }
            return (init, cond, post);
        }

        let outer = self.xnest;
        self.xnest = -1;

        if self.tok() != Token::Semi {
            // Accept a potential var declaration but complain.
            if self.got(Token::Var) {
                self.syntax_error(&format!("var declaration not allowed in {} initializer", tokstring(keyword)));
            }
            let s = self.simple_stmt(None, Some(keyword));
            init = Some(s);
            // A range clause ends the header (only possible with keyword For).
            if matches!(self.f[s].kind, StmtKind::Range { .. }) {
                self.xnest = outer;
                return (init, None, None);
            }
        }

        let mut cond_stmt = None;
        let mut semi: Option<(Pos, &'a str)> = None;
        'done: {
            if self.tok() != Token::LBrace {
                if self.tok() == Token::Semi {
                    semi = Some((self.pos(), self.s.lit()));
                    self.next();
                } else {
                    // Asking for '{' rather than ';' here gives a better error message.
                    self.want(Token::LBrace);
                    if self.tok() != Token::LBrace {
                        self.advance(&[Token::LBrace, Token::RBrace]); // for better synchronization
                    }
                }
                if keyword == Token::For {
                    if self.tok() != Token::Semi {
                        if self.tok() == Token::LBrace {
                            self.syntax_error("expecting for loop condition");
                            break 'done;
                        }
                        cond_stmt = Some(self.simple_stmt(None, None));
                    }
                    self.want(Token::Semi);
                    if self.tok() != Token::LBrace {
                        let s = self.simple_stmt(None, None);
                        post = Some(s);
                        if let StmtKind::Assign { op: Some(Operator::Def), .. } = self.f[s].kind {
                            let spos = self.f[s].pos;
                            self.syntax_error_at(spos, "cannot declare in post statement of for loop");
                        }
                    }
                } else if self.tok() != Token::LBrace {
                    cond_stmt = Some(self.simple_stmt(None, Some(keyword)));
                }
            } else {
                cond_stmt = init.take();
            }
        }

        match cond_stmt {
            None => {
                if let (Token::If, Some((spos, lit))) = (keyword, semi) {
                    if lit != "semicolon" {
                        self.syntax_error_at(spos, &format!("unexpected {lit}, expecting {{ after if clause"));
                    } else {
                        self.syntax_error_at(spos, "missing condition in if statement");
                    }
                    cond = Some(self.new_expr(spos, ExprKind::Bad));
                }
            }
            Some(s) => match self.f[s].kind {
                StmtKind::Expr(x) => cond = Some(x),
                _ => {
                    // A common error is '=' instead of '==': say so explicitly.
                    self.settle();
                    let str = match self.f[s].kind {
                        StmtKind::Assign { op: None, lhs, rhs: Some(rhs) } => format!(
                            "assignment ({}) = ({})",
                            printer::expr_string(&self.f, lhs),
                            printer::expr_string(&self.f, rhs)
                        ),
                        _ => printer::stmt_string(&self.f, s),
                    };
                    let spos = self.f[s].pos;
                    self.syntax_error_at(spos, &format!("cannot use {str} as value"));
                }
            },
        }
        self.xnest = outer;
        (init, cond, post)
    }

    fn if_stmt(&mut self) -> StmtId {
        self.nested(|p| p.if_stmt_inner())
    }

    fn if_stmt_inner(&mut self) -> StmtId {
        let pos = self.pos();
        let (init, cond, _) = self.header(Token::If);
        let then = self.block_stmt("if clause");
        let mut else_ = None;
        if self.got(Token::Else) {
            match self.tok() {
                Token::If => else_ = Some(self.if_stmt()),
                Token::LBrace => {
                    let bpos = self.pos();
                    let b = self.block_stmt("");
                    else_ = Some(self.new_stmt(bpos, StmtKind::Block(b)));
                }
                _ => {
                    self.syntax_error("else must be followed by if or statement block");
                    self.advance(&[Token::Name, Token::RBrace]);
                }
            }
        }
        self.new_stmt(pos, StmtKind::If { init, cond, then, else_ })
    }

    fn switch_stmt(&mut self) -> StmtId {
        let pos = self.pos();
        let (init, tag, _) = self.header(Token::Switch);
        if !self.got(Token::LBrace) {
            self.syntax_error("missing { after switch clause");
            self.advance(&[Token::Case, Token::Default, Token::RBrace]);
        }
        let start = self.sc.len();
        while self.tok() != Token::Eof && self.tok() != Token::RBrace {
            let c = self.case_clause();
            self.sc.push(c);
        }
        let body = self.finish_case_clauses(start);
        let rbrace = self.pos();
        self.want(Token::RBrace);
        self.new_stmt(pos, StmtKind::Switch { init, tag, body, rbrace })
    }

    fn select_stmt(&mut self) -> StmtId {
        let pos = self.pos();
        self.want(Token::Select);
        if !self.got(Token::LBrace) {
            self.syntax_error("missing { after select clause");
            self.advance(&[Token::Case, Token::Default, Token::RBrace]);
        }
        let start = self.sm.len();
        while self.tok() != Token::Eof && self.tok() != Token::RBrace {
            let c = self.comm_clause();
            self.sm.push(c);
        }
        let body = self.finish_comm_clauses(start);
        let rbrace = self.pos();
        self.want(Token::RBrace);
        self.new_stmt(pos, StmtKind::Select { body, rbrace })
    }

    fn case_clause(&mut self) -> CaseClause {
        let pos = self.pos();
        let mut cases = None;
        match self.tok() {
            Token::Case => {
                self.next();
                cases = Some(self.expr_list());
            }
            Token::Default => self.next(),
            _ => {
                self.syntax_error("expecting case or default or }");
                self.advance(&[Token::Colon, Token::Case, Token::Default, Token::RBrace]);
            }
        }
        let colon = self.pos();
        self.want(Token::Colon);
        let body = self.stmt_list();
        CaseClause { pos, cases, body, colon }
    }

    fn comm_clause(&mut self) -> CommClause {
        let pos = self.pos();
        let mut comm = None;
        match self.tok() {
            Token::Case => {
                self.next();
                // Send, receive, or assignment of a receive; other statements are
                // rejected by the type checker.
                comm = Some(self.simple_stmt(None, None));
            }
            Token::Default => self.next(),
            _ => {
                self.syntax_error("expecting case or default or }");
                self.advance(&[Token::Colon, Token::Case, Token::Default, Token::RBrace]);
            }
        }
        let colon = self.pos();
        self.want(Token::Colon);
        let body = self.stmt_list();
        CommClause { pos, comm, body, colon }
    }

    /// A statement if one is present.
    fn stmt_or_nil(&mut self) -> Option<StmtId> {
        self.nested(|p| p.stmt_or_nil_inner())
    }

    fn stmt_or_nil_inner(&mut self) -> Option<StmtId> {
        // Most statements (assignments) start with an identifier.
        if self.tok() == Token::Name {
            self.clear_pragma();
            let lhs = self.expr_list();
            if matches!(self.kind(lhs), ExprKind::Name(_)) && self.tok() == Token::Colon {
                return self.labeled_stmt_or_nil(lhs);
            }
            return Some(self.simple_stmt(Some(lhs), None));
        }

        match self.tok() {
            Token::Var => return Some(self.decl_stmt(SpecKind::Var)),
            Token::Const => return Some(self.decl_stmt(SpecKind::Const)),
            Token::Type => return Some(self.decl_stmt(SpecKind::Type)),
            _ => {}
        }

        self.clear_pragma();

        let pos = self.pos();
        Some(match self.tok() {
            Token::LBrace => {
                let b = self.block_stmt("");
                self.new_stmt(pos, StmtKind::Block(b))
            }
            Token::Operator | Token::Star => match self.s.op {
                Operator::Add | Operator::Sub | Operator::Mul | Operator::And | Operator::Xor | Operator::Not => {
                    self.simple_stmt(None, None) // unary operators
                }
                _ => return None,
            },
            Token::Literal(_)
            | Token::Func
            | Token::LParen
            | Token::LBrack
            | Token::Struct
            | Token::Map
            | Token::Chan
            | Token::Interface
            | Token::Arrow => self.simple_stmt(None, None),
            Token::For => self.for_stmt(),
            Token::Switch => self.switch_stmt(),
            Token::Select => self.select_stmt(),
            Token::If => self.if_stmt(),
            Token::Fallthrough => {
                self.next();
                self.jumps += 1;
                self.new_stmt(pos, StmtKind::Branch { tok: Token::Fallthrough, label: None })
            }
            Token::Break | Token::Continue => {
                let tok = self.tok();
                self.next();
                let label = if self.tok() == Token::Name { Some(self.name()) } else { None };
                self.jumps += 1;
                self.new_stmt(pos, StmtKind::Branch { tok, label })
            }
            Token::Go | Token::Defer => self.call_stmt(),
            Token::Goto => {
                self.next();
                let label = self.name();
                self.jumps += 1;
                self.new_stmt(pos, StmtKind::Branch { tok: Token::Goto, label: Some(label) })
            }
            Token::Return => {
                self.next();
                let results =
                    if self.tok() != Token::Semi && self.tok() != Token::RBrace { Some(self.expr_list()) } else { None };
                self.new_stmt(pos, StmtKind::Return { results })
            }
            Token::Semi => self.new_stmt(pos, StmtKind::Empty),
            _ => return None,
        })
    }

    /// StatementList = { Statement ";" } .
    fn stmt_list(&mut self) -> List<StmtId> {
        let start = self.ss.len();
        while !matches!(self.tok(), Token::Eof | Token::RBrace | Token::Case | Token::Default) {
            let s = self.stmt_or_nil();
            self.clear_pragma();
            let Some(s) = s else { break };
            self.ss.push(s);
            // ";" is optional before "}"
            if !self.got(Token::Semi) && self.tok() != Token::RBrace {
                self.syntax_error("at end of statement");
                self.advance(&[Token::Semi, Token::RBrace, Token::Case, Token::Default]);
                self.got(Token::Semi); // avoid a spurious empty statement
            }
        }
        self.finish_stmts(start)
    }

    /// argList = [ arg { "," arg } [ "..." ] [ "," ] ] ")" .
    fn arg_list(&mut self) -> (List<ExprId>, bool) {
        self.xnest += 1;
        let start = self.sx.len();
        let mut has_dots = false;
        self.list("argument list", Token::Comma, Token::RParen, |p| {
            let e = p.expr();
            p.sx.push(e);
            has_dots = p.got(Token::DotDotDot);
            has_dots
        });
        self.xnest -= 1;
        (self.finish_exprs(start), has_dots)
    }

    // ------------------------------------------------------------------------------------
    // Common productions

    fn name(&mut self) -> ExprId {
        let pos = self.pos();
        if self.tok() == Token::Name {
            let sym = self.intern_name();
            self.next();
            let n = self.new_name(pos, sym);
            if sym.provisional_index().is_some() {
                self.unsettled.push(n);
                // Settle while the nodes are still in the cache.
                if self.unsettled.len() >= 2048 {
                    self.settle();
                }
            }
            return n;
        }
        let n = self.new_name(pos, sym::UNDERSCORE);
        self.syntax_error("expecting name");
        self.advance(&[]);
        n
    }

    /// IdentifierList = identifier { "," identifier } . The first name is given.
    fn name_list(&mut self, first: ExprId) -> List<ExprId> {
        let start = self.sx.len();
        self.sx.push(first);
        while self.got(Token::Comma) {
            let n = self.name();
            self.sx.push(n);
        }
        self.finish_exprs(start)
    }

    /// A possibly qualified (`pkg.T`) and instantiated (`T[A]`) type name; the first name
    /// may be given.
    fn qualified_name(&mut self, name: Option<ExprId>) -> ExprId {
        let mut x = match name {
            Some(n) => n,
            None if self.tok() == Token::Name => self.name(),
            None => {
                let pos = self.pos();
                let n = self.new_name(pos, sym::UNDERSCORE);
                self.syntax_error("expecting name");
                self.advance(&[Token::Dot, Token::Semi, Token::RBrace]);
                n
            }
        };
        if self.tok() == Token::Dot {
            let pos = self.pos();
            self.next();
            let sel = self.name();
            x = self.new_expr(pos, ExprKind::Selector { x, sel });
        }
        if self.tok() == Token::LBrack {
            x = self.type_instance(x);
        }
        x
    }

    /// ExpressionList = Expression { "," Expression } .
    fn expr_list(&mut self) -> ExprId {
        let x = self.expr();
        if !self.got(Token::Comma) {
            return x;
        }
        let start = self.sx.len();
        self.sx.push(x);
        let y = self.expr();
        self.sx.push(y);
        while self.got(Token::Comma) {
            let e = self.expr();
            self.sx.push(e);
        }
        let elems = self.finish_exprs(start);
        let pos = self.f[x].pos;
        self.new_expr(pos, ExprKind::List(elems))
    }

    /// typeList = arg { "," arg } [ "," ] . The first element may be any expression, the
    /// others must be types. Returns the element or a List, and whether there was a comma.
    fn type_list(&mut self) -> (ExprId, bool) {
        self.xnest += 1;
        let mut x = self.expr();
        let mut comma = false;
        if self.got(Token::Comma) {
            comma = true;
            if let Some(t) = self.type_or_nil() {
                let start = self.sx.len();
                self.sx.push(x);
                self.sx.push(t);
                while self.got(Token::Comma) {
                    match self.type_or_nil() {
                        Some(t) => self.sx.push(t),
                        None => break,
                    }
                }
                let elems = self.finish_exprs(start);
                let pos = self.f[x].pos;
                x = self.new_expr(pos, ExprKind::List(elems));
            }
        }
        self.xnest -= 1;
        (x, comma)
    }
}

/// gc's `tokstring`: the token's name in error messages.
fn tokstring(tok: Token) -> &'static str {
    match tok {
        Token::Comma => "comma",
        Token::Semi => "semicolon or newline",
        t => t.describe(),
    }
}

/// Token equality ignoring a literal's kind.
fn same_token(a: Token, b: Token) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

/// The text of a comment without `//` or `/*` `*/` (and without a trailing carriage return
/// for line comments).
fn comment_text(raw: &[u8]) -> &[u8] {
    if raw.starts_with(b"/*") {
        return &raw[2..raw.len().saturating_sub(2).max(2)];
    }
    let mut end = raw.len();
    if end > 2 && raw[end - 1] == b'\r' {
        end -= 1;
    }
    &raw[2.min(end)..end]
}

/// Splits `text` at its last ':' into (index after ':', number, whether the number is a
/// valid decimal u64); None if there is no ':'.
fn trailing_digits(text: &[u8]) -> Option<(usize, u64, bool)> {
    let i = text.iter().rposition(|&b| b == b':')?;
    let digits = &text[i + 1..];
    let n = std::str::from_utf8(digits).ok().and_then(|s| s.parse::<u64>().ok());
    // Go's ParseUint rejects a leading '+', which Rust's parse accepts.
    let ok = n.is_some() && !digits.starts_with(b"+");
    Some((i + 1, n.unwrap_or(0), ok))
}

#[cfg(test)]
mod tests;
