//! SVG charts (plotters): Zipf rank–frequency, words per episode, speaking-rate
//! distribution, top keywords of an episode, WER per episode, an episode's
//! comments over time, a pattern's dispersion (AntConc's barcode rows) and
//! trends per period (the Ngram Viewer's lines). Each takes plain
//! numbers and returns the SVG as a string, so the CLI (which writes it to a
//! file, [`write`]) and the web layer (which puts it in a page) draw the same
//! charts, and the server never touches the filesystem.

use crate::comments::{Bucket, CommentStats};
use crate::corpus::Corpus;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// A chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw {chart}: {reason}")]
pub struct PlotError {
    /// The chart (its title), or the file it was being written to.
    pub chart: String,
    /// What plotters or the filesystem reported.
    pub reason: String,
}

/// A chart drawn, with the file name the CLI gives it.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name, e.g. `zipf.svg`.
    pub name: &'static str,
    /// The SVG document.
    pub svg: String,
}

/// Writes a drawn SVG to `path`.
pub fn write(path: &Path, svg: &str) -> Result<(), PlotError> {
    std::fs::write(path, svg).map_err(|e| PlotError {
        chart: path.display().to_string(),
        reason: e.to_string(),
    })
}

const SIZE: (u32, u32) = (960, 600);
const TITLE: (&str, u32) = ("sans-serif", 26);
const LABEL: (&str, u32) = ("sans-serif", 18);

fn err(chart: &str) -> impl Fn(String) -> PlotError + '_ {
    move |reason| PlotError {
        chart: chart.to_string(),
        reason,
    }
}

/// A chart frame with the title and the label areas every chart here uses.
fn frame<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    y_area: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(root);
    b.caption(title, TITLE)
        .margin(20)
        .x_label_area_size(55)
        .y_label_area_size(y_area);
    b
}

macro_rules! try_plot {
    ($chart:expr, $e:expr) => {
        $e.map_err(|e| err($chart)(e.to_string()))?
    };
}

/// Zipf's law: frequency against rank, both on log scales. `freqs` sorted
/// descending.
pub fn zipf(freqs: &[u64]) -> Result<String, PlotError> {
    let what = "the Zipf chart";
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        try_plot!(what, root.fill(&WHITE));
        let max_rank = freqs.len().max(2) as f64;
        let max_f = freqs.first().copied().unwrap_or(1).max(2) as f64;
        let mut chart = try_plot!(
            what,
            frame(&root, "Zipf: word frequency against rank", 80).build_cartesian_2d(
                (1f64..max_rank).log_scale(),
                (1f64..max_f * 1.5).log_scale()
            )
        );
        try_plot!(
            what,
            chart
                .configure_mesh()
                .x_desc("rank (log scale)")
                .y_desc("frequency (log scale)")
                .axis_desc_style(LABEL)
                .label_style(("sans-serif", 15))
                .x_label_formatter(&|v| format!("{v:.0}"))
                .y_label_formatter(&|v| format!("{v:.0}"))
                .draw()
        );
        // Every rank up to 1000, then a thinned series: the SVG stays small.
        let points = freqs
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 1000 || i % (1 + i / 1000) == 0)
            .map(|(i, &f)| ((i + 1) as f64, f.max(1) as f64));
        try_plot!(
            what,
            chart.draw_series(LineSeries::new(points, BLUE.stroke_width(2)))
        );
        try_plot!(what, root.present());
    }
    Ok(svg)
}

/// A series of (x, y) points as a line with markers: `x_desc` says what x is.
pub fn line(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    points: &[(f64, f64)],
) -> Result<String, PlotError> {
    let what = title;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        try_plot!(what, root.fill(&WHITE));
        let (x0, x1) = bounds(points.iter().map(|p| p.0));
        let (_, y1) = bounds(points.iter().map(|p| p.1));
        let mut chart = try_plot!(
            what,
            frame(&root, title, 80).build_cartesian_2d(x0..x1, 0f64..y1 * 1.1)
        );
        try_plot!(
            what,
            chart
                .configure_mesh()
                .x_desc(x_desc)
                .y_desc(y_desc)
                .axis_desc_style(LABEL)
                .label_style(("sans-serif", 15))
                .x_label_formatter(&tick)
                .y_label_formatter(&tick)
                .draw()
        );
        try_plot!(
            what,
            chart.draw_series(LineSeries::new(points.iter().copied(), BLUE.mix(0.5)))
        );
        try_plot!(
            what,
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, BLUE.filled())))
        );
        try_plot!(what, root.present());
    }
    Ok(svg)
}

/// A histogram of `values` in `bins` equal bins.
pub fn histogram(
    title: &str,
    x_desc: &str,
    values: &[f64],
    bins: usize,
) -> Result<String, PlotError> {
    let what = title;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        try_plot!(what, root.fill(&WHITE));
        let (lo, hi) = bounds(values.iter().copied());
        let bins = bins.max(1);
        let width = (hi - lo) / bins as f64;
        let mut counts = vec![0u32; bins];
        for &v in values {
            let b = (((v - lo) / width) as usize).min(bins - 1);
            counts[b] += 1;
        }
        let top = counts.iter().copied().max().unwrap_or(1).max(1);
        let mut chart = try_plot!(
            what,
            frame(&root, title, 70).build_cartesian_2d(lo..hi, 0u32..top + top / 10 + 1)
        );
        try_plot!(
            what,
            chart
                .configure_mesh()
                .x_desc(x_desc)
                .y_desc("episodes")
                .axis_desc_style(LABEL)
                .label_style(("sans-serif", 15))
                .draw()
        );
        try_plot!(
            what,
            chart.draw_series(counts.iter().enumerate().map(|(i, &c)| {
                let x = lo + i as f64 * width;
                Rectangle::new([(x, 0), (x + width, c)], BLUE.mix(0.6).filled())
            }))
        );
        try_plot!(what, root.present());
    }
    Ok(svg)
}

/// Horizontal bars, one per label, longest first from the top.
pub fn bars(title: &str, x_desc: &str, items: &[(String, f64)]) -> Result<String, PlotError> {
    let what = title;
    let height = (120 + 28 * items.len() as u32).max(300);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        try_plot!(what, root.fill(&WHITE));
        let max = items.iter().map(|i| i.1).fold(0.0, f64::max).max(1e-9);
        let n = items.len().max(1);
        let mut chart = try_plot!(
            what,
            frame(&root, title, 10).build_cartesian_2d(0f64..max * 1.1, 0f64..n as f64)
        );
        try_plot!(
            what,
            chart
                .configure_mesh()
                .disable_y_mesh()
                .disable_y_axis()
                .x_desc(x_desc)
                .axis_desc_style(LABEL)
                .label_style(("sans-serif", 15))
                .draw()
        );
        try_plot!(
            what,
            chart.draw_series(items.iter().enumerate().map(|(k, (_, v))| {
                let y = (n - k - 1) as f64;
                Rectangle::new([(0.0, y + 0.15), (*v, y + 0.85)], BLUE.mix(0.35).filled())
            }))
        );
        // Each bar's label written on it, from its left end: always readable,
        // however long the word.
        let text =
            TextStyle::from(("sans-serif", 16).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        try_plot!(
            what,
            chart.draw_series(items.iter().enumerate().map(|(k, (label, v))| {
                let y = (n - k - 1) as f64 + 0.5;
                Text::new(format!("{label}  {v:.1}"), (max * 0.005, y), text.clone())
            }))
        );
        try_plot!(what, root.present());
    }
    Ok(svg)
}

/// Tick labels without a useless `.0` on large numbers.
fn tick(v: &f64) -> String {
    if v.abs() >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-9 {
        return (lo - 1.0, hi + 1.0);
    }
    (lo, hi)
}

/// Zipf, words per episode (by date when every episode has one, else by
/// number) and the speaking-rate distribution of a corpus, in that order.
pub fn corpus_charts(corpus: &Corpus) -> Result<Vec<Chart>, PlotError> {
    let mut freqs = corpus.vocab.counts.clone();
    freqs.sort_unstable_by(|a, b| b.cmp(a));
    let zipf = zipf(&freqs)?;
    let by_date = corpus
        .docs
        .iter()
        .all(|d| d.published.as_deref().and_then(year_fraction).is_some());
    let points: Vec<(f64, f64)> = corpus
        .docs
        .iter()
        .map(|d| {
            let x = if by_date {
                d.published
                    .as_deref()
                    .and_then(year_fraction)
                    .unwrap_or(0.0)
            } else {
                d.number as f64
            };
            (x, d.words as f64)
        })
        .collect();
    let x_desc = if by_date {
        "publication date (year)"
    } else {
        "episode number"
    };
    let words = line("Words per episode", x_desc, "words", &points)?;
    let rates: Vec<f64> = corpus
        .docs
        .iter()
        .filter(|d| d.timed_ms > 0)
        .map(|d| d.timed_words as f64 / (d.timed_ms as f64 / 60_000.0))
        .collect();
    let rate = histogram("Speaking rate per episode", "words per minute", &rates, 30)?;
    Ok(vec![
        Chart {
            name: "zipf.svg",
            svg: zipf,
        },
        Chart {
            name: "words_per_episode.svg",
            svg: words,
        },
        Chart {
            name: "speaking_rate.svg",
            svg: rate,
        },
    ])
}

/// `YYYY-MM-DD` as a fractional year.
fn year_fraction(date: &str) -> Option<f64> {
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (
        parts.next()??,
        parts.next().flatten().unwrap_or(1),
        parts.next().flatten().unwrap_or(1),
    );
    Some(y as f64 + (m.saturating_sub(1) as f64 * 30.4 + d as f64) / 365.25)
}

/// An episode's comments per period (oldest at the top), as
/// `comments_over_time.svg`; `None` when no comment has a time.
pub fn comments_chart(stats: &CommentStats) -> Result<Option<Chart>, PlotError> {
    let Some(bucket) = stats.bucket else {
        return Ok(None);
    };
    let title = match bucket {
        Bucket::Day => "Comments per day (UTC)",
        Bucket::Week => "Comments per week (from Monday, UTC)",
        Bucket::Month => "Comments per month (UTC)",
    };
    let items: Vec<(String, f64)> = stats
        .over_time
        .iter()
        .map(|p| (p.period.clone(), p.count as f64))
        .collect();
    Ok(Some(Chart {
        name: "comments_over_time.svg",
        svg: bars(title, "comments", &items)?,
    }))
}

/// Pixel columns of a dispersion row: hits closer than one column apart
/// share one mark, so that a word with a million hits still draws a small
/// SVG (and looks the same, as a barcode).
const BARCODE_COLUMNS: usize = 800;

/// AntConc's concordance plot: one barcode row per episode, a mark where
/// each hit falls (as a fraction of the episode's tokens), the episode's
/// name and hit count on the left.
pub fn dispersion(d: &crate::dispersion::Dispersion) -> Result<String, PlotError> {
    let what = "the dispersion plot";
    let rows = d.episodes.len().max(1);
    let (left, top, row_h) = (190i32, 70i32, 22i32);
    let width = left as u32 + BARCODE_COLUMNS as u32 + 30;
    let height = top as u32 + rows as u32 * row_h as u32 + 40;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        try_plot!(what, root.fill(&WHITE));
        let m = &d.measures;
        let fmt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.3}"));
        let title = format!(
            "Dispersion of {:?}: {} hits in {} of {} episodes, DP {}, DPnorm {}, D {}",
            d.query,
            m.hits,
            m.range,
            m.parts,
            fmt(m.dp),
            fmt(m.dp_norm),
            fmt(m.juilland_d)
        );
        let head = TextStyle::from(("sans-serif", 18).into_font());
        try_plot!(what, root.draw(&Text::new(title, (10, 15), head)));
        let label =
            TextStyle::from(("sans-serif", 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        let small =
            TextStyle::from(("sans-serif", 12).into_font()).pos(Pos::new(HPos::Center, VPos::Top));
        // The scale above the rows: 0 to 100 % of each episode.
        for k in 0..=4 {
            let x = left + (BARCODE_COLUMNS as i32 * k) / 4;
            let text = format!("{}%", k * 25);
            try_plot!(
                what,
                root.draw(&Text::new(text, (x, top - 22), small.clone()))
            );
        }
        let cols = BARCODE_COLUMNS as i32;
        for (i, p) in d.episodes.iter().enumerate() {
            let y = top + i as i32 * row_h;
            try_plot!(
                what,
                root.draw(&Rectangle::new(
                    [(left, y + 2), (left + cols, y + row_h - 2)],
                    RGBColor(0xf2, 0xf2, 0xf5).filled()
                ))
            );
            let name = format!("{} ({})", p.episode, p.hits);
            try_plot!(
                what,
                root.draw(&Text::new(name, (10, y + row_h / 2), label.clone()))
            );
            let mut seen = vec![false; BARCODE_COLUMNS];
            for &f in &p.positions {
                let c = ((f * BARCODE_COLUMNS as f64) as usize).min(BARCODE_COLUMNS - 1);
                if std::mem::replace(&mut seen[c], true) {
                    continue;
                }
                let x = left + c as i32;
                try_plot!(
                    what,
                    root.draw(&PathElement::new(
                        [(x, y + 2), (x, y + row_h - 2)],
                        BLACK.stroke_width(1)
                    ))
                );
            }
        }
        try_plot!(what, root.present());
    }
    Ok(svg)
}

/// Colours of the trend lines, one per term (then repeating).
const SERIES: [RGBColor; 6] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
];

/// The Ngram Viewer's chart: per term a line of occurrences per million
/// tokens over the periods (x: the period's start as a fractional year).
pub fn trend(rows: &[crate::trend::TrendRow]) -> Result<String, PlotError> {
    let what = "the trend chart";
    let x_of = |p: &str| -> f64 {
        let year = p
            .get(..4)
            .and_then(|y| y.parse::<f64>().ok())
            .unwrap_or(0.0);
        let month = p
            .get(5..7)
            .and_then(|m| m.parse::<f64>().ok())
            .unwrap_or(1.0);
        year + (month - 1.0) / 12.0
    };
    let mut terms: Vec<&str> = Vec::new();
    for r in rows {
        if !terms.contains(&r.term.as_str()) {
            terms.push(&r.term);
        }
    }
    let monthly = rows.iter().any(|r| r.period.len() > 4);
    let (x0, x1) = bounds(rows.iter().map(|r| x_of(&r.period)));
    let (_, y1) = bounds(rows.iter().map(|r| r.per_million).chain([0.0]));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        try_plot!(what, root.fill(&WHITE));
        let title = format!(
            "Occurrences per million tokens, by {}",
            if monthly { "month" } else { "year" }
        );
        let pad = if monthly { 1.0 / 12.0 } else { 0.5 };
        let mut chart = try_plot!(
            what,
            frame(&root, &title, 80).build_cartesian_2d(x0 - pad..x1 + pad, 0f64..y1 * 1.1)
        );
        let year_tick = |v: &f64| {
            if monthly {
                let y = v.floor();
                let m = ((v - y) * 12.0).round() as u32 + 1;
                format!("{y:.0}-{m:02}")
            } else {
                format!("{v:.0}")
            }
        };
        try_plot!(
            what,
            chart
                .configure_mesh()
                .x_desc("publication date")
                .y_desc("per million tokens")
                .axis_desc_style(LABEL)
                .label_style(("sans-serif", 15))
                .x_label_formatter(&year_tick)
                .y_label_formatter(&tick)
                .draw()
        );
        for (k, term) in terms.iter().enumerate() {
            let color = SERIES[k % SERIES.len()];
            let points: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r.term == *term)
                .map(|r| (x_of(&r.period), r.per_million))
                .collect();
            try_plot!(
                what,
                chart
                    .draw_series(LineSeries::new(
                        points.iter().copied(),
                        color.stroke_width(2)
                    ))
                    .map(|s| {
                        s.label(term.to_string()).legend(move |(x, y)| {
                            PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2))
                        })
                    })
            );
            try_plot!(
                what,
                chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))
            );
        }
        try_plot!(
            what,
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .label_font(("sans-serif", 16))
                .draw()
        );
        try_plot!(what, root.present());
    }
    Ok(svg)
}
