//! Target architectures and how their executables are started on this machine.

use std::fmt;

/// A target architecture; the OS is always linux.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arch {
    /// x86-64.
    Amd64,
    /// AArch64.
    Arm64,
}

impl Arch {
    /// Every supported architecture, in report order.
    pub const ALL: [Arch; 2] = [Arch::Amd64, Arch::Arm64];

    /// The GOARCH spelling.
    pub fn goarch(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }

    /// `linux_amd64`-style name, used for pass-list files.
    pub fn platform_file_stem(self) -> String {
        format!("linux_{}", self.goarch())
    }

    /// The architecture of the machine running this program, if supported.
    pub fn host() -> Option<Arch> {
        match std::env::consts::ARCH {
            "x86_64" => Some(Arch::Amd64),
            "aarch64" => Some(Arch::Arm64),
            _ => None,
        }
    }

    /// The user-mode emulator that runs this architecture's executables here, or None
    /// when they run natively.
    pub fn emulator(self) -> Option<&'static str> {
        if Arch::host() == Some(self) {
            return None;
        }
        Some(match self {
            Arch::Amd64 => "qemu-x86_64",
            Arch::Arm64 => "qemu-aarch64",
        })
    }

    /// Parses an `--arch` value: `amd64`, `arm64` or `all`.
    pub fn parse_selection(text: &str) -> Result<Vec<Arch>, String> {
        match text {
            "amd64" => Ok(vec![Arch::Amd64]),
            "arm64" => Ok(vec![Arch::Arm64]),
            "all" => Ok(Arch::ALL.to_vec()),
            _ => Err(format!("unknown --arch {text:?} (want amd64, arm64 or all)")),
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.goarch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection() {
        assert_eq!(Arch::parse_selection("all").unwrap(), [Arch::Amd64, Arch::Arm64]);
        assert_eq!(Arch::parse_selection("arm64").unwrap(), [Arch::Arm64]);
        assert!(Arch::parse_selection("386").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(Arch::Arm64.platform_file_stem(), "linux_arm64");
        assert_eq!(Arch::Amd64.to_string(), "amd64");
    }

    #[test]
    fn the_host_runs_natively() {
        if let Some(host) = Arch::host() {
            assert_eq!(host.emulator(), None);
            let other = Arch::ALL.into_iter().find(|&a| a != host).unwrap();
            assert!(other.emulator().unwrap().starts_with("qemu-"));
        }
    }
}
