//! One fill of a notes document: pick the slots, fetch each one's video into
//! the corpus, write its body, check that the document reads it back as
//! written, then replace the file atomically beside a backup and import it.

use crate::plan::{self, Target, Upload};
use crate::splice;
use crate::FillError;
use podcorpus_core::EpisodeRef;
use podcorpus_export::atomic::AtomicFile;
use podcorpus_export::notes::render_slot;
use podcorpus_export::ExportError;
use podcorpus_fetch::listing::{self, Selection};
use podcorpus_fetch::ytdlp::YtDlp;
use podcorpus_fetch::{args, FetchOptions};
use podcorpus_formats::notes::{slots, PasteStyle, Slot};
use podcorpus_store::export_feed::{ExportEpisode, ExportSelection, ExportSummary};
use podcorpus_store::query::{EpisodeRow, TranscriptFilter};
use podcorpus_store::summaries::NewSummary;
use podcorpus_store::Store;
use podcorpus_summarize::episode::{summarize, summarize_comments, Method};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

/// How a fill runs.
#[derive(Debug, Clone)]
pub struct FillOptions {
    /// How each video is fetched (subtitles, comments, yt-dlp, transcriber).
    /// Its `selection.no_shorts` also applies to `--from`.
    pub fetch: FetchOptions,
    /// A channel whose next videos go into the empty slots of `slots`.
    pub from: Option<String>,
    /// Only these slots (needed with `from`).
    pub slots: Option<RangeInclusive<u32>>,
    /// Print what would change; write neither the document nor its backup.
    pub dry_run: bool,
}

/// A slot that was filled.
#[derive(Debug, Clone, Serialize)]
pub struct FilledSlot {
    /// The slot's number.
    pub slot: u32,
    /// The video's address, as the slot links it.
    pub url: String,
    /// The video's title.
    pub title: Option<String>,
    /// The episode in the corpus (`COLLECTION/NUMBER`).
    pub episode: String,
    /// The transcript's source (`youtube-manual`, `youtube-auto`, ...).
    pub source: String,
    /// Words of the transcript written.
    pub words: u64,
    /// Summaries written into the slot.
    pub summaries: usize,
}

/// A slot that could not be filled and was left as it was.
#[derive(Debug, Clone, Serialize)]
pub struct SlotFailure {
    /// The slot's number.
    pub slot: u32,
    /// The video's address.
    pub url: String,
    /// Why.
    pub reason: String,
}

/// What a fill did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FillReport {
    /// The document.
    pub path: PathBuf,
    /// Slots filled, in slot order.
    pub filled: Vec<FilledSlot>,
    /// Slots that failed, each left as it was.
    pub failed: Vec<SlotFailure>,
    /// The copy of the document as it was before (not on a dry run).
    pub backup: Option<PathBuf>,
    /// Whether the document was rewritten.
    pub written: bool,
    /// On a dry run: the change, as a unified diff.
    pub diff: Option<String>,
    /// Things the user should know that did not stop a slot.
    pub warnings: Vec<String>,
}

/// Fills the slots of the notes document at `path` that have a link and
/// nothing else (and, with `from`, the empty slots of `slots` with the
/// channel's next videos). Videos are fetched into `store`, summarized with
/// `method`, and the document is rewritten in place beside `NAME.bak`. A slot
/// that fails is reported and left as it was; the others still fill.
/// `progress` is told each slot as it starts.
pub fn fill(
    store: &Store,
    path: &Path,
    opts: &FillOptions,
    method: &Method<'_>,
    progress: &dyn Fn(u32, &str),
) -> Result<FillReport, FillError> {
    let original = read(path)?;
    let doc = slots(&original).map_err(|e| FillError::Document {
        path: path.to_path_buf(),
        line: e.line,
        message: e.message.clone(),
    })?;
    let mut report = FillReport {
        path: path.to_path_buf(),
        ..Default::default()
    };
    let mut targets = plan::linked(&doc, opts.slots.as_ref());
    // Located once: finding yt-dlp starts a process.
    let yt = if opts.from.is_some() || !targets.is_empty() {
        Some(YtDlp::locate(opts.fetch.yt_dlp.as_deref())?)
    } else {
        None
    };
    if let (Some(channel), Some(yt)) = (&opts.from, &yt) {
        let range = opts.slots.clone().ok_or_else(|| {
            FillError::Usage("--from needs --slots, the range of slots to put the channel's videos in (e.g. --slots 7..20)".into())
        })?;
        let uploads = uploads(yt, channel, &opts.fetch)?;
        let assigned = plan::assign(&doc, &uploads, &range);
        if assigned.is_empty() {
            report.warnings.push(format!(
                "{channel}: no video of it is newer than those in the document, or slots {}..{} have no empty slot",
                range.start(),
                range.end()
            ));
        }
        targets.extend(assigned);
        targets.sort_by_key(|t| t.slot);
    }
    let mut edits = Vec::new();
    for (k, target) in targets.iter().enumerate() {
        if k > 0 && opts.fetch.sleep_secs > 0.0 {
            // Each slot is a fetch of its own: the politeness pause goes between them.
            std::thread::sleep(std::time::Duration::from_secs_f64(opts.fetch.sleep_secs));
        }
        progress(target.slot, &target.url);
        let Some(slot) = doc.iter().find(|s| s.number == target.slot) else {
            continue;
        };
        let Some(yt) = &yt else { break };
        match fill_slot(
            store,
            yt,
            &original,
            slot,
            target,
            opts,
            method,
            &mut report.warnings,
        ) {
            Ok((body, filled)) => {
                edits.push((slot.body.clone(), body));
                report.filled.push(filled);
            }
            Err(reason) => report.failed.push(SlotFailure {
                slot: target.slot,
                url: target.url.clone(),
                reason,
            }),
        }
    }
    if edits.is_empty() {
        return Ok(report);
    }
    let filled = splice::splice(&original, &edits).map_err(|m| FillError::Document {
        path: path.to_path_buf(),
        line: None,
        message: m,
    })?;
    if opts.dry_run {
        report.diff = Some(splice::unified_diff(
            &path.display().to_string(),
            &original,
            &filled,
        ));
        return Ok(report);
    }
    // Fetching takes minutes: the user may have saved the document meanwhile.
    if read(path)? != original {
        return Err(FillError::Changed(path.to_path_buf()));
    }
    report.backup = Some(write_with_backup(path, &original, &filled)?);
    report.written = true;
    reimport(store, path, &mut report.warnings);
    Ok(report)
}

/// The document's text; a file that is not UTF-8 is refused, naming where.
fn read(path: &Path) -> Result<String, FillError> {
    let bytes = std::fs::read(path).map_err(|source| FillError::Io {
        what: "reading",
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| FillError::Document {
        path: path.to_path_buf(),
        line: None,
        message: format!(
            "not UTF-8 text (byte {}); fill rewrites the document in place, so it must be UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// The channel's uploads, oldest first, without shorts when asked.
fn uploads(yt: &YtDlp, channel: &str, fetch: &FetchOptions) -> Result<Vec<Upload>, FillError> {
    let url = args::normalize_url(channel);
    let listing = podcorpus_fetch::list(yt, &url, &fetch.pass_through)?;
    let selection = Selection {
        no_shorts: fetch.selection.no_shorts,
        min_duration: fetch.selection.min_duration,
        // Videos already in the corpus may still be missing from the document.
        refresh: true,
        ..Selection::default()
    };
    let mut items = listing::plan(
        &listing,
        &url,
        args::is_channel_listing(&url),
        &selection,
        &HashSet::new(),
    );
    // Only videos with an address of their own can be a slot's link.
    items.retain(|i| i.status == "pending" && i.playlist_item.is_none());
    items.sort_by_key(|i| i.number);
    Ok(items
        .into_iter()
        .map(|i| Upload {
            video_id: i.video_id,
            url: own_address(&i.url).to_string(),
        })
        .collect())
}

/// A listing entry's address without the data yt-dlp's generic extractor
/// smuggles into it (`#__youtubedl_smuggle=...`), which is not the user's
/// to read; yt-dlp finds the video from the plain address as well.
fn own_address(url: &str) -> &str {
    url.split_once("#__youtubedl_smuggle=")
        .map_or(url, |(u, _)| u)
}

/// Fetches one slot's video and writes its body; checks that the document
/// reads the body back as written. The error is the reason, for the report.
#[allow(clippy::too_many_arguments)]
fn fill_slot(
    store: &Store,
    yt: &YtDlp,
    original: &str,
    slot: &Slot,
    target: &Target,
    opts: &FillOptions,
    method: &Method<'_>,
    warnings: &mut Vec<String>,
) -> Result<(String, FilledSlot), String> {
    let (row, mut ep) = fetch_episode(store, yt, target, &opts.fetch)?;
    let words = ep.transcript.as_ref().map_or(0, |t| t.words.max(0) as u64);
    let Some(transcript) = ep.transcript.as_ref().filter(|_| words > 0) else {
        return Err(
            "the video has no captions in the requested language (try --lang, or --transcribe-cmd)"
                .into(),
        );
    };
    let source = transcript.source.clone();
    let name = row.name().to_string();
    ep.meta.url = Some(target.url.clone());
    // What the user wrote in the slot stays: their title and date win.
    if let Some(own) = &slot.episode {
        if own.meta.title.is_some() {
            ep.meta.title.clone_from(&own.meta.title);
        }
        if own.meta.published.is_some() {
            ep.meta.published.clone_from(&own.meta.published);
        }
    }
    ep.meta.description = ep.meta.description.as_deref().and_then(first_paragraph);
    ep.summaries = summaries(store, &row, &ep, &source, opts, method, warnings)
        .map_err(|e| format!("summarizing {name}: {e}"))?;
    let mut notes_warnings = Vec::new();
    let mut body = render_slot(&ep, PasteStyle::OwnLine, &mut notes_warnings);
    if reads_back(original, slot, &body, &ep).is_err() && ep.meta.description.is_some() {
        // A description the reader would take for speech is left out rather
        // than the whole slot.
        warnings.push(format!(
            "slot {:02}: the description is left out: it would read back as part of the speech",
            slot.number
        ));
        ep.meta.description = None;
        body = render_slot(&ep, PasteStyle::OwnLine, &mut notes_warnings);
    }
    reads_back(original, slot, &body, &ep)
        .map_err(|why| format!("the filled slot would not read back as written ({why})"))?;
    warnings.extend(
        notes_warnings
            .into_iter()
            .map(|w| format!("slot {:02}: {w}", slot.number)),
    );
    Ok((
        body,
        FilledSlot {
            slot: slot.number,
            url: target.url.clone(),
            title: ep.meta.title.clone(),
            episode: name,
            source,
            words,
            summaries: ep.summaries.len(),
        },
    ))
}

/// Fetches the target's video into the corpus (or finds it there) and reads
/// the episode as the notes writer takes it.
fn fetch_episode(
    store: &Store,
    yt: &YtDlp,
    target: &Target,
    fetch: &FetchOptions,
) -> Result<(EpisodeRow, ExportEpisode), String> {
    let report = podcorpus_fetch::fetch_video(store, yt, &target.url, fetch, &|_, _, _| {})
        .map_err(|e| e.to_string())?;
    if let Some(f) = report.failed.first() {
        return Err(f.reason.clone());
    }
    if let Some(why) = &report.stopped {
        return Err(why.clone());
    }
    let items = store.fetch_items(report.run).map_err(|e| e.to_string())?;
    if let Some(i) = items
        .iter()
        .find(|i| i.status == "skipped" && i.video_id.is_none())
    {
        return Err(i
            .reason
            .clone()
            .unwrap_or_else(|| "the listing has no video here".into()));
    }
    let id = report
        .imported
        .first()
        .cloned()
        .or_else(|| items.iter().find_map(|i| i.video_id.clone()))
        .or_else(|| podcorpus_core::VideoId::from_url(&target.url).map(|v| v.to_string()))
        .ok_or("yt-dlp gave no video id for this address")?;
    let row = store
        .resolve_ref(&EpisodeRef::Unknown(id))
        .map_err(|e| e.to_string())?;
    let sel = ExportSelection {
        episode_ids: Some(vec![row.id]),
        ..ExportSelection::default()
    };
    let item = store
        .export_items(&sel)
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .ok_or("the fetched episode is not in the corpus")?;
    let ep = store.export_episode(&item).map_err(|e| e.to_string())?;
    Ok((row, ep))
}

/// The slot's summaries: the transcript's, and the comments' with
/// `--comments`. Each is stored in the corpus too (once: a summary with the
/// same text is not stored again).
fn summaries(
    store: &Store,
    row: &EpisodeRow,
    ep: &ExportEpisode,
    source: &str,
    opts: &FillOptions,
    method: &Method<'_>,
    warnings: &mut Vec<String>,
) -> Result<Vec<ExportSummary>, String> {
    let t = store
        .transcripts(&TranscriptFilter {
            episode_id: Some(row.id),
            source: Some(source.to_string()),
            ..TranscriptFilter::default()
        })
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .ok_or("its transcript is not in the corpus")?;
    let mut made: Vec<NewSummary> = Vec::new();
    if let Some(s) = summarize(store, &t, method, &mut |_| {}).map_err(|e| e.to_string())? {
        made.push(s);
    }
    if opts.fetch.comments.is_some() {
        let comments = store.comments(row.id, true).map_err(|e| e.to_string())?;
        match summarize_comments(
            store,
            ep.meta.title.as_deref(),
            &comments,
            method,
            &mut |_| {},
        )
        .map_err(|e| e.to_string())?
        {
            Some(s) => made.push(s),
            None => warnings.push(format!(
                "{}: no viewers' comments to summarize (the site gave none, or only spam and the channel's own)",
                row.name()
            )),
        }
    }
    let stored: HashSet<String> = store
        .summaries(row.id, None)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|s| s.summary.text)
        .collect();
    let new: Vec<(i64, NewSummary)> = made
        .iter()
        .filter(|s| !stored.contains(&s.text))
        .map(|s| (row.id, s.clone()))
        .collect();
    store.save_summaries(&new).map_err(|e| e.to_string())?;
    Ok(made
        .into_iter()
        .map(|s| ExportSummary {
            kind: s.kind,
            subject: s.subject,
            method: s.method,
            model: s.model,
            text: s.text,
        })
        .collect())
}

/// The first paragraph of a video description, which is what the notes
/// reader reads as one (YouTube descriptions go on with links, sponsors and
/// an outline, which would read as speech).
fn first_paragraph(description: &str) -> Option<String> {
    let para: Vec<&str> = description
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    (!para.is_empty()).then(|| para.join(" "))
}

/// Whether `body` in place of the slot's body reads back with the episode's
/// title, link, speech and summaries; the mismatch otherwise.
fn reads_back(original: &str, slot: &Slot, body: &str, ep: &ExportEpisode) -> Result<(), String> {
    let text = splice::splice(original, &[(slot.body.clone(), body.to_string())])?;
    let again = slots(&text).map_err(|e| e.to_string())?;
    let read = again
        .iter()
        .find(|s| s.number == slot.number)
        .and_then(|s| s.episode.as_ref())
        .ok_or("the slot reads as empty")?;
    let spoken: Vec<&podcorpus_core::Segment> = ep
        .transcript
        .iter()
        .flat_map(|t| &t.segments)
        .filter(|s| !s.text.is_empty() || !s.events.is_empty())
        .collect();
    let got = read
        .transcripts
        .first()
        .map_or(&[][..], |t| &t.segments[..]);
    if got.len() != spoken.len() {
        return Err(format!(
            "{} captions read back of {}",
            got.len(),
            spoken.len()
        ));
    }
    let words = |t: &str| podcorpus_core::text::count_words(t);
    let want: u64 = spoken.iter().map(|s| words(&s.text)).sum();
    let have: u64 = got.iter().map(|s| words(&s.text)).sum();
    if want != have {
        return Err(format!("{have} words read back of {want}"));
    }
    if read.meta.url != ep.meta.url || read.meta.title != ep.meta.title {
        return Err("the link reads back differently".into());
    }
    if read.meta.description != ep.meta.description {
        return Err("the description reads back differently".into());
    }
    if read.summaries.len() != ep.summaries.len() {
        return Err(format!(
            "{} summaries read back of {}",
            read.summaries.len(),
            ep.summaries.len()
        ));
    }
    Ok(())
}

/// Writes `NAME.bak` with the document as it was, then the filled document;
/// each appears whole or not at all. Returns the backup's path.
fn write_with_backup(path: &Path, original: &str, filled: &str) -> Result<PathBuf, FillError> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    let backup = path.with_file_name(name);
    // AtomicFile's errors name the file and what was being done.
    let write = |dest: &Path, text: &str| -> Result<(), FillError> {
        let mut f = AtomicFile::create(dest)?;
        f.write_all(text.as_bytes())
            .map_err(|e| ExportError::io("write", dest, e))?;
        f.commit()?;
        Ok(())
    };
    write(&backup, original)?;
    write(path, filled)?;
    Ok(backup)
}

/// Imports the written document, so its collection in the corpus holds what
/// the document now does; a failure is a warning (the document is written).
/// The document goes back into the collection it was imported into before
/// (`import --collection NAME` included), else its file stem's.
fn reimport(store: &Store, path: &Path, warnings: &mut Vec<String>) {
    let key = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string();
    let options = podcorpus_ingest::ImportOptions {
        collection: store
            .file_hashes()
            .ok()
            .and_then(|files| files.get(&key).map(|(_, c)| c.clone())),
        ..Default::default()
    };
    let outcome = podcorpus_ingest::discover(&[path.to_path_buf()], &options)
        .map_err(|e| e.to_string())
        .and_then(|(jobs, _)| {
            podcorpus_ingest::import(store, &jobs, &options, &|_| {}).map_err(|e| e.to_string())
        });
    let why = match outcome {
        Ok(r) if r.failed.is_empty() => return,
        Ok(r) => r
            .failed
            .iter()
            .map(|f| f.error.clone())
            .collect::<Vec<_>>()
            .join("; "),
        Err(e) => e,
    };
    warnings.push(format!(
        "{} is written, but importing it failed ({why}); run `podcorpus import {}`",
        path.display(),
        path.display()
    ));
}
