//! Code generation tests: IR programs built by hand, compiled, linked with the runtime and
//! run on both targets (arm64 under qemu-aarch64); skipped where the runtime or a toolchain
//! is missing.

use super::*;
use crate::ir::build::FuncBuilder;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{BinOp, Callee, Const, LocalId, Operand, Place, Program, Rvalue, TermKind, UnOp};
use crate::link::{find_runtime_lib, link, LinkJob};
use crate::runtime_abi::PROGRAM_ENTRY;
use crate::target::Arch;

/// Compiles, links and runs `program`; returns (stderr, exit code), or None when the
/// runtime or toolchain for `arch` is not available.
fn run(program: &Program, arch: Arch) -> Option<(String, i32)> {
    let target = Target { arch };
    let lib = find_runtime_lib(target).ok()?;
    std::process::Command::new(target.linker().0).arg("--version").output().ok()?;
    let out = compile_program(program, target, Options { listing: true }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("x");
    link(&LinkJob { target, object: &out.object, runtime_lib: &lib, output: &exe, echo: false }).unwrap();
    let mut cmd = match target.emulator() {
        Some(emu) => {
            let mut c = std::process::Command::new(emu);
            c.arg(&exe);
            c
        }
        None => std::process::Command::new(&exe),
    };
    let result = cmd.output().ok()?;
    Some((String::from_utf8_lossy(&result.stderr).into_owned(), result.status.code().unwrap_or(-1)))
}

fn expect(program: &Program, stderr: &str, code: i32) {
    for arch in [Arch::Amd64, Arch::Arm64] {
        match run(program, arch) {
            Some((out, status)) => {
                assert_eq!(without_pc_offsets(&out), stderr, "{arch:?} output");
                assert_eq!(status, code, "{arch:?} exit status");
            }
            None => eprintln!("skipped {arch:?}: runtime or toolchain missing"),
        }
    }
}

/// `out` without the ` +0x…` pc offsets of traceback lines (they differ per target).
fn without_pc_offsets(out: &str) -> String {
    out.lines()
        .map(|l| match l.rsplit_once(" +0x") {
            Some((head, hex)) if l.starts_with('\t') && hex.chars().all(|c| c.is_ascii_hexdigit()) => head.to_string(),
            _ => l.to_string(),
        })
        .map(|l| l + "\n")
        .collect()
}

/// Helpers for writing IR by hand.
struct Tys {
    bool: TyId,
    int: TyId,
    uint: TyId,
    int8: TyId,
    f64: TyId,
}

fn tys(p: &mut Program) -> Tys {
    Tys {
        bool: p.tys.bool(),
        int: p.tys.int(),
        uint: p.tys.intern(Ty::Int { bits: 64, signed: false }),
        int8: p.tys.intern(Ty::Int { bits: 8, signed: true }),
        f64: p.tys.intern(Ty::Float { bits: 64 }),
    }
}

fn int(value: i64, ty: TyId) -> Operand {
    Operand::Const(Const::Int { value, ty })
}

fn local(l: LocalId) -> Operand {
    Operand::local(l)
}

/// println(v) for an int64, uint64, float64 or bool local.
fn println(b: &mut FuncBuilder, f: RuntimeFn, v: Operand) {
    b.call(Callee::Runtime(RuntimeFn::PrintLock), vec![], vec![]);
    b.call(Callee::Runtime(f), vec![v], vec![]);
    b.call(Callee::Runtime(RuntimeFn::PrintNl), vec![], vec![]);
    b.call(Callee::Runtime(RuntimeFn::PrintUnlock), vec![], vec![]);
}

fn entry() -> crate::ir::Func {
    let mut b = FuncBuilder::new(PROGRAM_ENTRY, "", 0, &[], vec![]);
    b.call(Callee::Func("main.main".into()), vec![], vec![]);
    b.finish()
}

/// func fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }
fn fib(t: &Tys) -> crate::ir::Func {
    let mut b = FuncBuilder::new("main.fib", "x.go", 1, &[("n".into(), t.int)], vec![t.int]);
    let n = b.params()[0];
    let small = b.local("", t.bool);
    b.assign_local(small, Rvalue::Binary(BinOp::Lt, local(n), int(2, t.int)));
    let (base, rec) = (b.block(), b.block());
    b.terminate(TermKind::If { cond: local(small), then: base, else_: rec });
    b.switch_to(base);
    b.terminate(TermKind::Return(vec![local(n)]));
    b.switch_to(rec);
    let (a, c, r1, r2, sum) = (b.local("", t.int), b.local("", t.int), b.local("", t.int), b.local("", t.int), b.local("", t.int));
    b.assign_local(a, Rvalue::Binary(BinOp::Sub, local(n), int(1, t.int)));
    b.assign_local(c, Rvalue::Binary(BinOp::Sub, local(n), int(2, t.int)));
    b.call(Callee::Func("main.fib".into()), vec![local(a)], vec![Place::local(r1)]);
    b.call(Callee::Func("main.fib".into()), vec![local(c)], vec![Place::local(r2)]);
    b.assign_local(sum, Rvalue::Binary(BinOp::Add, local(r1), local(r2)));
    b.terminate(TermKind::Return(vec![local(sum)]));
    b.finish()
}

/// func ops(a, b int) (int, int, int, int) { return a / b, a % b, a << 3, a >> 1 }
/// — four results, more than amd64's two return registers.
fn ops(t: &Tys) -> crate::ir::Func {
    let params = [("a".into(), t.int), ("b".into(), t.int)];
    let mut b = FuncBuilder::new("main.ops", "x.go", 2, &params, vec![t.int; 4]);
    let [x, y] = [b.params()[0], b.params()[1]];
    let outs: Vec<LocalId> = (0..4).map(|_| b.local("", t.int)).collect();
    b.assign_local(outs[0], Rvalue::Binary(BinOp::Div, local(x), local(y)));
    b.assign_local(outs[1], Rvalue::Binary(BinOp::Rem, local(x), local(y)));
    b.assign_local(outs[2], Rvalue::Binary(BinOp::Shl, local(x), int(3, t.uint)));
    b.assign_local(outs[3], Rvalue::Binary(BinOp::Shr, local(x), int(1, t.uint)));
    b.terminate(TermKind::Return(outs.iter().map(|&l| local(l)).collect()));
    b.finish()
}

#[test]
fn integer_semantics_calls_and_loops() {
    let mut p = Program::default();
    let t = tys(&mut p);
    let mut b = FuncBuilder::new("main.main", "x.go", 3, &[], vec![]);
    let print_int = |b: &mut FuncBuilder, v: Operand| println(b, RuntimeFn::PrintInt, v);

    // fib(20) by recursion.
    let r = b.local("r", t.int);
    b.call(Callee::Func("main.fib".into()), vec![int(20, t.int)], vec![Place::local(r)]);
    print_int(&mut b, local(r));

    // sum := 0; for i := 1; i <= 100; i++ { sum += i }
    let (sum, i, cond) = (b.local("sum", t.int), b.local("i", t.int), b.local("", p.tys.bool()));
    b.assign_local(i, Rvalue::Use(int(1, t.int)));
    let (head, body, done) = (b.block(), b.block(), b.block());
    b.terminate(TermKind::Goto(head));
    b.switch_to(head);
    b.assign_local(cond, Rvalue::Binary(BinOp::Le, local(i), int(100, t.int)));
    b.terminate(TermKind::If { cond: local(cond), then: body, else_: done });
    b.switch_to(body);
    b.assign_local(sum, Rvalue::Binary(BinOp::Add, local(sum), local(i)));
    b.assign_local(i, Rvalue::Binary(BinOp::Add, local(i), int(1, t.int)));
    b.terminate(TermKind::Goto(head));
    b.switch_to(done);
    print_int(&mut b, local(sum));

    // Four results: -7/2, -7%2, -7<<3, -7>>1.
    let outs: Vec<LocalId> = (0..4).map(|_| b.local("", t.int)).collect();
    b.call(Callee::Func("main.ops".into()), vec![int(-7, t.int), int(2, t.int)], outs.iter().map(|&o| Place::local(o)).collect());
    for &o in &outs {
        print_int(&mut b, local(o));
    }

    // int8 wrap-around: int8(127) + 1 == -128.
    let (w, w64) = (b.local("", t.int8), b.local("", t.int));
    b.assign_local(w, Rvalue::Binary(BinOp::Add, int(127, t.int8), int(1, t.int8)));
    b.assign_local(w64, Rvalue::Convert(local(w), t.int));
    print_int(&mut b, local(w64));

    // Shifts by at least the width, and MinInt64 / -1.
    let (s1, s2, s3, m) = (b.local("", t.int), b.local("", t.int), b.local("", t.int), b.local("", t.int));
    let seventy = b.local("n", t.int);
    b.assign_local(seventy, Rvalue::Use(int(70, t.int)));
    b.assign_local(s1, Rvalue::Binary(BinOp::Shl, int(1, t.int), local(seventy)));
    b.assign_local(s2, Rvalue::Binary(BinOp::Shr, int(-8, t.int), local(seventy)));
    b.assign_local(s3, Rvalue::Binary(BinOp::Shr, int(-8, t.int), int(1, t.int)));
    let (minus_one, min) = (b.local("", t.int), b.local("", t.int));
    b.assign_local(minus_one, Rvalue::Use(int(-1, t.int)));
    b.assign_local(min, Rvalue::Use(int(i64::MIN, t.int)));
    b.assign_local(m, Rvalue::Binary(BinOp::Div, local(min), local(minus_one)));
    for v in [s1, s2, s3, m] {
        print_int(&mut b, local(v));
    }

    // Unsigned: ^uint64(0) / 3, printed with printuint; bitwise and-not; complement.
    let (u, an, cpl) = (b.local("", t.uint), b.local("", t.int), b.local("", t.int));
    b.assign_local(u, Rvalue::Binary(BinOp::Div, int(-1, t.uint), int(3, t.uint)));
    println(&mut b, RuntimeFn::PrintUint, local(u));
    b.assign_local(an, Rvalue::Binary(BinOp::AndNot, int(0b1111, t.int), int(0b0101, t.int)));
    b.assign_local(cpl, Rvalue::Unary(UnOp::Complement, int(5, t.int)));
    print_int(&mut b, local(an));
    print_int(&mut b, local(cpl));

    // Floats: 1.5 * 2.5, float64 -> int truncation of 3.9, int -> float64, comparison.
    let (f, fi, fl, lt) = (b.local("", t.f64), b.local("", t.int), b.local("", t.f64), b.local("", p.tys.bool()));
    b.assign_local(f, Rvalue::Binary(BinOp::Mul, Operand::Const(Const::Float { value: 1.5, ty: t.f64 }), Operand::Const(Const::Float { value: 2.5, ty: t.f64 })));
    println(&mut b, RuntimeFn::PrintFloat, local(f));
    b.assign_local(fi, Rvalue::Convert(Operand::Const(Const::Float { value: 3.9, ty: t.f64 }), t.int));
    print_int(&mut b, local(fi));
    b.assign_local(fl, Rvalue::Convert(int(-7, t.int), t.f64));
    println(&mut b, RuntimeFn::PrintFloat, local(fl));
    b.assign_local(lt, Rvalue::Binary(BinOp::Lt, local(fl), local(f)));
    println(&mut b, RuntimeFn::PrintBool, local(lt));

    p.funcs = vec![b.finish(), fib(&t), ops(&t), entry()];
    let expected = "6765\n5050\n-3\n-1\n-56\n-4\n-128\n0\n-1\n-4\n-9223372036854775808\n\
                    6148914691236517205\n10\n-6\n+3.750000e+000\n3\n-7.000000e+000\ntrue\n";
    expect(&p, expected, 0);
}

#[test]
fn division_by_zero_panics_with_exit_status_2() {
    let mut p = Program::default();
    let t = tys(&mut p);
    let mut b = FuncBuilder::new("main.main", "/src/x.go", 3, &[], vec![]);
    let (zero, q) = (b.local("z", t.int), b.local("q", t.int));
    b.assign_local(q, Rvalue::Binary(BinOp::Div, int(1, t.int), local(zero)));
    println(&mut b, RuntimeFn::PrintInt, local(q));
    p.funcs = vec![b.finish(), entry()];
    expect(&p, "panic: runtime error: integer divide by zero\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/x.go:3\n", 2);
}

#[test]
fn negative_shift_count_panics() {
    let mut p = Program::default();
    let t = tys(&mut p);
    let mut b = FuncBuilder::new("main.main", "/src/x.go", 3, &[], vec![]);
    let (n, r) = (b.local("n", t.int), b.local("r", t.int));
    b.assign_local(n, Rvalue::Use(int(-1, t.int)));
    b.assign_local(r, Rvalue::Binary(BinOp::Shl, int(1, t.int), local(n)));
    println(&mut b, RuntimeFn::PrintInt, local(r));
    p.funcs = vec![b.finish(), entry()];
    expect(&p, "panic: runtime error: negative shift amount\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/x.go:3\n", 2);
}
