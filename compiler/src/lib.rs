//! goclift: an ahead-of-time compiler for Go 1.19, lowering to Cranelift.
//!
//! The stages run forward: [`syntax`] -> [`types`] -> [`ir`] -> [`codegen`] -> [`link`],
//! driven by [`driver`]. [`target`] and [`runtime_abi`] describe the target machine and the
//! runtime's entry points for every stage; [`diag`] formats diagnostics.

pub mod bodyless;
pub mod codegen;
pub mod diag;
pub mod driver;
pub mod ir;
pub mod link;
pub mod loader;
pub mod runtime_abi;
pub mod syntax;
pub mod target;
pub mod types;
