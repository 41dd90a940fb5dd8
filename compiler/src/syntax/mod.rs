//! Lexing and parsing of Go source files into the AST.
//!
//! Entry point: [`parse_file`]. The [`scanner`] turns bytes into tokens, the [`parser`]
//! builds an [`ast::File`], the [`printer`] turns nodes back into gc's short source form
//! (used in error messages).

pub mod ast;
pub mod branches;
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

pub use parser::{parse_and_check, parse_file, parse_imports, SyntaxError};
