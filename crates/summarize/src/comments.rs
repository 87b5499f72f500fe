//! What the audience said, ready to summarize: which comments are left out
//! (spam and self-promotion, the channel's own, empty ones, copies), and
//! the representative ones among the rest — LexRank centrality weighted by
//! likes, near-copies skipped by MMR — each shown with author and likes.

use crate::rank::{self, RankOptions, Vectors};
use podcorpus_core::Comment;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// A comment needs this many words to say something about the video
/// ("First!", "🔥🔥🔥" and "Great" do not).
pub const COMMENT_MIN_WORDS: u64 = 4;
/// The longest a quoted comment gets in an extractive summary, in words.
pub const QUOTE_WORDS: usize = 60;
/// The algorithm name stored for extractive comment summaries.
pub const EXTRACTIVE_COMMENTS_METHOD: &str = "lexrank-likes-mmr";

/// Why a comment is not read as the audience's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOut {
    /// A link, self-promotion or contact bait ([`spam_reason`]).
    Spam,
    /// Written by the channel that uploaded the video: the channel's view
    /// (thanks, timestamps, sponsors), not the audience's.
    Uploader,
    /// Fewer than [`COMMENT_MIN_WORDS`] words.
    Short,
    /// The same words as a more liked comment.
    Duplicate,
}

impl LeftOut {
    /// How a summary names the comments left out for this reason.
    pub fn label(self) -> &'static str {
        match self {
            LeftOut::Spam => "spam or self-promotion",
            LeftOut::Uploader => "by the uploader",
            LeftOut::Short => "too short",
            LeftOut::Duplicate => "repeated",
        }
    }
}

/// Phrases that advertise the writer rather than answer the video.
const SELF_PROMOTION: &[&str] = &[
    "check out my",
    "check my channel",
    "follow me",
    "in my bio",
    "my channel",
    "my instagram",
    "my page",
    "my profile",
    "my youtube",
    "sub to my",
    "subscribe to me",
    "subscribe to my",
    "subscribe now",
    "visit my",
    "watch my",
];

/// Phrases that move the reader to a private channel: the shape of the
/// "contact my advisor on WhatsApp" scams under popular videos.
const CONTACT_BAIT: &[&str] = &[
    "contact her",
    "contact him",
    "contact them",
    "dm me",
    "message me",
    "reach out to her",
    "reach out to him",
    "telegram",
    "text me",
    "whatsapp",
];

/// Endings of a web address written without `http` (`bit.ly`, `foo.com/x`).
const DOMAIN_ENDINGS: &[&str] = &[
    "com", "net", "org", "io", "ly", "me", "gg", "tv", "co", "xyz", "info", "biz", "shop", "link",
];

/// Why `text` reads as spam, when it does: `"a link"`, `"self-promotion"`,
/// `"contact bait"` or `"a phone number"`. The channel's own comments are
/// judged by [`audience`], not here.
pub fn spam_reason(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return Some("a link");
    }
    let has_domain = lower.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let host = w.split('/').next().unwrap_or(w);
        match host.rsplit_once('.') {
            Some((name, end)) => {
                name.chars().any(char::is_alphabetic) && DOMAIN_ENDINGS.contains(&end)
            }
            None => false,
        }
    });
    if has_domain {
        return Some("a link");
    }
    let phrase = |list: &[&str]| list.iter().any(|p| contains_words(&lower, p));
    if phrase(SELF_PROMOTION) {
        return Some("self-promotion");
    }
    if phrase(CONTACT_BAIT) {
        return Some("contact bait");
    }
    if longest_digit_run(&lower) >= 10 {
        return Some("a phone number");
    }
    None
}

/// Whether `phrase` occurs in `text` on word boundaries (so "my page"
/// does not match "my pages" and "dm me" not "admit me").
fn contains_words(text: &str, phrase: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(phrase).any(|(at, _)| {
        boundary(text[..at].chars().next_back())
            && boundary(text[at + phrase.len()..].chars().next())
    })
}

/// The most digits in a row, allowing the separators of a phone number.
fn longest_digit_run(text: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in text.chars() {
        if c.is_ascii_digit() {
            run += 1;
            best = best.max(run);
        } else if !matches!(c, ' ' | '-' | '(' | ')' | '.' | '+') {
            run = 0;
        }
    }
    best
}

/// The text a comment is ranked by: without the `@name` it answers.
fn said(c: &Comment) -> &str {
    let mut t = c.text.trim_start();
    while let Some(rest) = t.strip_prefix('@') {
        t = rest
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r)
            .trim_start();
    }
    t
}

/// Comments sorted into those read as the audience's and those left out.
#[derive(Debug, Clone)]
pub struct Audience<'a> {
    /// The audience's comments, most liked first.
    pub kept: Vec<&'a Comment>,
    /// The others, each with why.
    pub left_out: Vec<(&'a Comment, LeftOut)>,
}

impl Audience<'_> {
    /// How many were left out for each reason.
    pub fn left_out_counts(&self) -> BTreeMap<LeftOut, usize> {
        let mut counts = BTreeMap::new();
        for (_, why) in &self.left_out {
            *counts.entry(*why).or_insert(0) += 1;
        }
        counts
    }

    /// "1 spam or self-promotion, 1 by the uploader", or `None` when
    /// nothing was left out.
    pub fn left_out_note(&self) -> Option<String> {
        let parts: Vec<String> = self
            .left_out_counts()
            .into_iter()
            .map(|(why, n)| format!("{n} {}", why.label()))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Sorts `comments` (any order) into the audience's and the rest; blank
/// ones are neither. Of comments with the same words, the most liked is kept.
pub fn audience(comments: &[Comment]) -> Audience<'_> {
    let mut order: Vec<&Comment> = comments.iter().collect();
    // Stable: equal likes keep the order fetched.
    order.sort_by_key(|c| std::cmp::Reverse(c.likes.map_or(-1, |l| l as i128)));
    let mut seen: HashSet<Vec<String>> = HashSet::new();
    let mut out = Audience {
        kept: Vec::new(),
        left_out: Vec::new(),
    };
    // A comment without text is not read at all.
    for c in order.into_iter().filter(|c| !c.text.trim().is_empty()) {
        let why = if c.by_uploader {
            Some(LeftOut::Uploader)
        } else if spam_reason(&c.text).is_some() {
            Some(LeftOut::Spam)
        } else if podcorpus_core::text::count_words(said(c)) < COMMENT_MIN_WORDS {
            Some(LeftOut::Short)
        } else if !seen.insert(words_of(said(c))) {
            Some(LeftOut::Duplicate)
        } else {
            None
        };
        match why {
            Some(why) => out.left_out.push((c, why)),
            None => out.kept.push(c),
        }
    }
    out
}

/// The lowercased words of a text, which two copies of a comment share.
fn words_of(text: &str) -> Vec<String> {
    podcorpus_core::analyzer::terms(text)
}

/// A comment chosen to represent the audience.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick<'a> {
    /// The comment.
    pub comment: &'a Comment,
    /// Its centrality weighted by likes.
    pub score: f64,
}

/// The weight of a comment's likes: 1 + ln(1 + likes), so a comment a
/// thousand people liked counts about eight times one nobody liked, not a
/// thousand times: likes say it is agreed with, centrality that it is
/// what many others say too.
pub fn likes_weight(likes: Option<u64>) -> f64 {
    1.0 + (likes.unwrap_or(0) as f64).ln_1p()
}

/// Up to `points` of the audience's comments that represent the rest: each
/// comment's LexRank centrality among all of them times
/// [`likes_weight`], chosen by MMR so that no two say the same thing,
/// best first.
pub fn representative<'a>(
    kept: &[&'a Comment],
    points: usize,
    opts: &RankOptions,
) -> Vec<Pick<'a>> {
    let vectors = Vectors::new(kept.iter().map(|c| said(c)));
    let central = rank::lexrank(&vectors, opts.damping);
    let scores: Vec<f64> = central
        .iter()
        .zip(kept)
        .map(|(s, c)| s * likes_weight(c.likes))
        .collect();
    let all: Vec<usize> = (0..kept.len()).collect();
    let mut chosen = rank::mmr(&vectors, &scores, &all, points, opts.lambda);
    chosen.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    chosen
        .into_iter()
        .map(|i| Pick {
            comment: kept[i],
            score: scores[i],
        })
        .collect()
}

/// A comment's text on one line, cut to [`QUOTE_WORDS`] words.
fn quote(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > QUOTE_WORDS {
        format!("{} …", words[..QUOTE_WORDS].join(" "))
    } else {
        words.join(" ")
    }
}

/// Who wrote it and how many liked it: `@judo_dad, 877 likes`.
fn byline(c: &Comment) -> String {
    let likes = c.likes.map(podcorpus_core::text::likes);
    match (c.author.as_deref().filter(|a| !a.is_empty()), likes) {
        (Some(a), Some(l)) => format!("{a}, {l}"),
        (Some(a), None) => a.to_string(),
        (None, Some(l)) => l,
        (None, None) => "anonymous".to_string(),
    }
}

/// The extractive summary of comments: a first line that says what was
/// read and left out, then the representative comments, numbered, each
/// quoted with its author and likes.
pub fn format(picks: &[Pick<'_>], audience: &Audience<'_>) -> String {
    let read = audience.kept.len() + audience.left_out.len();
    let mut out = format!(
        "Representative comments, {} of the {read} read",
        picks.len()
    );
    if let Some(note) = audience.left_out_note() {
        out.push_str(&format!(" (left out: {note})"));
    }
    out.push_str(":\n");
    for (i, p) in picks.iter().enumerate() {
        out.push_str(&format!(
            "{}. “{}” ({})\n",
            i + 1,
            quote(&p.comment.text),
            byline(p.comment)
        ));
    }
    out
}

/// The comments as a language model reads them: one per line, most liked
/// first, each with its author and likes and whether it is a reply.
pub fn lines_for_model(kept: &[&Comment]) -> Vec<String> {
    kept.iter()
        .map(|c| {
            let reply = if c.parent.is_some() { ", a reply" } else { "" };
            format!("- ({}{reply}) {}", byline(c), quote(&c.text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(author: &str, likes: u64, text: &str) -> Comment {
        Comment {
            author: Some(author.into()),
            likes: Some(likes),
            text: text.into(),
            ..Comment::default()
        }
    }

    #[test]
    fn spam_is_told_by_links_promotion_and_contact_bait() {
        for (text, why) in [
            ("Great talk! More at https://example.com/x", "a link"),
            ("free plans at fitplans.io/now", "a link"),
            (
                "Check out my channel for FREE workout plans!!!",
                "self-promotion",
            ),
            ("Subscribe to my podcast, link in my bio", "self-promotion"),
            (
                "I made $40k with Mrs Jane, contact her on WhatsApp",
                "contact bait",
            ),
            ("Call +1 (555) 013-4567 89 for a mentor", "a phone number"),
        ] {
            assert_eq!(spam_reason(text), Some(why), "{text}");
        }
        for text in [
            "Ido Portal is a genius. His idea of a movement practice is so freeing.",
            "The part about the floor as a teacher at 45:10 is gold.",
            "He admits mediocrity is a choice.",
            "My pages of notes from this episode are endless.",
            "In 2019 he said 3.5 out of 10 people train wrong.",
        ] {
            assert_eq!(spam_reason(text), None, "{text}");
        }
    }

    #[test]
    fn audience_leaves_out_the_uploader_spam_short_and_copies() {
        let mut by_channel = comment(
            "@lexfridman",
            412,
            "Thank you all for listening to this one.",
        );
        by_channel.by_uploader = true;
        let comments = vec![
            by_channel,
            comment("@a", 10, "Movement as a lifelong practice is the key idea."),
            comment(
                "@b",
                900,
                "Movement as a lifelong practice is the KEY idea!",
            ),
            comment("@c", 5, "First!"),
            comment("@d", 0, "Check out my channel for workout plans"),
            comment("@e", 3, "@a agreed, training every day is what he means."),
        ];
        let a = audience(&comments);
        let kept: Vec<&str> = a.kept.iter().filter_map(|c| c.author.as_deref()).collect();
        // Most liked first; of the two copies the liked one stays.
        assert_eq!(kept, ["@b", "@e"]);
        let counts = a.left_out_counts();
        assert_eq!(counts[&LeftOut::Uploader], 1);
        assert_eq!(counts[&LeftOut::Duplicate], 1);
        assert_eq!(counts[&LeftOut::Short], 1);
        assert_eq!(counts[&LeftOut::Spam], 1);
        assert_eq!(
            a.left_out_note().as_deref(),
            Some("1 spam or self-promotion, 1 by the uploader, 1 too short, 1 repeated")
        );
    }

    #[test]
    fn likes_lift_a_comment_but_centrality_still_counts() {
        let comments = vec![
            comment("@x", 0, "Training movement every day changed my body."),
            comment("@y", 0, "Movement training every day is the whole message."),
            comment("@z", 0, "Daily movement training keeps the body young."),
            comment("@w", 0, "The soundtrack at the end was lovely."),
        ];
        let kept: Vec<&Comment> = comments.iter().collect();
        let opts = RankOptions::default();
        let picks = representative(&kept, 1, &opts);
        // Without likes the odd one out is never the representative comment.
        assert_ne!(picks[0].comment.author.as_deref(), Some("@w"));
        let mut liked = comments.clone();
        liked[3].likes = Some(5000);
        let kept: Vec<&Comment> = liked.iter().collect();
        let picks = representative(&kept, 1, &opts);
        assert_eq!(picks[0].comment.author.as_deref(), Some("@w"));
        assert!((likes_weight(Some(0)) - 1.0).abs() < 1e-12);
        assert!((likes_weight(Some(1000)) - (1.0 + 1001f64.ln())).abs() < 1e-12);
    }

    #[test]
    fn quotes_are_cut_and_bylines_say_who_and_how_many() {
        let long = (0..80)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let q = quote(&long);
        assert_eq!(q.split_whitespace().count(), QUOTE_WORDS + 1);
        assert!(q.ends_with(" …"));
        assert_eq!(byline(&comment("@a", 1, "t")), "@a, 1 like");
        assert_eq!(
            byline(&Comment {
                text: "t".into(),
                ..Comment::default()
            }),
            "anonymous"
        );
        assert_eq!(said(&comment("@a", 1, "@b @c yes indeed")), "yes indeed");
    }
}
