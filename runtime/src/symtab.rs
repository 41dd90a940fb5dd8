//! The reader of the compiler's function table `goclift.functab` (Go's symtab.go): which Go
//! function a pc is in, its name, file and line. The format is written by the compiler's
//! codegen/functab.rs (see its module doc and docs/decisions.md, "The function table").
//!
//! The runtime reaches the table through a weak reference: executables without one (the
//! runtime's C test programs) link, and every lookup then finds nothing.

/// "gft1", the table's first word.
const MAGIC: u32 = u32::from_le_bytes(*b"gft1");
const ENTRY_SIZE: usize = 24;

/// The function has arguments (a traceback prints `(...)` rather than `()`).
pub const FLAG_ARGS: u16 = 1;
/// Tracebacks leave the function out (compiler-made wrappers and the like).
pub const FLAG_HIDDEN: u16 = 2;

/// One function of the table.
#[derive(Clone, Copy)]
pub struct Func {
    /// Address of its first instruction.
    pub entry: usize,
    /// Address just past its code.
    pub end: usize,
    /// FLAG_* bits.
    pub flags: u16,
    table: Table,
    name: u32,
    file: u16,
    pcline: u32,
}

/// A table in memory (an address and what the header says).
#[derive(Clone, Copy)]
struct Table {
    base: *const u8,
    nfunc: usize,
    ftab: usize,
    files: usize,
    names: usize,
    pcline: usize,
    goroot: u32,
}

core::arch::global_asm!(
    ".pushsection .data.rel.ro.goclift_functab_ref,\"aw\"",
    ".balign 8",
    ".globl goclift_functab_ref",
    ".hidden goclift_functab_ref",
    "goclift_functab_ref:",
    ".8byte goclift.functab",
    ".popsection",
    ".weak goclift.functab",
);

unsafe extern "C" {
    /// The address of `goclift.functab`, or null.
    static goclift_functab_ref: *const u8;
}

/// Reads a little-endian u32 at `base + off`.
unsafe fn u32_at(base: *const u8, off: usize) -> u32 {
    u32::from_le_bytes(*(base.add(off) as *const [u8; 4]))
}

/// Reads a uvarint at `*p`, advancing it.
unsafe fn uvarint(p: &mut *const u8) -> u64 {
    let (mut v, mut shift) = (0u64, 0u32);
    loop {
        let b = **p;
        *p = p.add(1);
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 || shift >= 63 {
            return v;
        }
        shift += 7;
    }
}

fn table() -> Option<Table> {
    // SAFETY: the weak reference is either null or the compiler's table.
    unsafe {
        let base = core::ptr::read_volatile(&raw const goclift_functab_ref);
        if base.is_null() || u32_at(base, 0) != MAGIC {
            return None;
        }
        Some(Table {
            base,
            nfunc: u32_at(base, 4) as usize,
            ftab: u32_at(base, 12) as usize,
            files: u32_at(base, 16) as usize,
            names: u32_at(base, 20) as usize,
            pcline: u32_at(base, 24) as usize,
            goroot: u32_at(base, 28),
        })
    }
}

impl Table {
    unsafe fn entry(&self, i: usize) -> Func {
        let e = self.base.add(self.ftab + i * ENTRY_SIZE);
        let entry = *(e as *const usize);
        let size = u32_at(e, 8) as usize;
        Func {
            entry,
            end: entry + size,
            flags: u16::from_le_bytes([*e.add(22), *e.add(23)]),
            table: *self,
            name: u32_at(e, 12),
            file: u16::from_le_bytes([*e.add(20), *e.add(21)]),
            pcline: u32_at(e, 16),
        }
    }

    /// The string at offset `off` of the names blob.
    unsafe fn string(&self, off: u32) -> &'static [u8] {
        let mut p = self.base.add(self.names + off as usize);
        let len = uvarint(&mut p) as usize;
        core::slice::from_raw_parts(p, len)
    }
}

/// The Go function whose code contains `pc`, if any (gc's findfunc). Entries are in address
/// order (the compiler emits them in the order of the code), so this is a binary search.
pub fn find_func(pc: usize) -> Option<Func> {
    let t = table()?;
    // SAFETY: indices stay below nfunc.
    unsafe {
        let (mut lo, mut hi) = (0, t.nfunc);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let f = t.entry(mid);
            if pc < f.entry {
                hi = mid;
            } else if pc >= f.end {
                lo = mid + 1;
            } else {
                return Some(f);
            }
        }
    }
    None
}

/// Whether `pc` is in the compiled Go code: between the first and the last function of the
/// table, which also covers the compiler's code that the table does not list (the wrappers
/// of functions with large frames).
pub fn in_compiled_code(pc: usize) -> bool {
    let Some(t) = table() else { return false };
    if t.nfunc == 0 {
        return false;
    }
    // SAFETY: both indices are below nfunc.
    unsafe { t.entry(0).entry <= pc && pc < t.entry(t.nfunc - 1).end }
}

/// The GOROOT the program was compiled against (where gc's runtime sources are, for the file
/// names of runtime frames), or "" without a table.
pub fn goroot() -> &'static [u8] {
    match table() {
        // SAFETY: the offset comes from the header.
        Some(t) => unsafe { t.string(t.goroot) },
        None => b"",
    }
}

impl Func {
    /// The function's Go name (gc's naming: main.f, main.(*T).M, main.main.func1).
    pub fn name(&self) -> &'static [u8] {
        // SAFETY: the offset comes from the table.
        unsafe { self.table.string(self.name) }
    }

    /// The source file of the function.
    pub fn file(&self) -> &'static [u8] {
        // SAFETY: the index and offsets come from the table.
        unsafe { self.table.string(u32_at(self.table.base, self.table.files + 4 * self.file as usize)) }
    }

    /// The source line of the instruction at `pc`, within the function (gc's funcline).
    pub fn line(&self, pc: usize) -> u32 {
        let target = pc.wrapping_sub(self.entry);
        // SAFETY: the stream covers the function's code (the compiler's encode_lines).
        unsafe {
            let mut p = self.table.base.add(self.table.pcline + self.pcline as usize);
            let mut line = uvarint(&mut p) as i64;
            let size = self.end - self.entry;
            let mut at = 0usize;
            while at < size {
                let z = uvarint(&mut p);
                line += ((z >> 1) as i64) ^ -((z & 1) as i64);
                at += uvarint(&mut p) as usize;
                if target < at {
                    break;
                }
            }
            line as u32
        }
    }
}

/// What `runtime.findfunc` tells Go code about a pc (go/runtime/symtab.go's pcInfo).
#[repr(C)]
pub struct PcInfo {
    name: crate::arch::Pair,
    file: crate::arch::Pair,
    line: isize,
    entry: usize,
}

/// A Go string header for static bytes of the table.
fn go_str(b: &'static [u8]) -> crate::arch::Pair {
    crate::arch::Pair(b.as_ptr() as usize, b.len())
}

/// `runtime.findfunc(pc uintptr, info *pcInfo) bool`: the function containing `pc`, with
/// the line of the instruction at `pc` (gc's findfunc + funcline1).
#[unsafe(export_name = "runtime.findfunc")]
unsafe extern "C" fn findfunc_from_go(pc: usize, info: *mut PcInfo) -> bool {
    let Some(f) = find_func(pc) else { return false };
    *info = PcInfo { name: go_str(f.name()), file: go_str(f.file()), line: f.line(pc) as isize, entry: f.entry };
    true
}

unsafe extern "C" fn callers_from_go(skip: isize, buf: *mut usize, n: isize, gp: *mut crate::runtime2::G) -> isize {
    if n <= 0 {
        return 0;
    }
    let buf = core::slice::from_raw_parts_mut(buf, n as usize);
    crate::traceback::callers(gp, crate::traceback::current_fp(), skip.max(0) as usize, buf) as isize
}

crate::go_entry!(
    /// `runtime.callers(skip int, buf *uintptr, n int) int`: the return addresses of the
    /// calling goroutine's Go frames, the caller of this function being frame 0 (gc's
    /// callers, behind runtime.Callers and runtime.Caller).
    callers_entry = "runtime.callers"(skip: isize, buf: *mut usize, n: isize) -> isize;
    g in "rcx" / "x3" => callers_from_go
);
