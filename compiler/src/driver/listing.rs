//! Printing the -S listing: each function labelled with its Go name, and the Go source line
//! of each group of instructions shown above the group.

use crate::codegen::disasm::FuncListing;
use crate::syntax::pos::SourceMap;
use std::fmt::Write;

/// The listing text for `funcs`, reading source lines from `sources`.
pub fn render(funcs: &[FuncListing], sources: &SourceMap) -> String {
    let mut out = String::new();
    for f in funcs {
        let place = if f.file.is_empty() { "<synthesized>".to_string() } else { format!("{}:{}", f.file, f.line) };
        let _ = writeln!(out, "{} STEXT size={} ({place})", f.symbol, f.size);
        for g in &f.groups {
            if g.line != 0 && !f.file.is_empty() {
                let text = sources.line_text(&f.file, g.line).unwrap_or_default();
                let _ = writeln!(out, "\t{}:{}\t{}", f.file, g.line, text.trim());
            }
            for i in &g.insns {
                let hex: String = i.bytes.iter().map(|b| format!("{b:02x}")).collect();
                let _ = writeln!(out, "\t0x{:04x} {hex:<22}\t{}", i.offset, i.text);
            }
        }
        out.push('\n');
    }
    out
}
