//! What corpus analysis reads: a transcript's segments streamed row by row
//! (timings, text, non-speech tags) without materialising word timings, which
//! statistics, frequency lists and error rates never use.

use crate::{p, Result, Store, StoreError};

/// One segment as analysis sees it, borrowed from the row being read.
#[derive(Debug, Clone, Copy)]
pub struct SegmentView<'a> {
    /// Start in milliseconds, when timed.
    pub start_ms: Option<i64>,
    /// End in milliseconds, when timed.
    pub end_ms: Option<i64>,
    /// The spoken text (non-speech tags removed).
    pub text: &'a str,
    /// The non-speech tags as stored: a JSON array of strings, `None` when there are none.
    pub events_json: Option<&'a str>,
}

impl SegmentView<'_> {
    /// The non-speech tags of the segment (`Music`, `Applause`, ...).
    pub fn events(&self) -> Result<Vec<String>> {
        match self.events_json {
            None => Ok(Vec::new()),
            Some(j) => serde_json::from_str(j)
                .map_err(|e| StoreError::Corrupt(format!("segment events: {e}"))),
        }
    }
}

impl Store {
    /// Calls `f` with every segment of a transcript, in order.
    pub fn for_each_segment(
        &self,
        transcript_id: i64,
        mut f: impl FnMut(SegmentView<'_>) -> Result<()>,
    ) -> Result<()> {
        // The text is borrowed from the row: no String per segment (a corpus
        // walk reads every one of them).
        self.db().each(
            "SELECT start_ms, end_ms, text, events FROM segments
             WHERE transcript_id = ?1 ORDER BY idx",
            p![transcript_id],
            &mut |r| {
                let text = r
                    .text(2)?
                    .ok_or_else(|| StoreError::Corrupt("segment text: NULL".into()))?;
                f(SegmentView {
                    start_ms: r.get(0)?,
                    end_ms: r.get(1)?,
                    text,
                    events_json: r.text(3)?,
                })
            },
        )
    }
}
