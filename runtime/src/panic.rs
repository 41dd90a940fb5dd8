//! Fatal runtime errors (Go's panic.go: throw).

/// Reports an unrecoverable runtime error as gc does ("fatal error: <msg>" on standard error)
/// and exits with status 2.
///
/// Writes directly, without the print lock: throw may come from inside the lock itself.
/// In unit tests it panics instead, so that `#[should_panic]` can observe it.
pub fn throw(msg: &str) -> ! {
    if cfg!(test) {
        panic!("{}", msg);
    }
    fatal_message(&[b"fatal error: ", msg.as_bytes(), b"\n"]);
    crate::os_linux::exit(2)
}

/// Writes the pieces of a fatal message to standard error in one system call where it fits, so
/// that messages from crashing threads do not interleave mid-line.
pub fn fatal_message(pieces: &[&[u8]]) {
    let mut buf = crate::print::FixedBuf::<256>::new();
    for piece in pieces {
        if buf.remaining() < piece.len() {
            crate::os_linux::write_all(2, buf.as_bytes());
            crate::os_linux::write_all(2, piece);
            buf.clear();
        } else {
            buf.push(piece);
        }
    }
    crate::os_linux::write_all(2, buf.as_bytes());
}
