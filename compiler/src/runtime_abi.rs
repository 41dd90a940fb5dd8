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
    Complex128Div,
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
    ConcatString2,
    ConcatString3,
    ConcatString4,
    ConcatString5,
    ConcatStrings,
    CmpString,
    MemEqual,
    IntString,
    SliceByteToString,
    StringToSliceByte,
    SliceRuneToString,
    StringToSliceRune,
    DecodeRune,
    CountRunes,
    MakeSlice,
    MakeSlice64,
    MakeSliceCopy,
    GrowSlice,
    SliceCopy,
    TypedSliceCopy,
    UnsafeSlice,
    UnsafeSlice64,
    PanicMakeSliceLen,
    PanicMakeSliceCap,
    PanicUnsafeSliceLen,
    PanicUnsafeSliceNilPtr,
    PanicMem,
    GoPanicString,
    GoPanicIndex,
    GoPanicIndexU,
    GoPanicSliceAlen,
    GoPanicSliceAlenU,
    GoPanicSliceAcap,
    GoPanicSliceAcapU,
    GoPanicSliceB,
    GoPanicSliceBU,
    GoPanicSlice3Alen,
    GoPanicSlice3AlenU,
    GoPanicSlice3Acap,
    GoPanicSlice3AcapU,
    GoPanicSlice3B,
    GoPanicSlice3BU,
    GoPanicSlice3C,
    GoPanicSlice3CU,
    GoPanicSliceConvert,
    MallocGC,
    MallocGCBitmap,
    /// The write barrier of one pointer store (mbarrier.rs).
    GcWriteBarrier,
    /// The write barrier of a bulk copy or clear of pointer-bearing memory.
    GcWbMove,
    MakeMap,
    MakeMapSmall,
    MapAccess1,
    MapAccess2,
    MapAccess1Fat,
    MapAccess2Fat,
    MapAssign,
    MapDelete,
    MapClear,
    MapIterInit,
    MapIterNext,
    MapAccess1Fast32,
    MapAccess2Fast32,
    MapAssignFast32,
    MapDeleteFast32,
    MapAccess1Fast64,
    MapAccess2Fast64,
    MapAssignFast64,
    MapAssignFast64Ptr,
    MapDeleteFast64,
    MapAccess1FastStr,
    MapAccess2FastStr,
    MapAssignFastStr,
    MapDeleteFastStr,
    MemHash,
    MemHash0,
    MemHash8,
    MemHash16,
    MemHash32,
    MemHash64,
    MemHash128,
    StrHash,
    F32Hash,
    F64Hash,
    C64Hash,
    C128Hash,
    InterHash,
    NilInterHash,
    MemEqual0,
    MemEqual8,
    MemEqual16,
    MemEqual32,
    MemEqual64,
    MemEqual128,
    F32Equal,
    F64Equal,
    C64Equal,
    C128Equal,
    StrEqual,
    InterEqual,
    NilInterEqual,
    EfaceEq,
    IfaceEq,
    GetItab,
    AssertE2I,
    AssertE2I2,
    AssertI2I,
    AssertI2I2,
    ConvI2I,
    PanicDottypeE,
    PanicDottypeI,
    PanicNilDottype,
    MakeChan,
    ChanSend1,
    ChanRecv1,
    ChanRecv2,
    CloseChan,
    ChanLen,
    ChanCap,
    SelectGo,
    Block,
    NewProc,
    PreemptPoint,
    // Defer, panic and recover (runtime/src/panic.rs).
    DeferFrame,
    DeferProc,
    /// deferproc with a record the caller provides in its frame (gc's deferprocStack).
    DeferProcStack,
    /// Registers the record of a frame's open-coded defers.
    DeferOpenFrame,
    GoRecover,
    GoPanic,
}

impl RuntimeFn {
    /// Every runtime function, for tables and tests.
    pub const ALL: &'static [RuntimeFn] = &[
        RuntimeFn::PrintLock,
        RuntimeFn::Complex128Div,
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
        RuntimeFn::ConcatString2,
        RuntimeFn::ConcatString3,
        RuntimeFn::ConcatString4,
        RuntimeFn::ConcatString5,
        RuntimeFn::ConcatStrings,
        RuntimeFn::CmpString,
        RuntimeFn::MemEqual,
        RuntimeFn::IntString,
        RuntimeFn::SliceByteToString,
        RuntimeFn::StringToSliceByte,
        RuntimeFn::SliceRuneToString,
        RuntimeFn::StringToSliceRune,
        RuntimeFn::DecodeRune,
        RuntimeFn::CountRunes,
        RuntimeFn::MakeSlice,
        RuntimeFn::MakeSlice64,
        RuntimeFn::MakeSliceCopy,
        RuntimeFn::GrowSlice,
        RuntimeFn::SliceCopy,
        RuntimeFn::TypedSliceCopy,
        RuntimeFn::UnsafeSlice,
        RuntimeFn::UnsafeSlice64,
        RuntimeFn::PanicMakeSliceLen,
        RuntimeFn::PanicMakeSliceCap,
        RuntimeFn::PanicUnsafeSliceLen,
        RuntimeFn::PanicUnsafeSliceNilPtr,
        RuntimeFn::PanicMem,
        RuntimeFn::GoPanicString,
        RuntimeFn::GoPanicIndex,
        RuntimeFn::GoPanicIndexU,
        RuntimeFn::GoPanicSliceAlen,
        RuntimeFn::GoPanicSliceAlenU,
        RuntimeFn::GoPanicSliceAcap,
        RuntimeFn::GoPanicSliceAcapU,
        RuntimeFn::GoPanicSliceB,
        RuntimeFn::GoPanicSliceBU,
        RuntimeFn::GoPanicSlice3Alen,
        RuntimeFn::GoPanicSlice3AlenU,
        RuntimeFn::GoPanicSlice3Acap,
        RuntimeFn::GoPanicSlice3AcapU,
        RuntimeFn::GoPanicSlice3B,
        RuntimeFn::GoPanicSlice3BU,
        RuntimeFn::GoPanicSlice3C,
        RuntimeFn::GoPanicSlice3CU,
        RuntimeFn::GoPanicSliceConvert,
        RuntimeFn::MallocGC,
        RuntimeFn::MallocGCBitmap,
        RuntimeFn::GcWriteBarrier,
        RuntimeFn::GcWbMove,
        RuntimeFn::MakeMap,
        RuntimeFn::MakeMapSmall,
        RuntimeFn::MapAccess1,
        RuntimeFn::MapAccess2,
        RuntimeFn::MapAccess1Fat,
        RuntimeFn::MapAccess2Fat,
        RuntimeFn::MapAssign,
        RuntimeFn::MapDelete,
        RuntimeFn::MapClear,
        RuntimeFn::MapIterInit,
        RuntimeFn::MapIterNext,
        RuntimeFn::MapAccess1Fast32,
        RuntimeFn::MapAccess2Fast32,
        RuntimeFn::MapAssignFast32,
        RuntimeFn::MapDeleteFast32,
        RuntimeFn::MapAccess1Fast64,
        RuntimeFn::MapAccess2Fast64,
        RuntimeFn::MapAssignFast64,
        RuntimeFn::MapAssignFast64Ptr,
        RuntimeFn::MapDeleteFast64,
        RuntimeFn::MapAccess1FastStr,
        RuntimeFn::MapAccess2FastStr,
        RuntimeFn::MapAssignFastStr,
        RuntimeFn::MapDeleteFastStr,
        RuntimeFn::MemHash,
        RuntimeFn::MemHash0,
        RuntimeFn::MemHash8,
        RuntimeFn::MemHash16,
        RuntimeFn::MemHash32,
        RuntimeFn::MemHash64,
        RuntimeFn::MemHash128,
        RuntimeFn::StrHash,
        RuntimeFn::F32Hash,
        RuntimeFn::F64Hash,
        RuntimeFn::C64Hash,
        RuntimeFn::C128Hash,
        RuntimeFn::InterHash,
        RuntimeFn::NilInterHash,
        RuntimeFn::MemEqual0,
        RuntimeFn::MemEqual8,
        RuntimeFn::MemEqual16,
        RuntimeFn::MemEqual32,
        RuntimeFn::MemEqual64,
        RuntimeFn::MemEqual128,
        RuntimeFn::F32Equal,
        RuntimeFn::F64Equal,
        RuntimeFn::C64Equal,
        RuntimeFn::C128Equal,
        RuntimeFn::StrEqual,
        RuntimeFn::InterEqual,
        RuntimeFn::NilInterEqual,
        RuntimeFn::EfaceEq,
        RuntimeFn::IfaceEq,
        RuntimeFn::GetItab,
        RuntimeFn::AssertE2I,
        RuntimeFn::AssertE2I2,
        RuntimeFn::AssertI2I,
        RuntimeFn::AssertI2I2,
        RuntimeFn::ConvI2I,
        RuntimeFn::PanicDottypeE,
        RuntimeFn::PanicDottypeI,
        RuntimeFn::PanicNilDottype,
        RuntimeFn::MakeChan,
        RuntimeFn::ChanSend1,
        RuntimeFn::ChanRecv1,
        RuntimeFn::ChanRecv2,
        RuntimeFn::CloseChan,
        RuntimeFn::ChanLen,
        RuntimeFn::ChanCap,
        RuntimeFn::SelectGo,
        RuntimeFn::Block,
        RuntimeFn::NewProc,
        RuntimeFn::PreemptPoint,
        RuntimeFn::DeferFrame,
        RuntimeFn::DeferProc,
        RuntimeFn::DeferProcStack,
        RuntimeFn::DeferOpenFrame,
        RuntimeFn::GoRecover,
        RuntimeFn::GoPanic,
    ];

    /// The runtime function exported under `symbol`, if any.
    pub fn by_symbol(symbol: &str) -> Option<RuntimeFn> {
        RuntimeFn::ALL.iter().copied().find(|f| f.symbol() == symbol)
    }

    /// The linker symbol the runtime exports for this function.
    pub fn symbol(self) -> &'static str {
        use RuntimeFn::*;
        match self {
            PrintLock => "runtime.printlock",
            Complex128Div => "runtime.complex128div",
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
            ConcatString2 => "runtime.concatstring2",
            ConcatString3 => "runtime.concatstring3",
            ConcatString4 => "runtime.concatstring4",
            ConcatString5 => "runtime.concatstring5",
            ConcatStrings => "runtime.concatstrings",
            CmpString => "runtime.cmpstring",
            MemEqual => "runtime.memequal",
            IntString => "runtime.intstring",
            SliceByteToString => "runtime.slicebytetostring",
            StringToSliceByte => "runtime.stringtoslicebyte",
            SliceRuneToString => "runtime.slicerunetostring",
            StringToSliceRune => "runtime.stringtoslicerune",
            DecodeRune => "runtime.decoderune",
            CountRunes => "runtime.countrunes",
            MakeSlice => "runtime.makeslice",
            MakeSlice64 => "runtime.makeslice64",
            MakeSliceCopy => "runtime.makeslicecopy",
            GrowSlice => "runtime.growslice",
            SliceCopy => "runtime.slicecopy",
            TypedSliceCopy => "runtime.typedslicecopy",
            UnsafeSlice => "runtime.unsafeslice",
            UnsafeSlice64 => "runtime.unsafeslice64",
            PanicMakeSliceLen => "runtime.panicmakeslicelen",
            PanicMakeSliceCap => "runtime.panicmakeslicecap",
            PanicUnsafeSliceLen => "runtime.panicunsafeslicelen",
            PanicUnsafeSliceNilPtr => "runtime.panicunsafeslicenilptr",
            PanicMem => "runtime.panicmem",
            GoPanicString => "goclift.gopanicstring",
            GoPanicIndex => "runtime.goPanicIndex",
            GoPanicIndexU => "runtime.goPanicIndexU",
            GoPanicSliceAlen => "runtime.goPanicSliceAlen",
            GoPanicSliceAlenU => "runtime.goPanicSliceAlenU",
            GoPanicSliceAcap => "runtime.goPanicSliceAcap",
            GoPanicSliceAcapU => "runtime.goPanicSliceAcapU",
            GoPanicSliceB => "runtime.goPanicSliceB",
            GoPanicSliceBU => "runtime.goPanicSliceBU",
            GoPanicSlice3Alen => "runtime.goPanicSlice3Alen",
            GoPanicSlice3AlenU => "runtime.goPanicSlice3AlenU",
            GoPanicSlice3Acap => "runtime.goPanicSlice3Acap",
            GoPanicSlice3AcapU => "runtime.goPanicSlice3AcapU",
            GoPanicSlice3B => "runtime.goPanicSlice3B",
            GoPanicSlice3BU => "runtime.goPanicSlice3BU",
            GoPanicSlice3C => "runtime.goPanicSlice3C",
            GoPanicSlice3CU => "runtime.goPanicSlice3CU",
            GoPanicSliceConvert => "runtime.goPanicSliceConvert",
            MallocGC => "runtime.mallocgc",
            MallocGCBitmap => "goclift.mallocgc_bitmap",
            GcWriteBarrier => "goclift.gcWriteBarrier",
            GcWbMove => "goclift.wbmove",
            MakeMap => "runtime.makemap",
            MakeMapSmall => "runtime.makemap_small",
            MapAccess1 => "runtime.mapaccess1",
            MapAccess2 => "runtime.mapaccess2",
            MapAccess1Fat => "runtime.mapaccess1_fat",
            MapAccess2Fat => "runtime.mapaccess2_fat",
            MapAssign => "runtime.mapassign",
            MapDelete => "runtime.mapdelete",
            MapClear => "runtime.mapclear",
            MapIterInit => "runtime.mapiterinit",
            MapIterNext => "runtime.mapiternext",
            MapAccess1Fast32 => "runtime.mapaccess1_fast32",
            MapAccess2Fast32 => "runtime.mapaccess2_fast32",
            MapAssignFast32 => "runtime.mapassign_fast32",
            MapDeleteFast32 => "runtime.mapdelete_fast32",
            MapAccess1Fast64 => "runtime.mapaccess1_fast64",
            MapAccess2Fast64 => "runtime.mapaccess2_fast64",
            MapAssignFast64 => "runtime.mapassign_fast64",
            MapAssignFast64Ptr => "runtime.mapassign_fast64ptr",
            MapDeleteFast64 => "runtime.mapdelete_fast64",
            MapAccess1FastStr => "runtime.mapaccess1_faststr",
            MapAccess2FastStr => "runtime.mapaccess2_faststr",
            MapAssignFastStr => "runtime.mapassign_faststr",
            MapDeleteFastStr => "runtime.mapdelete_faststr",
            MemHash => "runtime.memhash",
            MemHash0 => "runtime.memhash0",
            MemHash8 => "runtime.memhash8",
            MemHash16 => "runtime.memhash16",
            MemHash32 => "runtime.memhash32",
            MemHash64 => "runtime.memhash64",
            MemHash128 => "runtime.memhash128",
            StrHash => "runtime.strhash",
            F32Hash => "runtime.f32hash",
            F64Hash => "runtime.f64hash",
            C64Hash => "runtime.c64hash",
            C128Hash => "runtime.c128hash",
            InterHash => "runtime.interhash",
            NilInterHash => "runtime.nilinterhash",
            MemEqual0 => "runtime.memequal0",
            MemEqual8 => "runtime.memequal8",
            MemEqual16 => "runtime.memequal16",
            MemEqual32 => "runtime.memequal32",
            MemEqual64 => "runtime.memequal64",
            MemEqual128 => "runtime.memequal128",
            F32Equal => "runtime.f32equal",
            F64Equal => "runtime.f64equal",
            C64Equal => "runtime.c64equal",
            C128Equal => "runtime.c128equal",
            StrEqual => "runtime.strequal",
            InterEqual => "runtime.interequal",
            NilInterEqual => "runtime.nilinterequal",
            EfaceEq => "runtime.efaceeq",
            IfaceEq => "runtime.ifaceeq",
            GetItab => "runtime.getitab",
            AssertE2I => "runtime.assertE2I",
            AssertE2I2 => "runtime.assertE2I2",
            AssertI2I => "runtime.assertI2I",
            AssertI2I2 => "runtime.assertI2I2",
            ConvI2I => "runtime.convI2I",
            PanicDottypeE => "runtime.panicdottypeE",
            PanicDottypeI => "runtime.panicdottypeI",
            PanicNilDottype => "runtime.panicnildottype",
            MakeChan => "runtime.makechan",
            ChanSend1 => "runtime.chansend1",
            ChanRecv1 => "runtime.chanrecv1",
            ChanRecv2 => "runtime.chanrecv2",
            CloseChan => "runtime.closechan",
            ChanLen => "runtime.chanlen",
            ChanCap => "runtime.chancap",
            SelectGo => "runtime.selectgo",
            Block => "runtime.block",
            NewProc => "runtime.newproc",
            PreemptPoint => "goclift.preemptPoint",
            DeferFrame => "goclift.deferframe",
            DeferProc => "goclift.deferproc",
            DeferProcStack => "goclift.deferprocstack",
            DeferOpenFrame => "goclift.deferopenframe",
            GoRecover => "goclift.gorecover",
            GoPanic => "runtime.gopanic",
        }
    }

    /// Parameter kinds, in order (C calling convention of the target).
    pub fn params(self) -> &'static [AbiType] {
        use AbiType::*;
        use RuntimeFn::*;
        match self {
            PrintLock | PrintUnlock | PrintSp | PrintNl | PanicDivide | PanicShift => &[],
            PanicMakeSliceLen
            | PanicMakeSliceCap
            | PanicUnsafeSliceLen
            | PanicUnsafeSliceNilPtr
            | PanicMem => &[],
            PrintString => &[Ptr, Ptr],
            PrintInt | PrintUint | PrintHex => &[I64],
            PrintBool => &[I8],
            PrintFloat => &[F64],
            PrintComplex => &[F64, F64],
            Complex128Div => &[F64, F64, F64, F64],
            PrintPointer => &[Ptr],
            PrintSlice => &[Ptr, Ptr, Ptr],
            ConcatString2 | CmpString | MakeSliceCopy => &[Ptr, Ptr, Ptr, Ptr],
            ConcatString3 | GrowSlice => &[Ptr, Ptr, Ptr, Ptr, Ptr, Ptr],
            ConcatString4 => &[Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr],
            ConcatString5 => &[Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr],
            ConcatStrings | SliceByteToString | SliceRuneToString | CountRunes | GoPanicString => {
                &[Ptr, Ptr]
            }
            MemEqual | StringToSliceByte | StringToSliceRune | DecodeRune | MakeSlice
            | UnsafeSlice => &[Ptr, Ptr, Ptr],
            IntString => &[I64],
            MakeSlice64 => &[Ptr, I64, I64],
            SliceCopy | TypedSliceCopy => &[Ptr, Ptr, Ptr, Ptr, Ptr],
            UnsafeSlice64 => &[Ptr, Ptr, I64],
            GoPanicIndex | GoPanicIndexU | GoPanicSliceAlen | GoPanicSliceAlenU
            | GoPanicSliceAcap | GoPanicSliceAcapU | GoPanicSliceB | GoPanicSliceBU
            | GoPanicSlice3Alen | GoPanicSlice3AlenU | GoPanicSlice3Acap | GoPanicSlice3AcapU
            | GoPanicSlice3B | GoPanicSlice3BU | GoPanicSlice3C | GoPanicSlice3CU
            | GoPanicSliceConvert => &[I64, I64],
            MallocGC => &[I64, Ptr, I8],
            MallocGCBitmap => &[I64, Ptr, I8],
            GcWriteBarrier => &[Ptr, Ptr],
            GcWbMove => &[Ptr, Ptr, I64],
            MakeMap | MapAccess1 | MapAccess2 | MapAssign | MapDelete | MapIterInit | MapAssignFast64Ptr | MemHash | EfaceEq | IfaceEq | AssertE2I2 | AssertI2I2 | PanicDottypeE | PanicDottypeI => &[Ptr, Ptr, Ptr],
            MakeMapSmall => &[],
            MapAccess1Fat | MapAccess2Fat | MapAccess1FastStr | MapAccess2FastStr | MapAssignFastStr | MapDeleteFastStr => &[Ptr, Ptr, Ptr, Ptr],
            MapClear | MemHash0 | MemHash8 | MemHash16 | MemHash32 | MemHash64 | MemHash128 | StrHash | F32Hash | F64Hash | C64Hash | C128Hash | InterHash | NilInterHash | MemEqual0 | MemEqual8 | MemEqual16 | MemEqual32 | MemEqual64 | MemEqual128 | F32Equal | F64Equal | C64Equal | C128Equal | StrEqual | InterEqual | NilInterEqual | AssertE2I | AssertI2I | ConvI2I => &[Ptr, Ptr],
            MapIterNext | PanicNilDottype => &[Ptr],
            MapAccess1Fast32 | MapAccess2Fast32 | MapAssignFast32 | MapDeleteFast32 => &[Ptr, Ptr, I32],
            MapAccess1Fast64 | MapAccess2Fast64 | MapAssignFast64 | MapDeleteFast64 => &[Ptr, Ptr, I64],
            GetItab => &[Ptr, Ptr, Ptr],
            // makechan(elemsize uintptr, size int) *hchan
            MakeChan => &[Ptr, I64],
            // chansend1/chanrecv1/chanrecv2(c *hchan, elem *T); newproc(fn, arg)
            ChanSend1 | ChanRecv1 | ChanRecv2 | NewProc => &[Ptr, Ptr],
            CloseChan | ChanLen | ChanCap => &[Ptr],
            // selectgo(cas0 *scase, order0 *uint16, nsends, nrecvs int, block bool-as-word)
            SelectGo => &[Ptr, Ptr, I64, I64, I64],
            Block | PreemptPoint => &[],
            // (checkpoint word, body code, argument block)
            DeferFrame => &[Ptr, Ptr, Ptr],
            // (checkpoint word of the frame, func value, wrapped)
            DeferProc => &[Ptr, Ptr, I8],
            // (record, checkpoint word of the frame, func value, wrapped)
            DeferProcStack => &[Ptr, Ptr, Ptr, I8],
            DeferOpenFrame => &[Ptr, Ptr, Ptr],
            GoRecover => &[],
            // An interface value: type descriptor, data word.
            GoPanic => &[Ptr, Ptr],
        }
    }

    /// Result kinds. Two results come back in two registers (rax:rdx, x0:x1), as a C
    /// function returning a struct of two words does; a bool result is in the low byte (0/1).
    pub fn results(self) -> &'static [AbiType] {
        use AbiType::*;
        use RuntimeFn::*;
        match self {
            // A string: data pointer and length, in two registers.
            ConcatString2 | ConcatString3 | ConcatString4 | ConcatString5 | ConcatStrings
            | IntString | SliceByteToString | SliceRuneToString => &[Ptr, Ptr],
            CmpString | CountRunes | MakeSlice | MakeSlice64 | MakeSliceCopy | SliceCopy
            | TypedSliceCopy => &[Ptr],
            MemEqual => &[I8],
            MallocGC | MallocGCBitmap => &[Ptr],
            // A complex128 as its two parts, in two float registers.
            Complex128Div => &[F64, F64],
            DecodeRune => &[I32, Ptr],
            MakeMap | MakeMapSmall | MapAccess1 | MapAccess1Fat | MapAssign | MapAccess1Fast32 | MapAssignFast32 | MapAccess1Fast64 | MapAssignFast64 | MapAssignFast64Ptr | MapAccess1FastStr | MapAssignFastStr | MemHash | MemHash0 | MemHash8 | MemHash16 | MemHash32 | MemHash64 | MemHash128 | StrHash | F32Hash | F64Hash | C64Hash | C128Hash | InterHash | NilInterHash | GetItab | AssertE2I | AssertI2I | ConvI2I => &[Ptr],
            MapAccess2 | MapAccess2Fat | MapAccess2Fast32 | MapAccess2Fast64 | MapAccess2FastStr | AssertE2I2 | AssertI2I2 => &[Ptr, Ptr],
            MemEqual0 | MemEqual8 | MemEqual16 | MemEqual32 | MemEqual64 | MemEqual128 | F32Equal | F64Equal | C64Equal | C128Equal | StrEqual | InterEqual | NilInterEqual | EfaceEq | IfaceEq => &[I8],
            MakeChan => &[Ptr],
            ChanRecv2 => &[I8],
            ChanLen | ChanCap => &[I64],
            // The chosen case (-1: default) and whether a receive got a value, as two words.
            SelectGo => &[I64, I64],
            // An interface value (`any`): type descriptor, data word.
            GoRecover => &[Ptr, Ptr],
            _ => &[],
        }
    }

    /// Whether the function never returns (run-time panics).
    pub fn noreturn(self) -> bool {
        use RuntimeFn::*;
        matches!(
            self,
            PanicDivide
                | PanicShift
                | PanicMakeSliceLen
                | PanicMakeSliceCap
                | PanicUnsafeSliceLen
                | PanicUnsafeSliceNilPtr
                | PanicMem
                | GoPanicString
                | GoPanicIndex
                | GoPanicIndexU
                | GoPanicSliceAlen
                | GoPanicSliceAlenU
                | GoPanicSliceAcap
                | GoPanicSliceAcapU
                | GoPanicSliceB
                | GoPanicSliceBU
                | GoPanicSlice3Alen
                | GoPanicSlice3AlenU
                | GoPanicSlice3Acap
                | GoPanicSlice3AcapU
                | GoPanicSlice3B
                | GoPanicSlice3BU
                | GoPanicSlice3C
                | GoPanicSlice3CU
                | GoPanicSliceConvert
                | PanicDottypeE
                | PanicDottypeI
                | PanicNilDottype
                | Block
                | GoPanic
        )
    }
}

/// The symbol of the compiler-generated program entry that the runtime calls after its own
/// initialisation: it runs package initialisation and then main.main.
pub const PROGRAM_ENTRY: &str = "goclift.main";

/// Byte offset of `g.stackguard0`, which every stack check reads (runtime2.rs).
pub const G_STACKGUARD0_OFFSET: i32 = 16;
/// Byte offsets of `g.morestack_fn`, `_argsize` and `_framesize`, written by a failing check.
pub const G_MORESTACK_FN_OFFSET: i32 = 48;
pub const G_MORESTACK_ARGSIZE_OFFSET: i32 = 56;
pub const G_MORESTACK_FRAMESIZE_OFFSET: i32 = 64;
/// Byte offset of `g.closure_ctx`: calls through func values store the closure object there
/// too, for the stubs of functions reflect makes (runtime/src/reflectcall.rs).
pub const G_CLOSURE_CTX_OFFSET: i32 = 128;
/// The stackguard0 value by which the runtime asks a goroutine to yield (stack.rs).
pub const STACK_PREEMPT: i64 = 0xffff_ffff_ffff_fade_u64 as i64;

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
