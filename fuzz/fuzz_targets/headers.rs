//! Fuzz target: `Accept-Encoding` and `If-None-Match` header lines (one per
//! input line) never panic; the coding chosen is one the client named with
//! a weight above zero, and `*` or the ETag itself always matches.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_core::headers::{negotiate, none_match, Coding};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines: Vec<&str> = text.lines().collect();
    let chosen = negotiate(lines.iter().copied());
    let items: Vec<String> = lines
        .iter()
        .flat_map(|l| l.split(','))
        .map(|i| i.to_ascii_lowercase())
        .collect();
    let named = |t: &str| {
        items.iter().any(|i| {
            let name = i.split(';').next().unwrap_or("").trim();
            name == t || (t == "gzip" && name == "x-gzip")
        })
    };
    match chosen {
        Coding::Brotli => assert!(named("br"), "{text:?}"),
        Coding::Gzip => assert!(named("gzip"), "{text:?}"),
        Coding::Identity => {}
    }
    let etag = "W/\"1a2b-3\"";
    let _ = none_match(lines.iter().copied(), etag);
    let mut with = lines.clone();
    with.push(etag);
    assert!(none_match(with.iter().copied(), etag));
    with.push("*");
    assert!(none_match(with.iter().copied(), "\"other\""));
});
