//! PLACEHOLDER — being written.

use crate::{Context, ReadError, Reader};
use podcorpus_core::Sink;

/// The webvtt reader.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebVtt;

impl Reader for WebVtt {
    fn name(&self) -> &'static str {
        "webvtt"
    }
    fn sniff(&self, _file_name: &str, _head: &[u8]) -> bool {
        false
    }
    fn read<S: Sink>(
        &self,
        _ctx: &Context,
        _text: &str,
        _sink: &mut S,
    ) -> Result<(), ReadError<S::Error>> {
        Err(crate::ParseError::whole("not yet").into())
    }
}
