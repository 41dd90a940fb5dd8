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
    /// The symbol for `text`, creating it on first use.
    pub fn intern(text: &str) -> Symbol {
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
