//! The page frame (head, navigation, footer) and the stylesheet.

use axum::http::header;
use axum::response::IntoResponse;
use maud::{html, Markup, DOCTYPE};

/// Wraps a page body in the common frame.
pub fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · podcorpus" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                header.top {
                    a.brand href="/" { "podcorpus" }
                    nav {
                        a href="/" { "Episodes" }
                        a href="/search" { "Search" }
                        a href="/kwic" { "Concordance" }
                        a href="/stats" { "Stats" }
                        a href="/profile" { "Profile" }
                        a href="/dispersion" { "Dispersion" }
                        a href="/trend" { "Trends" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// `HH:MM:SS` of milliseconds.
pub use podcorpus_core::link::hms;

/// The YouTube address at a second, when the video id is known.
pub fn youtube_at(video_id: Option<&str>, ms: u64) -> Option<String> {
    video_id.map(|id| podcorpus_core::link::youtube_url(id, Some(ms)))
}

/// `GET /style.css`: plain CSS that reads on a laptop and a phone.
pub async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS)
}

const CSS: &str = r#"
:root { --fg:#1d1d1f; --muted:#6b6b70; --line:#e3e3e8; --accent:#0b57d0; --bg:#fff; --mark:#fff3b0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin:0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); overflow-wrap: break-word; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header.top { display:flex; gap:.3rem 1.5rem; align-items:center; padding:.6rem 1rem; border-bottom:1px solid var(--line); flex-wrap:wrap; }
header.top .brand { font-weight:700; color:var(--fg); }
header.top nav { display:flex; gap:.3rem 1rem; flex-wrap:wrap; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size:1.5rem; line-height:1.25; margin:.4rem 0 .8rem; }
table { border-collapse: collapse; width:100%; font-size:.95rem; }
th, td { text-align:left; padding:.35rem .5rem; border-bottom:1px solid var(--line); vertical-align: top; }
th a { color: var(--fg); } td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
form.filters { display:flex; gap:.5rem; flex-wrap:wrap; align-items:center; margin-bottom:1rem; }
input, select, button { font: inherit; padding:.3rem .5rem; max-width:100%; }
label.field { display:inline-flex; align-items:center; gap:.35rem; color: var(--muted); }
.vh { position:absolute; width:1px; height:1px; margin:-1px; padding:0; overflow:hidden; clip-path: inset(50%); white-space:nowrap; border:0; }
.muted { color: var(--muted); } .error { color:#a50e0e; } .modes label { margin-right:.5rem; } .pager { margin: 1rem 0; display:flex; gap:1rem; }
.episode { display:grid; grid-template-columns: 16rem minmax(0, 1fr); gap: 2rem; }
.episode aside { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow:auto; font-size:.9rem; }
.episode aside ol { padding-left: 2rem; }
td.nowrap { white-space: nowrap; }
.para { margin: 0 0 1rem; } .para .ts { font-size:.8rem; margin-right:.4rem; color: var(--muted); }
.para h3 { margin: 1.4rem 0 .4rem; font-size: 1.1rem; }
.summary { background:#f7f7fa; border:1px solid var(--line); border-radius:6px; padding:.6rem .9rem; margin:.8rem 0; white-space: pre-wrap; }
details.comments { margin: .8rem 0; } details.comments summary { cursor: pointer; color: var(--muted); }
ol.threads, ol.replies { list-style: none; padding-left: 0; } ol.replies { padding-left: 1.2rem; border-left: 2px solid var(--line); }
.comment { margin: .5rem 0; white-space: pre-wrap; overflow-wrap: anywhere; } .comment .muted { white-space: normal; font-size: .9rem; }
.badge { display:inline-block; background:#eef3fd; border-radius:4px; padding:0 .4rem; font-size:.85rem; margin-right:.3rem; }
dl.meta { display:grid; grid-template-columns: 8rem minmax(0, 1fr); gap:.2rem .8rem; } dl.meta dt { color: var(--muted); } dl.meta dd { overflow-wrap:anywhere; }
mark { background: var(--mark); }
figure.chart { margin: 1rem 0; } figure.chart svg { max-width: 100%; height: auto; }
table.stats { width: auto; } table.stats th { font-weight: normal; color: var(--muted); }
@media (max-width: 760px) {
  header.top { gap:.2rem 1rem; }
  main { padding: .75rem; }
  .episode { grid-template-columns: minmax(0, 1fr); gap: 0; } .episode aside { position: static; max-height:none; } .hide-s { display:none; }
  .episode aside ol { padding-left: 1.5rem; }
  dl.meta { grid-template-columns: auto minmax(0, 1fr); } dl.meta dd { margin:0; }
  .badge { margin: 0 .3rem .2rem 0; }
  figure.chart { margin: 1rem 0; }
  form.filters input[type=search] { flex: 1 1 100%; }
  form.filters input[type=text] { flex: 1 1 8rem; min-width: 0; }
  form.filters label.date { flex: 1 1 8rem; min-width: 0; flex-direction: column; align-items: stretch; gap: 0; font-size: .9rem; }
  form.filters label.date input { font-size: 1rem; width: 100%; min-width: 0; }
  th, td { padding:.3rem .35rem; }
  ol.hits { padding-left: 1.6rem; }
  /* The episode list (the table under the filters) as one card per episode:
     its title, then number, date and words; the headers sort. */
  form.filters + table, form.filters + table thead, form.filters + table tbody { display:block; }
  form.filters + table tr { display:flex; flex-wrap:wrap; align-items:baseline; gap:0 .8rem; border-bottom:1px solid var(--line); }
  form.filters + table thead tr::before { content:"Sort by"; color: var(--muted); font-size:.9rem; }
  form.filters + table th, form.filters + table td { display:block; border:0; padding:.3rem 0; }
  form.filters + table th { font-size:.9rem; }
  form.filters + table .hide-s { display:none; }
  form.filters + table tbody tr { padding:.35rem 0; }
  form.filters + table tbody td { padding:0; font-size:.9rem; color: var(--muted); }
  form.filters + table tbody td:nth-child(3) { order:-1; flex:1 1 100%; font-size:1rem; }
  form.filters + table tbody td.num { margin-left:auto; }
  form.filters + table tbody td.num::after { content:" words"; }
  /* A concordance line as a sentence with its keyword in bold, where it is from beneath. */
  table.kwic, table.kwic tbody { display:block; }
  table.kwic tr { display:block; padding:.4rem 0; border-bottom:1px solid var(--line); }
  table.kwic td { display:inline; padding:0; border:0; }
  table.kwic td:nth-child(2) { padding:0 .3em; }
  table.kwic td:last-child { display:block; font-size:.9rem; white-space:normal; }
}
"#;
