//! The Go scanner: turns source bytes into tokens, one [`Scanner::next`] call at a time.
//!
//! It follows gc's scanner (cmd/compile/internal/syntax/scanner.go and source.go) in
//! behaviour: the same tokens, automatic semicolon insertion, the same error messages at
//! the same positions. Positions are byte based: the column is the 1-based byte offset in
//! the line, so a tab or a multi-byte character counts as its byte length.
//!
//! Speed: the scanner works on the byte slice directly and never allocates per token (literal
//! and name text is borrowed from the source). Whether the source is "clean" (valid UTF-8,
//! no NUL, no byte order mark after the start) is decided once up front; for clean sources
//! comments, strings and whitespace are skipped with tight byte loops, otherwise every
//! character goes through [`Scanner::nextch`], which reports encoding errors as gc does.

use super::pos::Pos;
use super::token::{LitKind, Operator, Token};
use super::unicode_tables;

/// The current character at end of input.
const EOF: i32 = -1;

/// A comment in the source (line or general comment), recorded for doc comments and build
/// constraints. The text is not copied: slice the source with [`Comment::range`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Position of the opening `//` or `/*`.
    pub pos: Pos,
    /// Byte offset just past the comment (for `//` comments: the end of the line, before
    /// the newline; a trailing carriage return is included as in gc).
    pub end: u32,
    /// The line the comment ends on.
    pub end_line: u32,
}

impl Comment {
    /// The byte range of the comment text, including `//` or `/*` and `*/`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.pos.offset as usize..self.end as usize
    }

    /// The comment's full text, taken from the same source the scanner read.
    pub fn text<'s>(&self, src: &'s [u8]) -> &'s [u8] {
        &src[self.range()]
    }
}

/// A compiler directive comment: `//go:...`, `//line ...` or `/*line ...*/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawDirective {
    /// Position of the opening `//` or `/*`.
    pub pos: Pos,
    /// Byte range of the whole comment (as for [`Comment::range`]).
    pub start: u32,
    pub end: u32,
    /// Whether only white space precedes the comment on its line since the previous token
    /// (gc's `scanner.blank`): `//go:` directives must stand on a line of their own.
    pub blank: bool,
}

/// The scanner state: the source, the read position and the current token.
///
/// After [`Scanner::new`], call [`Scanner::next`] repeatedly; each call sets the public token
/// fields. Errors are appended to [`Scanner::errors`] in the order they are found.
pub struct Scanner<'a> {
    src: &'a [u8],
    /// The source as text if it is valid UTF-8 (then literal text is borrowed from it).
    text: Option<&'a str>,
    /// Valid UTF-8 without NUL bytes and without a byte order mark after offset 0: fast
    /// paths may skip bytes without decoding them.
    clean: bool,

    // Reader state: `ch` is the current character, starting at byte `ch_off` on line `line`.
    ch: i32,
    ch_off: usize,
    /// Offset of the byte after `ch`.
    r: usize,
    line: u32,
    line_start: usize,
    /// Start of the current literal or comment segment.
    seg: usize,
    /// Whether a newline or EOF now translates into a semicolon.
    nlsemi: bool,

    /// The current token.
    pub tok: Token,
    /// Position of the current token's first byte.
    pub pos: Pos,
    /// The text behind [`Scanner::lit`] where it is not `lit_raw` (semicolons, and every
    /// token of a source that is not clean).
    lit_text: &'a str,
    /// The source bytes of a name or literal token. They differ from [`Scanner::lit`] only
    /// in sources with invalid UTF-8 (where `lit` is the longest valid prefix, and these
    /// bytes include the skipped invalid ones, as gc's token text does).
    pub lit_raw: &'a [u8],
    /// For literals: the literal kind.
    pub kind: LitKind,
    /// For `Operator`, `Star`, `AssignOp` and `IncDec`: the operator.
    pub op: Operator,
    /// For `Operator` and `Star`: the operator's binary precedence (0 for unary-only ones).
    pub prec: u8,
    /// For literals: whether a lexical error was reported for it.
    pub bad: bool,
    /// Whether only white space precedes the current token or comment on its line since
    /// the previous token (gc's `scanner.blank`; recorded for directives).
    blank: bool,
    /// Where the white space before the current token started (carried from the fast path
    /// into the general one).
    ws_start: usize,

    /// Errors found so far, in the order found, as (position, message).
    pub errors: Vec<(Pos, String)>,
    /// Every comment, in source order.
    pub comments: Vec<Comment>,
    /// `//go:` and line directive comments, in source order.
    pub directives: Vec<RawDirective>,
}

impl<'a> Scanner<'a> {
    /// A scanner positioned before the first token of `src`; call [`Scanner::next`].
    pub fn new(src: &'a [u8]) -> Scanner<'a> {
        let text = std::str::from_utf8(src).ok();
        let (nul, non_ascii) = scan_bytes(src);
        let clean = text.is_some_and(|t| !nul && !(non_ascii && has_inner_bom(t)));
        let mut s = Scanner {
            src,
            text,
            clean,
            ch: b' ' as i32,
            ch_off: 0,
            r: 0,
            line: 1,
            line_start: 0,
            seg: 0,
            nlsemi: false,
            tok: Token::Eof,
            pos: Pos::new(0, 1, 1),
            lit_text: "",
            lit_raw: b"",
            kind: LitKind::Int,
            op: Operator::Add,
            prec: 0,
            bad: false,
            blank: true,
            ws_start: 0,
            errors: Vec::new(),
            comments: Vec::with_capacity(src.len() / 96 + 8),
            directives: Vec::new(),
        };
        s.load();
        s
    }

    /// A scanner that never takes the fast path (to test that both paths agree).
    #[cfg(test)]
    pub(crate) fn new_general(src: &'a [u8]) -> Scanner<'a> {
        let mut s = Scanner::new(src);
        s.clean = false;
        s
    }

    /// Whether the source is valid UTF-8 without NUL bytes or misplaced byte order marks
    /// (then every token's text is exactly its source bytes).
    pub fn is_clean(&self) -> bool {
        self.clean
    }

    /// The source being scanned.
    pub fn source(&self) -> &'a [u8] {
        self.src
    }

    /// The source being scanned as text, if it is valid UTF-8.
    pub fn source_text(&self) -> Option<&'a str> {
        self.text
    }

    /// The token's text for names and literals (possibly malformed if `bad`), and for
    /// semicolons "semicolon", "newline" or "EOF" (keywords have their spelling too). The
    /// fast path leaves the text of these tokens in a clean source as bytes (`lit_raw`):
    /// most are never needed as text.
    pub fn lit(&self) -> &'a str {
        match self.text {
            Some(text) if self.clean && self.tok != Token::Semi => {
                let start = self.pos.offset as usize;
                text.get(start..start + self.lit_raw.len()).unwrap_or("")
            }
            _ => self.lit_text,
        }
    }

    // ------------------------------------------------------------------------------------
    // Characters

    /// Position of the current character.
    fn ch_pos(&self) -> Pos {
        Pos::new(self.ch_off as u32, self.line, (self.ch_off - self.line_start + 1) as u32)
    }

    /// Reports `msg` at the current character.
    fn error(&mut self, msg: impl Into<String>) {
        let pos = self.ch_pos();
        self.errors.push((pos, msg.into()));
    }

    /// Reports `msg` at byte offset `delta` from the current token's start (same line).
    fn error_at_token(&mut self, delta: usize, msg: impl Into<String>) {
        let pos = Pos::new(self.pos.offset + delta as u32, self.pos.line, self.pos.col + delta as u32);
        self.errors.push((pos, msg.into()));
    }

    /// Advances to the next character, keeping line information up to date.
    #[inline(always)]
    fn nextch(&mut self) {
        if self.ch == b'\n' as i32 {
            self.line += 1;
            self.line_start = self.r;
        }
        self.load();
    }

    /// Reads the character at `self.r` into `ch`. The previous character must not have been
    /// a newline (or line bookkeeping must already be done). NUL bytes, invalid UTF-8 and
    /// misplaced byte order marks are reported and skipped, as in gc.
    #[inline(always)]
    fn load(&mut self) {
        self.ch_off = self.r;
        if let Some(&b) = self.src.get(self.r) {
            if b != 0 && b < 0x80 {
                self.r += 1;
                self.ch = b as i32;
                return;
            }
        }
        self.load_slow();
    }

    /// [`Scanner::load`] for EOF, NUL and non-ASCII characters.
    #[inline(never)]
    fn load_slow(&mut self) {
        loop {
            self.ch_off = self.r;
            let Some(&b) = self.src.get(self.r) else {
                self.ch = EOF;
                return;
            };
            if b < 0x80 {
                self.r += 1;
                if b == 0 && self.ch_off > 0 {
                    self.error("invalid NUL character");
                    continue;
                }
                // gc misses a NUL at the very start of a file (it arrives through its
                // buffer refill path) and reports it as an invalid character instead.
                self.ch = b as i32;
                return;
            }
            let (c, w) = decode_rune(&self.src[self.r..]);
            self.r += w;
            if c == 0xFFFD && w == 1 {
                self.error("invalid UTF-8 encoding");
                continue;
            }
            if c == 0xFEFF {
                // A byte order mark is only allowed as the first character of a file.
                if self.ch_off > 0 {
                    self.error("invalid BOM in the middle of the file");
                }
                continue;
            }
            self.ch = c as i32;
            return;
        }
    }

    /// Moves the read position to byte offset `off`, which must start a character on the
    /// current line, all skipped bytes being part of the line (no newline among them).
    fn jump_to(&mut self, off: usize) {
        self.r = off;
        self.load();
    }

    /// The text of the active segment, from `self.seg` up to the current character.
    #[inline]
    fn segment(&self) -> &'a str {
        self.slice(self.seg, self.ch_off)
    }

    /// Source text between two character boundaries. If the source is not valid UTF-8 (an
    /// error has been reported then), the longest valid prefix of the range is returned.
    #[inline]
    fn slice(&self, start: usize, end: usize) -> &'a str {
        match self.text {
            Some(t) => &t[start..end],
            None => self.slice_invalid(start, end),
        }
    }

    #[cold]
    fn slice_invalid(&self, start: usize, end: usize) -> &'a str {
        let bytes = &self.src[start..end];
        match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
        }
    }

    // ------------------------------------------------------------------------------------
    // Tokens

    /// Advances to the next token, setting `tok`, `pos` and the token's value fields.
    pub fn next(&mut self) {
        if self.clean && self.next_fast() {
            return;
        }
        self.next_general();
    }

    /// The general path of [`Scanner::next`], with gc's character model.
    #[inline(never)]
    fn next_general(&mut self) {
        if self.clean {
            // The fast path stopped at a token it leaves to the general scanner; it only
            // maintains `ch_off`: reload the current character from there.
            self.r = self.ch_off;
            self.load();
        } else {
            self.ws_start = self.ch_off;
        }
        let nlsemi = self.nlsemi;
        self.nlsemi = false;
        loop {
            self.skip_white_space(nlsemi);
            self.pos = self.ch_pos();
            self.blank = self.blank_since(self.ws_start);
            self.seg = self.ch_off;
            if self.scan_token(nlsemi) {
                return;
            }
            self.ws_start = self.ch_off;
        }
    }

    /// gc's `blank` for the token or comment at the current line: only white space, which
    /// began at `ws_start`, precedes it on its line, or that white space began a line.
    fn blank_since(&self, ws_start: usize) -> bool {
        self.line_start > ws_start || ws_start == 0 || self.src[ws_start - 1] == b'\n'
    }

    /// The fast path of [`Scanner::next`] for clean sources: white space, line comments,
    /// identifiers, keywords, simple numbers and strings, operators and delimiters, working
    /// on bytes directly. Returns false, positioned at the start of a token (or comment) it
    /// does not handle, for the general path.
    #[inline(always)]
    fn next_fast(&mut self) -> bool {
        let src = self.src;
        let nlsemi = self.nlsemi;
        let mut i = self.ch_off;
        loop {
            self.ws_start = i;
            // White space.
            while let Some(&b) = src.get(i) {
                match b {
                    b' ' | b'\t' | b'\r' => i += 1,
                    b'\n' if !nlsemi => {
                        i += 1;
                        self.line += 1;
                        self.line_start = i;
                    }
                    _ => break,
                }
            }
            let start = i;
            self.ch_off = i;
            let Some(&b) = src.get(i) else { return false };
            if b == b'/' && src.get(i + 1) == Some(&b'/') {
                i = self.line_comment_fast(start);
                continue;
            }
            self.pos = Pos::new(i as u32, self.line, (i - self.line_start + 1) as u32);
            let end = match self.token_fast(b, i) {
                Some(end) => end,
                None => return false,
            };
            self.ch_off = end;
            return true;
        }
    }

    /// Records the line comment at `start` (fast path); returns the offset of its end.
    #[inline(never)]
    fn line_comment_fast(&mut self, start: usize) -> usize {
        let src = self.src;
        self.pos = Pos::new(start as u32, self.line, (start - self.line_start + 1) as u32);
        self.blank = self.blank_since(self.ws_start);
        let end = find_newline(src, start + 2);
        self.record_comment(start, end);
        if src[start + 2..end].starts_with(b"go:") || src[start + 2..end].starts_with(b"line ") {
            self.record_directive(start, end);
        }
        end
    }

    /// Scans the token starting with byte `b` at `i` (not white space or a line comment) if
    /// it is a common one; returns the offset after it, or None to leave it to the general
    /// path (which then starts at `i` again).
    #[inline(always)]
    fn token_fast(&mut self, b: u8, i: usize) -> Option<usize> {
        let src = self.src;
        let at = |k: usize| src.get(k).copied().unwrap_or(0);
        let mut semi = false; // a newline after this token is a semicolon
        let end;
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                end = ident_end(src, i + 1);
                if at(end) >= 0x80 {
                    return None; // may continue with a Unicode letter
                }
                let lit = &src[i..end];
                self.lit_raw = lit;
                match if lit.len() >= 2 { keyword(lit) } else { None } {
                    Some(tok) => {
                        semi = matches!(tok, Token::Break | Token::Continue | Token::Fallthrough | Token::Return);
                        self.tok = tok;
                    }
                    None => {
                        semi = true;
                        self.tok = Token::Name;
                    }
                }
            }
            b'0'..=b'9' => {
                end = simple_int_end(src, i)?;
                self.set_fast_lit(LitKind::Int, i, end);
                semi = true;
            }
            b'"' => {
                end = simple_string_end(src, i)?;
                self.set_fast_lit(LitKind::String, i, end);
                semi = true;
            }
            b'\n' => {
                // Only reached with nlsemi set.
                self.line += 1;
                self.line_start = i + 1;
                self.tok = Token::Semi;
                self.lit_text = "newline";
                end = i + 1;
            }
            b'(' => (self.tok, end) = (Token::LParen, i + 1),
            b'[' => (self.tok, end) = (Token::LBrack, i + 1),
            b'{' => (self.tok, end) = (Token::LBrace, i + 1),
            b',' => (self.tok, end) = (Token::Comma, i + 1),
            b')' | b']' | b'}' => {
                self.tok = match b {
                    b')' => Token::RParen,
                    b']' => Token::RBrack,
                    _ => Token::RBrace,
                };
                semi = true;
                end = i + 1;
            }
            b';' => {
                self.tok = Token::Semi;
                self.lit_text = "semicolon";
                end = i + 1;
            }
            b':' => {
                self.tok = if at(i + 1) == b'=' { Token::Define } else { Token::Colon };
                end = if self.tok == Token::Define { i + 2 } else { i + 1 };
            }
            b'.' => {
                if at(i + 1).is_ascii_digit() {
                    return None;
                }
                if at(i + 1) == b'.' {
                    if at(i + 2) != b'.' {
                        return None; // `..`: see Scanner::dot
                    }
                    (self.tok, end) = (Token::DotDotDot, i + 3);
                } else {
                    (self.tok, end) = (Token::Dot, i + 1);
                }
            }
            b'=' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'%' | b'^' | b'&' | b'|' | b'~' => {
                let (e, incdec) = self.operator_fast(b, i);
                end = e;
                semi = incdec;
            }
            b'/' => {
                if at(i + 1) == b'*' {
                    return None; // general comments go the general way
                }
                end = self.with_assign(Operator::Div, i + 1);
            }
            _ => return None,
        }
        self.nlsemi = semi;
        Some(end)
    }

    fn set_fast_lit(&mut self, kind: LitKind, start: usize, end: usize) {
        self.tok = Token::Literal(kind);
        self.kind = kind;
        self.bad = false;
        self.lit_raw = &self.src[start..end];
    }

    /// An operator starting with `b` at `i`; returns the offset after it and whether it was
    /// `++` or `--`.
    #[inline(always)]
    fn operator_fast(&mut self, b: u8, i: usize) -> (usize, bool) {
        let next = self.src.get(i + 1).copied().unwrap_or(0);
        let simple = |s: &mut Self, op: Operator, len: usize| {
            s.operator(op);
            (i + len, false)
        };
        match (b, next) {
            (b'=', b'=') => simple(self, Operator::Eql, 2),
            (b'=', _) => {
                self.tok = Token::Assign;
                (i + 1, false)
            }
            (b'!', b'=') => simple(self, Operator::Neq, 2),
            (b'!', _) => simple(self, Operator::Not, 1),
            (b'<', b'=') => simple(self, Operator::Leq, 2),
            (b'<', b'<') => (self.with_assign(Operator::Shl, i + 2), false),
            (b'<', b'-') => {
                self.tok = Token::Arrow;
                (i + 2, false)
            }
            (b'<', _) => simple(self, Operator::Lss, 1),
            (b'>', b'=') => simple(self, Operator::Geq, 2),
            (b'>', b'>') => (self.with_assign(Operator::Shr, i + 2), false),
            (b'>', _) => simple(self, Operator::Gtr, 1),
            (b'+', b'+') | (b'-', b'-') => {
                self.op = if b == b'+' { Operator::Add } else { Operator::Sub };
                self.prec = self.op.precedence();
                self.tok = Token::IncDec;
                (i + 2, true)
            }
            (b'+', _) => (self.with_assign(Operator::Add, i + 1), false),
            (b'-', _) => (self.with_assign(Operator::Sub, i + 1), false),
            (b'*', _) => {
                self.op = Operator::Mul;
                self.prec = Operator::Mul.precedence();
                if next == b'=' {
                    self.tok = Token::AssignOp;
                    (i + 2, false)
                } else {
                    self.tok = Token::Star;
                    (i + 1, false)
                }
            }
            (b'%', _) => (self.with_assign(Operator::Rem, i + 1), false),
            (b'^', _) => (self.with_assign(Operator::Xor, i + 1), false),
            (b'&', b'&') => simple(self, Operator::AndAnd, 2),
            (b'&', b'^') => (self.with_assign(Operator::AndNot, i + 2), false),
            (b'&', _) => (self.with_assign(Operator::And, i + 1), false),
            (b'|', b'|') => simple(self, Operator::OrOr, 2),
            (b'|', _) => (self.with_assign(Operator::Or, i + 1), false),
            _ => simple(self, Operator::Tilde, 1),
        }
    }

    /// Operator `op` ending before `i`, or its assignment form if `=` follows; returns the
    /// offset after the token.
    #[inline(always)]
    fn with_assign(&mut self, op: Operator, i: usize) -> usize {
        self.op = op;
        self.prec = op.precedence();
        if self.src.get(i) == Some(&b'=') {
            self.tok = Token::AssignOp;
            i + 1
        } else {
            self.tok = Token::Operator;
            i
        }
    }

    /// Skips blanks, tabs, carriage returns and, unless they end a statement, newlines.
    #[inline(always)]
    fn skip_white_space(&mut self, nlsemi: bool) {
        if self.clean {
            let mut i = self.ch_off;
            while let Some(&b) = self.src.get(i) {
                match b {
                    b' ' | b'\t' | b'\r' => i += 1,
                    b'\n' if !nlsemi => {
                        i += 1;
                        self.line += 1;
                        self.line_start = i;
                    }
                    _ => break,
                }
            }
            if i != self.ch_off {
                self.jump_to(i);
            }
            return;
        }
        loop {
            match self.ch {
                0x20 | 0x09 | 0x0D => {}
                0x0A if !nlsemi => {}
                _ => return,
            }
            self.nextch();
        }
    }

    /// Scans one token starting at the current character. Returns false if there was none
    /// (a comment or an invalid character was skipped) and scanning must go on.
    fn scan_token(&mut self, nlsemi: bool) -> bool {
        let c = self.ch;
        if c < 0 {
            if nlsemi {
                self.set_semi("EOF");
            } else {
                self.tok = Token::Eof;
            }
            return true;
        }
        if c < 0x80 && is_letter(c as u8) {
            self.ident();
            return true;
        }
        if c >= 0x80 {
            // Every non-ASCII character starts an identifier (with an error if it is not a
            // letter), as in gc.
            self.at_ident_char(true);
            self.nextch();
            self.ident();
            return true;
        }
        if is_decimal(c) {
            self.number(false);
            return true;
        }
        let b = c as u8;
        self.nextch();
        match b {
            b'\n' => self.set_semi("newline"),
            b'"' => self.std_string(),
            b'`' => self.raw_string(),
            b'\'' => self.rune(),
            b'(' => self.tok = Token::LParen,
            b'[' => self.tok = Token::LBrack,
            b'{' => self.tok = Token::LBrace,
            b',' => self.tok = Token::Comma,
            b';' => self.set_semi("semicolon"),
            b')' => self.close(Token::RParen),
            b']' => self.close(Token::RBrack),
            b'}' => self.close(Token::RBrace),
            b':' => {
                self.tok = if self.got(b'=') { Token::Define } else { Token::Colon };
            }
            b'.' => self.dot(),
            b'+' => self.add_or_sub(Operator::Add, b'+'),
            b'-' => self.add_or_sub(Operator::Sub, b'-'),
            b'*' => {
                self.op = Operator::Mul;
                self.prec = Operator::Mul.precedence();
                self.tok = if self.got(b'=') { Token::AssignOp } else { Token::Star };
            }
            b'/' => {
                if self.got(b'/') {
                    self.line_comment();
                    return false;
                }
                if self.got(b'*') {
                    let start_line = self.pos.line;
                    self.full_comment();
                    if self.line > start_line && nlsemi {
                        // A multi-line comment acts like a newline.
                        self.set_semi("newline");
                        return true;
                    }
                    return false;
                }
                self.assign_op(Operator::Div);
            }
            b'%' => self.assign_op(Operator::Rem),
            b'&' => {
                if self.got(b'&') {
                    self.operator(Operator::AndAnd);
                } else if self.got(b'^') {
                    self.assign_op(Operator::AndNot);
                } else {
                    self.assign_op(Operator::And);
                }
            }
            b'|' => {
                if self.got(b'|') {
                    self.operator(Operator::OrOr);
                } else {
                    self.assign_op(Operator::Or);
                }
            }
            b'^' => self.assign_op(Operator::Xor),
            b'<' => {
                if self.got(b'=') {
                    self.operator(Operator::Leq);
                } else if self.got(b'<') {
                    self.assign_op(Operator::Shl);
                } else if self.got(b'-') {
                    self.tok = Token::Arrow;
                } else {
                    self.operator(Operator::Lss);
                }
            }
            b'>' => {
                if self.got(b'=') {
                    self.operator(Operator::Geq);
                } else if self.got(b'>') {
                    self.assign_op(Operator::Shr);
                } else {
                    self.operator(Operator::Gtr);
                }
            }
            b'=' => {
                if self.got(b'=') {
                    self.operator(Operator::Eql);
                } else {
                    self.tok = Token::Assign;
                }
            }
            b'!' => {
                if self.got(b'=') {
                    self.operator(Operator::Neq);
                } else {
                    self.operator(Operator::Not);
                }
            }
            b'~' => self.operator(Operator::Tilde),
            _ => {
                let pos = self.pos;
                self.errors.push((pos, format!("invalid character {}", format_u(b as u32))));
                return false;
            }
        }
        true
    }

    /// Consumes the current character if it is `b`.
    fn got(&mut self, b: u8) -> bool {
        if self.ch == b as i32 {
            self.nextch();
            true
        } else {
            false
        }
    }

    fn set_semi(&mut self, lit: &'static str) {
        self.tok = Token::Semi;
        self.lit_text = lit;
    }

    /// A closing delimiter: a newline after it ends the statement.
    fn close(&mut self, tok: Token) {
        self.nlsemi = true;
        self.tok = tok;
    }

    fn operator(&mut self, op: Operator) {
        self.tok = Token::Operator;
        self.op = op;
        self.prec = op.precedence();
    }

    /// An operator that may be followed by `=` to form an assignment operator.
    fn assign_op(&mut self, op: Operator) {
        self.op = op;
        self.prec = op.precedence();
        self.tok = if self.got(b'=') { Token::AssignOp } else { Token::Operator };
    }

    /// `+`, `-`, their assignment forms, `++` and `--`.
    fn add_or_sub(&mut self, op: Operator, same: u8) {
        if self.got(same) {
            self.op = op;
            self.prec = op.precedence();
            self.nlsemi = true;
            self.tok = Token::IncDec;
        } else {
            self.assign_op(op);
        }
    }

    /// After `.`: a float literal, `...` or a plain dot.
    fn dot(&mut self) {
        if is_decimal(self.ch) {
            self.number(true);
            return;
        }
        // Look ahead two bytes for `...`; `..` is two dots.
        if self.ch == b'.' as i32 {
            match self.src.get(self.r) {
                Some(b'.') => {
                    self.nextch();
                    self.nextch();
                    self.tok = Token::DotDotDot;
                    return;
                }
                Some(b'\n') => {
                    // gc looks ahead by reading two characters and rewinding; rewinding from
                    // a newline counts the line a second time, so gc places the second '.'
                    // at column 2 of the next line and all later lines one too far. Do the
                    // same, so that later positions agree with gc's.
                    self.line += 1;
                    self.line_start = self.ch_off - 1;
                }
                _ => {}
            }
        }
        self.tok = Token::Dot;
    }

    /// Scans the rest of an identifier or keyword (from the current character on).
    #[inline(always)]
    fn ident(&mut self) {
        loop {
            // Fast path: ASCII letters and digits.
            let mut i = self.ch_off;
            while i < self.src.len() && is_ident_byte(self.src[i]) {
                i += 1;
            }
            if i > self.ch_off {
                self.jump_to(i);
            }
            if self.ch >= 0x80 {
                // at_ident_char accepts every non-ASCII character (reporting non-letters).
                self.at_ident_char(false);
                self.nextch();
            } else if !(self.ch >= 0 && is_ident_byte(self.ch as u8)) {
                break;
            }
            // Otherwise a skipped NUL or encoding error split the ASCII run: go on.
        }
        let lit = self.segment();
        // Check the raw bytes: skipped invalid bytes make a name, as in gc.
        let raw = &self.src[self.seg..self.ch_off];
        self.lit_raw = raw;
        if raw.len() >= 2 {
            if let Some(tok) = keyword(raw) {
                self.nlsemi = matches!(tok, Token::Break | Token::Continue | Token::Fallthrough | Token::Return);
                self.tok = tok;
                self.lit_text = lit;
                return;
            }
        }
        self.nlsemi = true;
        self.lit_text = lit;
        self.tok = Token::Name;
    }

    /// Whether the current character may continue (or, if `first`, start) an identifier.
    /// Non-ASCII characters that are neither letters nor digits are accepted with an error,
    /// and so are digits at the start, as gc does.
    fn at_ident_char(&mut self, first: bool) -> bool {
        let c = self.ch;
        if c < 0 {
            return false;
        }
        if c < 0x80 {
            let b = c as u8;
            return is_letter(b) || b.is_ascii_digit();
        }
        let c = c as u32;
        if is_unicode_letter(c) {
            return true;
        }
        if is_unicode_digit(c) {
            if first {
                self.error(format!("identifier cannot begin with digit {}", format_u(c)));
            }
            return true;
        }
        self.error(format!("invalid character {} in identifier", format_u(c)));
        true
    }

    // ------------------------------------------------------------------------------------
    // Numbers

    /// Scans `{ digit | '_' }` in the given base; decimal digits beyond the base are
    /// accepted for bases <= 10, and the first one's offset in the literal is recorded in
    /// `invalid`. Returns bit 0 set if there were digits, bit 1 if there were separators.
    fn digits(&mut self, base: u32, invalid: &mut Option<usize>) -> u8 {
        let mut digsep = 0;
        if base <= 10 {
            let max = b'0' as i32 + base as i32;
            while is_decimal(self.ch) || self.ch == b'_' as i32 {
                if self.ch == b'_' as i32 {
                    digsep |= 2;
                } else {
                    digsep |= 1;
                    if self.ch >= max && invalid.is_none() {
                        *invalid = Some(self.ch_off - self.pos.offset as usize);
                    }
                }
                self.nextch();
            }
        } else {
            while is_hex(self.ch) || self.ch == b'_' as i32 {
                digsep |= if self.ch == b'_' as i32 { 2 } else { 1 };
                self.nextch();
            }
        }
        digsep
    }

    /// Scans a number literal. If `seen_point`, the leading `.` has been consumed.
    fn number(&mut self, seen_point: bool) {
        let mut ok = true;
        let mut kind = LitKind::Int;
        let mut base = 10;
        let mut prefix = 0u8; // 0 (decimal), b'0' (0-octal), b'x', b'o' or b'b'
        let mut digsep = 0u8;
        let mut invalid = None;
        let mut seen_point = seen_point;

        if !seen_point {
            if self.ch == b'0' as i32 {
                self.nextch();
                match lower(self.ch) {
                    0x78 /* x */ => {
                        self.nextch();
                        (base, prefix) = (16, b'x');
                    }
                    0x6F /* o */ => {
                        self.nextch();
                        (base, prefix) = (8, b'o');
                    }
                    0x62 /* b */ => {
                        self.nextch();
                        (base, prefix) = (2, b'b');
                    }
                    _ => {
                        (base, prefix) = (8, b'0');
                        digsep = 1; // leading 0
                    }
                }
            }
            digsep |= self.digits(base, &mut invalid);
            if self.ch == b'.' as i32 {
                if prefix == b'o' || prefix == b'b' {
                    self.error(format!("invalid radix point in {} literal", base_name(base)));
                    ok = false;
                }
                self.nextch();
                seen_point = true;
            }
        }

        if seen_point {
            kind = LitKind::Float;
            digsep |= self.digits(base, &mut invalid);
        }

        if digsep & 1 == 0 && ok {
            self.error(format!("{} literal has no digits", base_name(base)));
            ok = false;
        }

        let e = lower(self.ch);
        if e == b'e' as i32 || e == b'p' as i32 {
            if ok {
                let ch = char::from_u32(self.ch as u32).unwrap_or('?');
                if e == b'e' as i32 && prefix != 0 && prefix != b'0' {
                    self.error(format!("{} exponent requires decimal mantissa", quote_rune(ch as u32)));
                    ok = false;
                } else if e == b'p' as i32 && prefix != b'x' {
                    self.error(format!("{} exponent requires hexadecimal mantissa", quote_rune(ch as u32)));
                    ok = false;
                }
            }
            self.nextch();
            kind = LitKind::Float;
            if self.ch == b'+' as i32 || self.ch == b'-' as i32 {
                self.nextch();
            }
            let mut none = None;
            digsep = self.digits(10, &mut none) | (digsep & 2); // keep the separator bit
            if digsep & 1 == 0 && ok {
                self.error("exponent has no digits");
                ok = false;
            }
        } else if prefix == b'x' && kind == LitKind::Float && ok {
            self.error("hexadecimal mantissa requires a 'p' exponent");
            ok = false;
        }

        if self.ch == b'i' as i32 {
            kind = LitKind::Imag;
            self.nextch();
        }

        self.set_lit(kind, ok);

        if kind == LitKind::Int && ok {
            if let Some(i) = invalid {
                let digit = self.src[self.seg + i];
                self.error_at_token(i, format!("invalid digit {} in {} literal", quote_rune(digit as u32), base_name(base)));
                ok = false;
            }
        }
        if digsep & 2 != 0 && ok {
            if let Some(i) = invalid_sep(&self.src[self.seg..self.ch_off]) {
                self.error_at_token(i, "'_' must separate successive digits");
                ok = false;
            }
        }
        self.bad = !ok;
    }

    /// Sets the current token to a literal of the given kind with the segment as text.
    fn set_lit(&mut self, kind: LitKind, ok: bool) {
        self.nlsemi = true;
        self.tok = Token::Literal(kind);
        self.lit_text = self.segment();
        self.lit_raw = &self.src[self.seg..self.ch_off];
        self.bad = !ok;
        self.kind = kind;
    }

    // ------------------------------------------------------------------------------------
    // Runes and strings

    /// Scans a rune literal; the opening quote has been consumed.
    fn rune(&mut self) {
        let mut ok = true;
        let mut n = 0;
        loop {
            if self.ch == b'\'' as i32 {
                if ok {
                    if n == 0 {
                        self.error("empty rune literal or unescaped '");
                        ok = false;
                    } else if n != 1 {
                        self.error_at_token(0, "more than one character in rune literal");
                        ok = false;
                    }
                }
                self.nextch();
                break;
            }
            if self.ch == b'\\' as i32 {
                self.nextch();
                if !self.escape(b'\'') {
                    ok = false;
                }
                n += 1;
                continue;
            }
            if self.ch == b'\n' as i32 {
                if ok {
                    self.error("newline in rune literal");
                    ok = false;
                }
                break;
            }
            if self.ch < 0 {
                if ok {
                    self.error_at_token(0, "rune literal not terminated");
                    ok = false;
                }
                break;
            }
            self.nextch();
            n += 1;
        }
        self.set_lit(LitKind::Rune, ok);
    }

    /// Scans an interpreted string literal; the opening quote has been consumed.
    fn std_string(&mut self) {
        let mut ok = true;
        loop {
            if self.clean {
                self.skip_plain_string_bytes();
            }
            match self.ch {
                0x22 /* " */ => {
                    self.nextch();
                    break;
                }
                0x5C /* \ */ => {
                    self.nextch();
                    if !self.escape(b'"') {
                        ok = false;
                    }
                    continue;
                }
                0x0A => {
                    self.error("newline in string");
                    ok = false;
                    break;
                }
                EOF => {
                    self.error_at_token(0, "string not terminated");
                    ok = false;
                    break;
                }
                _ => self.nextch(),
            }
        }
        self.set_lit(LitKind::String, ok);
    }

    /// In a clean source, skips string bytes that need no attention (anything but `"`,
    /// `\` and newline), leaving the current character at the next interesting one.
    fn skip_plain_string_bytes(&mut self) {
        let mut i = self.ch_off;
        while i < self.src.len() && !matches!(self.src[i], b'"' | b'\\' | b'\n') {
            i += 1;
        }
        if i > self.ch_off {
            self.jump_to(i);
        }
    }

    /// Scans a raw string literal; the opening back quote has been consumed. Carriage
    /// returns stay in the literal text (they are dropped from the value by the unquoter).
    fn raw_string(&mut self) {
        let mut ok = true;
        loop {
            if self.clean {
                self.skip_raw_bytes();
            }
            if self.ch == b'`' as i32 {
                self.nextch();
                break;
            }
            if self.ch < 0 {
                self.error_at_token(0, "string not terminated");
                ok = false;
                break;
            }
            self.nextch();
        }
        self.set_lit(LitKind::String, ok);
    }

    /// In a clean source, skips raw string bytes up to the next back quote, counting lines.
    fn skip_raw_bytes(&mut self) {
        if self.ch == b'\n' as i32 || self.ch == b'`' as i32 || self.ch < 0 {
            return;
        }
        let mut i = self.ch_off;
        while i < self.src.len() {
            match self.src[i] {
                b'`' => break,
                b'\n' => {
                    self.line += 1;
                    self.line_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        self.jump_to(i);
    }

    /// Scans an escape sequence after the backslash; `quote` is the enclosing quote.
    /// Returns false after reporting an error. At EOF it returns true: the caller reports
    /// the unterminated literal.
    fn escape(&mut self, quote: u8) -> bool {
        let (n, base, max): (u32, u32, u32);
        match self.ch {
            c if c == quote as i32 => {
                self.nextch();
                return true;
            }
            0x61 | 0x62 | 0x66 | 0x6E | 0x72 | 0x74 | 0x76 | 0x5C => {
                // a b f n r t v and backslash
                self.nextch();
                return true;
            }
            0x30..=0x37 => (n, base, max) = (3, 8, 255),
            0x78 /* x */ => {
                self.nextch();
                (n, base, max) = (2, 16, 255);
            }
            0x75 /* u */ => {
                self.nextch();
                (n, base, max) = (4, 16, 0x10FFFF);
            }
            0x55 /* U */ => {
                self.nextch();
                (n, base, max) = (8, 16, 0x10FFFF);
            }
            c => {
                if c < 0 {
                    return true;
                }
                self.error("unknown escape");
                return false;
            }
        }

        let mut x: u32 = 0;
        for _ in 0..n {
            if self.ch < 0 {
                return true;
            }
            let d = digit_value(self.ch).unwrap_or(base);
            if d >= base {
                let msg = format!("invalid character {} in {} escape", quote_rune(self.ch as u32), base_name(base));
                self.error(msg);
                return false;
            }
            x = x.wrapping_mul(base).wrapping_add(d);
            self.nextch();
        }

        if x > max && base == 8 {
            self.error(format!("octal escape value {} > 255", x));
            return false;
        }
        if x > max || (0xD800..0xE000).contains(&x) {
            self.error(format!("escape is invalid Unicode code point {}", format_u(x)));
            return false;
        }
        true
    }

    // ------------------------------------------------------------------------------------
    // Comments

    /// Skips a `//` comment (the opening is consumed), recording it and any directive. The
    /// newline is left in place: it may become a semicolon.
    fn line_comment(&mut self) {
        let start = self.pos.offset as usize;
        if self.clean {
            let i = find_newline(self.src, self.ch_off);
            if i > self.ch_off {
                self.jump_to(i);
            }
        } else {
            while self.ch >= 0 && self.ch != b'\n' as i32 {
                self.nextch();
            }
        }
        let end = self.ch_off;
        self.record_comment(start, end);
        let body = &self.src[start + 2..end];
        if body.starts_with(b"go:") || body.starts_with(b"line ") {
            self.record_directive(start, end);
        }
    }

    /// Skips a `/*` comment (the opening is consumed), recording it and any line directive.
    fn full_comment(&mut self) {
        let start = self.pos.offset as usize;
        let is_line_directive = self.src[self.ch_off..].starts_with(b"line ");
        if !self.skip_comment() {
            return;
        }
        let end = self.ch_off;
        self.record_comment(start, end);
        if is_line_directive {
            self.record_directive(start, end);
        }
    }

    /// Skips to just after the closing `*/`; reports an unterminated comment.
    fn skip_comment(&mut self) -> bool {
        while self.ch >= 0 {
            if self.clean && self.ch != b'*' as i32 {
                self.skip_comment_bytes();
            }
            while self.ch == b'*' as i32 {
                self.nextch();
                if self.ch == b'/' as i32 {
                    self.nextch();
                    return true;
                }
            }
            if self.ch < 0 {
                break;
            }
            self.nextch();
        }
        self.error_at_token(0, "comment not terminated");
        false
    }

    /// In a clean source, skips general comment bytes up to the next `*`, counting lines.
    fn skip_comment_bytes(&mut self) {
        let mut i = self.ch_off;
        if self.ch == b'\n' as i32 {
            self.line += 1;
            self.line_start = self.r;
            i = self.r;
        }
        while i < self.src.len() {
            match self.src[i] {
                b'*' => break,
                b'\n' => {
                    self.line += 1;
                    self.line_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        self.jump_to(i);
    }

    fn record_comment(&mut self, start: usize, end: usize) {
        let pos = self.pos;
        debug_assert_eq!(pos.offset as usize, start);
        self.comments.push(Comment { pos, end: end as u32, end_line: self.line });
    }

    fn record_directive(&mut self, start: usize, end: usize) {
        self.directives.push(RawDirective { pos: self.pos, start: start as u32, end: end as u32, blank: self.blank });
    }
}

// ----------------------------------------------------------------------------------------
// Character classes and formatting helpers

/// Whether `src` contains a NUL byte and whether it contains a non-ASCII byte, found in
/// one pass a word at a time (the test for a zero byte has no false positives).
fn scan_bytes(src: &[u8]) -> (bool, bool) {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let (mut nul, mut high) = (0u64, 0u64);
    let mut chunks = src.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        nul |= w.wrapping_sub(LO) & !w & HI;
        high |= w & HI;
    }
    for &b in chunks.remainder() {
        nul |= (b == 0) as u64;
        high |= (b >= 0x80) as u64;
    }
    (nul != 0, high != 0)
}

/// Whether valid UTF-8 text contains a byte order mark anywhere but at offset 0.
fn has_inner_bom(text: &str) -> bool {
    text.get(1..).is_some_and(|t| t.contains('\u{FEFF}'))
}

/// The end of a plain integer literal at `i` (decimal without a leading 0, `0`, or `0x` with
/// hex digits), or None for anything that needs the general number scanner (other bases,
/// separators, floats, imaginary numbers, errors).
#[inline(always)]
fn simple_int_end(src: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| src.get(k).copied().unwrap_or(0);
    let end = if at(i) == b'0' && at(i + 1) | 0x20 == b'x' {
        let n = src[i + 2..].iter().position(|c| !c.is_ascii_hexdigit()).unwrap_or(src.len() - i - 2);
        if n == 0 {
            return None;
        }
        i + 2 + n
    } else {
        let n = src[i..].iter().position(|c| !c.is_ascii_digit()).unwrap_or(src.len() - i);
        if at(i) == b'0' && n > 1 {
            return None; // octal: the general path checks the digits
        }
        i + n
    };
    let next = at(end);
    if is_ident_byte(next) || next == b'.' || next >= 0x80 {
        return None;
    }
    Some(end)
}

/// The end of an interpreted string literal at `i` whose escapes are all simple ones
/// (`\n`, `\"`, ...), or None for anything else (other escapes, errors).
#[inline(always)]
fn simple_string_end(src: &[u8], i: usize) -> Option<usize> {
    let mut k = i + 1;
    loop {
        k += src.get(k..)?.iter().position(|&c| matches!(c, b'"' | b'\\' | b'\n'))?;
        match src[k] {
            b'"' => return Some(k + 1),
            b'\\' if matches!(src.get(k + 1), Some(b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\' | b'"')) => {
                k += 2;
            }
            _ => return None,
        }
    }
}

/// The offset of the first byte at or after `from` that is not an ASCII letter, digit or
/// underscore (or `src.len()`). Tests eight bytes at a time: the end of an identifier is
/// then found without a mispredicted branch per byte.
#[inline(always)]
fn ident_end(src: &[u8], from: usize) -> usize {
    const L: u64 = 0x0101_0101_0101_0101;
    // Bytes strictly between m and n (all bytes of x below 0x80 count; others never do):
    // exact per byte, as no carry or borrow crosses byte boundaries.
    #[inline(always)]
    fn between(x: u64, m: u64, n: u64) -> u64 {
        let low = x & (L * 127);
        ((L * (127 + n)).wrapping_sub(low) & !x & low.wrapping_add(L * (127 - m))) & (L * 128)
    }
    let mut i = from;
    while i + 8 <= src.len() {
        let c = &src[i..i + 8];
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let ident = between(w | (L * 0x20), 0x60, 0x7B) | between(w, 0x2F, 0x3A) | between(w, 0x5E, 0x60);
        let other = !ident & (L * 128);
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < src.len() && is_ident_byte(src[i]) {
        i += 1;
    }
    i
}

/// The offset of the first newline in `src` at or after `from`, or `src.len()`. Searches a
/// word at a time: comments are a large part of Go source.
fn find_newline(src: &[u8], from: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = LO * b'\n' as u64;
    let tail = &src[from.min(src.len())..];
    let mut chunks = tail.chunks_exact(8);
    let mut base = from;
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let x = w ^ NL;
        let found = x.wrapping_sub(LO) & !x & HI;
        if found != 0 {
            return base + (found.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    base + chunks.remainder().iter().position(|&b| b == b'\n').unwrap_or(chunks.remainder().len())
}

/// `c` with ASCII letters folded to lower case (other values are mangled harmlessly).
fn lower(c: i32) -> i32 {
    (b'a' - b'A') as i32 | c
}

fn is_letter(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// Whether `b` is an ASCII letter, digit or underscore.
#[inline(always)]
fn is_ident_byte(b: u8) -> bool {
    IDENT_BYTE[b as usize]
}

static IDENT_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    t
};

/// The keywords, in the order of gc's token list (for the perfect hash below).
const KEYWORDS: [(&str, Token); 25] = [
    ("break", Token::Break),
    ("case", Token::Case),
    ("chan", Token::Chan),
    ("const", Token::Const),
    ("continue", Token::Continue),
    ("default", Token::Default),
    ("defer", Token::Defer),
    ("else", Token::Else),
    ("fallthrough", Token::Fallthrough),
    ("for", Token::For),
    ("func", Token::Func),
    ("go", Token::Go),
    ("goto", Token::Goto),
    ("if", Token::If),
    ("import", Token::Import),
    ("interface", Token::Interface),
    ("map", Token::Map),
    ("package", Token::Package),
    ("range", Token::Range),
    ("return", Token::Return),
    ("select", Token::Select),
    ("struct", Token::Struct),
    ("switch", Token::Switch),
    ("type", Token::Type),
    ("var", Token::Var),
];

/// gc's perfect hash for keywords (`s` has at least two bytes).
const fn keyword_hash(s: &[u8]) -> usize {
    (((s[0] as usize) << 4) ^ (s[1] as usize)).wrapping_add(s.len()) & 63
}

/// Keyword index + 1 by hash (0: none); checked collision-free at compile time.
static KEYWORD_TABLE: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut i = 0;
    while i < KEYWORDS.len() {
        let h = keyword_hash(KEYWORDS[i].0.as_bytes());
        assert!(t[h] == 0, "imperfect keyword hash");
        t[h] = i as u8 + 1;
        i += 1;
    }
    t
};

/// The keyword token spelled `s`, if any (`s` has at least two bytes).
#[inline(always)]
fn keyword(s: &[u8]) -> Option<Token> {
    let i = KEYWORD_TABLE[keyword_hash(s)];
    if i == 0 {
        return None;
    }
    let (text, tok) = KEYWORDS[i as usize - 1];
    // Compare without a library call: keywords are short.
    let t = text.as_bytes();
    if t.len() == s.len() && t.iter().zip(s).all(|(a, b)| a == b) {
        Some(tok)
    } else {
        None
    }
}

fn is_decimal(c: i32) -> bool {
    (b'0' as i32..=b'9' as i32).contains(&c)
}

fn is_hex(c: i32) -> bool {
    is_decimal(c) || (b'a' as i32..=b'f' as i32).contains(&lower(c))
}

/// The value of a hexadecimal digit character.
fn digit_value(c: i32) -> Option<u32> {
    if is_decimal(c) {
        Some((c - b'0' as i32) as u32)
    } else if (b'a' as i32..=b'f' as i32).contains(&lower(c)) {
        Some((lower(c) - b'a' as i32 + 10) as u32)
    } else {
        None
    }
}

fn base_name(base: u32) -> &'static str {
    match base {
        2 => "binary",
        8 => "octal",
        10 => "decimal",
        _ => "hexadecimal",
    }
}

/// The offset of the first misplaced `_` in a number literal, if any. A `_` must separate
/// two digits (a base prefix counts as a digit).
fn invalid_sep(x: &[u8]) -> Option<usize> {
    let mut x1 = b' '; // prefix character; only 'x' matters
    let mut d = b'.'; // previous character class: '_', '0' (a digit) or '.' (other)
    let mut i = 0;
    if x.len() >= 2 && x[0] == b'0' {
        x1 = x[1] | 0x20;
        if x1 == b'x' || x1 == b'o' || x1 == b'b' {
            d = b'0';
            i = 2;
        }
    }
    while i < x.len() {
        let p = d;
        d = x[i];
        if d == b'_' {
            if p != b'0' {
                return Some(i);
            }
        } else if d.is_ascii_digit() || (x1 == b'x' && d.is_ascii_hexdigit()) {
            d = b'0';
        } else {
            if p == b'_' {
                return Some(i - 1);
            }
            d = b'.';
        }
        i += 1;
    }
    if d == b'_' {
        return Some(x.len() - 1);
    }
    None
}

/// Decodes one UTF-8 sequence as Go's `utf8.DecodeRune` does: invalid or truncated input
/// yields (U+FFFD, 1). `b` must not be empty.
pub fn decode_rune(b: &[u8]) -> (u32, usize) {
    let b0 = b[0] as u32;
    if b0 < 0x80 {
        return (b0, 1);
    }
    let cont = |i: usize| b.get(i).map(|&c| c as u32).filter(|c| c & 0xC0 == 0x80);
    let bad = (0xFFFD, 1);
    match b0 {
        0xC2..=0xDF => match cont(1) {
            Some(c1) => (((b0 & 0x1F) << 6) | (c1 & 0x3F), 2),
            None => bad,
        },
        0xE0..=0xEF => {
            let Some(c1) = cont(1) else { return bad };
            // Reject overlong encodings and surrogates.
            if (b0 == 0xE0 && c1 < 0xA0) || (b0 == 0xED && c1 > 0x9F) {
                return bad;
            }
            let Some(c2) = cont(2) else { return bad };
            (((b0 & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F), 3)
        }
        0xF0..=0xF4 => {
            let Some(c1) = cont(1) else { return bad };
            if (b0 == 0xF0 && c1 < 0x90) || (b0 == 0xF4 && c1 > 0x8F) {
                return bad;
            }
            let (Some(c2), Some(c3)) = (cont(2), cont(3)) else { return bad };
            (((b0 & 0x07) << 18) | ((c1 & 0x3F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F), 4)
        }
        _ => bad,
    }
}

fn in_table(table: &[(u32, u32)], c: u32) -> bool {
    table.binary_search_by(|&(lo, hi)| {
        if hi < c {
            std::cmp::Ordering::Less
        } else if lo > c {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    })
    .is_ok()
}

/// Go's `unicode.IsLetter`.
pub fn is_unicode_letter(c: u32) -> bool {
    if c < 0x80 {
        return (c as u8).is_ascii_alphabetic();
    }
    in_table(&unicode_tables::LETTER, c)
}

/// Go's `unicode.IsDigit`.
pub fn is_unicode_digit(c: u32) -> bool {
    if c < 0x80 {
        return (c as u8).is_ascii_digit();
    }
    in_table(&unicode_tables::DIGIT, c)
}

/// Go's `strconv.IsPrint`.
pub fn is_print(c: u32) -> bool {
    if c < 0x80 {
        return (0x20..0x7F).contains(&c);
    }
    in_table(&unicode_tables::PRINT, c)
}

/// Formats a code point as Go's `%#U` verb: `U+0041 'A'` (the quoted character only if it
/// is printable).
pub fn format_u(c: u32) -> String {
    match char::from_u32(c) {
        Some(ch) if is_print(c) => format!("U+{:04X} '{}'", c, ch),
        _ => format!("U+{:04X}", c),
    }
}

/// Formats a code point as Go's `%q` verb for runes (`strconv.QuoteRune`).
pub fn quote_rune(c: u32) -> String {
    let mut s = String::from("'");
    match c {
        0x27 => s.push_str("\\'"),
        0x5C => s.push_str("\\\\"),
        _ if is_print(c) => s.push(char::from_u32(c).unwrap_or('\u{FFFD}')),
        0x07 => s.push_str("\\a"),
        0x08 => s.push_str("\\b"),
        0x0C => s.push_str("\\f"),
        0x0A => s.push_str("\\n"),
        0x0D => s.push_str("\\r"),
        0x09 => s.push_str("\\t"),
        0x0B => s.push_str("\\v"),
        _ if c < 0x20 || c == 0x7F => s.push_str(&format!("\\x{:02x}", c)),
        _ if c > 0x10FFFF || (0xD800..0xE000).contains(&c) => s.push_str("\\ufffd"),
        _ if c < 0x10000 => s.push_str(&format!("\\u{:04x}", c)),
        _ => s.push_str(&format!("\\U{:08x}", c)),
    }
    s.push('\'');
    s
}

#[cfg(test)]
mod tests;
