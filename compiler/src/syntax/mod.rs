//! Lexing and parsing of Go source files into the AST: goclift's equivalent of gc's
//! `cmd/compile/internal/syntax`, with the same tokens, trees, positions and error messages.
//!
//! # Use
//!
//! ```
//! use goclift::syntax::{parse_and_check, ast::DeclKind, pos::FileId};
//!
//! let src = b"package main; func main() { println(\"hello, world\", 42, true, -7) }";
//! let (file, errors, _branches) = parse_and_check(FileId(0), "hello.go", src);
//! assert!(errors.is_empty());
//! for &d in &file[file.decls] {
//!     if let DeclKind::Func { name, .. } = file[d].kind {
//!         assert_eq!(file.name(name).as_str(), "main");
//!     }
//! }
//! ```
//!
//! * [`parse_and_check`] is what the compiler driver wants: the parse plus gc's label and
//!   branch checks (gc's CheckBranches mode). [`parse_file`] parses only;
//!   [`parse_imports`] stops after the imports (for the package loader).
//! * Each [`SyntaxError`] prints as gc does with `{file}:{line}:{col}: {msg}`; use
//!   [`ast::File::resolve`] to apply `//line` directives, and
//!   [`report::gc_error_lines`] for gc's rules (one syntax error per line, sorted, 10-error
//!   limit with "too many errors").
//! * The tree ([`ast`]) lives in arenas inside [`ast::File`]; nodes are addressed by 32-bit
//!   ids, identifiers are interned [`intern::Symbol`]s shared by all files, literals keep
//!   their source text ([`lit`] computes string and rune values).
//! * [`printer`] renders nodes in gc's short form for error messages.
//! * Never panics and never overflows the stack, whatever the input (deep nesting continues
//!   on fresh stacks, see `deep`).

pub mod ast;
pub mod branches;
pub mod directives;
mod deep;
pub mod intern;
pub mod lit;
pub mod parser;
pub mod pos;
pub mod printer;
pub mod report;
pub mod scanner;
pub mod token;
mod unicode_tables;

pub use parser::{parse_and_check, parse_and_check_in, parse_file, parse_imports, SyntaxError};
