//! Lexing and parsing of Go source files into the AST.

pub mod pos;
pub mod scanner;
pub mod token;
mod unicode_tables;
