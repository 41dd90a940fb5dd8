//! Source positions: a file table and compact positions that resolve to file:line:col.

/// Index of a source file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A position inside one source file: byte offset plus the 1-based line and column
/// (column counted in bytes, as gc does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pos {
    pub offset: u32,
    pub line: u32,
    pub col: u32,
}

impl Pos {
    /// A position with the given byte offset, line and column.
    pub fn new(offset: u32, line: u32, col: u32) -> Pos {
        Pos { offset, line, col }
    }
}

/// One loaded source file.
#[derive(Debug)]
pub struct SourceFile {
    /// The name printed in diagnostics (as given on the command line, or relative to GOROOT).
    pub name: String,
    pub src: Vec<u8>,
}

/// All source files of a build, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn add(&mut self, name: String, src: Vec<u8>) -> FileId {
        self.files.push(SourceFile { name, src });
        FileId(self.files.len() as u32 - 1)
    }

    /// The file with the given id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The text of line `line` (1-based) of the file named `name`, without its newline.
    pub fn line_text(&self, name: &str, line: u32) -> Option<String> {
        let f = self.files.iter().find(|f| f.name == name)?;
        let text = f.src.split(|&b| b == b'\n').nth(line.checked_sub(1)? as usize)?;
        Some(String::from_utf8_lossy(text).into_owned())
    }

    /// Formats `file:line:col` the way gc prints positions.
    pub fn format(&self, file: FileId, pos: Pos) -> String {
        format!("{}:{}:{}", self.file(file).name, pos.line, pos.col)
    }
}
