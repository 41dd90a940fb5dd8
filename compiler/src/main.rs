/// mimalloc instead of glibc's malloc: the compiler allocates and frees many small objects
/// (Cranelift's IR and register allocation), where glibc's malloc took about a tenth of a
/// build (docs/decisions.md, "Dependencies of the compiler").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    goclift::driver::main()
}
