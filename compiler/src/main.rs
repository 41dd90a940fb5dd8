fn main() -> std::process::ExitCode {
    goclift::driver::main()
}
