//! Building the Cranelift target ISA for a [`Target`], with goclift's code-generation flags.

use crate::target::Target;
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use std::str::FromStr;

/// The ISA for `target`. Flags, and why:
/// - `enable_pinned_reg`: g lives in r15 (amd64) / x21 (arm64) for the whole program;
/// - `preserve_frame_pointers`: tracebacks and profilers walk frame-pointer chains as with gc;
/// - `is_pic` off: executables are static and non-PIE, as gc's are;
/// - `unwind_info` off: Go unwinds with its own tables, not DWARF CFI;
/// - `enable_multi_ret_implicit_sret`: results beyond the return registers go to a return area;
/// - `enable_verifier` only in debug builds (the unit tests) or with GOCLIFT_VERIFY=1: it
///   costs about 5% of a release build's time and finds only bugs of goclift's own codegen.
pub fn build_isa(target: Target) -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let set = |b: &mut settings::Builder, k: &str, v: &str| {
        b.set(k, v).map_err(|e| format!("cranelift setting {k}={v}: {e}"))
    };
    set(&mut flags, "opt_level", "speed")?;
    let verify = cfg!(debug_assertions) || std::env::var_os("GOCLIFT_VERIFY").is_some_and(|v| v == "1");
    set(&mut flags, "enable_verifier", if verify { "true" } else { "false" })?;
    set(&mut flags, "enable_pinned_reg", "true")?;
    set(&mut flags, "preserve_frame_pointers", "true")?;
    set(&mut flags, "is_pic", "false")?;
    set(&mut flags, "unwind_info", "false")?;
    // Go functions may return more values than there are return registers.
    set(&mut flags, "enable_multi_ret_implicit_sret", "true")?;
    let triple = target_lexicon::Triple::from_str(target.triple())
        .map_err(|e| format!("target triple {}: {e}", target.triple()))?;
    isa::lookup(triple)
        .map_err(|e| format!("no Cranelift backend for {target}: {e}"))?
        .finish(settings::Flags::new(flags))
        .map_err(|e| format!("building the {target} ISA: {e}"))
}
