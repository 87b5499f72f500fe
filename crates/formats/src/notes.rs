//! PLACEHOLDER — being written.

use crate::{Context, ReadError, Reader};
use podcorpus_core::Sink;

/// The notes reader.
#[derive(Debug, Clone, Copy, Default)]
pub struct Notes;

impl Reader for Notes {
    fn name(&self) -> &'static str {
        "notes"
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
