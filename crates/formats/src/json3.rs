//! PLACEHOLDER — being written.

use crate::{Context, ReadError, Reader};
use podcorpus_core::Sink;

/// The json3 reader.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json3;

impl Reader for Json3 {
    fn name(&self) -> &'static str {
        "json3"
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
