//! The syntax tree of one Go source file.
//!
//! The tree mirrors gc's syntax package (cmd/compile/internal/syntax/nodes.go) node for node,
//! so that the type checker and later stages can follow gc's (types2's) algorithms closely,
//! but it is stored compactly: all nodes of a file live in arenas inside [`File`] and refer
//! to each other by 32-bit ids ([`ExprId`], [`StmtId`], [`DeclId`], [`BlockId`]); lists are
//! ranges ([`List`]) into shared pools. Index a [`File`] with an id or a list to get the node
//! or the slice: `&file[expr_id]`, `&file[list]`.
//!
//! Positions are gc's: every node's `pos` is the position gc's parser gives it (for binary
//! operations the operator, for calls the `(`, for selectors the `.`, ...). Use
//! [`File::start_pos`] and [`File::end_pos`] for a node's extent, as gc's `StartPos`/`EndPos`.
//!
//! Identifiers are [`ExprKind::Name`] expressions everywhere (also declared names, labels and
//! field names), so every identifier occurrence has its own `ExprId` for side tables.

use std::marker::PhantomData;
use std::num::NonZeroU32;
use std::ops::Index;

use super::intern::Symbol;
use super::pos::{FileId, Pos};
use super::scanner::Comment;
use super::token::{LitKind, Operator, Token};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(NonZeroU32);

        impl $name {
            /// The id of the `i`th node of its arena.
            pub fn from_index(i: usize) -> Self {
                $name(NonZeroU32::new(i as u32 + 1).expect("arena index overflow"))
            }

            /// The position of the node in its arena (dense, from 0): use it to index side tables.
            pub fn index(self) -> usize {
                self.0.get() as usize - 1
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.index())
            }
        }
    };
}

id_type!(
    /// An expression (or type, or identifier) node in [`File::exprs`].
    ExprId
);
id_type!(
    /// A statement node in [`File::stmts`].
    StmtId
);
id_type!(
    /// A declaration in [`File::decl_nodes`].
    DeclId
);
id_type!(
    /// A block (`{ ... }`) in [`File::blocks`].
    BlockId
);
id_type!(
    /// A declaration group (`var ( ... )`); declarations of one group share it.
    GroupId
);

/// A contiguous range of items in one of a [`File`]'s list pools. Lists of `ExprId`,
/// `StmtId`, `DeclId`, [`Field`], [`CaseClause`] and [`CommClause`] exist.
pub struct List<T> {
    start: u32,
    len: u32,
    _item: PhantomData<fn() -> T>,
}

impl<T> List<T> {
    /// The empty list.
    pub const EMPTY: List<T> = List { start: 0, len: 0, _item: PhantomData };

    /// The list of `len` items starting at `start` in its pool.
    pub fn new(start: usize, len: usize) -> List<T> {
        List { start: start as u32, len: len as u32, _item: PhantomData }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the list has no items.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for List<T> {}
impl<T> PartialEq for List<T> {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start && self.len == other.len
    }
}
impl<T> Eq for List<T> {}
impl<T> Default for List<T> {
    fn default() -> Self {
        List::EMPTY
    }
}
impl<T> std::fmt::Debug for List<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "List[{}..+{}]", self.start, self.len)
    }
}

/// A byte range in [`File::text`], holding a literal's source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextRange {
    pub start: u32,
    pub len: u32,
}

// ----------------------------------------------------------------------------------------
// Expressions

/// An expression, type or identifier.
#[derive(Clone, Copy, Debug)]
pub struct Expr {
    pub pos: Pos,
    pub kind: ExprKind,
}

/// A channel type's direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChanDir {
    /// `chan T`
    Both,
    /// `chan<- T`
    SendOnly,
    /// `<-chan T`
    RecvOnly,
}

/// The kinds of expression nodes (gc's Expr implementations).
#[derive(Clone, Copy, Debug)]
pub enum ExprKind {
    /// A placeholder where an expression was missing or malformed (an error was reported).
    Bad,
    /// An identifier.
    Name(Symbol),
    /// A literal; `bad` is set if the scanner reported an error for it.
    BasicLit { kind: LitKind, bad: bool, text: TextRange },
    /// `Type{elems}`; `typ` is None for elided types inside composite literals.
    /// `nkeys` counts the `key: value` elements.
    CompositeLit { typ: Option<ExprId>, elems: List<ExprId>, nkeys: u32, rbrace: Pos },
    /// `key: value` in a composite literal (pos is the colon).
    KeyValue { key: ExprId, value: ExprId },
    /// `func(...) ... { body }`; `typ` is a `FuncType`.
    FuncLit { typ: ExprId, body: BlockId },
    /// `(x)`, only kept where gc keeps it (before `{`, in go/defer, unary `&`...).
    Paren(ExprId),
    /// `x.sel` (pos is the dot); `sel` is a Name.
    Selector { x: ExprId, sel: ExprId },
    /// `x[index]` (pos is `[`); `index` is a `List` for `x[a, b]` instantiations.
    Index { x: ExprId, index: ExprId },
    /// `x[lo:hi]` or `x[lo:hi:max]` (`full`).
    Slice { x: ExprId, index: [Option<ExprId>; 3], full: bool },
    /// `x.(typ)` (pos is the dot).
    Assert { x: ExprId, typ: ExprId },
    /// `x.(type)` or `lhs := x.(type)` in a type switch header (pos is the dot).
    TypeSwitchGuard { lhs: Option<ExprId>, x: ExprId },
    /// A unary (`y` is None; pos is the operator) or binary (pos is the operator) operation.
    /// Unary `*x` is also a pointer type, `~T` a type-set term, `a | b` possibly a union.
    Operation { op: Operator, x: ExprId, y: Option<ExprId> },
    /// `fun(args)` or `fun(args...)` (pos is `(`); also conversions.
    Call { fun: ExprId, args: List<ExprId>, has_dots: bool },
    /// `a, b, c` where a list stands in one expression's place (assignment sides, results,
    /// case lists, type argument lists).
    List(List<ExprId>),
    /// `[len]elem`; `len` is None for `[...]elem`.
    ArrayType { len: Option<ExprId>, elem: ExprId },
    /// `[]elem`
    SliceType { elem: ExprId },
    /// `...elem`, only as the type of a final parameter.
    DotsType { elem: ExprId },
    /// `struct { fields }`; each field carries its tag.
    StructType { fields: List<Field> },
    /// `interface { methods and embedded elements }`: a field with a name is a method whose
    /// type is a `FuncType`; a field without one is an embedded element (a type, `~T`, or a
    /// union `A | B` as `Operation{Or}`).
    InterfaceType { methods: List<Field> },
    /// `func(params) results`
    FuncType { params: List<Field>, results: List<Field> },
    /// `map[key]value`
    MapType { key: ExprId, value: ExprId },
    /// `chan elem`, `chan<- elem`, `<-chan elem`
    ChanType { dir: ChanDir, elem: ExprId },
}

/// A struct field, parameter, result, type parameter, interface method or embedded element.
/// Names declared together (`a, b int`) are separate fields sharing the same `typ` id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub pos: Pos,
    /// None for embedded fields, unnamed parameters and embedded interface elements.
    pub name: Option<ExprId>,
    pub typ: ExprId,
    /// A struct field's tag (a string literal).
    pub tag: Option<ExprId>,
}

// ----------------------------------------------------------------------------------------
// Statements

/// A statement.
#[derive(Clone, Copy, Debug)]
pub struct Stmt {
    pub pos: Pos,
    pub kind: StmtKind,
}

/// The kinds of statements (gc's Stmt implementations).
#[derive(Clone, Copy, Debug)]
pub enum StmtKind {
    /// An empty statement (e.g. a lone `;`, or the statement after a label before `}`).
    Empty,
    /// `label: stmt` (pos is the colon).
    Labeled { label: ExprId, stmt: StmtId },
    /// A block statement `{ ... }` (pos is the `{`).
    Block(BlockId),
    /// An expression statement; pos is the expression's pos.
    Expr(ExprId),
    /// `chan <- value` (pos is the arrow).
    Send { chan: ExprId, value: ExprId },
    /// A `var`, `const` or `type` declaration inside a function.
    Decl(List<DeclId>),
    /// An assignment (pos is the operator). `op` is None for `=`, `Some(Def)` for `:=`,
    /// `Some(op)` for `op=`; `rhs` is None for `x++` (op Add) and `x--` (op Sub).
    /// `lhs`/`rhs` are `List` expressions when there are several.
    Assign { op: Option<Operator>, lhs: ExprId, rhs: Option<ExprId> },
    /// `break`, `continue`, `goto` (with label) or `fallthrough`.
    Branch { tok: Token, label: Option<ExprId> },
    /// `go call` or `defer call` (`tok` is Go or Defer); `call` is always a `Call`.
    CallStmt { tok: Token, call: ExprId },
    /// `return results`; several results are a `List`.
    Return { results: Option<ExprId> },
    /// `if init; cond then else`; `else_` is an `If` or `Block` statement.
    /// `cond` is None only after a reported error.
    If { init: Option<StmtId>, cond: Option<ExprId>, then: BlockId, else_: Option<StmtId> },
    /// `for init; cond; post body`; a range loop has a `Range` statement as `init`.
    For { init: Option<StmtId>, cond: Option<ExprId>, post: Option<StmtId>, body: BlockId },
    /// `switch init; tag { body }`; a type switch's tag is a `TypeSwitchGuard`.
    Switch { init: Option<StmtId>, tag: Option<ExprId>, body: List<CaseClause>, rbrace: Pos },
    /// `select { body }`
    Select { body: List<CommClause>, rbrace: Pos },
    /// The `lhs := range x` clause of a for statement (pos is `range`).
    Range { lhs: Option<ExprId>, def: bool, x: ExprId },
}

/// A `{ ... }` block.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    pub pos: Pos,
    pub stmts: List<StmtId>,
    pub rbrace: Pos,
}

/// `case cases: body` or `default: body` (cases None) in a switch.
#[derive(Clone, Copy, Debug)]
pub struct CaseClause {
    pub pos: Pos,
    pub cases: Option<ExprId>,
    pub body: List<StmtId>,
    pub colon: Pos,
}

/// `case comm: body` or `default: body` (comm None) in a select.
#[derive(Clone, Copy, Debug)]
pub struct CommClause {
    pub pos: Pos,
    pub comm: Option<StmtId>,
    pub body: List<StmtId>,
    pub colon: Pos,
}

// ----------------------------------------------------------------------------------------
// Declarations

/// A declaration: one import spec, const spec, type spec, var spec or function.
#[derive(Clone, Copy, Debug)]
pub struct Decl {
    pub pos: Pos,
    /// The group for specs inside `( ... )`.
    pub group: Option<GroupId>,
    /// The compiler directives (`//go:...`) that precede the declaration.
    pub pragma: Pragma,
    pub kind: DeclKind,
}

/// The kinds of declarations.
#[derive(Clone, Copy, Debug)]
pub enum DeclKind {
    /// `import local "path"`; `local` is a Name (possibly `.` or `_`); `path` is a literal
    /// (a string unless an error was reported), None if missing.
    Import { local: Option<ExprId>, path: Option<ExprId> },
    /// `const names typ = values`. Empty `typ` and `values` in a group mean "repeat the
    /// previous spec's", which the type checker implements.
    Const { names: List<ExprId>, typ: Option<ExprId>, values: Option<ExprId> },
    /// `type name[tparams] typ` or `type name = typ` (`alias`).
    Type { name: ExprId, tparams: List<Field>, alias: bool, typ: ExprId },
    /// `var names typ = values`
    Var { names: List<ExprId>, typ: Option<ExprId>, values: Option<ExprId> },
    /// `func (recv) name[tparams](params) results { body }`; `typ` is a `FuncType`;
    /// `body` is None for declarations without body.
    Func { recv: Option<Field>, name: ExprId, tparams: List<Field>, typ: ExprId, body: Option<BlockId> },
}

/// The compiler directives attached to a declaration: a range of [`File::directives`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pragma {
    pub start: u32,
    pub end: u32,
}

impl Pragma {
    /// Whether no directive is attached.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A `//go:...` compiler directive comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Position of the directive text (just after `//`), where gc reports directive errors.
    pub pos: Pos,
    /// The text after `//` without a trailing carriage return, e.g. `go:linkname a b`.
    pub text: Box<str>,
    /// Whether the comment stands on a line of its own (gc reports "misplaced compiler
    /// directive" otherwise).
    pub blank: bool,
    /// Whether a declaration (or the package clause) took the directive as its pragma. gc
    /// reports unattached directives with known verbs as misplaced.
    pub attached: bool,
}

/// A function body and whether it parsed without errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FuncBody {
    pub body: BlockId,
    /// No syntax error was reported while parsing the body.
    pub clean: bool,
}

/// A `//line filename:line[:col]` or `/*line filename:line[:col]*/` directive: positions
/// from `offset` on are reported relative to it (see [`File::resolve`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineDirective {
    /// Byte offset where the directive takes effect (the line after a `//line` comment,
    /// or just after a `/*line*/` comment).
    pub offset: u32,
    /// The (actual) line and column at `offset`.
    pub at_line: u32,
    pub at_col: u32,
    /// The file name to report (None: the file's own name, for `//line :line:col`), the
    /// line number at `offset`, and the column at `offset` (0 if the directive gave none:
    /// then no columns are reported).
    pub filename: Option<Box<str>>,
    pub line: u32,
    pub col: u32,
}

// ----------------------------------------------------------------------------------------
// Files

/// One parsed source file: the package clause, the top-level declarations and the arenas
/// holding all nodes.
#[derive(Debug, Default)]
pub struct File {
    /// The file's id in the source map.
    pub file: FileId,
    /// Position of the `package` keyword.
    pub pos: Pos,
    /// The package name (a Name; `_` if missing).
    pub pkg_name: Option<ExprId>,
    /// Directives before the package clause (e.g. `//go:build`).
    pub pragma: Pragma,
    /// The top-level declarations in source order.
    pub decls: List<DeclId>,
    /// Position of the end of the file.
    pub eof: Pos,

    /// All comments, in source order (for doc comments and `// +build` lines).
    pub comments: Vec<Comment>,
    /// All `//go:` directives, in source order.
    pub directives: Vec<Directive>,
    /// Line directives, in source order.
    pub line_directives: Vec<LineDirective>,
    /// Every function body (of declarations and literals) in the order their parsing
    /// finished (inner function literals first), for the branch checker.
    pub func_bodies: Vec<FuncBody>,

    /// Node arenas.
    pub exprs: Vec<Expr>,
    pub stmts: Vec<Stmt>,
    pub decl_nodes: Vec<Decl>,
    pub blocks: Vec<Block>,
    /// List pools.
    pub expr_lists: Vec<ExprId>,
    pub stmt_lists: Vec<StmtId>,
    pub decl_lists: Vec<DeclId>,
    pub fields: Vec<Field>,
    pub case_clauses: Vec<CaseClause>,
    pub comm_clauses: Vec<CommClause>,
    /// Literal source texts.
    pub text: String,
}

impl Default for FileId {
    fn default() -> Self {
        FileId(0)
    }
}

impl File {
    /// The source text of a literal.
    pub fn text(&self, r: TextRange) -> &str {
        &self.text[r.start as usize..(r.start + r.len) as usize]
    }

    /// The identifier of a Name expression (`_` for any other node).
    pub fn name(&self, e: ExprId) -> Symbol {
        match self[e].kind {
            ExprKind::Name(s) => s,
            _ => super::intern::sym::UNDERSCORE,
        }
    }

    /// The source text of a literal expression, if `e` is one.
    pub fn lit_text(&self, e: ExprId) -> Option<&str> {
        match self[e].kind {
            ExprKind::BasicLit { text, .. } => Some(self.text(text)),
            _ => None,
        }
    }

    /// The doc comment of a node starting at `pos`: the comments on the lines directly
    /// above it, without a blank line in between (empty if there are none).
    pub fn doc_comments(&self, pos: Pos) -> &[Comment] {
        let end = self.comments.partition_point(|c| c.pos.offset < pos.offset);
        if end == 0 || self.comments[end - 1].end_line + 1 != pos.line {
            return &[];
        }
        let mut start = end - 1;
        while start > 0 && self.comments[start - 1].end_line + 1 >= self.comments[start].pos.line {
            start -= 1;
        }
        &self.comments[start..end]
    }

    /// The directives of a pragma.
    pub fn pragma_directives(&self, p: Pragma) -> &[Directive] {
        &self.directives[p.start as usize..p.end as usize]
    }

    /// Removes any parentheses around `e`.
    pub fn unparen(&self, mut e: ExprId) -> ExprId {
        while let ExprKind::Paren(x) = self[e].kind {
            e = x;
        }
        e
    }

    /// Maps a position to the (file name, line, column) that gc reports for it, applying
    /// line directives: None for the file name means the file's own name; column 0 means
    /// "no column" (print `file:line` only).
    pub fn resolve(&self, pos: Pos) -> (Option<&str>, u32, u32) {
        let i = self.line_directives.partition_point(|d| d.offset <= pos.offset);
        if i == 0 {
            return (None, pos.line, pos.col);
        }
        let d = &self.line_directives[i - 1];
        let line = d.line.saturating_add(pos.line.saturating_sub(d.at_line));
        let col = if d.col == 0 {
            0
        } else if pos.line == d.at_line {
            d.col.saturating_add(pos.col.saturating_sub(d.at_col))
        } else {
            pos.col
        };
        (d.filename.as_deref(), line, col)
    }

    /// gc's `StartPos`: the position of the first character of the node.
    pub fn start_pos(&self, mut e: ExprId) -> Pos {
        loop {
            let x = &self[e];
            e = match x.kind {
                ExprKind::CompositeLit { typ: Some(t), .. } => t,
                ExprKind::Selector { x, .. } | ExprKind::Index { x, .. } | ExprKind::Assert { x, .. } => x,
                ExprKind::Slice { x, .. } => x,
                ExprKind::TypeSwitchGuard { lhs, x } => lhs.unwrap_or(x),
                ExprKind::Operation { x, y: Some(_), .. } => x,
                ExprKind::Call { fun, .. } => fun,
                ExprKind::List(l) if !l.is_empty() => self[l][0],
                _ => return x.pos,
            };
        }
    }

    /// gc's `StartPos` for statements.
    pub fn stmt_start_pos(&self, s: StmtId) -> Pos {
        let st = &self[s];
        match st.kind {
            StmtKind::Send { chan, .. } => self.start_pos(chan),
            StmtKind::Assign { lhs, .. } => self.start_pos(lhs),
            StmtKind::Range { lhs, x, .. } => self.start_pos(lhs.unwrap_or(x)),
            StmtKind::Expr(x) => self.start_pos(x),
            _ => st.pos,
        }
    }

    /// gc's `EndPos`: the position just after the node (approximate where gc's is, e.g. for
    /// multi-line literals).
    pub fn end_pos(&self, mut e: ExprId) -> Pos {
        loop {
            let x = &self[e];
            e = match x.kind {
                ExprKind::Bad => return x.pos,
                ExprKind::Name(s) => return advance(x.pos, s.as_str().len()),
                ExprKind::BasicLit { text, .. } => return advance(x.pos, text.len as usize),
                ExprKind::CompositeLit { rbrace, .. } => return rbrace,
                ExprKind::KeyValue { value, .. } => value,
                ExprKind::FuncLit { body, .. } => return self[body].rbrace,
                ExprKind::Paren(x) => x,
                ExprKind::Selector { sel, .. } => sel,
                ExprKind::Index { index, .. } => index,
                ExprKind::Slice { x, index, .. } => index.iter().rev().flatten().next().copied().unwrap_or(x),
                ExprKind::Assert { typ, .. } => typ,
                ExprKind::TypeSwitchGuard { x, .. } => x,
                ExprKind::Operation { x, y, .. } => y.unwrap_or(x),
                ExprKind::Call { fun, args, .. } => self[args].last().copied().unwrap_or(fun),
                ExprKind::List(l) => match self[l].last() {
                    Some(&last) => last,
                    None => return x.pos,
                },
                ExprKind::ArrayType { elem, .. }
                | ExprKind::SliceType { elem }
                | ExprKind::DotsType { elem }
                | ExprKind::ChanType { elem, .. } => elem,
                ExprKind::StructType { fields: l } | ExprKind::InterfaceType { methods: l } => match self[l].last() {
                    Some(f) => f.typ,
                    None => return x.pos,
                },
                ExprKind::FuncType { params, results } => {
                    match self[results].last().or_else(|| self[params].last()) {
                        Some(f) => f.typ,
                        None => return x.pos,
                    }
                }
                ExprKind::MapType { value, .. } => value,
            };
        }
    }
}

/// `pos` moved right by `n` bytes on the same line.
fn advance(pos: Pos, n: usize) -> Pos {
    Pos::new(pos.offset + n as u32, pos.line, pos.col + n as u32)
}

impl Index<ExprId> for File {
    type Output = Expr;
    fn index(&self, id: ExprId) -> &Expr {
        &self.exprs[id.index()]
    }
}

impl Index<StmtId> for File {
    type Output = Stmt;
    fn index(&self, id: StmtId) -> &Stmt {
        &self.stmts[id.index()]
    }
}

impl Index<DeclId> for File {
    type Output = Decl;
    fn index(&self, id: DeclId) -> &Decl {
        &self.decl_nodes[id.index()]
    }
}

impl Index<BlockId> for File {
    type Output = Block;
    fn index(&self, id: BlockId) -> &Block {
        &self.blocks[id.index()]
    }
}

macro_rules! list_index {
    ($item:ty, $pool:ident) => {
        impl Index<List<$item>> for File {
            type Output = [$item];
            fn index(&self, l: List<$item>) -> &[$item] {
                &self.$pool[l.range()]
            }
        }
    };
}

list_index!(ExprId, expr_lists);
list_index!(StmtId, stmt_lists);
list_index!(DeclId, decl_lists);
list_index!(Field, fields);
list_index!(CaseClause, case_clauses);
list_index!(CommClause, comm_clauses);

#[cfg(test)]
mod size_tests {
    use super::*;

    /// Node sizes matter for parsing speed and memory: keep them from growing unnoticed.
    #[test]
    fn node_sizes() {
        assert!(std::mem::size_of::<Expr>() <= 44);
        assert!(std::mem::size_of::<Stmt>() <= 44);
        assert_eq!(std::mem::size_of::<Option<ExprId>>(), 4);
        assert_eq!(std::mem::size_of::<Field>(), 24);
    }
}
