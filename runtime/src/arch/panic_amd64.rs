//! amd64 assembly of defer, panic and recover (see panic.rs): the checkpointed call that
//! frames of functions with defers run their bodies through, the resumption that makes it
//! return a second time, the trampoline that calls a deferred func value, recover's
//! frame-pointer stub, and the call of an Error or String method.

core::arch::global_asm!(
    // usize goclift.deferframe(usize *ck, void (*code)(void *), void *arg): saves the
    // callee-saved registers in its own frame, stores that frame's sp in *ck, calls
    // code(arg) and returns 0; returns 1 when goclift_deferframe_resume(*ck) resumes it
    // after a recovery. Called by compiled code (g in r15, saved and restored like the
    // rest) and by the runtime.
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
    "sub rsp, 8",
    "mov [rdi], rsp",
    "mov rax, rsi",
    "mov rdi, rdx",
    "call rax",
    ".globl goclift_deferframe_called",
    "goclift_deferframe_called:",
    "xor eax, eax",
    ".globl goclift_deferframe_resumed",
    "goclift_deferframe_resumed:",
    "add rsp, 8",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".size \"goclift.deferframe\", . - \"goclift.deferframe\"",
    //
    // void goclift_deferframe_resume(usize sp): makes the goclift.deferframe call whose frame
    // is at sp return 1. Never returns.
    ".globl goclift_deferframe_resume",
    ".type goclift_deferframe_resume, @function",
    ".p2align 4",
    "goclift_deferframe_resume:",
    "mov rsp, rdi",
    "mov eax, 1",
    "jmp goclift_deferframe_resumed",
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
    "call [rdi]",
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
