//! goclift: an ahead-of-time compiler for Go 1.19, lowering to Cranelift.
//!
//! The stages run forward: [`syntax`] -> [`types`] -> [`ir`] -> [`codegen`] -> [`link`],
//! driven by [`driver`].

pub mod syntax;
