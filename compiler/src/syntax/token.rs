//! Go's tokens: the vocabulary shared by the scanner and the parser.

/// One lexical token kind. Literal tokens carry their text in [`crate::syntax::scanner::Scanned`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Token {
    Eof,
    // names and literals
    Name,
    /// Integer, float, imaginary, rune or string literal; see [`LitKind`].
    Literal(LitKind),

    // operators and delimiters
    /// An assignment operator `op=` (e.g. `+=`); the operator is in [`crate::syntax::scanner::Scanned::op`].
    AssignOp,
    /// `++` or `--`; the operator (Add or Sub) is in `op`.
    IncDec,
    /// `=`
    Assign,
    /// `:=`
    Define,
    /// `<-`
    Arrow,
    /// `*` (pointer type, dereference or multiplication: the parser decides)
    Star,
    /// A binary or unary operator other than `*`; the operator is in `op`.
    Operator,
    LParen,
    LBrack,
    LBrace,
    RParen,
    RBrack,
    RBrace,
    Comma,
    /// `;` or an automatically inserted semicolon (then the literal text is "newline" or "EOF").
    Semi,
    Colon,
    Dot,
    /// `...`
    DotDotDot,

    // keywords
    Break,
    Case,
    Chan,
    Const,
    Continue,
    Default,
    Defer,
    Else,
    Fallthrough,
    For,
    Func,
    Go,
    Goto,
    If,
    Import,
    Interface,
    Map,
    Package,
    Range,
    Return,
    Select,
    Struct,
    Switch,
    Type,
    Var,
}

/// The kind of a literal token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LitKind {
    Int,
    Float,
    Imag,
    Rune,
    String,
}

/// Operators, with gc's precedence levels (see [`Operator::precedence`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `:` — only used internally for the `Def` assignment operator marker.
    Def,
    /// `!`
    Not,
    /// `<-`
    Recv,
    /// `~` (type-set tilde)
    Tilde,
    /// `||`
    OrOr,
    /// `&&`
    AndAnd,
    /// `==`
    Eql,
    /// `!=`
    Neq,
    /// `<`
    Lss,
    /// `<=`
    Leq,
    /// `>`
    Gtr,
    /// `>=`
    Geq,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `|`
    Or,
    /// `^`
    Xor,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `&`
    And,
    /// `&^`
    AndNot,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
}

impl Operator {
    /// Binary precedence as in the Go spec (5 binds tightest, 0 = not a binary operator).
    pub fn precedence(self) -> u8 {
        use Operator::*;
        match self {
            OrOr => 1,
            AndAnd => 2,
            Eql | Neq | Lss | Leq | Gtr | Geq => 3,
            Add | Sub | Or | Xor => 4,
            Mul | Div | Rem | And | AndNot | Shl | Shr => 5,
            Def | Not | Recv | Tilde => 0,
        }
    }

    /// The operator as written in Go source.
    pub fn as_str(self) -> &'static str {
        use Operator::*;
        match self {
            Def => ":",
            Not => "!",
            Recv => "<-",
            Tilde => "~",
            OrOr => "||",
            AndAnd => "&&",
            Eql => "==",
            Neq => "!=",
            Lss => "<",
            Leq => "<=",
            Gtr => ">",
            Geq => ">=",
            Add => "+",
            Sub => "-",
            Or => "|",
            Xor => "^",
            Mul => "*",
            Div => "/",
            Rem => "%",
            And => "&",
            AndNot => "&^",
            Shl => "<<",
            Shr => ">>",
        }
    }
}

impl Token {
    /// The keyword token for `name`, if it is one of Go's 25 keywords.
    pub fn keyword(name: &[u8]) -> Option<Token> {
        use Token::*;
        Some(match name {
            b"break" => Break,
            b"case" => Case,
            b"chan" => Chan,
            b"const" => Const,
            b"continue" => Continue,
            b"default" => Default,
            b"defer" => Defer,
            b"else" => Else,
            b"fallthrough" => Fallthrough,
            b"for" => For,
            b"func" => Func,
            b"go" => Go,
            b"goto" => Goto,
            b"if" => If,
            b"import" => Import,
            b"interface" => Interface,
            b"map" => Map,
            b"package" => Package,
            b"range" => Range,
            b"return" => Return,
            b"select" => Select,
            b"struct" => Struct,
            b"switch" => Switch,
            b"type" => Type,
            b"var" => Var,
            _ => return None,
        })
    }

    /// How gc's syntax errors name the token ("name", "literal", "keyword func", ...),
    /// without the literal text, which the parser adds where gc does.
    pub fn describe(self) -> &'static str {
        use Token::*;
        match self {
            Eof => "EOF",
            Name => "name",
            Literal(_) => "literal",
            AssignOp => "op=",
            IncDec => "opop",
            Assign => "=",
            Define => ":=",
            Arrow => "<-",
            Star => "*",
            Operator => "op",
            LParen => "(",
            LBrack => "[",
            LBrace => "{",
            RParen => ")",
            RBrack => "]",
            RBrace => "}",
            Comma => ",",
            Semi => ";",
            Colon => ":",
            Dot => ".",
            DotDotDot => "...",
            Break => "break",
            Case => "case",
            Chan => "chan",
            Const => "const",
            Continue => "continue",
            Default => "default",
            Defer => "defer",
            Else => "else",
            Fallthrough => "fallthrough",
            For => "for",
            Func => "func",
            Go => "go",
            Goto => "goto",
            If => "if",
            Import => "import",
            Interface => "interface",
            Map => "map",
            Package => "package",
            Range => "range",
            Return => "return",
            Select => "select",
            Struct => "struct",
            Switch => "switch",
            Type => "type",
            Var => "var",
        }
    }

    /// Whether this token is a keyword.
    pub fn is_keyword(self) -> bool {
        Token::keyword(self.describe().as_bytes()) == Some(self)
    }
}
