//! Interned identifiers: every distinct name gets one [`Symbol`], shared by all files and
//! threads, so later stages compare names by a `u32` and look them up in tables cheaply.
//!
//! Strings are stored once and never freed (a compiler run is short-lived); reading a
//! symbol's text takes no lock. Frequently needed names (the blank identifier, `init`,
//! `main`, the predeclared identifiers) have fixed symbols in [`sym`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, OnceLock};

/// An interned identifier. Two symbols are equal exactly when their texts are equal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(u32);

impl Symbol {
    /// The symbol for `text`, creating it on first use. Names seen before on this thread
    /// are found in a thread-local cache, without taking the global lock.
    pub fn intern(text: &str) -> Symbol {
        let mut cache = NameCache::take();
        let sym = cache.intern(text);
        cache.put_back();
        sym
    }

    fn intern_global(text: &str) -> Symbol {
        if let Some(i) = predefined_index(text) {
            return Symbol(i as u32);
        }
        let mut table = table().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&sym) = table.map.get(text) {
            return sym;
        }
        let index = table.next;
        table.next += 1;
        let stored: &'static str = Box::leak(text.to_owned().into_boxed_str());
        slot(index).set(stored).expect("a symbol slot is written once");
        table.map.insert(stored, Symbol(index));
        Symbol(index)
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

fn predefined_index(text: &str) -> Option<usize> {
    static INDEX: OnceLock<HashMap<&'static str, usize, FxBuild>> = OnceLock::new();
    INDEX.get_or_init(|| PREDEFINED.iter().enumerate().map(|(i, &s)| (s, i)).collect()).get(text).copied()
}

thread_local! {
    static CACHE: std::cell::Cell<Option<NameCache>> = const { std::cell::Cell::new(None) };
}

/// A cache in front of the global symbol table, for one thread: an open-addressing hash
/// table of compact entries (32 hash bits and the symbol), so that it stays small enough
/// for the processor caches. The parser takes the thread's cache for a whole file
/// ([`NameCache::take`]) and returns it afterwards ([`NameCache::put_back`]), so looking up
/// an identifier costs one hash and (usually) one comparison.
pub struct NameCache {
    /// (hash tag, symbol + 1, offset of the text in `text`, length); symbol 0 marks a
    /// free slot.
    entries: Vec<[u32; 4]>,
    /// The texts of the cached names, contiguous, so that checking a hit reads close to
    /// the entry's other recent names rather than a scattered allocation.
    text: Vec<u8>,
    len: usize,
}

impl NameCache {
    /// The current thread's cache (a new one if it is in use or was never made).
    pub fn take() -> NameCache {
        CACHE.with(|c| c.take()).unwrap_or_else(|| NameCache { entries: vec![[0; 4]; 4096], text: Vec::new(), len: 0 })
    }

    /// A cache with no entries and no storage (a placeholder).
    pub fn empty() -> NameCache {
        NameCache { entries: Vec::new(), text: Vec::new(), len: 0 }
    }

    /// Makes this the current thread's cache again.
    pub fn put_back(self) {
        if !self.entries.is_empty() {
            CACHE.with(|c| c.set(Some(self)));
        }
    }

    /// The symbol for `text`.
    #[inline]
    pub fn intern(&mut self, text: &str) -> Symbol {
        let hash = hash_bytes(text.as_bytes());
        let tag = (hash >> 32) as u32;
        let mask = self.entries.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let e = self.entries[i];
            if e[1] == 0 {
                return self.insert(i, hash, text);
            }
            if e[0] == tag && e[3] as usize == text.len() {
                let (off, len) = (e[2] as usize, e[3] as usize);
                if bytes_eq(&self.text[off..off + len], text.as_bytes()) {
                    return Symbol(e[1] - 1);
                }
            }
            i = (i + 1) & mask;
        }
    }

    #[inline(never)]
    fn insert(&mut self, slot: usize, hash: u64, text: &str) -> Symbol {
        let sym = Symbol::intern_global(text);
        let off = self.text.len() as u32;
        self.text.extend_from_slice(text.as_bytes());
        self.entries[slot] = [(hash >> 32) as u32, sym.0 + 1, off, text.len() as u32];
        self.len += 1;
        if self.len * 2 > self.entries.len() {
            self.grow();
        }
        sym
    }

    fn grow(&mut self) {
        let bigger = vec![[0; 4]; self.entries.len() * 2];
        let old = std::mem::replace(&mut self.entries, bigger);
        let mask = self.entries.len() - 1;
        for e in old.into_iter().filter(|e| e[1] != 0) {
            let (off, len) = (e[2] as usize, e[3] as usize);
            let mut i = hash_bytes(&self.text[off..off + len]) as usize & mask;
            while self.entries[i][1] != 0 {
                i = (i + 1) & mask;
            }
            self.entries[i] = e;
        }
    }
}

/// The identifiers of one source file: a small hash table in front of the thread's
/// [`NameCache`] whose entries point into the file's own text, so that the repeated names of
/// a file are found without touching the larger tables (a file has few distinct names).
pub struct FileNames {
    /// (hash, length, source offset, symbol); length 0 marks a free slot.
    entries: Vec<[u32; 4]>,
    len: usize,
}

impl FileNames {
    /// An empty table sized for a source of `src_len` bytes.
    pub fn new(src_len: usize) -> FileNames {
        let n = (src_len / 64).next_power_of_two().clamp(64, 1 << 16);
        FileNames { entries: vec![[0; 4]; n], len: 0 }
    }

    /// The symbol for the identifier `src[offset..offset + len]` (`len` > 0).
    #[inline]
    pub fn intern(&mut self, src: &[u8], offset: usize, len: usize, cache: &mut NameCache) -> Symbol {
        let text = &src[offset..offset + len];
        let hash = hash_bytes(text) as u32;
        let mask = self.entries.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let e = self.entries[i];
            if e[1] == 0 {
                return self.insert(i, hash, src, offset, len, cache);
            }
            if e[0] == hash && e[1] as usize == len && bytes_eq(&src[e[2] as usize..e[2] as usize + len], text) {
                return Symbol(e[3]);
            }
            i = (i + 1) & mask;
        }
    }

    #[inline(never)]
    fn insert(&mut self, slot: usize, hash: u32, src: &[u8], offset: usize, len: usize, cache: &mut NameCache) -> Symbol {
        let text = std::str::from_utf8(&src[offset..offset + len]).unwrap_or("_");
        let sym = cache.intern(text);
        self.entries[slot] = [hash, len as u32, offset as u32, sym.0];
        self.len += 1;
        if self.len * 2 > self.entries.len() {
            let bigger = vec![[0; 4]; self.entries.len() * 2];
            let old = std::mem::replace(&mut self.entries, bigger);
            let mask = self.entries.len() - 1;
            for e in old.into_iter().filter(|e| e[1] != 0) {
                let mut i = e[0] as usize & mask;
                while self.entries[i][1] != 0 {
                    i = (i + 1) & mask;
                }
                self.entries[i] = e;
            }
        }
        sym
    }
}


/// A hash of a byte string: short strings (identifiers) are read with a few overlapping
/// loads instead of byte by byte; longer ones a word at a time.
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
    h.hash
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

struct Table {
    map: HashMap<&'static str, Symbol, FxBuild>,
    next: u32,
}

fn table() -> &'static Mutex<Table> {
    static TABLE: OnceLock<Mutex<Table>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(Table { map: HashMap::default(), next: PREDEFINED.len() as u32 }))
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
