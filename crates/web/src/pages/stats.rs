//! `GET /stats`: the corpus numbers of `podcorpus stats` and the SVG charts of
//! `stats --plot` for the corpus, and per episode its numbers and top keywords.
//! The corpus is read once and kept: its statistics change only with an import.
//! An episode's numbers are computed once, for the page and the API alike.
//! All of it is CPU work, done on a blocking thread, never on the async ones.

use super::episodes::encode;
use super::layout::{hms, page as frame};
use crate::state::{AppState, WebError};
use axum::extract::{Query, State};
use axum::response::Html;
use maud::{html, Markup, PreEscaped};
use podcorpus_analysis::corpus::Corpus;
use podcorpus_analysis::keyness::{keywords, KeyOptions, Keyword};
use podcorpus_analysis::plots;
use podcorpus_analysis::source::{load_corpus, Selection};
use podcorpus_analysis::stats::{stats, Stats};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The page's query string.
#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    /// An episode (`COLLECTION/NUMBER`) instead of the whole corpus.
    pub episode: Option<String>,
}

/// The corpus with its charts, computed once.
pub struct CorpusView {
    /// The corpus (best source per episode).
    pub corpus: Corpus,
    /// Its statistics.
    pub stats: Stats,
    /// The SVG charts, in order: Zipf, words per episode, speaking rate.
    pub charts: Vec<String>,
    /// Episodes' numbers computed so far, by name.
    episodes: Mutex<HashMap<String, Arc<EpisodeNumbers>>>,
}

/// One episode's numbers: its statistics and its top keywords against the
/// rest of the corpus, with their chart.
pub struct EpisodeNumbers {
    /// `COLLECTION/NUMBER`.
    pub name: String,
    /// As `podcorpus stats --episode`.
    pub stats: Stats,
    /// As `podcorpus keywords` with [`KEYWORDS`].
    pub keywords: Vec<Keyword>,
    /// The keywords' G² as bars (SVG); `None` when it could not be drawn.
    pub chart: Option<String>,
}

/// The keywords an episode's statistics show.
pub const KEYWORDS: KeyOptions = KeyOptions {
    top: 20,
    min_count: 3,
    no_stop: true,
};

/// Reads the corpus and draws its charts. Blocking.
pub fn compute(store: &podcorpus_store::Store) -> Result<CorpusView, WebError> {
    let corpus = load_corpus(store, &Selection::default())?;
    let docs: Vec<_> = corpus.docs.iter().collect();
    let stats = stats(&corpus, &docs);
    let charts = plots::corpus_charts(&corpus)
        .map_err(|e| WebError::BadRequest(e.to_string()))?
        .into_iter()
        .map(|c| c.svg)
        .collect();
    Ok(CorpusView {
        corpus,
        stats,
        charts,
        episodes: Mutex::default(),
    })
}

impl CorpusView {
    /// The numbers of the episode named `name`, computed on first use.
    /// Blocking: G² keyness reads the whole vocabulary.
    pub fn episode(&self, name: &str) -> Result<Arc<EpisodeNumbers>, WebError> {
        if let Some(done) = self.episodes.lock().ok().and_then(|m| m.get(name).cloned()) {
            return Ok(done);
        }
        let Some(i) = self.corpus.docs.iter().position(|d| d.name == name) else {
            return Err(WebError::NotFound(format!(
                "no episode {name:?} in the statistics"
            )));
        };
        let s = stats(&self.corpus, &[&self.corpus.docs[i]]);
        let keys = keywords(&self.corpus, &[i], KEYWORDS);
        let items: Vec<(String, f64)> = keys.iter().map(|k| (k.word.clone(), k.g2)).collect();
        let chart = match plots::bars(
            &format!("Top keywords of {name} (G²)"),
            "G² against the rest of the corpus",
            &items,
        ) {
            Ok(svg) => Some(svg),
            Err(e) => {
                tracing::warn!("{e}");
                None
            }
        };
        let numbers = Arc::new(EpisodeNumbers {
            name: name.to_string(),
            stats: s,
            keywords: keys,
            chart,
        });
        if let Ok(mut m) = self.episodes.lock() {
            m.insert(name.to_string(), numbers.clone());
        }
        Ok(numbers)
    }
}

fn table(s: &Stats) -> Markup {
    let pct = |x: f64| format!("{:.2} %", 100.0 * x);
    let rows: Vec<(&str, String)> = vec![
        ("Transcripts", s.documents.to_string()),
        ("Words", s.words.to_string()),
        ("Tokens", s.tokens.to_string()),
        ("Types", s.types.to_string()),
        ("Type–token ratio", format!("{:.4}", s.ttr)),
        ("MATTR (500)", format!("{:.4}", s.mattr)),
        ("Hapax legomena", s.hapax.to_string()),
        ("Cues", s.cues.to_string()),
        ("Words per cue", format!("{:.2}", s.words_per_cue)),
        (
            "Words per sentence",
            s.words_per_sentence
                .map(|w| format!("{w:.2}"))
                .unwrap_or_else(|| "–".into()),
        ),
        (
            "Speaking rate",
            s.speaking_rate_wpm
                .map(|w| format!("{w:.1} words/min"))
                .unwrap_or_else(|| "–".into()),
        ),
        (
            "Duration",
            s.duration_ms.map(hms).unwrap_or_else(|| "–".into()),
        ),
        ("Fillers", s.fillers.to_string()),
        (
            "Non-speech tags",
            format!("{} ({})", s.nonspeech_tags, pct(s.nonspeech_share)),
        ),
    ];
    html! { table.stats { @for (k, v) in rows { tr { th { (k) } td.num { (v) } } } } }
}

/// `GET /stats`.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<StatsQuery>,
) -> Result<Html<String>, WebError> {
    let body = match q.episode.as_deref().filter(|e| !e.is_empty()) {
        None => {
            let view: Arc<CorpusView> = state.corpus_view().await?;
            html! {
            h1 { "Corpus statistics" }
            p.muted { "Best source of each episode. Numbers as " code { "podcorpus stats" } " prints them." }
            (table(&view.stats))
            @for svg in &view.charts { figure.chart { (PreEscaped(svg)) } }
            h2 { "Per episode" }
            ul { @for d in &view.corpus.docs { li { a href=(format!("/stats?episode={}", encode(&d.name))) { (d.name) } " " span.muted { (d.title.as_deref().unwrap_or("")) } } } }
            }
        }
        Some(name) => {
            let e = state.episode_numbers(name.to_string()).await?;
            let (s, keys, chart) = (&e.stats, &e.keywords, e.chart.as_deref());
            let (c, n) = name.rsplit_once('/').unwrap_or((name, ""));
            html! {
                h1 { "Statistics of " a href=(format!("/e/{}/{}", encode(c), n)) { (name) } }
                (table(s))
                @if let Some(svg) = chart { figure.chart { (PreEscaped(svg)) } }
                h2 { "Keywords" }
                table { tr { th { "word" } th.num { "here" } th.num { "elsewhere" } th.num { "G²" } th.num { "log ratio" } }
                    @for k in keys { tr { td { (k.word) } td.num { (k.target) } td.num { (k.reference) } td.num { (format!("{:.1}", k.g2)) } td.num { (format!("{:.2}", k.log_ratio)) } } } }
            }
        }
    };
    Ok(Html(frame("Statistics", body).into_string()))
}
