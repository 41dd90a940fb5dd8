//! amd64 assembly of defer, panic and recover (see panic.rs): the checkpointed call that
//! frames of functions with defers run their bodies through, the resumption that makes it
//! return a second time, the trampoline that calls a deferred func value, recover's
//! frame-pointer stub, and the call of an Error or String method.

core::arch::global_asm!(
    // void goclift.deferframe(uintptr_t *ck, void (*body)(void *), void *arg): runs the body
    // and then the deferred calls of a frame with defers. Saves the callee-saved registers
    // in its own frame, with the resumption address and ck; stores that frame's sp in *ck;
    // calls body(arg); then goclift.deferreturn(ck), still inside this frame, so that a
    // recovery in a deferred call can resume here too. goclift_deferframe_resume(*ck) goes
    // on after the body call (deferreturn again). Called by compiled code, g in r15.
    //
    // Frame: [rsp] resumption address, [rsp+8] ck, [rsp+16] padding, [rsp+24] r15, r14,
    // r13, r12, rbx, rbp, return address.
    ".globl \"goclift.deferframe\"",
    ".type \"goclift.deferframe\", @function",
    ".p2align 4",
    "\"goclift.deferframe\":",
    "push rbp",
    "mov rbp, rsp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "sub rsp, 24",
    "lea rax, [rip + 2f]",
    "mov [rsp], rax",
    "mov [rsp + 8], rdi",
    "mov [rdi], rsp",
    "mov rax, rsi",
    "mov rdi, rdx",
    "call rax",
    ".globl goclift_deferframe_called",
    "goclift_deferframe_called:",
    "2:",
    // After a resumption r15 is g0's: reload the goroutine's.
    "mov r15, [rsp + 24]",
    "mov rdi, [rsp + 8]",
    "call \"goclift.deferreturn\"",
    // The return address tracebacks recognise: deferred calls run at the frame's return.
    ".globl goclift_deferframe_returned",
    "goclift_deferframe_returned:",
    "add rsp, 24",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".size \"goclift.deferframe\", . - \"goclift.deferframe\"",
    //
    // uintptr_t goclift_checkpoint_call(uintptr_t *ck, void (*f)(void *), void *arg): the
    // same frame for runtime code: calls f(arg) and returns 0, or returns 1 when
    // goclift_deferframe_resume(*ck) resumes it (gc's deferCallSave, for Goexit).
    ".globl goclift_checkpoint_call",
    ".type goclift_checkpoint_call, @function",
    ".p2align 4",
    "goclift_checkpoint_call:",
    "push rbp",
    "mov rbp, rsp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "sub rsp, 24",
    "lea rax, [rip + 3f]",
    "mov [rsp], rax",
    "mov [rsp + 8], rdi",
    "mov [rdi], rsp",
    "mov rax, rsi",
    "mov rdi, rdx",
    "call rax",
    "xor eax, eax",
    "jmp 4f",
    "3:",
    "mov eax, 1",
    "4:",
    "add rsp, 24",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".size goclift_checkpoint_call, . - goclift_checkpoint_call",
    //
    // void goclift_deferframe_resume(uintptr_t sp): resumes the checkpoint frame at sp at its
    // resumption address. Never returns.
    ".globl goclift_deferframe_resume",
    ".type goclift_deferframe_resume, @function",
    ".p2align 4",
    "goclift_deferframe_resume:",
    "mov rsp, rdi",
    "jmp [rsp]",
    ".size goclift_deferframe_resume, . - goclift_deferframe_resume",
    //
    // void goclift_calldefer(const void *fv, G *g, usize *argp): calls the func value fv
    // (no arguments; the closure pointer is its only, hidden, argument) with g in r15,
    // after storing in *argp the sp at the call, which is the callee's canonical frame
    // address (its frame pointer + 16).
    ".globl goclift_calldefer",
    ".type goclift_calldefer, @function",
    ".p2align 4",
    "goclift_calldefer:",
    "push rbp",
    "mov rbp, rsp",
    "push r15",
    "push rbx",
    "mov r15, rsi",
    "mov [rdx], rsp",
    "mov [r15 + 128], rdi", // g.closure_ctx (reflectcall.rs)
    "call [rdi]",
    // The return address tracebacks recognise (a deferred call's caller).
    ".globl goclift_calldefer_called",
    "goclift_calldefer_called:",
    "pop rbx",
    "pop r15",
    "pop rbp",
    "ret",
    ".size goclift_calldefer, . - goclift_calldefer",
    //
    // eface goclift.gorecover(void): recover(). Passes the caller's frame pointer, which
    // tells the runtime whether the caller is the deferred call the current panic runs.
    ".globl \"goclift.gorecover\"",
    ".type \"goclift.gorecover\", @function",
    ".p2align 4",
    "\"goclift.gorecover\":",
    "mov rdi, rbp",
    "mov rsi, r15",
    "jmp {gorecover}",
    ".size \"goclift.gorecover\", . - \"goclift.gorecover\"",
    //
    // string goclift_callmethod(const void *code, void *recv, G *g): calls a method taking
    // only its receiver word and returning a string (Error, String), with g in r15.
    ".globl goclift_callmethod",
    ".type goclift_callmethod, @function",
    ".p2align 4",
    "goclift_callmethod:",
    "push rbp",
    "mov rbp, rsp",
    "push r15",
    "push rbx",
    "mov r15, rdx",
    "mov rax, rdi",
    "mov rdi, rsi",
    "call rax",
    "pop rbx",
    "pop r15",
    "pop rbp",
    "ret",
    ".size goclift_callmethod, . - goclift_callmethod",
    gorecover = sym super::gorecover,
);
