//! Reading a user's file into text that every later stage can point into.

use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diag, Location};

/// Files larger than this are refused rather than read: no brief or template is this big, and
/// the cap keeps one stray file from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 16 << 20;
/// The buffer a file is first read into.
const FIRST_READ_BYTES: usize = 16 << 10;

/// Reads a file as text: a UTF-8 BOM is dropped, UTF-16 with a BOM is decoded, and CRLF or
/// lone CR line endings become `\n` (lines and columns stay what the editor shows).
/// Invalid UTF-8 is an error naming the line where it starts.
pub fn read_text(path: &Path, shown: &str) -> Result<Arc<str>, Diag> {
    let cannot = |e: std::io::Error| {
        Diag::error("file/unreadable", format!("cannot read file: {e}")).in_file(shown)
    };
    // No size is asked for first: a `stat` per file was a tenth of reading the sources, and
    // the read stops past the cap whatever the file's size, even if it grows meanwhile. The
    // first read takes a whole brief of usual length; a longer file grows the buffer.
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(FIRST_READ_BYTES);
    let mut capped = file.take(MAX_FILE_BYTES + 1);
    capped.read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // Only now is the size worth a question: the message names it.
        let size = capped.into_inner().metadata().map_or(0, |m| m.len());
        return Err(too_big(size.max(bytes.len() as u64)).in_file(shown));
    }
    decode_owned(bytes).map_err(|d| d.in_file(shown))
}

fn too_big(size: u64) -> Diag {
    Diag::error(
        "file/too-large",
        format!("file is {size} bytes; briefing reads files of at most {MAX_FILE_BYTES} bytes"),
    )
}

pub fn decode(bytes: &[u8]) -> Result<Arc<str>, Diag> {
    decode_owned(bytes.to_vec())
}

/// [`decode`], taking the bytes: plain UTF-8 without CR, nearly every file, is not copied
/// before the one copy into the shared text.
fn decode_owned(bytes: Vec<u8>) -> Result<Arc<str>, Diag> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8(rest)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)?
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return Err(utf8(e.as_bytes())
                    .err()
                    .unwrap_or_else(|| Diag::error("file/encoding", "file is not valid UTF-8")));
            }
        }
    };
    Ok(Arc::from(normalize_newlines(text)))
}

fn utf8(bytes: &[u8]) -> Result<String, Diag> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let prefix = String::from_utf8_lossy(valid);
            let at = Location::at(&prefix, prefix.len());
            let mut d = Diag::error(
                "file/encoding",
                format!(
                    "file is not valid UTF-8: byte 0x{:02X} (Latin-1 or Windows-1252?)",
                    bytes[e.valid_up_to()]
                ),
            )
            .with_help("save the file as UTF-8 (in most editors: Save with Encoding → UTF-8)");
            // The text cannot be quoted, but its line and column are known.
            d.at = Some(at);
            Err(d)
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, Diag> {
    if bytes.len() % 2 != 0 {
        return Err(Diag::error(
            "file/encoding",
            "UTF-16 file has an odd number of bytes",
        ));
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| {
        Diag::error(
            "file/encoding",
            "file starts with a UTF-16 byte-order mark but is not valid UTF-16",
        )
    })
}

fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_line_endings() {
        assert_eq!(&*decode(b"\xEF\xBB\xBFa\r\nb\rc").unwrap(), "a\nb\nc");
        assert_eq!(&*decode(b"\xFF\xFEh\0i\0").unwrap(), "hi");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = decode(b"ok\nbad \xE9 here").unwrap_err();
        let at = e.at.unwrap();
        assert_eq!((at.line, at.column), (2, 5));
    }
}
