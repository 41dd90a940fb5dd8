//! The compilation target: GOOS/GOARCH pairs goclift supports and what each needs
//! (Cranelift triple, C toolchain for linking, emulator for running).

use std::fmt;

/// A supported CPU architecture (GOARCH).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    Amd64,
    Arm64,
}

/// A supported GOOS/GOARCH pair. Only linux is supported, so the OS is implicit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    pub arch: Arch,
}

/// The pairs accepted by [`Target::from_go`], as printed in the refusal message.
pub const SUPPORTED: &str = "linux/amd64, linux/arm64";

impl Target {
    /// The target for `GOOS`/`GOARCH` names, or an error sentence listing the supported pairs.
    pub fn from_go(goos: &str, goarch: &str) -> Result<Target, String> {
        let arch = match (goos, goarch) {
            ("linux", "amd64") => Arch::Amd64,
            ("linux", "arm64") => Arch::Arm64,
            _ => {
                return Err(format!(
                    "unsupported GOOS/GOARCH pair {goos}/{goarch}; supported: {SUPPORTED}"
                ))
            }
        };
        Ok(Target { arch })
    }

    /// The machine goclift itself runs on (the default target, as with the go command).
    pub fn host() -> Target {
        let arch = if cfg!(target_arch = "aarch64") { Arch::Arm64 } else { Arch::Amd64 };
        Target { arch }
    }

    /// GOOS.
    pub fn goos(self) -> &'static str {
        "linux"
    }

    /// GOARCH.
    pub fn goarch(self) -> &'static str {
        match self.arch {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }

    /// The target triple for Cranelift and target-lexicon.
    pub fn triple(self) -> &'static str {
        match self.arch {
            Arch::Amd64 => "x86_64-unknown-linux-gnu",
            Arch::Arm64 => "aarch64-unknown-linux-gnu",
        }
    }

    /// Whether this target is the machine goclift runs on (so its programs run natively).
    pub fn is_host(self) -> bool {
        self == Target::host()
    }

    /// The C compiler driver used to link executables for this target, and the Debian
    /// packages that provide it (for the "install ..." message when it is missing).
    pub fn linker(self) -> (&'static str, &'static str) {
        if self.is_host() {
            return ("gcc", "gcc");
        }
        match self.arch {
            Arch::Amd64 => ("x86_64-linux-gnu-gcc", "gcc-x86-64-linux-gnu libc6-dev-amd64-cross"),
            Arch::Arm64 => ("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu libc6-dev-arm64-cross"),
        }
    }

    /// The user-mode emulator that runs this target's executables on the host, if needed.
    pub fn emulator(self) -> Option<&'static str> {
        if self.is_host() {
            return None;
        }
        Some(match self.arch {
            Arch::Amd64 => "qemu-x86_64",
            Arch::Arm64 => "qemu-aarch64",
        })
    }

    /// Pointer size in bytes.
    pub fn ptr_size(self) -> u32 {
        8
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.goos(), self.goarch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_two_linux_targets() {
        assert_eq!(Target::from_go("linux", "amd64").unwrap().goarch(), "amd64");
        assert_eq!(Target::from_go("linux", "arm64").unwrap().triple(), "aarch64-unknown-linux-gnu");
    }

    #[test]
    fn refuses_others_with_the_supported_list() {
        let err = Target::from_go("windows", "amd64").unwrap_err();
        assert!(err.contains("windows/amd64") && err.contains(SUPPORTED), "{err}");
        assert!(Target::from_go("linux", "386").is_err());
    }
}
