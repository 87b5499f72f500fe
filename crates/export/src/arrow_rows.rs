//! Episodes, segments and comments as Arrow record batches with typed
//! columns (dates as date32, times in a video as int64 milliseconds, moments
//! as UTC timestamps, lists as list<struct>), built column by column from a
//! bounded buffer of rows. Shared by Parquet and hf.

use crate::writer::transcript_text;
use crate::Result;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Int64Array, ListArray, RecordBatch, StringArray,
    StructArray, TimestampMillisecondArray,
};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use podcorpus_core::Comment;
use podcorpus_store::export_feed::ExportEpisode;
use std::sync::Arc;

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn int64(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Int64, nullable)
}

fn boolean(name: &str) -> Field {
    Field::new(name, DataType::Boolean, false)
}

/// When a comment was posted: milliseconds since 1970 (UTC), the unit
/// Parquet stores natively, so every reader gets the type back unchanged.
fn timestamp_ms() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
}

fn list_of(name: &str, item: DataType) -> Field {
    Field::new(
        name,
        DataType::List(Arc::new(Field::new("item", item, true))),
        false,
    )
}

fn chapter_fields() -> Fields {
    Fields::from(vec![
        utf8("title", false),
        int64("start_ms", true),
        int64("text_pos", true),
    ])
}

fn membership_fields() -> Fields {
    Fields::from(vec![utf8("collection", false), int64("number", false)])
}

fn summary_fields() -> Fields {
    Fields::from(vec![
        utf8("kind", false),
        utf8("subject", false),
        utf8("method", true),
        utf8("model", true),
        utf8("text", false),
    ])
}

fn segment_struct_fields() -> Fields {
    Fields::from(vec![
        int64("start_ms", true),
        int64("end_ms", true),
        utf8("text", false),
        list_of("events", DataType::Utf8),
    ])
}

fn comment_fields() -> Fields {
    Fields::from(vec![
        utf8("id", true),
        utf8("parent", true),
        utf8("author", true),
        boolean("by_uploader"),
        boolean("pinned"),
        boolean("favorited"),
        utf8("text", false),
        int64("likes", true),
        Field::new("time", timestamp_ms(), true),
    ])
}

/// The list columns an episodes table carries besides the ones it always has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nested {
    /// Each episode's timed segments.
    pub segments: bool,
    /// Each episode's comments, in the order fetched.
    pub comments: bool,
}

/// The episodes table's schema; [`Nested`] adds last columns holding each
/// episode's timed segments and its comments (the hf layout).
pub fn episode_schema(nested: Nested) -> SchemaRef {
    let mut fields = vec![
        utf8("collection", false),
        int64("number", false),
        list_of("collections", DataType::Struct(membership_fields())),
        utf8("video_id", true),
        utf8("title", true),
        list_of("guests", DataType::Utf8),
        Field::new("published", DataType::Date32, true),
        utf8("url", true),
        int64("duration_ms", true),
        utf8("description", true),
        list_of("tags", DataType::Utf8),
        list_of("chapters", DataType::Struct(chapter_fields())),
        list_of("summaries", DataType::Struct(summary_fields())),
        utf8("source", true),
        utf8("language", true),
        int64("words", true),
        utf8("text", false),
    ];
    if nested.segments {
        fields.push(list_of(
            "segments",
            DataType::Struct(segment_struct_fields()),
        ));
    }
    if nested.comments {
        fields.push(list_of("comments", DataType::Struct(comment_fields())));
    }
    Arc::new(Schema::new(fields))
}

/// The segments table's schema: one row per segment.
pub fn segment_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("collection", false),
        int64("number", false),
        utf8("video_id", true),
        utf8("source", false),
        int64("idx", false),
        int64("start_ms", true),
        int64("end_ms", true),
        utf8("text", false),
        list_of("events", DataType::Utf8),
    ]))
}

/// The comments table's schema: one row per comment, keyed to its episode
/// like the segments table, `idx` its place in the order fetched.
pub fn comment_schema() -> SchemaRef {
    let mut fields = vec![
        utf8("collection", false),
        int64("number", false),
        utf8("video_id", true),
        int64("idx", false),
    ];
    fields.extend(comment_fields().iter().map(|f| f.as_ref().clone()));
    Arc::new(Schema::new(fields))
}

/// Days since 1970-01-01 of an ISO `YYYY-MM-DD` date (proleptic Gregorian);
/// `None` when it is not one.
pub fn date32(iso: &str) -> Option<i32> {
    let mut parts = iso.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    i32::try_from(podcorpus_core::calendar::days_from_civil(y, m, d)).ok()
}

fn ms(v: Option<u64>) -> Option<i64> {
    v.and_then(|v| i64::try_from(v).ok())
}

/// A list column being built: each row's length, and the flat values.
#[derive(Default)]
struct Lists<T> {
    lens: Vec<usize>,
    values: T,
}

impl<T> Lists<T> {
    fn array(&self, item: DataType, values: ArrayRef) -> Result<ArrayRef> {
        let field = Arc::new(Field::new("item", item, true));
        let offsets = OffsetBuffer::from_lengths(self.lens.iter().copied());
        Ok(Arc::new(ListArray::try_new(field, offsets, values, None)?))
    }
}

#[derive(Default)]
struct ChapterCols {
    title: Vec<String>,
    start: Vec<Option<i64>>,
    pos: Vec<Option<i64>>,
}

#[derive(Default)]
struct MembershipCols {
    collection: Vec<String>,
    number: Vec<i64>,
}

#[derive(Default)]
struct SummaryCols {
    kind: Vec<String>,
    subject: Vec<&'static str>,
    method: Vec<Option<String>>,
    model: Vec<Option<String>>,
    text: Vec<String>,
}

#[derive(Default)]
struct SegmentCols {
    start: Vec<Option<i64>>,
    end: Vec<Option<i64>>,
    text: Vec<String>,
    events: Lists<Vec<String>>,
}

impl SegmentCols {
    fn push(&mut self, seg: &podcorpus_core::Segment) {
        self.start.push(ms(seg.start_ms));
        self.end.push(ms(seg.end_ms));
        self.text.push(seg.text.clone());
        self.events.lens.push(seg.events.len());
        self.events.values.extend(seg.events.iter().cloned());
    }

    fn events_array(&mut self) -> Result<ArrayRef> {
        let values = Arc::new(StringArray::from(std::mem::take(&mut self.events.values)));
        let array = self.events.array(DataType::Utf8, values)?;
        self.events.lens.clear();
        Ok(array)
    }
}

#[derive(Default)]
struct CommentCols {
    id: Vec<Option<String>>,
    parent: Vec<Option<String>>,
    author: Vec<Option<String>>,
    by_uploader: Vec<bool>,
    pinned: Vec<bool>,
    favorited: Vec<bool>,
    text: Vec<String>,
    likes: Vec<Option<i64>>,
    time: Vec<Option<i64>>,
}

impl CommentCols {
    fn push(&mut self, c: &Comment) {
        self.id.push(c.id.clone());
        self.parent.push(c.parent.clone());
        self.author.push(c.author.clone());
        self.by_uploader.push(c.by_uploader);
        self.pinned.push(c.pinned);
        self.favorited.push(c.favorited);
        self.text.push(c.text.clone());
        self.likes.push(c.likes.and_then(|l| i64::try_from(l).ok()));
        self.time.push(
            c.time
                .as_deref()
                .and_then(podcorpus_core::calendar::unix_seconds)
                .and_then(|s| s.checked_mul(1000)),
        );
    }

    /// The columns of [`comment_fields`], in order.
    fn arrays(self) -> Vec<ArrayRef> {
        vec![
            Arc::new(StringArray::from(self.id)),
            Arc::new(StringArray::from(self.parent)),
            Arc::new(StringArray::from(self.author)),
            Arc::new(BooleanArray::from(self.by_uploader)),
            Arc::new(BooleanArray::from(self.pinned)),
            Arc::new(BooleanArray::from(self.favorited)),
            Arc::new(StringArray::from(self.text)),
            Arc::new(Int64Array::from(self.likes)),
            Arc::new(TimestampMillisecondArray::from(self.time).with_timezone("UTC")),
        ]
    }
}

/// A buffer of episode rows, turned into a batch when full.
#[derive(Default)]
pub struct EpisodeRows {
    nested: Nested,
    text_bytes: usize,
    collection: Vec<String>,
    number: Vec<i64>,
    collections: Lists<MembershipCols>,
    video_id: Vec<Option<String>>,
    title: Vec<Option<String>>,
    guests: Lists<Vec<String>>,
    published: Vec<Option<i32>>,
    url: Vec<Option<String>>,
    duration: Vec<Option<i64>>,
    description: Vec<Option<String>>,
    tags: Lists<Vec<String>>,
    chapters: Lists<ChapterCols>,
    summaries: Lists<SummaryCols>,
    source: Vec<Option<String>>,
    language: Vec<Option<String>>,
    words: Vec<Option<i64>>,
    text: Vec<String>,
    segments: Lists<SegmentCols>,
    comments: Lists<CommentCols>,
}

impl EpisodeRows {
    /// An empty buffer with the `nested` list columns.
    pub fn new(nested: Nested) -> EpisodeRows {
        EpisodeRows {
            nested,
            ..Default::default()
        }
    }

    /// Rows buffered.
    pub fn len(&self) -> usize {
        self.number.len()
    }

    /// Whether no row is buffered.
    pub fn is_empty(&self) -> bool {
        self.number.is_empty()
    }

    /// Bytes of transcript (and comment) text buffered (the bulk of the memory).
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// Adds one episode.
    pub fn push(&mut self, ep: &ExportEpisode) {
        let m = &ep.meta;
        let t = ep.transcript.as_ref();
        self.collection.push(ep.collection.clone());
        self.number.push(ep.number);
        self.collections.lens.push(ep.collections.len());
        for n in &ep.collections {
            self.collections
                .values
                .collection
                .push(n.collection.clone());
            self.collections.values.number.push(n.number);
        }
        self.video_id.push(m.video_id.clone());
        self.title.push(m.title.clone());
        self.guests.lens.push(m.guests.len());
        self.guests.values.extend(m.guests.iter().cloned());
        self.published.push(m.published.as_deref().and_then(date32));
        self.url.push(m.url.clone());
        self.duration.push(ms(m.duration_ms));
        self.description.push(m.description.clone());
        self.tags.lens.push(m.tags.len());
        self.tags.values.extend(m.tags.iter().cloned());
        self.chapters.lens.push(ep.chapters.len());
        for c in &ep.chapters {
            self.chapters.values.title.push(c.title.clone());
            self.chapters.values.start.push(ms(c.start_ms));
            self.chapters.values.pos.push(ms(c.text_pos));
        }
        self.summaries.lens.push(ep.summaries.len());
        for s in &ep.summaries {
            let v = &mut self.summaries.values;
            v.kind.push(s.kind.clone());
            v.subject.push(s.subject.as_str());
            v.method.push(s.method.clone());
            v.model.push(s.model.clone());
            v.text.push(s.text.clone());
        }
        self.source.push(t.map(|t| t.source.clone()));
        self.language.push(t.and_then(|t| t.language.clone()));
        self.words.push(t.map(|t| t.words));
        let text = transcript_text(ep);
        self.text_bytes += text.len();
        self.text.push(text);
        if self.nested.segments {
            let segs = t.map_or(&[][..], |t| t.segments.as_slice());
            self.segments.lens.push(segs.len());
            for s in segs {
                self.text_bytes += s.text.len();
                self.segments.values.push(s);
            }
        }
        if self.nested.comments {
            self.comments.lens.push(ep.comments.len());
            for c in &ep.comments {
                self.text_bytes += c.text.len();
                self.comments.values.push(c);
            }
        }
    }

    /// The buffered rows as a batch of [`episode_schema`]; empties the buffer.
    pub fn take_batch(&mut self) -> Result<RecordBatch> {
        let mut me = std::mem::replace(self, EpisodeRows::new(self.nested));
        let str_list = |l: &mut Lists<Vec<String>>| -> Result<ArrayRef> {
            let values = Arc::new(StringArray::from(std::mem::take(&mut l.values)));
            l.array(DataType::Utf8, values)
        };
        let ch = std::mem::take(&mut me.chapters.values);
        let chapters = StructArray::try_new(
            chapter_fields(),
            vec![
                Arc::new(StringArray::from(ch.title)) as ArrayRef,
                Arc::new(Int64Array::from(ch.start)),
                Arc::new(Int64Array::from(ch.pos)),
            ],
            None,
        )?;
        let mc = std::mem::take(&mut me.collections.values);
        let memberships = StructArray::try_new(
            membership_fields(),
            vec![
                Arc::new(StringArray::from(mc.collection)) as ArrayRef,
                Arc::new(Int64Array::from(mc.number)),
            ],
            None,
        )?;
        let su = std::mem::take(&mut me.summaries.values);
        let summaries = StructArray::try_new(
            summary_fields(),
            vec![
                Arc::new(StringArray::from(su.kind)) as ArrayRef,
                Arc::new(StringArray::from(su.subject)),
                Arc::new(StringArray::from(su.method)),
                Arc::new(StringArray::from(su.model)),
                Arc::new(StringArray::from(su.text)),
            ],
            None,
        )?;
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(std::mem::take(&mut me.collection))),
            Arc::new(Int64Array::from(std::mem::take(&mut me.number))),
            me.collections
                .array(DataType::Struct(membership_fields()), Arc::new(memberships))?,
            Arc::new(StringArray::from(std::mem::take(&mut me.video_id))),
            Arc::new(StringArray::from(std::mem::take(&mut me.title))),
            str_list(&mut me.guests)?,
            Arc::new(Date32Array::from(std::mem::take(&mut me.published))),
            Arc::new(StringArray::from(std::mem::take(&mut me.url))),
            Arc::new(Int64Array::from(std::mem::take(&mut me.duration))),
            Arc::new(StringArray::from(std::mem::take(&mut me.description))),
            str_list(&mut me.tags)?,
            me.chapters
                .array(DataType::Struct(chapter_fields()), Arc::new(chapters))?,
            me.summaries
                .array(DataType::Struct(summary_fields()), Arc::new(summaries))?,
            Arc::new(StringArray::from(std::mem::take(&mut me.source))),
            Arc::new(StringArray::from(std::mem::take(&mut me.language))),
            Arc::new(Int64Array::from(std::mem::take(&mut me.words))),
            Arc::new(StringArray::from(std::mem::take(&mut me.text))),
        ];
        if me.nested.segments {
            let mut sg = std::mem::take(&mut me.segments.values);
            let events = sg.events_array()?;
            let segs = StructArray::try_new(
                segment_struct_fields(),
                vec![
                    Arc::new(Int64Array::from(sg.start)) as ArrayRef,
                    Arc::new(Int64Array::from(sg.end)),
                    Arc::new(StringArray::from(sg.text)),
                    events,
                ],
                None,
            )?;
            columns.push(
                me.segments
                    .array(DataType::Struct(segment_struct_fields()), Arc::new(segs))?,
            );
        }
        if me.nested.comments {
            let cm = std::mem::take(&mut me.comments.values);
            let comments = StructArray::try_new(comment_fields(), cm.arrays(), None)?;
            columns.push(
                me.comments
                    .array(DataType::Struct(comment_fields()), Arc::new(comments))?,
            );
        }
        Ok(RecordBatch::try_new(episode_schema(me.nested), columns)?)
    }
}

/// A buffer of segment rows (the segments table), turned into a batch when full.
#[derive(Default)]
pub struct SegmentRows {
    collection: Vec<String>,
    number: Vec<i64>,
    video_id: Vec<Option<String>>,
    source: Vec<String>,
    idx: Vec<i64>,
    cols: SegmentCols,
}

impl SegmentRows {
    /// Rows buffered.
    pub fn len(&self) -> usize {
        self.idx.len()
    }

    /// Whether no row is buffered.
    pub fn is_empty(&self) -> bool {
        self.idx.is_empty()
    }

    /// Adds an episode's segments; returns how many.
    pub fn push(&mut self, ep: &ExportEpisode) -> usize {
        let Some(t) = &ep.transcript else { return 0 };
        for (i, s) in t.segments.iter().enumerate() {
            self.collection.push(ep.collection.clone());
            self.number.push(ep.number);
            self.video_id.push(ep.meta.video_id.clone());
            self.source.push(t.source.clone());
            self.idx.push(i as i64);
            self.cols.push(s);
        }
        t.segments.len()
    }

    /// The buffered rows as a batch of [`segment_schema`]; empties the buffer.
    pub fn take_batch(&mut self) -> Result<RecordBatch> {
        let mut me = std::mem::take(self);
        let events = me.cols.events_array()?;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(me.collection)),
            Arc::new(Int64Array::from(me.number)),
            Arc::new(StringArray::from(me.video_id)),
            Arc::new(StringArray::from(me.source)),
            Arc::new(Int64Array::from(me.idx)),
            Arc::new(Int64Array::from(me.cols.start)),
            Arc::new(Int64Array::from(me.cols.end)),
            Arc::new(StringArray::from(me.cols.text)),
            events,
        ];
        Ok(RecordBatch::try_new(segment_schema(), columns)?)
    }
}

/// A buffer of comment rows (the comments table), turned into a batch when full.
#[derive(Default)]
pub struct CommentRows {
    collection: Vec<String>,
    number: Vec<i64>,
    video_id: Vec<Option<String>>,
    idx: Vec<i64>,
    text_bytes: usize,
    cols: CommentCols,
}

impl CommentRows {
    /// Rows buffered.
    pub fn len(&self) -> usize {
        self.idx.len()
    }

    /// Whether no row is buffered.
    pub fn is_empty(&self) -> bool {
        self.idx.is_empty()
    }

    /// Bytes of comment text buffered.
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// Adds an episode's comments; returns how many.
    pub fn push(&mut self, ep: &ExportEpisode) -> usize {
        for (i, c) in ep.comments.iter().enumerate() {
            self.collection.push(ep.collection.clone());
            self.number.push(ep.number);
            self.video_id.push(ep.meta.video_id.clone());
            self.idx.push(i as i64);
            self.text_bytes += c.text.len();
            self.cols.push(c);
        }
        ep.comments.len()
    }

    /// The buffered rows as a batch of [`comment_schema`]; empties the buffer.
    pub fn take_batch(&mut self) -> Result<RecordBatch> {
        let me = std::mem::take(self);
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(me.collection)),
            Arc::new(Int64Array::from(me.number)),
            Arc::new(StringArray::from(me.video_id)),
            Arc::new(Int64Array::from(me.idx)),
        ];
        columns.extend(me.cols.arrays());
        Ok(RecordBatch::try_new(comment_schema(), columns)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_since_1970() {
        assert_eq!(date32("1970-01-01"), Some(0));
        // 2016-09-27: `date -d 2016-09-27 +%s` / 86400 = 17071.
        assert_eq!(date32("2016-09-27"), Some(17071));
        assert_eq!(date32("1969-12-31"), Some(-1));
        assert_eq!(date32("2016-13-01"), None);
        assert_eq!(date32("soon"), None);
    }

    #[test]
    fn comments_become_rows_with_utc_times() {
        let comment = |id: &str, time: &str| Comment {
            id: Some(id.into()),
            text: format!("text {id}"),
            likes: Some(3),
            time: Some(time.into()),
            ..Default::default()
        };
        let ep = ExportEpisode {
            collection: "c".into(),
            number: 4,
            collections: Vec::new(),
            meta: Default::default(),
            chapters: Vec::new(),
            summaries: Vec::new(),
            comments: vec![comment("a", "2020-04-27T15:06:40Z"), comment("b", "later")],
            transcript: None,
        };
        let mut rows = CommentRows::default();
        assert_eq!(rows.push(&ep), 2);
        let batch = rows.take_batch().unwrap();
        assert!(rows.is_empty());
        assert_eq!(batch.schema(), comment_schema());
        let time = batch
            .column_by_name("time")
            .unwrap()
            .as_any()
            .downcast_ref::<TimestampMillisecondArray>()
            .unwrap();
        // A time that cannot be read is null, not a wrong moment.
        assert_eq!(
            time.iter().collect::<Vec<_>>(),
            [Some(1_588_000_000_000), None]
        );
        let mut eps = EpisodeRows::new(Nested {
            segments: false,
            comments: true,
        });
        eps.push(&ep);
        let batch = eps.take_batch().unwrap();
        let last = batch.schema().fields().last().unwrap().clone();
        assert_eq!(last.name(), "comments");
        assert_eq!(batch.num_rows(), 1);
    }
}
