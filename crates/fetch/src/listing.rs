//! yt-dlp's `--flat-playlist -J` output (a playlist of entries, or a single
//! video) and the plan made from it: which videos to fetch, in what order,
//! with which episode numbers.

use podcorpus_store::fetch_state::FetchItem;
use serde::Deserialize;
use std::collections::HashSet;

/// A listing: a channel tab, a playlist, or one video.
#[derive(Debug, Clone, Deserialize)]
pub struct Listing {
    /// `playlist`, `video`, `url`, ...
    #[serde(rename = "_type")]
    pub kind: Option<String>,
    /// Playlist or video id.
    pub id: Option<String>,
    /// Playlist or video title.
    pub title: Option<String>,
    /// The entries of a playlist; absent for a single video.
    #[serde(default)]
    pub entries: Vec<Option<Entry>>,
    /// The address yt-dlp resolved.
    pub webpage_url: Option<String>,
}

/// One entry of a flat listing.
#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    /// `url` for entries that are only a pointer (YouTube), absent for full ones.
    #[serde(rename = "_type")]
    pub kind: Option<String>,
    /// Video id.
    pub id: Option<String>,
    /// The video's own address, when the entry is a pointer.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Seconds.
    pub duration: Option<f64>,
    /// Unix time of upload, when the listing has it.
    pub timestamp: Option<i64>,
    /// `YYYYMMDD`, when the listing has it.
    pub upload_date: Option<String>,
}

/// Which videos a fetch takes.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Selection {
    /// At most this many videos (after the other filters).
    pub limit: Option<usize>,
    /// Leave out shorts (`/shorts/` addresses, or 60 s and less).
    pub no_shorts: bool,
    /// Leave out videos shorter than this many seconds.
    pub min_duration: Option<f64>,
    /// Fetch again videos already in the corpus.
    pub refresh: bool,
    /// Only videos uploaded on or after this ISO date (when the listing tells).
    pub since: Option<String>,
    /// Only videos uploaded on or before this ISO date (when the listing tells).
    pub until: Option<String>,
}

/// Parses yt-dlp's JSON listing.
pub fn parse(json: &str) -> Result<Listing, String> {
    serde_json::from_str(json).map_err(|e| {
        format!(
            "yt-dlp's listing is not the JSON expected (line {}, column {}: {e})",
            e.line(),
            e.column()
        )
    })
}

/// Turns a listing into the run's items: every entry in listing order, each
/// `pending` or `skipped` with the reason. Episode numbers follow upload
/// order, oldest = 1: a channel tab lists newest first, so its numbers count
/// down from the listing's length; a playlist keeps its own order; a single
/// video gets no number (the collection's next).
pub fn plan(
    listing: &Listing,
    run_url: &str,
    channel_order: bool,
    selection: &Selection,
    known: &HashSet<String>,
) -> Vec<FetchItem> {
    if listing.entries.is_empty() && listing.kind.as_deref() != Some("playlist") {
        let url = listing
            .webpage_url
            .clone()
            .unwrap_or_else(|| run_url.to_string());
        let mut item = item(
            1,
            listing.id.clone(),
            url,
            None,
            listing.title.clone(),
            None,
        );
        skip_known(&mut item, known, selection.refresh);
        return vec![item];
    }
    let total = listing.entries.len() as i64;
    let mut taken = 0usize;
    let mut items = Vec::with_capacity(listing.entries.len());
    for (i, entry) in listing.entries.iter().enumerate() {
        let idx = i as i64 + 1;
        let number = if channel_order { total - idx + 1 } else { idx };
        let Some(e) = entry else {
            let mut it = item(
                idx,
                None,
                run_url.to_string(),
                Some(idx),
                None,
                Some(number),
            );
            it.status = "skipped".into();
            it.reason = Some("the listing has no entry here (deleted or private video)".into());
            items.push(it);
            continue;
        };
        // A pointer entry has its own URL; a full entry is fetched as item N of the run's URL.
        let (url, playlist_item) = match (&e.kind, &e.url) {
            (Some(k), Some(u)) if k == "url" || k == "url_transparent" => (u.clone(), None),
            _ => (run_url.to_string(), Some(idx)),
        };
        let mut it = item(
            idx,
            e.id.clone(),
            url,
            playlist_item,
            e.title.clone(),
            Some(number),
        );
        if let Some(reason) = excluded(e, &it.url, selection) {
            it.status = "skipped".into();
            it.reason = Some(reason);
        } else {
            skip_known(&mut it, known, selection.refresh);
        }
        if it.status == "pending" {
            if selection.limit.is_some_and(|l| taken >= l) {
                it.status = "skipped".into();
                it.reason = Some("beyond --limit".into());
            } else {
                taken += 1;
            }
        }
        items.push(it);
    }
    items
}

fn item(
    idx: i64,
    video_id: Option<String>,
    url: String,
    playlist_item: Option<i64>,
    title: Option<String>,
    number: Option<i64>,
) -> FetchItem {
    FetchItem {
        idx,
        video_id,
        url,
        playlist_item,
        title,
        number,
        status: "pending".into(),
        reason: None,
        attempts: 0,
    }
}

fn skip_known(it: &mut FetchItem, known: &HashSet<String>, refresh: bool) {
    if !refresh && it.video_id.as_ref().is_some_and(|v| known.contains(v)) {
        it.status = "skipped".into();
        it.reason = Some("already in the corpus (--refresh fetches it again)".into());
    }
}

/// Why the selection leaves an entry out, if it does.
fn excluded(e: &Entry, url: &str, s: &Selection) -> Option<String> {
    let short = url.contains("/shorts/") || e.duration.is_some_and(|d| d <= 60.0);
    if s.no_shorts && short {
        return Some("a short (--no-shorts)".into());
    }
    if let (Some(min), Some(d)) = (s.min_duration, e.duration) {
        if d < min {
            return Some(format!("{d:.0} s, shorter than --min-duration {min:.0}"));
        }
    }
    let date = e.upload_date.as_deref().and_then(|d| {
        (d.len() == 8 && d.is_ascii()).then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
    });
    if let Some(date) = date {
        if s.since.as_ref().is_some_and(|since| date < *since) {
            return Some(format!("uploaded {date}, before --since"));
        }
        if s.until.as_ref().is_some_and(|until| date > *until) {
            return Some(format!("uploaded {date}, after --until"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANNEL: &str = include_str!("../tests/fixtures/lexclips-shorts-flat.json");

    #[test]
    fn channel_listing_numbers_oldest_first_and_filters() {
        let l = parse(CHANNEL).expect("parses");
        assert_eq!(l.entries.len(), 5);
        let known: HashSet<String> = ["QkWbP1g2m3k".to_string()].into_iter().collect();
        let items = plan(
            &l,
            "https://www.youtube.com/@LexClips/videos",
            true,
            &Selection::default(),
            &known,
        );
        let summary: Vec<(i64, &str, &str)> = items
            .iter()
            .map(|i| {
                (
                    i.number.unwrap_or(0),
                    i.video_id.as_deref().unwrap_or(""),
                    i.status.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (5, "nTq8fZ3mZ6E", "pending"),
                (4, "C7wG1w2mWQk", "pending"),
                (3, "QkWbP1g2m3k", "skipped"),
                (2, "_ubQ1l9nJ6k", "pending"),
                (1, "bJ9mXe3lYzE", "pending"),
            ]
        );
        assert_eq!(items[0].url, "https://www.youtube.com/watch?v=nTq8fZ3mZ6E");
        assert_eq!(items[0].playlist_item, None);
        let sel = Selection {
            no_shorts: true,
            limit: Some(1),
            ..Default::default()
        };
        let items = plan(&l, "u", true, &sel, &HashSet::new());
        let statuses: Vec<&str> = items.iter().map(|i| i.status.as_str()).collect();
        assert_eq!(
            statuses,
            vec!["pending", "skipped", "skipped", "skipped", "skipped"]
        );
        assert_eq!(items[1].reason.as_deref(), Some("a short (--no-shorts)"));
        assert_eq!(items[2].reason.as_deref(), Some("beyond --limit"));
    }

    #[test]
    fn single_video_and_full_entries() {
        let single = parse(r#"{"_type": "video", "id": "talk1-1", "title": "Talk", "webpage_url": "http://127.0.0.1/v/talk1.html"}"#)
            .expect("parses");
        let items = plan(
            &single,
            "http://127.0.0.1/v/talk1.html",
            false,
            &Selection::default(),
            &HashSet::new(),
        );
        assert_eq!(items.len(), 1);
        assert_eq!((items[0].number, items[0].playlist_item), (None, None));
        let page = parse(r#"{"_type": "playlist", "id": "list", "entries": [{"id": "list-1", "url": "http://h/m1.mp4"}, null]}"#)
            .expect("parses");
        let items = plan(
            &page,
            "http://h/list.html",
            false,
            &Selection::default(),
            &HashSet::new(),
        );
        assert_eq!(
            (
                items[0].url.as_str(),
                items[0].playlist_item,
                items[0].number
            ),
            ("http://h/list.html", Some(1), Some(1))
        );
        assert_eq!(items[1].status, "skipped");
        assert!(parse("<html>").unwrap_err().contains("line 1"));
    }
}
