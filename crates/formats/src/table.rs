//! Metadata tables: CSV, TSV and JSONL tables of episode facts (video id,
//! number, title, guests, date, duration, description, tags), yt-dlp's
//! `--dump-json` lines and its `--flat-playlist -J` listing. Each row becomes
//! an episode with facts and no speech; the store matches it to the corpus.
//!
//! Columns are recognised by the names common sources give them (see
//! [`Field::names`]); `--map field=column` names the rest. A row that cannot
//! be read (a bad date, a bad number) is reported as a [`Warning`] with its
//! line and left out; the other rows are read.

use crate::{values, Context, ParseError, ReadError, Reader};
use podcorpus_core::text::guests_from_title;
use podcorpus_core::{Chapter, Episode, EpisodeMeta, Sink, VideoId, Warning};
use serde_json::Value;

/// A fact a table can give, and the column names that give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The YouTube video id (or an address that carries it).
    Id,
    /// The episode's number in its collection.
    Number,
    /// The title.
    Title,
    /// Guests.
    Guests,
    /// Publication date.
    Published,
    /// Length.
    Duration,
    /// The video description.
    Description,
    /// Tags.
    Tags,
    /// The video's address.
    Url,
}

impl Field {
    /// Every field, in the order `--map` lists them.
    pub const ALL: [Field; 9] = [
        Field::Id,
        Field::Number,
        Field::Title,
        Field::Guests,
        Field::Published,
        Field::Duration,
        Field::Description,
        Field::Tags,
        Field::Url,
    ];

    /// The name `--map` uses.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Number => "number",
            Field::Title => "title",
            Field::Guests => "guests",
            Field::Published => "published",
            Field::Duration => "duration",
            Field::Description => "description",
            Field::Tags => "tags",
            Field::Url => "url",
        }
    }

    /// The field `--map` names.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Column names that give this field, preferred first. `summary` and
    /// `episode_title` give the title only when there is no `title` column
    /// (the podcast table's `summary` is the title after the guest).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["video_id", "id", "yt_url", "webpage_url", "url", "link"],
            Field::Number => &["number", "episode_number", "episode", "playlist_index"],
            Field::Title => &["title", "episode_title", "summary", "fulltitle"],
            Field::Guests => &["guests", "guest", "guest_names", "guest_name"],
            Field::Published => &[
                "published",
                "upload_date",
                "publish_date",
                "date",
                "release_date",
            ],
            Field::Duration => &["duration", "length", "duration_seconds", "length_seconds"],
            Field::Description => &["description"],
            Field::Tags => &["tags", "keywords"],
            Field::Url => &["webpage_url", "url", "yt_url", "link"],
        }
    }
}

/// The reader of metadata tables.
pub struct Table;

impl Reader for Table {
    fn name(&self) -> &'static str {
        "table"
    }

    fn sniff(&self, file_name: &str, head: &[u8]) -> bool {
        let lower = file_name.to_ascii_lowercase();
        let head = String::from_utf8_lossy(head);
        let head = head.trim_start_matches('\u{feff}').trim_start();
        // No other format podcorpus reads comes as .csv or .tsv: a table
        // whose columns say nothing is refused with its columns named
        // (`--map` names them), not skipped in silence.
        if lower.ends_with(".csv") || lower.ends_with(".tsv") {
            return true;
        }
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            return head.starts_with('{');
        }
        // yt-dlp's listing (`-J`) or `--dump-json` lines saved as .json.
        lower.ends_with(".json")
            && head.starts_with('{')
            && !head.contains("\"events\"")
            && (head.contains("\"_type\"") || head.contains("\"extractor\""))
    }

    fn read<S: Sink>(
        &self,
        ctx: &Context,
        text: &str,
        sink: &mut S,
    ) -> Result<(), ReadError<S::Error>> {
        let text = text.trim_start_matches('\u{feff}');
        let rows = if text.trim_start().starts_with('{') {
            json_rows(text)?
        } else {
            let first = text.lines().next().unwrap_or("");
            let tsv = first.matches('\t').count() > first.matches(',').count();
            csv_rows(text, if tsv { b'\t' } else { b',' })?
        };
        read_rows(ctx, rows, sink)
    }
}

/// One row: its line and its cells by normalised column name.
struct Row {
    line: u64,
    cells: Vec<(String, Cell)>,
}

enum Cell {
    Text(String),
    /// yt-dlp's chapters, already structured.
    Chapters(Vec<Chapter>),
}

impl Row {
    fn text(&self, column: &str) -> Option<&str> {
        self.cells.iter().find_map(|(c, v)| match v {
            Cell::Text(t) if c == column && !t.trim().is_empty() => Some(t.as_str()),
            _ => None,
        })
    }
}

fn normalize(column: &str) -> String {
    column
        .trim()
        .trim_matches('"')
        .trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
}

fn csv_rows(text: &str, delimiter: u8) -> Result<(Vec<String>, Vec<Row>), ParseError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ParseError::at_line(1, format!("cannot read the header: {e}")))?
        .iter()
        .map(normalize)
        .collect();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                let cells = header
                    .iter()
                    .zip(record.iter())
                    .map(|(c, v)| (c.clone(), Cell::Text(v.to_string())))
                    .collect();
                rows.push(Row { line, cells });
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                return Err(ParseError::at_line(
                    line as usize,
                    format!("not a readable table row: {e}"),
                ));
            }
        }
    }
    Ok((header, rows))
}

fn json_rows(text: &str) -> Result<(Vec<String>, Vec<Row>), ParseError> {
    let mut rows = Vec::new();
    // A whole `-J` listing: one object with entries.
    if let Ok(Value::Object(top)) = serde_json::from_str::<Value>(text) {
        if let Some(Value::Array(entries)) = top.get("entries") {
            let newest_first = is_channel(&top);
            let n = entries.len();
            for (i, e) in entries.iter().enumerate() {
                if let Value::Object(o) = e {
                    let mut row = json_row(1, o);
                    if !o.contains_key("playlist_index") {
                        // A channel lists newest first; its oldest upload is 1.
                        let number = if newest_first { n - i } else { i + 1 };
                        row.cells
                            .push(("playlist_index".into(), Cell::Text(number.to_string())));
                    }
                    rows.push(row);
                }
            }
            return Ok((columns_of(&rows), rows));
        }
        rows.push(json_row(1, &top));
        return Ok((columns_of(&rows), rows));
    }
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(t) {
            Ok(Value::Object(o)) => rows.push(json_row(i as u64 + 1, &o)),
            Ok(_) => {
                return Err(ParseError::at_line(
                    i + 1,
                    "a JSONL row must be a JSON object",
                ))
            }
            Err(e) => return Err(ParseError::at_line(i + 1, format!("not JSON: {e}"))),
        }
    }
    Ok((columns_of(&rows), rows))
}

fn is_channel(top: &serde_json::Map<String, Value>) -> bool {
    let s = |k: &str| top.get(k).and_then(Value::as_str).unwrap_or("");
    s("id").starts_with("UC")
        || ["webpage_url", "original_url"]
            .iter()
            .any(|k| s(k).contains("/@") || s(k).contains("/channel/"))
}

fn columns_of(rows: &[Row]) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for r in rows {
        for (c, _) in &r.cells {
            if !cols.contains(c) {
                cols.push(c.clone());
            }
        }
    }
    cols
}

fn json_row(line: u64, o: &serde_json::Map<String, Value>) -> Row {
    let mut cells = Vec::new();
    for (k, v) in o {
        let key = normalize(k);
        let cell = match v {
            Value::Null => continue,
            Value::String(s) => Cell::Text(s.clone()),
            Value::Number(n) => Cell::Text(n.to_string()),
            Value::Bool(b) => Cell::Text(b.to_string()),
            Value::Array(a) if key == "chapters" => Cell::Chapters(
                a.iter()
                    .filter_map(|c| {
                        let title = c.get("title")?.as_str()?.trim().to_string();
                        let start = c.get("start_time")?.as_f64()?;
                        (start.is_finite() && start >= 0.0).then(|| Chapter {
                            title,
                            start_ms: Some((start * 1000.0).round() as u64),
                            text_pos: None,
                        })
                    })
                    .collect(),
            ),
            other => Cell::Text(other.to_string()),
        };
        cells.push((key, cell));
    }
    Row { line, cells }
}

/// Which column gives each field in this table.
fn resolve_columns(ctx: &Context, header: &[String]) -> Result<Vec<(Field, String)>, ParseError> {
    let mut out: Vec<(Field, String)> = Vec::new();
    for (field, column) in &ctx.columns {
        let f = Field::from_name(field).ok_or_else(|| {
            ParseError::whole(format!(
                "--map {field}={column}: no such field; the fields are {}",
                Field::ALL.map(Field::name).join(", ")
            ))
        })?;
        let c = normalize(column);
        if !header.contains(&c) {
            return Err(ParseError::at_line(
                1,
                format!("--map {field}={column}: the table has no column {column:?}; its columns are {}", header.join(", ")),
            ));
        }
        out.push((f, c));
    }
    for f in Field::ALL {
        if out.iter().any(|(g, _)| *g == f) {
            continue;
        }
        if let Some(c) = f.names().iter().find(|n| header.iter().any(|h| h == *n)) {
            out.push((f, c.to_string()));
        }
    }
    Ok(out)
}

fn read_rows<S: Sink>(
    ctx: &Context,
    (header, rows): (Vec<String>, Vec<Row>),
    sink: &mut S,
) -> Result<(), ReadError<S::Error>> {
    let columns = resolve_columns(ctx, &header)?;
    let col = |f: Field| {
        columns
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, c)| c.as_str())
    };
    if col(Field::Id).is_none() && col(Field::Number).is_none() && col(Field::Title).is_none() {
        return Err(ParseError::at_line(
            1,
            format!(
                "no column names a video: expected one of {} (or --map id=COLUMN); the columns are {}",
                Field::Id.names().join(", "),
                header.join(", ")
            ),
        )
        .into());
    }
    let mut episodes: Vec<Episode> = Vec::new();
    for row in &rows {
        match episode_of(row, &col) {
            Ok(ep) => episodes.push(ep),
            Err(message) => sink
                .warning(Warning::episode(
                    row.line,
                    format!("row left out: {message}"),
                ))
                .map_err(ReadError::Sink)?,
        }
    }
    if col(Field::Number).is_none() {
        number_by_date(&mut episodes);
    }
    for ep in episodes {
        sink.episode(ep).map_err(ReadError::Sink)?;
    }
    Ok(())
}

fn episode_of<'a>(row: &Row, col: &impl Fn(Field) -> Option<&'a str>) -> Result<Episode, String> {
    let get = |f: Field| col(f).and_then(|c| row.text(c));
    let video_id = match get(Field::Id) {
        Some(v) => VideoId::from_url(v),
        None => None,
    }
    .or_else(|| get(Field::Url).and_then(VideoId::from_url));
    let number = get(Field::Number).map(values::number).transpose()?;
    let published = get(Field::Published).map(values::date).transpose()?;
    let duration_ms = get(Field::Duration).map(values::duration_ms).transpose()?;
    let title = get(Field::Title).map(|t| t.trim().to_string());
    let guests = match get(Field::Guests) {
        Some(g) => values::names(g),
        None => title.as_deref().map(guests_from_title).unwrap_or_default(),
    };
    let url = get(Field::Url)
        .filter(|u| u.starts_with("http"))
        .map(|u| u.trim().to_string())
        .or_else(|| video_id.as_ref().map(VideoId::url));
    if video_id.is_none() && number.is_none() && title.is_none() {
        return Err("it names no video: no id, no number, no title".into());
    }
    let chapters = row
        .cells
        .iter()
        .find_map(|(_, c)| match c {
            Cell::Chapters(ch) => Some(ch.clone()),
            Cell::Text(_) => None,
        })
        .unwrap_or_default();
    Ok(Episode {
        meta: EpisodeMeta {
            number,
            video_id: video_id.map(|v| v.to_string()),
            title,
            guests,
            published,
            url,
            duration_ms,
            description: get(Field::Description).map(|d| d.replace("\r\n", "\n")),
            tags: get(Field::Tags).map(values::list).unwrap_or_default(),
            channel: None,
            channel_url: None,
        },
        chapters,
        line: Some(row.line),
        ..Default::default()
    })
}

/// Numbers the rows of a table that has no numbers by date, oldest = 1, as a
/// channel's uploads are numbered. Rows of the same day keep the order the
/// table implies: a table listed newest first (as channels list) has its
/// older upload of a day further down. Rows without a date come last.
fn number_by_date(episodes: &mut [Episode]) {
    let dates: Vec<&str> = episodes
        .iter()
        .filter_map(|e| e.meta.published.as_deref())
        .collect();
    let descending = dates.windows(2).filter(|w| w[0] > w[1]).count()
        > dates.windows(2).filter(|w| w[0] < w[1]).count();
    let mut order: Vec<usize> = (0..episodes.len()).collect();
    order.sort_by(|&a, &b| {
        let (da, db) = (&episodes[a].meta.published, &episodes[b].meta.published);
        let by_date = match (da, db) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        let by_place = if descending && da.is_some() {
            b.cmp(&a)
        } else {
            a.cmp(&b)
        };
        by_date.then(by_place)
    });
    for (n, &i) in order.iter().enumerate() {
        episodes[i].number_hint = u32::try_from(n + 1).ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podcorpus_core::Collect;

    fn read(name: &str, text: &str, columns: &[(&str, &str)]) -> Collect {
        let ctx = Context {
            columns: columns
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            ..Default::default()
        };
        assert!(Table.sniff(name, text.as_bytes()), "{name} is recognised");
        let mut c = Collect::default();
        Table.read(&ctx, text, &mut c).expect("reads");
        c
    }

    const PODCAST: &str = include_str!("../tests/fixtures/tables/lex-fridman-podcast-episodes.csv");
    const LEXITALK: &str = include_str!("../tests/fixtures/tables/lexitalk-podcast-episodes.csv");
    const UPLOADS: &str = include_str!("../tests/fixtures/tables/lexitalk-channel-uploads.csv");

    #[test]
    fn the_podcast_table_with_bom_index_column_and_quoted_newlines() {
        let c = read("lex-fridman-podcast-episodes.csv", PODCAST, &[]);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let e = c
            .episodes
            .iter()
            .find(|e| e.meta.number == Some(316))
            .expect("episode 316 is in the slice");
        assert_eq!(e.meta.video_id.as_deref(), Some("7uHGlfeCBbE"));
        assert_eq!(e.meta.guests, vec!["Noam Chomsky"]);
        assert_eq!(e.meta.published.as_deref(), Some("2022-08-31"));
        assert!(e
            .meta
            .description
            .as_deref()
            .is_some_and(|d| d.contains("OUTLINE:\n0:00 - Introduction")));
        assert!(e.meta.duration_ms.is_some());
        assert!(e.meta.tags.iter().any(|t| t == "lex fridman"));
        // The description spans many lines; the next row's line is where it starts.
        assert!(c.episodes.windows(2).all(|w| w[0].line < w[1].line));
    }

    #[test]
    fn the_lexitalk_tables() {
        let c = read("lexitalk-podcast-episodes.csv", LEXITALK, &[]);
        let e = &c.episodes[0];
        assert_eq!(e.meta.number, Some(1));
        assert_eq!(
            e.meta.title.as_deref(),
            Some("Max Tegmark: Life 3.0 | Lex Fridman Podcast #1")
        );
        assert_eq!(e.meta.duration_ms, Some(4_978_000));
        assert_eq!(e.meta.guests, vec!["Max Tegmark"]);
        // No number column: numbered by date, oldest = 1, a day's ties in
        // upload order (the table lists newest first).
        let c = read("lexitalk-channel-uploads.csv", UPLOADS, &[]);
        let by_number = |n: u32| {
            c.episodes
                .iter()
                .find(|e| e.meta.number.is_none() && e.number_hint == Some(n))
                .expect("numbered")
        };
        assert_eq!(by_number(1).meta.video_id.as_deref(), Some("o8nZaDw_mOs"));
        assert_eq!(by_number(2).meta.video_id.as_deref(), Some("94MBVD_tZeU"));
        assert_eq!(by_number(3).meta.video_id.as_deref(), Some("qySBeiY8EqA"));
        assert_eq!(by_number(1).meta.guests, vec!["Ido Portal"]);
    }

    #[test]
    fn bad_rows_are_left_out_with_their_line() {
        let text = "video_id,number,publish_date\nGi8LUnhP5yU,1,2018-04-19\npiHkfmeU7Wo,2,yesterday\n,,\nepQxfSp-rdU,3,2018-10-17\n";
        let c = read("t.csv", text, &[]);
        assert_eq!(c.episodes.len(), 2);
        let lines: Vec<u64> = c.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert!(c.warnings[0]
            .message
            .contains("\"yesterday\" is not a date"));
    }

    #[test]
    fn tsv_jsonl_and_a_mapped_column() {
        let c = read(
            "t.tsv",
            "episode\tname\tdate\n7\tJeff Atwood: Stack Overflow\t20181129\n",
            &[("title", "name")],
        );
        let e = &c.episodes[0];
        assert_eq!(
            (e.meta.number, e.meta.published.as_deref()),
            (Some(7), Some("2018-11-29"))
        );
        assert_eq!(e.meta.title.as_deref(), Some("Jeff Atwood: Stack Overflow"));
        let c = read(
            "t.jsonl",
            "{\"id\": \"KZkYSSE8HHI\", \"episode_number\": 7.0, \"tags\": [\"a\", \"b\"], \"duration\": 4809}\n",
            &[],
        );
        assert_eq!(c.episodes[0].meta.tags, vec!["a", "b"]);
        assert_eq!(c.episodes[0].meta.duration_ms, Some(4_809_000));
        let mut sink = Collect::default();
        let ctx = Context {
            columns: vec![("title".into(), "nope".into())],
            ..Default::default()
        };
        let err = Table
            .read(&ctx, "id,title\nKZkYSSE8HHI,x\n", &mut sink)
            .expect_err("unknown column");
        assert!(err.to_string().contains("no column \"nope\""), "{err}");
    }

    #[test]
    fn ytdlp_listing_and_dump_json_lines() {
        let listing = include_str!("../tests/fixtures/tables/lexclips-flat-playlist.json");
        let c = read("channel.json", listing, &[]);
        assert!(c.episodes.len() >= 3);
        // Newest first in the listing: the last entry is number 1.
        let last = c.episodes.last().expect("entries");
        assert_eq!(
            last.meta.number,
            Some(1),
            "the listing's own place is a number"
        );
        let line = r#"{"id": "7uHGlfeCBbE", "title": "Noam Chomsky: Putin, Ukraine, China, and Hope | Lex Fridman Podcast #316", "upload_date": "20220831", "duration": 2851, "extractor": "youtube", "chapters": [{"start_time": 0.0, "title": "Introduction", "end_time": 111.0}, {"start_time": 111.0, "title": "Putin's motivations"}]}"#;
        let c = read("dump.json", line, &[]);
        let e = &c.episodes[0];
        assert_eq!(e.meta.published.as_deref(), Some("2022-08-31"));
        assert_eq!(e.chapters.len(), 2);
        assert_eq!(e.chapters[1].start_ms, Some(111_000));
        assert_eq!(e.meta.guests, vec!["Noam Chomsky"]);
    }
}
