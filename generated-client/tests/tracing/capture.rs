//! A `tracing` writer (`MakeWriter`) that keeps everything in memory, for
//! the tests that read what a subscriber printed. Both tracing binaries
//! declare this module; it is not part of `tests/client/`, which installs
//! no subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// Everything a subscriber wrote, shared between the writer and the test.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("tracing writes UTF-8")
    }
}

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
