//! Scanner tests. The number and error tables are gc's own scanner test cases
//! (cmd/compile/internal/syntax/scanner_test.go), so positions and messages match gc.

use super::*;

mod tables;
use tables::{NUMBERS, SCAN_ERRORS};

/// Scans all of `src` and returns (token, literal text, line, col) for every token.
fn tokens(src: &str) -> Vec<(Token, String, u32, u32)> {
    let mut s = Scanner::new(src.as_bytes());
    let mut out = Vec::new();
    loop {
        s.next();
        if s.tok == Token::Eof {
            break;
        }
        out.push((s.tok, s.lit().to_string(), s.pos.line, s.pos.col));
        assert!(out.len() < 10_000, "scanner does not make progress");
    }
    assert!(s.errors.is_empty(), "{:?}: unexpected errors {:?}", src, s.errors);
    out
}

/// The token kinds of `src`, with operators spelled out, for compact comparisons.
fn spelled(src: &str) -> Vec<String> {
    let mut s = Scanner::new(src.as_bytes());
    let mut out = Vec::new();
    loop {
        s.next();
        match s.tok {
            Token::Eof => break,
            Token::Name | Token::Literal(_) => out.push(s.lit().to_string()),
            Token::Semi => out.push(format!(";{}", s.lit())),
            Token::Operator | Token::Star => out.push(s.op.as_str().to_string()),
            Token::AssignOp => out.push(format!("{}=", s.op.as_str())),
            Token::IncDec => out.push(format!("{0}{0}", s.op.as_str())),
            t => out.push(t.describe().to_string()),
        }
    }
    out
}

/// The first error when scanning all of `src`.
fn first_error(src: &[u8]) -> Option<(Pos, String)> {
    let mut s = Scanner::new(src);
    let mut n = 0;
    loop {
        s.next();
        n += 1;
        if s.tok == Token::Eof || n > 10_000 {
            break;
        }
    }
    s.errors.into_iter().next()
}

#[test]
fn every_operator_and_delimiter() {
    let src = "+ - * / % & | ^ << >> &^ += -= *= /= %= &= |= ^= <<= >>= &^= && || <- ++ -- == < > = ! ~ != <= >= := ... ( [ { , ; . : ) ] }";
    let want: Vec<&str> = vec![
        "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "&^", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
        "<<=", ">>=", "&^=", "&&", "||", "<-", "++", "--", "==", "<", ">", "=", "!", "~", "!=", "<=", ">=", ":=",
        "...", "(", "[", "{", ",", ";semicolon", ".", ":", ")", "]", "}", ";EOF",
    ];
    assert_eq!(spelled(src), want);
}

#[test]
fn operator_precedences() {
    let mut s = Scanner::new(b"a || b && c == d + e * f");
    let mut precs = Vec::new();
    loop {
        s.next();
        match s.tok {
            Token::Eof => break,
            Token::Operator | Token::Star => precs.push(s.prec),
            _ => {}
        }
    }
    assert_eq!(precs, vec![1, 2, 3, 4, 5]);
}

#[test]
fn all_keywords() {
    let src = "break case chan const continue default defer else fallthrough for func go goto if import \
               interface map package range return select struct switch type var";
    let toks: Vec<Token> = tokens(src).into_iter().map(|t| t.0).collect();
    use Token::*;
    assert_eq!(
        toks,
        vec![
            Break, Case, Chan, Const, Continue, Default, Defer, Else, Fallthrough, For, Func, Go, Goto, If, Import,
            Interface, Map, Package, Range, Return, Select, Struct, Switch, Type, Var
        ]
    );
}

#[test]
fn names_are_not_keywords() {
    assert_eq!(spelled("_ x breaks typ go2 Go"), vec!["_", "x", "breaks", "typ", "go2", "Go", ";EOF"]);
}

#[test]
fn semicolon_insertion() {
    // After names, literals, some keywords, closing delimiters and ++/--: a newline ends the
    // statement; after anything else it does not.
    assert_eq!(spelled("x\ny"), vec!["x", ";newline", "y", ";EOF"]);
    assert_eq!(spelled("1\n'a'\n\"s\"\n`r`\n"), vec!["1", ";newline", "'a'", ";newline", "\"s\"", ";newline", "`r`", ";newline"]);
    assert_eq!(spelled("break\ncontinue\nfallthrough\nreturn\n"), vec!["break", ";newline", "continue", ";newline", "fallthrough", ";newline", "return", ";newline"]);
    assert_eq!(spelled(")\n]\n}\n"), vec![")", ";newline", "]", ";newline", "}", ";newline"]);
    assert_eq!(spelled("i++\nj--\n"), vec!["i", "++", ";newline", "j", "--", ";newline"]);
    assert_eq!(spelled("x +\ny"), vec!["x", "+", "y", ";EOF"]);
    assert_eq!(spelled("func\n(\n{\n,\n"), vec!["func", "(", "{", ","]);
    assert_eq!(spelled("x // comment\ny"), vec!["x", ";newline", "y", ";EOF"]);
    assert_eq!(spelled("x /* one line */ y"), vec!["x", "y", ";EOF"]);
    assert_eq!(spelled("x /* two\nlines */ y"), vec!["x", ";newline", "y", ";EOF"]);
    assert_eq!(spelled("x; y"), vec!["x", ";semicolon", "y", ";EOF"]);
    assert_eq!(spelled("x\r\ny"), vec!["x", ";newline", "y", ";EOF"]);
    assert_eq!(spelled(""), Vec::<String>::new());
}

#[test]
fn semicolon_positions() {
    let toks = tokens("foo // c\nbar /* a\nb */");
    assert_eq!(toks[1], (Token::Semi, "newline".to_string(), 1, 9));
    // A multi-line comment acts like a newline at the comment's position.
    assert_eq!(toks[3], (Token::Semi, "newline".to_string(), 2, 5));
    let toks = tokens("x");
    assert_eq!(toks[1], (Token::Semi, "EOF".to_string(), 1, 2));
}

#[test]
fn positions_are_byte_columns() {
    let toks = tokens("\tπ := \"héllo\" + x\n  y");
    let pos: Vec<(u32, u32)> = toks.iter().map(|t| (t.2, t.3)).collect();
    assert_eq!(pos, vec![(1, 2), (1, 5), (1, 8), (1, 17), (1, 19), (1, 20), (2, 3), (2, 4)]);
}

#[test]
fn leading_bom_is_skipped() {
    let src = "\u{FEFF}package p";
    let toks = tokens(src);
    assert_eq!(toks[0], (Token::Package, "package".to_string(), 1, 4));
    assert_eq!(toks[1].1, "p");
}

#[test]
fn unicode_identifiers() {
    assert_eq!(spelled("ünïcode 日本語 _x9 αβγ"), vec!["ünïcode", "日本語", "_x9", "αβγ", ";EOF"]);
}

#[test]
fn literal_kinds_and_text() {
    let cases: &[(&str, LitKind)] = &[
        ("42", LitKind::Int),
        ("0x_FF", LitKind::Int),
        ("3.14", LitKind::Float),
        ("1e9", LitKind::Float),
        ("0x1p-2", LitKind::Float),
        ("2i", LitKind::Imag),
        ("'x'", LitKind::Rune),
        ("'\\u00e9'", LitKind::Rune),
        ("'\\U0010FFFF'", LitKind::Rune),
        ("'\\377'", LitKind::Rune),
        ("'\\x41'", LitKind::Rune),
        ("'\\''", LitKind::Rune),
        ("\"a\\tb\\\"c\\\\\"", LitKind::String),
        ("\"\\a\\b\\f\\n\\r\\t\\v\"", LitKind::String),
        ("`raw\\n\nstring`", LitKind::String),
        ("`with\r\ncr`", LitKind::String),
    ];
    for &(src, kind) in cases {
        let mut s = Scanner::new(src.as_bytes());
        s.next();
        assert_eq!(s.tok, Token::Literal(kind), "{src}");
        assert_eq!(s.kind, kind, "{src}");
        assert_eq!(s.lit(), src, "{src}");
        assert!(!s.bad, "{src}");
        assert!(s.errors.is_empty(), "{src}: {:?}", s.errors);
    }
}

#[test]
fn raw_string_lines_are_counted() {
    let toks = tokens("`a\nb\nc` x");
    assert_eq!((toks[1].2, toks[1].3), (3, 4));
}

#[test]
fn comment_lines_are_counted() {
    let toks = tokens("/* a\n * b\n */ x\n// y\nz");
    assert_eq!((toks[0].1.as_str(), toks[0].2, toks[0].3), ("x", 3, 5));
    assert_eq!((toks[2].1.as_str(), toks[2].2, toks[2].3), ("z", 5, 1));
}

#[test]
fn gc_number_cases() {
    for &(kind, src, want_tokens, want_err) in NUMBERS {
        let mut s = Scanner::new(src.as_bytes());
        for (i, want) in want_tokens.split(' ').enumerate() {
            let nerr = s.errors.len();
            s.next();
            let err = s.errors.get(nerr).map(|e| e.1.as_str()).unwrap_or("");
            if !err.is_empty() {
                assert!(s.bad, "{src:?}: error but bad not set");
            }
            let lit = match s.tok {
                Token::Name | Token::Literal(_) => s.lit(),
                Token::Dot => ".",
                _ => "",
            };
            if i == 0 {
                assert_eq!(s.tok, Token::Literal(kind), "{src:?}");
                assert_eq!(err, want_err, "{src:?}");
            }
            assert_eq!(lit, want, "{src:?}");
        }
        s.next();
        if s.tok == Token::Semi {
            s.next();
        }
        assert_eq!(s.tok, Token::Eof, "{src:?}");
    }
}

#[test]
fn gc_error_cases() {
    let extra: &[(&[u8], &str, u32, u32)] = &[
        ("\u{00BD}".as_bytes(), "invalid character U+00BD '½' in identifier", 0, 0),
        ("\u{1d736}\u{1d737}\u{1d738}_\u{00BD}".as_bytes(), "invalid character U+00BD '½' in identifier", 0, 13),
        ("\u{1d7d8}".as_bytes(), "identifier cannot begin with digit U+1D7D8 '𝟘'", 0, 0),
        ("foo\u{1d7d8}_\u{00BD}".as_bytes(), "invalid character U+00BD '½' in identifier", 0, 8),
    ];
    for &(src, want, line, col) in SCAN_ERRORS.iter().chain(extra) {
        let Some((pos, msg)) = first_error(src) else {
            panic!("{:?}: no error, want {want:?}", String::from_utf8_lossy(src));
        };
        let shown = String::from_utf8_lossy(src);
        assert_eq!(msg, want, "{shown:?}");
        assert_eq!((pos.line - 1, pos.col - 1), (line, col), "{shown:?}: {msg}");
    }
}

#[test]
fn more_error_messages() {
    let cases: &[(&[u8], &str, u32, u32)] = &[
        (b"x := '\\ud800'", "escape is invalid Unicode code point U+D800", 1, 13),
        (b"x := \"\\U00110000\"", "escape is invalid Unicode code point U+110000", 1, 17),
        (b"x := \"\\q\"", "unknown escape", 1, 8),
        (b"x := '\\x4g'", "invalid character 'g' in hexadecimal escape", 1, 10),
        (b"x := \"\\x4\n\"", "invalid character '\\n' in hexadecimal escape", 1, 10),
        (b"a ? b", "invalid character U+003F '?'", 1, 3),
        (b"a \x01 b", "invalid character U+0001", 1, 3),
        (b"a @", "invalid character U+0040 '@'", 1, 3),
        (b"x\xc2\xa0y", "invalid character U+00A0 in identifier", 1, 2),
        (b"1__2", "'_' must separate successive digits", 1, 3),
        (b"0x_", "hexadecimal literal has no digits", 1, 4),
        (b"\"abc\x00\"", "invalid NUL character", 1, 5),
        (b"\x00package p", "invalid character U+0000", 1, 1),
        (b"// a \xff comment", "invalid UTF-8 encoding", 1, 6),
        (b"/* \xef\xbb\xbf */", "invalid BOM in the middle of the file", 1, 4),
        (b"\"\xed\xa0\x80\"", "invalid UTF-8 encoding", 1, 2),
    ];
    for &(src, want, line, col) in cases {
        let shown = String::from_utf8_lossy(src);
        let Some((pos, msg)) = first_error(src) else { panic!("{shown:?}: no error") };
        assert_eq!((msg.as_str(), pos.line, pos.col), (want, line, col), "{shown:?}");
    }
}

#[test]
fn encoding_errors_skip_the_bad_bytes() {
    let mut s = Scanner::new(b"a\x00b \xff c");
    let mut names = Vec::new();
    loop {
        s.next();
        if s.tok == Token::Eof {
            break;
        }
        if s.tok == Token::Name {
            names.push(s.lit().to_string());
        }
    }
    // The NUL is dropped from the character stream but stays in the name's source text.
    assert_eq!(names, vec!["a\u{0}b", "c"]);
    assert_eq!(s.errors.len(), 2);
}

#[test]
fn bad_literals_are_flagged() {
    for src in ["0x", "09", "'ab'", "\"\\z\"", "1e"] {
        let mut s = Scanner::new(src.as_bytes());
        s.next();
        assert!(matches!(s.tok, Token::Literal(_)), "{src}");
        assert!(s.bad, "{src}");
    }
}

#[test]
fn comments_are_recorded() {
    let src = "// a\npackage p /* b */\n//go:noinline\nfunc f() {} // c\r\n/*line x.go:3*/";
    let mut s = Scanner::new(src.as_bytes());
    while s.tok != Token::Eof || s.comments.is_empty() {
        s.next();
    }
    let texts: Vec<&str> = s.comments.iter().map(|c| std::str::from_utf8(c.text(src.as_bytes())).unwrap()).collect();
    assert_eq!(texts, vec!["// a", "/* b */", "//go:noinline", "// c\r", "/*line x.go:3*/"]);
    assert_eq!((s.comments[1].pos.line, s.comments[1].pos.col), (2, 11));
    let dirs: Vec<(&str, bool)> = s
        .directives
        .iter()
        .map(|d| (std::str::from_utf8(&src.as_bytes()[d.start as usize..d.end as usize]).unwrap(), d.blank))
        .collect();
    assert_eq!(dirs, vec![("//go:noinline", true), ("/*line x.go:3*/", true)]);
}

#[test]
fn directive_blank_flag() {
    let src = "x := 1 //go:noinline\n\t//go:nosplit\n";
    let mut s = Scanner::new(src.as_bytes());
    loop {
        s.next();
        if s.tok == Token::Eof {
            break;
        }
    }
    let blanks: Vec<bool> = s.directives.iter().map(|d| d.blank).collect();
    assert_eq!(blanks, vec![false, true]);
    assert_eq!((s.directives[1].pos.line, s.directives[1].pos.col), (2, 2));
}

#[test]
fn only_go_and_line_comments_are_directives() {
    for (src, is_dir) in [
        ("// line", false),
        ("//line", false),
        ("//line foo", true),
        ("// go:", false),
        ("//go:", true),
        ("//go :foo", false),
        ("//go:build linux", true),
        ("// +build linux", false),
        ("/* line x:1 */", false),
        ("/*line x:1 */", true),
    ] {
        let mut s = Scanner::new(src.as_bytes());
        s.next();
        assert_eq!(s.directives.len() == 1, is_dir, "{src}");
        assert_eq!(s.comments.len(), 1, "{src}");
    }
}

#[test]
fn dots() {
    assert_eq!(spelled("a..b"), vec!["a", ".", ".", "b", ";EOF"]);
    assert_eq!(spelled("x...."), vec!["x", "...", "."]);
    assert_eq!(spelled(".5.x"), vec![".5", ".", "x", ";EOF"]);
}

#[test]
fn formatting_helpers() {
    assert_eq!(format_u(0x41), "U+0041 'A'");
    assert_eq!(format_u(0x7F), "U+007F");
    assert_eq!(format_u(0x200B), "U+200B");
    assert_eq!(format_u(0x1F600), "U+1F600 '😀'");
    assert_eq!(quote_rune('a' as u32), "'a'");
    assert_eq!(quote_rune('\'' as u32), "'\\''");
    assert_eq!(quote_rune('\n' as u32), "'\\n'");
    assert_eq!(quote_rune(0x01), "'\\x01'");
    assert_eq!(quote_rune(0x200B), "'\\u200b'");
    assert_eq!(quote_rune(0xE0001), "'\\U000e0001'");
}

#[test]
fn decode_rune_matches_go() {
    assert_eq!(decode_rune("é".as_bytes()), (0xE9, 2));
    assert_eq!(decode_rune("€".as_bytes()), (0x20AC, 3));
    assert_eq!(decode_rune("😀".as_bytes()), (0x1F600, 4));
    assert_eq!(decode_rune(b"\xC0\x80"), (0xFFFD, 1)); // overlong
    assert_eq!(decode_rune(b"\xED\xA0\x80"), (0xFFFD, 1)); // surrogate
    assert_eq!(decode_rune(b"\xF4\x90\x80\x80"), (0xFFFD, 1)); // > U+10FFFF
    assert_eq!(decode_rune(b"\xE2\x82"), (0xFFFD, 1)); // truncated
    assert_eq!(decode_rune("\u{FFFD}".as_bytes()), (0xFFFD, 3));
}

#[test]
fn unicode_classes() {
    assert!(is_unicode_letter('é' as u32));
    assert!(is_unicode_letter('日' as u32));
    assert!(!is_unicode_letter(0x0301)); // combining acute accent: a mark, not a letter
    assert!(is_unicode_digit(0x0663)); // Arabic-Indic three
    assert!(!is_unicode_digit(0x00BD)); // ½ is No, not Nd
    assert!(!is_print(0x00A0));
    assert!(is_print(0x00BD));
}

#[test]
fn never_stalls_on_garbage() {
    let inputs: &[&[u8]] = &[b"\xff\xfe\x00\x00", b"'", b"\"", b"`", b"/*", b"0x", b"'\\", b"\\", b"\xef\xbb", b"..", b"#!", b".e"];
    for src in inputs {
        let mut s = Scanner::new(src);
        let mut n = 0;
        loop {
            s.next();
            n += 1;
            assert!(n < 100, "{src:?}");
            if s.tok == Token::Eof {
                break;
            }
        }
    }
}

/// Everything observable about one token.
fn token_record(s: &Scanner) -> (Token, Pos, String, LitKind, Operator, u8, bool) {
    let lit = match s.tok {
        Token::Name | Token::Literal(_) | Token::Semi => s.lit().to_string(),
        _ => String::new(),
    };
    let (kind, bad) = match s.tok {
        Token::Literal(_) => (s.kind, s.bad),
        _ => (LitKind::Int, false),
    };
    let (op, prec) = match s.tok {
        Token::Operator | Token::Star | Token::AssignOp | Token::IncDec => (s.op, s.prec),
        _ => (Operator::Add, 0),
    };
    (s.tok, s.pos, lit, kind, op, prec, bad)
}

/// Asserts that the fast and the general scanning paths agree on `src`.
fn assert_paths_agree(name: &str, src: &[u8]) {
    let mut fast = Scanner::new(src);
    let mut general = Scanner::new_general(src);
    loop {
        fast.next();
        general.next();
        assert_eq!(token_record(&fast), token_record(&general), "{name}");
        if fast.tok == Token::Eof {
            break;
        }
    }
    assert_eq!(fast.errors, general.errors, "{name}");
    assert_eq!(fast.comments, general.comments, "{name}");
    assert_eq!(fast.directives, general.directives, "{name}");
}

#[test]
fn fast_and_general_paths_agree() {
    let samples = [
        "package p\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\", 1, 0, 0x1F, 1.5, 'x', `raw`)\n}\n",
        "x := a[i:j] + b<<2 &^ c; y += 3; z--; w <- v; if a && b || !c {}\n",
        "//go:noinline\n\t//go:nosplit\nfunc f() // c\n/* multi\nline */ x\n",
        "var s = \"a\\tb\" + \"\\u00e9\" ... . .5 5. 1e9 007 08 0b1 0o7 1_000 2i\n",
        "ünicode := 1; x·y; 日本 := \"語\"\n",
        "a /* c */ b /* d\n */ c",
        "x\r\ny\r\n",
        "return\n}\n)\n]\nbreak // c\ncontinue /* c */\nfallthrough",
    ];
    for s in samples {
        assert_paths_agree(s, s.as_bytes());
    }
}

/// The fast path and the general path agree on every GOROOT file.
/// Run with `cargo test --release -p goclift scanner_paths -- --ignored`.
#[test]
#[ignore]
fn scanner_paths_agree_on_goroot() {
    fn walk(dir: &std::path::Path, n: &mut usize) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, n);
            } else if p.extension().is_some_and(|x| x == "go") {
                let src = std::fs::read(&p).unwrap();
                assert_paths_agree(&p.to_string_lossy(), &src);
                *n += 1;
            }
        }
    }
    let mut n = 0;
    walk(std::path::Path::new("/usr/lib/go-1.19/src"), &mut n);
    walk(std::path::Path::new("/usr/lib/go-1.19/test"), &mut n);
    assert!(n > 5000);
}

#[test]
fn ident_end_matches_byte_loop() {
    // Every byte value in every position of an 8-byte window, after a few ident bytes.
    for b in 0..=255u8 {
        for k in 0..12 {
            let mut src = b"abcdefghijklmnopq".to_vec();
            src[k] = b;
            let want = src.iter().position(|&c| !is_ident_byte(c)).unwrap_or(src.len());
            assert_eq!(ident_end(&src, 0), want, "byte {b:#x} at {k}");
        }
    }
}
