//! The function table `goclift.functab`: for every compiled Go function its code range, its Go
//! name, its source file and a compressed pc -> line table, for tracebacks (and later
//! runtime.Caller, Callers and FuncForPC). The runtime's reader is runtime/src/symtab.rs;
//! docs/decisions.md ("The function table") explains the choices.
//!
//! Layout (little-endian, offsets in bytes from the start of the object):
//!
//! ```text
//! header  u32 magic "gft1" | u32 nfunc | u32 nfile | u32 ftab | u32 files | u32 names
//!         u32 pcline | u32 goroot (offset in names)
//! ftab    nfunc entries, sorted by address (the order of the code in .text):
//!         u64 entry pc (absolute relocation) | u32 code size | u32 name (offset in names)
//!         u32 pcline (offset in pcline) | u16 file (index in files) | u16 flags
//! files   nfile u32 offsets in names
//! names   strings, each a uvarint length and the bytes
//! pcline  per function: uvarint first line, then runs of (zigzag varint line delta,
//!         uvarint byte count) until the code size is covered
//! ```

use super::CodegenCx;
use crate::ir;
use cranelift_codegen::Context;
use cranelift_module::{DataDescription, FuncId, Linkage, Module};
use std::collections::HashMap;

/// The table's symbol (the runtime reaches it through a weak reference).
pub const SYMBOL: &str = "goclift.functab";

/// The header's first word: "gft1".
pub const MAGIC: u32 = u32::from_le_bytes(*b"gft1");

/// Bytes of the header and of one ftab entry.
const HEADER_SIZE: usize = 32;
const ENTRY_SIZE: usize = 24;

/// The function has arguments (tracebacks print `(...)` rather than `()`).
pub const FLAG_ARGS: u16 = 1;
/// Tracebacks leave the function out: compiler-made wrappers, the frame half of a function
/// with defers (its body stands for it), synthesized functions without a source file.
pub const FLAG_HIDDEN: u16 = 2;
/// A function standing for one of gc's runtime functions that runtime.Callers lists but
/// tracebacks leave out: the program entry as runtime.main, and runtime.goexit.
pub const FLAG_RUNTIME: u16 = 4;

/// The symbol of the code that stands for gc's runtime.goexit, the return address at the
/// bottom of every goroutine's stack in gc (never called: runtime.Callers lists it).
pub const GOEXIT_SYMBOL: &str = "goclift.goexit";

/// gc 1.19's source line of runtime.main's call of main.main (runtime/proc.go).
const RUNTIME_MAIN_LINE: u32 = 250;

/// One function's entry while the table is collected.
struct Entry {
    code: FuncId,
    size: u32,
    name: u32,
    pcline: u32,
    file: u16,
    flags: u16,
}

/// The table under construction, filled as functions are compiled.
#[derive(Default)]
pub struct FuncTab {
    entries: Vec<Entry>,
    names: Vec<u8>,
    name_offsets: HashMap<String, u32>,
    files: Vec<u32>,
    file_index: HashMap<String, u16>,
    pcline: Vec<u8>,
}

/// The name a traceback shows for a function symbol: the body of a function with defers
/// (`f·deferbody`) is shown as the function itself.
/// The GOROOT whose runtime sources gc's runtime frames name.
pub fn goroot() -> String {
    crate::loader::find_goroot().map(|p| p.display().to_string()).unwrap_or_else(|_| crate::loader::DEFAULT_GOROOT.to_string())
}

/// Defines `goclift.goexit` (a trap; never called) and records it as runtime.goexit, at gc's
/// position for the target (its first instruction after the entry).
pub fn define_goexit(cx: &mut CodegenCx) -> Result<(), String> {
    use cranelift_codegen::ir::{InstBuilder, TrapCode};
    let sig = cx.module.make_signature();
    let id = cx.module.declare_function(GOEXIT_SYMBOL, Linkage::Export, &sig).map_err(|e| format!("declaring {GOEXIT_SYMBOL}: {e}"))?;
    let mut ctx = cx.module.make_context();
    ctx.func.signature = sig;
    let frontend_config = cx.isa.frontend_config();
    let mut fctx = cranelift_frontend::FunctionBuilderContext::new();
    let mut b = cranelift_frontend::FunctionBuilder::new(&mut ctx.func, &mut fctx);
    let block = b.create_block();
    b.switch_to_block(block);
    b.ins().trap(TrapCode::unwrap_user(1));
    b.seal_all_blocks();
    b.finalize(frontend_config);
    cx.module.define_function(id, &mut ctx).map_err(|e| format!("defining {GOEXIT_SYMBOL}: {e}"))?;
    let size = ctx.compiled_code().map_or(0, |c| c.buffer.data().len() as u32);
    let (file, line) = match cx.isa.triple().architecture {
        target_lexicon::Architecture::Aarch64(_) => ("asm_arm64.s", 1172),
        _ => ("asm_amd64.s", 1594),
    };
    let file = format!("{}/src/runtime/{file}", goroot());
    let mut table = std::mem::take(&mut cx.functab);
    table.add_runtime(id, size, "runtime.goexit", &file, line)?;
    cx.functab = table;
    Ok(())
}

pub fn go_name(symbol: &str) -> &str {
    symbol.strip_suffix("·deferbody").unwrap_or(symbol)
}

/// Whether `f` has arguments a traceback would show (parameters of non-zero size; the
/// closure context is not one).
pub fn has_args(program: &ir::Program, f: &ir::Func) -> bool {
    f.params.iter().any(|p| program.tys.layout(f.locals[p.0 as usize].ty).size > 0)
}

/// A source path as gc records it: absolute (relative ones joined to the working directory)
/// and lexically cleaned, without resolving symbolic links.
pub fn absolute(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        match std::env::current_dir() {
            Ok(d) => format!("{}/{path}", d.display()),
            Err(_) => return path.to_string(),
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

impl FuncTab {
    /// Records `f`, compiled in `ctx` and defined as `code`. `hidden` marks functions that
    /// tracebacks leave out besides wrappers (the frame half of a function with defers).
    pub fn add(&mut self, f: &ir::Func, code: FuncId, ctx: &Context, has_args: bool, hidden: bool) -> Result<(), String> {
        let compiled = ctx.compiled_code().ok_or("internal error: no compiled code for the function table")?;
        let size = compiled.buffer.data().len() as u32;
        let ranges: Vec<(u32, u32, u32)> = compiled
            .buffer
            .get_srclocs_sorted()
            .iter()
            .map(|s| (s.start, s.end, if s.loc.is_default() { 0 } else { s.loc.bits() }))
            .collect();
        if f.symbol == crate::runtime_abi::PROGRAM_ENTRY {
            let file = format!("{}/src/runtime/proc.go", goroot());
            return self.add_runtime(code, size, "runtime.main", &file, RUNTIME_MAIN_LINE);
        }
        let mut flags = 0;
        if has_args {
            flags |= FLAG_ARGS;
        }
        if hidden || f.wrapper || f.file.is_empty() {
            flags |= FLAG_HIDDEN;
        }
        let name = self.name(go_name(&f.symbol));
        let file = self.file(&absolute(&f.file))?;
        let pcline = self.pcline.len() as u32;
        encode_lines(&mut self.pcline, f.line, size, &ranges);
        self.entries.push(Entry { code, size, name, pcline, file, flags });
        Ok(())
    }

    /// Records code standing for gc's runtime function `name` (FLAG_RUNTIME), at gc's source
    /// position for it.
    pub fn add_runtime(&mut self, code: FuncId, size: u32, name: &str, file: &str, line: u32) -> Result<(), String> {
        let name = self.name(name);
        let file = self.file(file)?;
        let pcline = self.pcline.len() as u32;
        encode_lines(&mut self.pcline, line, size, &[]);
        self.entries.push(Entry { code, size, name, pcline, file, flags: FLAG_RUNTIME });
        Ok(())
    }

    fn name(&mut self, s: &str) -> u32 {
        if let Some(&off) = self.name_offsets.get(s) {
            return off;
        }
        let off = self.names.len() as u32;
        put_uvarint(&mut self.names, s.len() as u64);
        self.names.extend_from_slice(s.as_bytes());
        self.name_offsets.insert(s.to_string(), off);
        off
    }

    fn file(&mut self, path: &str) -> Result<u16, String> {
        if let Some(&i) = self.file_index.get(path) {
            return Ok(i);
        }
        let i = u16::try_from(self.files.len()).map_err(|_| "more than 65535 source files in one program".to_string())?;
        let off = self.name(path);
        self.files.push(off);
        self.file_index.insert(path.to_string(), i);
        Ok(i)
    }

    /// Defines `goclift.functab` in the module; `goroot` is the GOROOT whose runtime's file
    /// names tracebacks show for runtime frames (gc's `panic(...)` frame).
    pub fn define(mut self, cx: &mut CodegenCx, goroot: &str) -> Result<(), String> {
        let goroot = self.name(goroot);
        let nfunc = self.entries.len();
        let ftab = HEADER_SIZE;
        let files = ftab + nfunc * ENTRY_SIZE;
        let names = files + 4 * self.files.len();
        let pcline = names + self.names.len();
        let total = pcline + self.pcline.len();
        let mut bytes = Vec::with_capacity(total);
        for word in [MAGIC, nfunc as u32, self.files.len() as u32, ftab as u32, files as u32, names as u32, pcline as u32, goroot] {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        for e in &self.entries {
            bytes.extend_from_slice(&0u64.to_le_bytes());
            bytes.extend_from_slice(&e.size.to_le_bytes());
            bytes.extend_from_slice(&e.name.to_le_bytes());
            bytes.extend_from_slice(&e.pcline.to_le_bytes());
            bytes.extend_from_slice(&e.file.to_le_bytes());
            bytes.extend_from_slice(&e.flags.to_le_bytes());
        }
        for f in &self.files {
            bytes.extend_from_slice(&f.to_le_bytes());
        }
        bytes.extend_from_slice(&self.names);
        bytes.extend_from_slice(&self.pcline);
        debug_assert_eq!(bytes.len(), total);
        let id = cx.module.declare_data(SYMBOL, Linkage::Export, false, false).map_err(|e| format!("declaring {SYMBOL}: {e}"))?;
        let mut desc = DataDescription::new();
        desc.define(bytes.into_boxed_slice());
        desc.set_align(8);
        for (i, e) in self.entries.iter().enumerate() {
            let fref = cx.module.declare_func_in_data(e.code, &mut desc);
            desc.write_function_addr((ftab + i * ENTRY_SIZE) as u32, fref);
        }
        cx.module.define_data(id, &desc).map_err(|e| format!("defining {SYMBOL}: {e}"))
    }
}

/// Appends the pc -> line table of a function of `size` code bytes, declared at `decl_line`,
/// whose instructions Cranelift attributed to lines by `ranges` (start, end, line; line 0 is
/// unknown). Bytes without a known line take the line before them (the declaration's at the
/// start), so every pc has a line.
pub fn encode_lines(out: &mut Vec<u8>, decl_line: u32, size: u32, ranges: &[(u32, u32, u32)]) {
    put_uvarint(out, u64::from(decl_line));
    // Runs of (line, length) covering [0, size).
    let mut runs: Vec<(u32, u32)> = Vec::new();
    let push = |runs: &mut Vec<(u32, u32)>, line: u32, len: u32| {
        if len == 0 {
            return;
        }
        match runs.last_mut() {
            Some(last) if last.0 == line => last.1 += len,
            _ => runs.push((line, len)),
        }
    };
    let mut pc = 0;
    let mut line = decl_line;
    for &(start, end, l) in ranges {
        let (start, end) = (start.max(pc).min(size), end.min(size));
        if start >= end {
            continue;
        }
        push(&mut runs, line, start - pc);
        if l != 0 {
            line = l;
        }
        push(&mut runs, line, end - start);
        pc = end;
    }
    push(&mut runs, line, size - pc);
    let mut prev = decl_line;
    for (line, len) in runs {
        put_varint(out, i64::from(line) - i64::from(prev));
        put_uvarint(out, u64::from(len));
        prev = line;
    }
}

fn put_uvarint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_varint(out: &mut Vec<u8>, v: i64) {
    put_uvarint(out, ((v << 1) ^ (v >> 63)) as u64);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uvarint(b: &[u8], i: &mut usize) -> u64 {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let byte = b[*i];
            *i += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return v;
            }
            shift += 7;
        }
    }

    /// Decodes a table back into (line, length) runs.
    fn decode(b: &[u8], size: u32) -> Vec<(u32, u32)> {
        let mut i = 0;
        let mut line = uvarint(b, &mut i) as i64;
        let (mut pc, mut runs) = (0, Vec::new());
        while pc < size {
            let z = uvarint(b, &mut i);
            line += ((z >> 1) as i64) ^ -((z & 1) as i64);
            let len = uvarint(b, &mut i) as u32;
            runs.push((line as u32, len));
            pc += len;
        }
        assert_eq!(i, b.len());
        runs
    }

    #[test]
    fn lines_cover_the_code_and_fill_gaps() {
        let mut out = Vec::new();
        // Prologue without a line, two statements, a gap, a jump back to an earlier line.
        encode_lines(&mut out, 10, 100, &[(8, 20, 11), (20, 30, 0), (30, 50, 12), (60, 80, 11)]);
        assert_eq!(decode(&out, 100), vec![(10, 8), (11, 22), (12, 30), (11, 40)]);
    }

    #[test]
    fn large_deltas_and_empty_functions() {
        let mut out = Vec::new();
        encode_lines(&mut out, 5, 4000, &[(0, 4000, 100_000)]);
        assert_eq!(decode(&out, 4000), vec![(100_000, 4000)]);
        let mut out = Vec::new();
        encode_lines(&mut out, 7, 0, &[]);
        assert_eq!(decode(&out, 0), vec![]);
    }

    #[test]
    fn paths_are_absolute_and_clean() {
        assert_eq!(absolute("/a/./b/../c.go"), "/a/c.go");
        assert!(absolute("x.go").starts_with('/'));
        assert!(absolute("x.go").ends_with("/x.go"));
        assert_eq!(absolute(""), "");
    }

    #[test]
    fn names_drop_goclift_suffixes() {
        assert_eq!(go_name("main.f·deferbody"), "main.f");
        assert_eq!(go_name("main.(*T).M·deferbody"), "main.(*T).M");
        assert_eq!(go_name("main.main.func1"), "main.main.func1");
    }
}
