//! `--json-body FILE|-`: the whole request body from a file or from
//! standard input. The generated commands call [`read`].

use std::io::Read as _;
use std::path::Path;

/// What `--json-body` names standard input with.
const STDIN: &str = "-";

/// The text of `path`, or of standard input for `-`.
pub fn read(path: &Path) -> std::io::Result<String> {
    if path == Path::new(STDIN) {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}
