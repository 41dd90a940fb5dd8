//! Interned identifiers: every distinct name gets one [`Symbol`], shared by all files and
//! threads, so later stages compare names by a `u32` and look them up in tables cheaply.
//!
//! Strings are stored once and never freed (a compiler run is short-lived). Finding a name
//! that is already interned and reading a symbol's text take no lock: the global table is an
//! open-addressing hash table of atomics whose entries are written once, under a lock, and
//! which grows into a new, larger table (the old ones stay valid, so a reader that raced
//! with a resize at worst misses and retries under the lock). Frequently needed names (the
//! blank identifier, `init`, `main`, the predeclared identifiers) have fixed symbols in
//! [`sym`].

use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// An interned identifier. Two symbols are equal exactly when their texts are equal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(u32);

impl Symbol {
    /// The symbol for `text`, creating it on first use.
    pub fn intern(text: &str) -> Symbol {
        intern_hashed(text, hash_bytes(text.as_bytes()))
    }

    /// The identifier's text.
    #[inline]
    pub fn as_str(self) -> &'static str {
        let i = self.0 as usize;
        if i < PREDEFINED.len() {
            return PREDEFINED[i];
        }
        // Symbols are only made by `intern`, which fills the slot before returning.
        slot(self.0).get().copied().unwrap_or("")
    }

    /// A dense index (symbols are numbered from 0 in creation order), for side tables.
    pub fn index(self) -> u32 {
        self.0
    }

    /// Whether this is the blank identifier `_`.
    pub fn is_blank(self) -> bool {
        self == sym::UNDERSCORE
    }
}

impl std::fmt::Debug for Symbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl std::fmt::Display for Symbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! predefined {
    ($($name:ident = $text:literal,)*) => {
        /// Symbols with fixed numbers for names the compiler refers to directly.
        pub mod sym {
            use super::Symbol;
            predefined!(@consts 0u32, $($name,)*);
        }
        const PREDEFINED: &[&str] = &[$($text,)*];
    };
    (@consts $n:expr, $name:ident, $($rest:ident,)*) => {
        #[allow(missing_docs)]
        pub const $name: Symbol = Symbol($n);
        predefined!(@consts $n + 1u32, $($rest,)*);
    };
    (@consts $n:expr,) => {};
}

predefined! {
    UNDERSCORE = "_",
    INIT = "init",
    MAIN = "main",
    IOTA = "iota",
    NIL = "nil",
    TRUE = "true",
    FALSE = "false",
    // predeclared types
    ANY = "any",
    BOOL = "bool",
    BYTE = "byte",
    COMPARABLE = "comparable",
    COMPLEX64 = "complex64",
    COMPLEX128 = "complex128",
    ERROR = "error",
    FLOAT32 = "float32",
    FLOAT64 = "float64",
    INT = "int",
    INT8 = "int8",
    INT16 = "int16",
    INT32 = "int32",
    INT64 = "int64",
    RUNE = "rune",
    STRING = "string",
    UINT = "uint",
    UINT8 = "uint8",
    UINT16 = "uint16",
    UINT32 = "uint32",
    UINT64 = "uint64",
    UINTPTR = "uintptr",
    // predeclared functions
    APPEND = "append",
    CAP = "cap",
    CLOSE = "close",
    COMPLEX = "complex",
    COPY = "copy",
    DELETE = "delete",
    IMAG = "imag",
    LEN = "len",
    MAKE = "make",
    NEW = "new",
    PANIC = "panic",
    PRINT = "print",
    PRINTLN = "println",
    REAL = "real",
    RECOVER = "recover",
    // package unsafe
    UNSAFE = "unsafe",
    POINTER = "Pointer",
    SIZEOF = "Sizeof",
    ALIGNOF = "Alignof",
    OFFSETOF = "Offsetof",
    ADD = "Add",
    SLICE = "Slice",
    // methods and names with special meaning
    ERROR_METHOD = "Error",
    STRING_METHOD = "String",
    C = "C",
}

/// The symbol for `text` whose [`hash_bytes`] is `hash`.
fn intern_hashed(text: &str, hash: u64) -> Symbol {
    let key = Key::new(text, hash);
    match current().find(&key) {
        Some(sym) => sym,
        None => insert(&key),
    }
}

/// A name being looked up in the global table, prepared for comparing with its entries.
struct Key<'a> {
    text: &'a str,
    hash: u64,
    /// The entry's upper key half: 24 hash bits and the length (capped at 255).
    tag: u32,
    /// The first [`INLINE`] bytes, zero-padded.
    words: [u64; 3],
}

/// Bytes of a name stored in its table entry: longer names are compared with the symbol's
/// text after these match.
const INLINE: usize = 24;

impl Key<'_> {
    fn new(text: &str, hash: u64) -> Key<'_> {
        let b = text.as_bytes();
        let tag = ((hash >> 40) as u32) << 8 | b.len().min(255) as u32;
        Key { text, hash, tag, words: [padded_word(b, 0), padded_word(b, 8), padded_word(b, 16)] }
    }
}

/// One entry of the global table: `key` is 0 for a free slot, else the [`Key::tag`] in the
/// upper half and the symbol + 1 in the lower one. `key` is written last (with release
/// ordering), so a reader that sees it also sees `text`. The alignment keeps an entry in one
/// cache line: a lookup usually touches one line.
#[repr(align(32))]
#[derive(Default)]
struct Entry {
    key: AtomicU64,
    text: [AtomicU64; 3],
}

/// A generation of the global table (a power-of-two number of entries, at most half full).
struct Table {
    entries: Box<[Entry]>,
}

/// Table generations: generation g has `FIRST_TABLE << g` entries. Only the newest is
/// written; older ones are kept for readers that loaded them before the switch.
const GENERATIONS: usize = 24;
const FIRST_TABLE: usize = 1 << 12;
static TABLES: [OnceLock<Table>; GENERATIONS] = [const { OnceLock::new() }; GENERATIONS];
static CURRENT: AtomicUsize = AtomicUsize::new(0);

/// The insertion side of the table, behind a lock.
struct Writer {
    /// Entries in the current table.
    count: usize,
    /// The next symbol number.
    next: u32,
    /// Unused storage for symbol texts.
    rest: Option<&'static mut [u8]>,
}

static WRITER: Mutex<Writer> = Mutex::new(Writer { count: 0, next: 0, rest: None });

/// Bytes of symbol text storage allocated at a time.
const CHUNK: usize = 64 << 10;

/// The current table (created with the predefined names on first use).
#[inline]
fn current() -> &'static Table {
    match TABLES[CURRENT.load(Ordering::Acquire)].get() {
        Some(t) => t,
        None => {
            let mut w = WRITER.lock().unwrap_or_else(|e| e.into_inner());
            writer_table(&mut w)
        }
    }
}

/// The current table, for the writer (who holds the lock).
fn writer_table(w: &mut Writer) -> &'static Table {
    let g = CURRENT.load(Ordering::Acquire);
    if let Some(t) = TABLES[g].get() {
        return t;
    }
    let t = TABLES[0].get_or_init(|| Table::new(FIRST_TABLE));
    for (i, text) in PREDEFINED.iter().enumerate() {
        t.place(&Key::new(text, hash_bytes(text.as_bytes())), i as u32);
    }
    w.count = PREDEFINED.len();
    w.next = PREDEFINED.len() as u32;
    t
}

impl Table {
    fn new(size: usize) -> Table {
        Table { entries: (0..size).map(|_| Entry::default()).collect() }
    }

    /// The symbol of `key` if this table has it.
    #[inline]
    fn find(&self, key: &Key) -> Option<Symbol> {
        let mask = self.entries.len() - 1;
        let mut i = key.hash as usize & mask;
        loop {
            let e = &self.entries[i];
            let k = e.key.load(Ordering::Acquire);
            if k == 0 {
                return None;
            }
            if (k >> 32) as u32 == key.tag
                && e.text[0].load(Ordering::Relaxed) == key.words[0]
                && e.text[1].load(Ordering::Relaxed) == key.words[1]
                && e.text[2].load(Ordering::Relaxed) == key.words[2]
            {
                let sym = Symbol(k as u32 - 1);
                if key.text.len() <= INLINE || sym.as_str() == key.text {
                    return Some(sym);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Enters `key` as symbol `sym` (the writer's lock is held; `key` is not present).
    fn place(&self, key: &Key, sym: u32) {
        let mask = self.entries.len() - 1;
        let mut i = key.hash as usize & mask;
        while self.entries[i].key.load(Ordering::Relaxed) != 0 {
            i = (i + 1) & mask;
        }
        let e = &self.entries[i];
        for (w, &v) in e.text.iter().zip(&key.words) {
            w.store(v, Ordering::Relaxed);
        }
        e.key.store((key.tag as u64) << 32 | (sym as u64 + 1), Ordering::Release);
    }
}

/// Creates the symbol for `key` (or finds it, if another thread just made it).
#[cold]
#[inline(never)]
fn insert(key: &Key) -> Symbol {
    let mut w = WRITER.lock().unwrap_or_else(|e| e.into_inner());
    let mut table = writer_table(&mut w);
    if let Some(sym) = table.find(key) {
        return sym;
    }
    let sym = w.next;
    w.next += 1;
    let stored = w.store(key.text);
    slot(sym).set(stored).expect("a symbol slot is written once");
    if (w.count + 1) * 2 > table.entries.len() {
        table = grow(table);
    }
    table.place(key, sym);
    w.count += 1;
    Symbol(sym)
}

/// Copies the entries of `old` (the current table) into the next generation and makes it
/// current.
fn grow(old: &'static Table) -> &'static Table {
    let g = CURRENT.load(Ordering::Acquire);
    let new = TABLES[g + 1].get_or_init(|| Table::new(old.entries.len() * 2));
    for e in old.entries.iter() {
        let k = e.key.load(Ordering::Relaxed);
        if k != 0 {
            let text = Symbol(k as u32 - 1).as_str();
            new.place(&Key::new(text, hash_bytes(text.as_bytes())), k as u32 - 1);
        }
    }
    CURRENT.store(g + 1, Ordering::Release);
    new
}

impl Writer {
    /// A permanent copy of `text`.
    fn store(&mut self, text: &str) -> &'static str {
        let n = text.len();
        if n > CHUNK / 8 {
            return Box::leak(text.into());
        }
        let rest = match self.rest.take() {
            Some(r) if r.len() >= n => r,
            _ => Box::leak(vec![0u8; CHUNK].into_boxed_slice()),
        };
        let (dst, rest) = rest.split_at_mut(n);
        self.rest = Some(rest);
        dst.copy_from_slice(text.as_bytes());
        let dst: &'static [u8] = dst;
        std::str::from_utf8(dst).unwrap_or("")
    }
}

/// The bytes of `b` from offset `i`, up to eight, as a little-endian word padded with zeros.
#[inline(always)]
fn padded_word(b: &[u8], i: usize) -> u64 {
    let n = b.len().saturating_sub(i);
    if n >= 8 {
        read_u64(&b[i..])
    } else if n >= 4 {
        // Two overlapping loads; the overlap has the same bytes in both.
        read_u32(&b[i..]) | read_u32(&b[i + n - 4..]) << (8 * (n - 4))
    } else if n > 0 {
        b[i] as u64 | (b[i + n / 2] as u64) << (8 * (n / 2)) | (b[i + n - 1] as u64) << (8 * (n - 1))
    } else {
        0
    }
}

thread_local! {
    static FILE_NAMES: std::cell::Cell<Option<FileNames>> = const { std::cell::Cell::new(None) };
}

/// The identifiers of one source file: a small hash table in front of the global one whose
/// entries point into the file's own text, so that the repeated names of a file are found
/// without touching the larger table (a file has few distinct names). Each thread reuses
/// one, cleared between files ([`FileNames::take`], [`FileNames::put_back`]).
///
/// A name's first occurrence in the file gets a *provisional* symbol; [`FileNames::resolve`]
/// looks all new names up in the global table at once and gives the real symbols, which the
/// parser then puts into its tree. Looking names up in a batch lets the processor wait for
/// many of the (mostly uncached) table entries at the same time instead of one by one, which
/// made the global lookup the largest single cost of parsing.
pub struct FileNames {
    /// (hash, length, source offset, symbol); length 0 marks a free slot. Only the first
    /// `mask + 1` are in use for the current file; all others are free.
    entries: Vec<[u32; 4]>,
    mask: usize,
    /// The occupied slots (to clear them for the next file).
    used: Vec<u32>,
    /// The file's distinct names in order of first occurrence: (offset, length, hash).
    /// Provisional symbol k stands for name k.
    names: Vec<(u32, u32, u64)>,
    /// The real symbols of `names[..resolved.len()]`.
    resolved: Vec<Symbol>,
}

/// The bit that marks a provisional symbol (real symbols never get that far).
const PROVISIONAL: u32 = 1 << 31;

impl Symbol {
    /// For a provisional symbol made by [`FileNames::intern`], the index of its name.
    #[inline]
    pub(crate) fn provisional_index(self) -> Option<usize> {
        (self.0 & PROVISIONAL != 0).then_some((self.0 & !PROVISIONAL) as usize)
    }
}

impl FileNames {
    /// The thread's table, empty and sized for a source of `src_len` bytes.
    pub fn take(src_len: usize) -> FileNames {
        let mut t = FILE_NAMES.with(|c| c.take()).unwrap_or_else(FileNames::empty);
        let n = (src_len / 64).next_power_of_two().clamp(64, 1 << 16);
        if t.entries.len() < n {
            t.entries.resize(n, [0; 4]);
        }
        t.mask = n - 1;
        t
    }

    /// A table with no storage (a placeholder).
    pub fn empty() -> FileNames {
        FileNames { entries: Vec::new(), mask: 0, used: Vec::new(), names: Vec::new(), resolved: Vec::new() }
    }

    /// Clears the table and keeps it for the thread's next file.
    pub fn put_back(mut self) {
        for &i in &self.used {
            self.entries[i as usize] = [0; 4];
        }
        self.used.clear();
        self.names.clear();
        self.resolved.clear();
        FILE_NAMES.with(|c| c.set(Some(self)));
    }

    /// The symbol for the identifier `text`, which is `src[offset..offset + text.len()]`
    /// (not empty): provisional (see [`Symbol::provisional_index`]) until the name is
    /// resolved.
    #[inline]
    pub fn intern(&mut self, src: &str, offset: usize, text: &[u8]) -> Symbol {
        let bytes = src.as_bytes();
        let len = text.len();
        let hash = hash_bytes(text);
        let h = hash as u32;
        let mut i = h as usize & self.mask;
        loop {
            let e = self.entries[i];
            if e[1] == 0 {
                return self.insert(i, hash, offset, len);
            }
            if e[0] == h && e[1] as usize == len && bytes_eq(&bytes[e[2] as usize..e[2] as usize + len], text) {
                return Symbol(e[3]);
            }
            i = (i + 1) & self.mask;
        }
    }

    #[inline(never)]
    fn insert(&mut self, slot: usize, hash: u64, offset: usize, len: usize) -> Symbol {
        let sym = Symbol(PROVISIONAL | self.names.len() as u32);
        self.names.push((offset as u32, len as u32, hash));
        self.entries[slot] = [hash as u32, len as u32, offset as u32, sym.0];
        self.used.push(slot as u32);
        if self.used.len() * 2 > self.mask + 1 {
            self.grow();
        }
        sym
    }

    /// Whether some names have provisional symbols only.
    #[inline]
    pub fn unresolved(&self) -> bool {
        self.resolved.len() < self.names.len()
    }

    /// Looks up (or creates) the global symbols of all names seen so far in `src` (the
    /// source given to [`FileNames::intern`]); element k is the symbol of provisional
    /// symbol k.
    pub fn resolve(&mut self, src: &str) -> &[Symbol] {
        let start = self.resolved.len();
        if start == self.names.len() {
            return &self.resolved;
        }
        let table = current();
        // Touch every name's first table slot in a tight loop of independent loads, so that
        // the cache misses overlap; the lookups below then mostly hit the cache.
        let mask = table.entries.len() - 1;
        let mut touched = 0;
        for &(_, _, hash) in &self.names[start..] {
            touched ^= table.entries[hash as usize & mask].key.load(Ordering::Relaxed);
        }
        std::hint::black_box(touched);
        for &(offset, len, hash) in &self.names[start..] {
            let (offset, len) = (offset as usize, len as usize);
            let sym = match src.get(offset..offset + len) {
                Some(text) => intern_hashed(text, hash),
                None => Symbol::intern(&String::from_utf8_lossy(&src.as_bytes()[offset..offset + len])),
            };
            self.resolved.push(sym);
        }
        &self.resolved
    }

    /// Doubles the part of the table in use.
    fn grow(&mut self) {
        let n = (self.mask + 1) * 2;
        if self.entries.len() < n {
            self.entries.resize(n, [0; 4]);
        }
        self.mask = n - 1;
        let old: Vec<[u32; 4]> = self.used.iter().map(|&i| std::mem::take(&mut self.entries[i as usize])).collect();
        self.used.clear();
        for e in old {
            let mut i = e[0] as usize & self.mask;
            while self.entries[i][1] != 0 {
                i = (i + 1) & self.mask;
            }
            self.entries[i] = e;
            self.used.push(i as u32);
        }
    }
}

/// A hash of a byte string: short strings (identifiers) are read with a few overlapping
/// loads instead of byte by byte; longer ones a word at a time. The last step folds the
/// well-mixed upper half into the lower one, which indexes the tables.
#[inline(always)]
fn hash_bytes(b: &[u8]) -> u64 {
    let n = b.len();
    let mut h = FxHasher { hash: n as u64 };
    if n >= 8 {
        let mut rest = b;
        while rest.len() > 8 {
            h.add(read_u64(rest));
            rest = &rest[8..];
        }
        h.add(read_u64(&b[n - 8..]));
    } else if n >= 4 {
        h.add(read_u32(b) << 32 | read_u32(&b[n - 4..]));
    } else if n > 0 {
        h.add((b[0] as u64) << 16 | (b[n / 2] as u64) << 8 | b[n - 1] as u64);
    }
    h.hash ^ h.hash >> 32
}

#[inline(always)]
fn read_u64(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

#[inline(always)]
fn read_u32(b: &[u8]) -> u64 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64
}

/// Byte string equality without a library call (identifiers are short): overlapping
/// loads as in [`hash_bytes`].
#[inline(always)]
fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if read_u64(&a[i..]) != read_u64(&b[i..]) {
                return false;
            }
            i += 8;
        }
        read_u64(&a[n - 8..]) == read_u64(&b[n - 8..])
    } else if n >= 4 {
        read_u32(a) == read_u32(b) && read_u32(&a[n - 4..]) == read_u32(&b[n - 4..])
    } else {
        a == b
    }
}

/// Storage for symbol texts: segment k holds 2^(k+8) slots, so slots never move and can
/// be read without the table lock.
const SEGMENTS: usize = 24;
static STORAGE: [OnceLock<Box<[OnceLock<&'static str>]>>; SEGMENTS] = [const { OnceLock::new() }; SEGMENTS];

fn slot(index: u32) -> &'static OnceLock<&'static str> {
    let j = index as u64 + 256;
    let k = (63 - j.leading_zeros()) as usize - 8;
    let offset = (j - (1u64 << (k + 8))) as usize;
    let segment = STORAGE[k.min(SEGMENTS - 1)].get_or_init(|| (0..1usize << (k + 8)).map(|_| OnceLock::new()).collect());
    &segment[offset]
}

/// The Fx hash (as used in rustc): fast for short keys such as identifiers.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

/// `BuildHasher` for [`FxHasher`].
pub type FxBuild = BuildHasherDefault<FxHasher>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, mut bytes: &[u8]) {
        while bytes.len() >= 8 {
            self.add(u64::from_le_bytes(bytes[..8].try_into().unwrap_or([0; 8])));
            bytes = &bytes[8..];
        }
        if bytes.len() >= 4 {
            self.add(u32::from_le_bytes(bytes[..4].try_into().unwrap_or([0; 4])) as u64);
            bytes = &bytes[4..];
        }
        for &b in bytes {
            self.add(b as u64);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_idempotent() {
        let a = Symbol::intern("someIdentifier");
        let b = Symbol::intern(&String::from("someIdentifier"));
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "someIdentifier");
        assert_ne!(a, Symbol::intern("someOtherIdentifier"));
    }

    #[test]
    fn predefined_symbols_are_fixed() {
        assert_eq!(Symbol::intern("_"), sym::UNDERSCORE);
        assert_eq!(Symbol::intern("println"), sym::PRINTLN);
        assert_eq!(sym::UINTPTR.as_str(), "uintptr");
        assert!(sym::UNDERSCORE.is_blank());
    }

    #[test]
    fn many_symbols_across_segments() {
        let syms: Vec<Symbol> = (0..5000).map(|i| Symbol::intern(&format!("name{i}"))).collect();
        for (i, s) in syms.iter().enumerate() {
            assert_eq!(s.as_str(), format!("name{i}"));
        }
    }

    #[test]
    fn long_and_similar_names_differ() {
        let base = "abcdefghijklmnopqrstuvwxyz0123456789";
        let names: Vec<String> = (1..=base.len())
            .flat_map(|n| [base[..n].to_string(), format!("{}X", &base[..n]), format!("{}\0", &base[..n])])
            .collect();
        let syms: Vec<Symbol> = names.iter().map(|n| Symbol::intern(n)).collect();
        for (i, (n, s)) in names.iter().zip(&syms).enumerate() {
            assert_eq!(s.as_str(), n);
            assert_eq!(Symbol::intern(n), *s);
            assert!(!syms[..i].contains(s), "{n:?} shares a symbol");
        }
        assert_ne!(Symbol::intern(""), Symbol::intern("\0"));
    }

    /// Interns the space-separated words of `text` through a file table, as the parser does.
    fn file_symbols(names: &mut FileNames, text: &str) -> Vec<Symbol> {
        let mut off = 0;
        let mut syms = Vec::new();
        for word in text.split(' ') {
            if !word.is_empty() {
                syms.push(names.intern(text, off, word.as_bytes()));
            }
            off += word.len() + 1;
        }
        let map = names.resolve(text).to_vec();
        syms.iter().map(|s| s.provisional_index().map_or(*s, |k| map[k])).collect()
    }

    #[test]
    fn file_names_agree_with_intern() {
        let text = "alpha beta alpha gamma_delta_epsilon_zeta_eta_theta beta";
        let mut names = FileNames::take(text.len());
        let syms = file_symbols(&mut names, text);
        let want: Vec<Symbol> = text.split(' ').map(Symbol::intern).collect();
        assert_eq!(syms, want);
        assert!(!names.unresolved());
        names.put_back();
        // Many names in a short file: the table grows.
        let many: String = (0..300).map(|i| format!("n{} ", i % 150)).collect();
        let mut names = FileNames::take(0);
        let syms = file_symbols(&mut names, &many);
        let want: Vec<Symbol> = many.split(' ').filter(|w| !w.is_empty()).map(Symbol::intern).collect();
        assert_eq!(syms, want);
        names.put_back();
        // Reused for another file: nothing of the first one is left.
        let mut names = FileNames::take(1 << 20);
        assert_eq!(file_symbols(&mut names, "beta"), vec![Symbol::intern("beta")]);
        names.put_back();
    }

    #[test]
    fn provisional_symbols_are_numbered_by_first_occurrence() {
        let text = "x y x z";
        let mut names = FileNames::take(text.len());
        let got: Vec<Option<usize>> =
            [(0, "x"), (2, "y"), (4, "x"), (6, "z")].iter().map(|&(o, w)| names.intern(text, o, w.as_bytes()).provisional_index()).collect();
        assert_eq!(got, vec![Some(0), Some(1), Some(0), Some(2)]);
        assert!(names.unresolved());
        let map = names.resolve(text).to_vec();
        assert_eq!(map, vec![Symbol::intern("x"), Symbol::intern("y"), Symbol::intern("z")]);
        assert_eq!(Symbol::intern("x").provisional_index(), None);
        names.put_back();
    }

    #[test]
    fn threads_agree() {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| (0..500).map(|i| Symbol::intern(&format!("t{i}"))).collect::<Vec<_>>()))
            .collect();
        let results: Vec<Vec<Symbol>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        for r in &results[1..] {
            assert_eq!(r, &results[0]);
        }
    }
}
