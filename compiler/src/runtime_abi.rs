//! The compiler's side of the runtime ABI: every runtime function generated code calls,
//! with its linker symbol and signature. The runtime's side is the `#[export_name]`s in
//! runtime/src; the test below checks that each symbol listed here is defined by the built
//! runtime staticlib.

/// The machine-level kind of one runtime parameter or result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbiType {
    /// A pointer-sized integer or pointer.
    Ptr,
    I8,
    I32,
    I64,
    F64,
}

/// A runtime function called by generated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuntimeFn {
    PrintLock,
    PrintUnlock,
    PrintString,
    PrintInt,
    PrintUint,
    PrintHex,
    PrintBool,
    PrintFloat,
    PrintComplex,
    PrintPointer,
    PrintSlice,
    PrintSp,
    PrintNl,
    PanicDivide,
    PanicShift,
    MallocGC,
    MemEqual,
    CmpString,
    ConcatStrings,
    IntString,
    SliceByteToString,
    SliceRuneToString,
    StringToSliceByte,
    StringToSliceRune,
    SliceCopy,
    MakeSlice,
    GrowSlice,
    DecodeRune,
    GoPanicIndex,
    GoPanicIndexU,
    GoPanicSliceAlen,
    GoPanicSliceAcap,
    GoPanicSliceB,
    GoPanicSlice3Acap,
    GoPanicSlice3B,
    GoPanicSlice3C,
    GoPanicString,
}

impl RuntimeFn {
    /// Every runtime function, for tables and tests.
    pub const ALL: &'static [RuntimeFn] = &[
        RuntimeFn::PrintLock,
        RuntimeFn::PrintUnlock,
        RuntimeFn::PrintString,
        RuntimeFn::PrintInt,
        RuntimeFn::PrintUint,
        RuntimeFn::PrintHex,
        RuntimeFn::PrintBool,
        RuntimeFn::PrintFloat,
        RuntimeFn::PrintComplex,
        RuntimeFn::PrintPointer,
        RuntimeFn::PrintSlice,
        RuntimeFn::PrintSp,
        RuntimeFn::PrintNl,
        RuntimeFn::PanicDivide,
        RuntimeFn::PanicShift,
        RuntimeFn::MallocGC,
        RuntimeFn::MemEqual,
        RuntimeFn::CmpString,
        RuntimeFn::ConcatStrings,
        RuntimeFn::IntString,
        RuntimeFn::SliceByteToString,
        RuntimeFn::SliceRuneToString,
        RuntimeFn::StringToSliceByte,
        RuntimeFn::StringToSliceRune,
        RuntimeFn::SliceCopy,
        RuntimeFn::MakeSlice,
        RuntimeFn::GrowSlice,
        RuntimeFn::DecodeRune,
        RuntimeFn::GoPanicIndex,
        RuntimeFn::GoPanicIndexU,
        RuntimeFn::GoPanicSliceAlen,
        RuntimeFn::GoPanicSliceAcap,
        RuntimeFn::GoPanicSliceB,
        RuntimeFn::GoPanicSlice3Acap,
        RuntimeFn::GoPanicSlice3B,
        RuntimeFn::GoPanicSlice3C,
        RuntimeFn::GoPanicString,
    ];

    /// The linker symbol the runtime exports for this function.
    pub fn symbol(self) -> &'static str {
        use RuntimeFn::*;
        match self {
            PrintLock => "runtime.printlock",
            PrintUnlock => "runtime.printunlock",
            PrintString => "runtime.printstring",
            PrintInt => "runtime.printint",
            PrintUint => "runtime.printuint",
            PrintHex => "runtime.printhex",
            PrintBool => "runtime.printbool",
            PrintFloat => "runtime.printfloat",
            PrintComplex => "runtime.printcomplex",
            PrintPointer => "runtime.printpointer",
            PrintSlice => "runtime.printslice",
            PrintSp => "runtime.printsp",
            PrintNl => "runtime.printnl",
            PanicDivide => "runtime.panicdivide",
            PanicShift => "runtime.panicshift",
            MallocGC => "runtime.mallocgc",
            MemEqual => "runtime.memequal",
            CmpString => "runtime.cmpstring",
            ConcatStrings => "runtime.concatstrings",
            IntString => "runtime.intstring",
            SliceByteToString => "runtime.slicebytetostring",
            SliceRuneToString => "runtime.slicerunetostring",
            StringToSliceByte => "runtime.stringtoslicebyte",
            StringToSliceRune => "runtime.stringtoslicerune",
            SliceCopy => "runtime.slicecopy",
            MakeSlice => "runtime.makeslice",
            GrowSlice => "runtime.growslice",
            DecodeRune => "runtime.decoderune",
            GoPanicIndex => "runtime.goPanicIndex",
            GoPanicIndexU => "runtime.goPanicIndexU",
            GoPanicSliceAlen => "runtime.goPanicSliceAlen",
            GoPanicSliceAcap => "runtime.goPanicSliceAcap",
            GoPanicSliceB => "runtime.goPanicSliceB",
            GoPanicSlice3Acap => "runtime.goPanicSlice3Acap",
            GoPanicSlice3B => "runtime.goPanicSlice3B",
            GoPanicSlice3C => "runtime.goPanicSlice3C",
            GoPanicString => "goclift.gopanicstring",
        }
    }

    /// Parameter kinds, in order (C calling convention of the target).
    pub fn params(self) -> &'static [AbiType] {
        use AbiType::*;
        use RuntimeFn::*;
        match self {
            PrintLock | PrintUnlock | PrintSp | PrintNl | PanicDivide | PanicShift => &[],
            PrintString => &[Ptr, Ptr],
            PrintInt | PrintUint | PrintHex => &[I64],
            PrintBool => &[I8],
            PrintFloat => &[F64],
            PrintComplex => &[F64, F64],
            PrintPointer => &[Ptr],
            PrintSlice => &[Ptr, Ptr, Ptr],
            MallocGC => &[I64, Ptr, I8],
            MemEqual => &[Ptr, Ptr, I64],
            CmpString => &[Ptr, I64, Ptr, I64],
            ConcatStrings => &[Ptr, I64],
            IntString => &[I64],
            SliceByteToString => &[Ptr, I64],
            SliceRuneToString => &[Ptr, I64],
            StringToSliceByte => &[Ptr, Ptr, I64],
            StringToSliceRune => &[Ptr, Ptr, I64],
            SliceCopy => &[Ptr, I64, Ptr, I64, I64],
            MakeSlice => &[Ptr, I64, I64],
            GrowSlice => &[Ptr, Ptr, Ptr, I64, I64, I64],
            DecodeRune => &[Ptr, I64, I64],
            GoPanicIndex => &[I64, I64],
            GoPanicIndexU => &[I64, I64],
            GoPanicSliceAlen => &[I64, I64],
            GoPanicSliceAcap => &[I64, I64],
            GoPanicSliceB => &[I64, I64],
            GoPanicSlice3Acap => &[I64, I64],
            GoPanicSlice3B => &[I64, I64],
            GoPanicSlice3C => &[I64, I64],
            GoPanicString => &[Ptr, I64],
        }
    }

    /// Result kinds.
    pub fn results(self) -> &'static [AbiType] {
        use AbiType::*;
        use RuntimeFn::*;
        match self {
            MallocGC => &[Ptr],
            MemEqual => &[I8],
            CmpString => &[I64],
            ConcatStrings => &[Ptr, I64],
            IntString => &[Ptr, I64],
            SliceByteToString => &[Ptr, I64],
            SliceRuneToString => &[Ptr, I64],
            SliceCopy => &[I64],
            MakeSlice => &[Ptr],
            DecodeRune => &[I32, I64],
            _ => &[],
        }
    }

    /// Whether the function never returns (run-time panics).
    pub fn noreturn(self) -> bool {
        matches!(self, RuntimeFn::PanicDivide | RuntimeFn::PanicShift | RuntimeFn::GoPanicIndex | RuntimeFn::GoPanicIndexU | RuntimeFn::GoPanicSliceAlen | RuntimeFn::GoPanicSliceAcap | RuntimeFn::GoPanicSliceB | RuntimeFn::GoPanicSlice3Acap | RuntimeFn::GoPanicSlice3B | RuntimeFn::GoPanicSlice3C | RuntimeFn::GoPanicString)
    }
}

/// The symbol of the compiler-generated program entry that the runtime calls after its own
/// initialisation: it runs package initialisation and then main.main.
pub const PROGRAM_ENTRY: &str = "goclift.main";

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    /// Each runtime function the compiler calls is defined (T) in the built staticlib.
    /// Skipped when the runtime has not been built yet (`make build` builds it).
    #[test]
    fn runtime_staticlib_defines_every_symbol() {
        let lib = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/runtime/linux_amd64/libgoclift_runtime.a");
        if !lib.exists() {
            eprintln!("skipped: {} not built", lib.display());
            return;
        }
        let out = Command::new("nm").arg("--defined-only").arg(&lib).output().expect("run nm");
        let text = String::from_utf8_lossy(&out.stdout);
        let defined: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split_whitespace().nth(2))
            .collect();
        for f in RuntimeFn::ALL {
            assert!(defined.contains(&f.symbol()), "runtime does not define {}", f.symbol());
        }
    }
}
