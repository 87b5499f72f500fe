//! Statistics of an episode's comments: how many, in how many threads, how
//! liked, and when they were posted (counts per day, week or month).

use podcorpus_core::calendar::{civil_from_days, unix_seconds};
use podcorpus_core::Comment;
use serde::Serialize;

/// A span of up to this many days is counted per day.
pub const DAILY_UP_TO_DAYS: i64 = 60;
/// A longer span of up to this many days is counted per week; a longer one
/// per month. Either way the series stays near a hundred periods or fewer
/// for a video a few years old.
pub const WEEKLY_UP_TO_DAYS: i64 = 2 * 364;

/// The length of the periods comments are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    /// Calendar days (UTC); a period is named `YYYY-MM-DD`.
    Day,
    /// Weeks from Monday (UTC); a period is named by its Monday, `YYYY-MM-DD`.
    Week,
    /// Calendar months (UTC); a period is named `YYYY-MM`.
    Month,
}

impl Bucket {
    /// `day`, `week` or `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }
}

/// How many comments were posted in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The period's name (see [`Bucket`]).
    pub period: String,
    /// Comments posted in it.
    pub count: u64,
}

/// The most liked comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MostLiked {
    /// Its author, when known.
    pub author: Option<String>,
    /// Its likes.
    pub likes: u64,
    /// The site's id of it, when known.
    pub id: Option<String>,
}

/// The statistics of one episode's comments.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CommentStats {
    /// Comments and replies.
    pub count: u64,
    /// Threads, as [`podcorpus_store::query::threads`] builds them: each
    /// comment that starts one, and each reply whose comment was not fetched.
    pub threads: u64,
    /// Replies inside a thread (`count - threads`, as `show` counts them).
    pub replies: u64,
    /// Replies that start a thread of their own because the comment they
    /// answer was not fetched (counted in `threads`, not in `replies`).
    pub orphan_replies: u64,
    /// Comments with a like count.
    pub with_likes: u64,
    /// The median of those like counts (the mean of the middle two for an
    /// even number); `None` when no comment has one.
    pub median_likes: Option<f64>,
    /// The most liked comment (the first fetched among equals).
    pub most_liked: Option<MostLiked>,
    /// Comments with a time that could be read.
    pub timed: u64,
    /// The period length of [`CommentStats::over_time`]; `None` without times.
    pub bucket: Option<Bucket>,
    /// Comments per period, every period from the first comment's to the
    /// last one's (empty periods included, so the series is continuous).
    pub over_time: Vec<Period>,
}

/// The statistics of `comments` (in any order; the most liked among equals
/// is the first given).
pub fn comment_stats(comments: &[Comment]) -> CommentStats {
    let threads = podcorpus_store::query::threads(comments);
    let orphan_replies = threads
        .iter()
        .filter(|t| comments[t.root].parent.is_some())
        .count();
    let mut likes: Vec<u64> = comments.iter().filter_map(|c| c.likes).collect();
    likes.sort_unstable();
    let median_likes = median(&likes);
    let mut most_liked: Option<&Comment> = None;
    for c in comments {
        if let Some(l) = c.likes {
            if most_liked.and_then(|m| m.likes).is_none_or(|best| l > best) {
                most_liked = Some(c);
            }
        }
    }
    let days: Vec<i64> = comments
        .iter()
        .filter_map(|c| c.time.as_deref().and_then(unix_seconds))
        .map(|s| s.div_euclid(86_400))
        .collect();
    let (bucket, over_time) = match over_time(&days) {
        Some((b, p)) => (Some(b), p),
        None => (None, Vec::new()),
    };
    CommentStats {
        count: comments.len() as u64,
        threads: threads.len() as u64,
        replies: (comments.len() - threads.len()) as u64,
        orphan_replies: orphan_replies as u64,
        with_likes: likes.len() as u64,
        median_likes,
        most_liked: most_liked.map(|c| MostLiked {
            author: c.author.clone(),
            likes: c.likes.unwrap_or(0),
            id: c.id.clone(),
        }),
        timed: days.len() as u64,
        bucket,
        over_time,
    }
}

/// The median of sorted values; `None` for none.
pub fn median(sorted: &[u64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// The period length for a span of `span_days` between the first and the
/// last comment.
pub fn bucket_for(span_days: i64) -> Bucket {
    if span_days <= DAILY_UP_TO_DAYS {
        Bucket::Day
    } else if span_days <= WEEKLY_UP_TO_DAYS {
        Bucket::Week
    } else {
        Bucket::Month
    }
}

/// Counts per period of `days` (days since 1970-01-01, UTC), with the
/// period length chosen by their span; `None` for no days.
pub fn over_time(days: &[i64]) -> Option<(Bucket, Vec<Period>)> {
    let first = *days.iter().min()?;
    let last = *days.iter().max()?;
    let bucket = bucket_for(last - first);
    // Each period as an index from the first one's: days, weeks or months.
    let start = period_start(bucket, first);
    let index = |d: i64| -> usize {
        let i = match bucket {
            Bucket::Day => d - start,
            Bucket::Week => (period_start(bucket, d) - start) / 7,
            Bucket::Month => month_number(d) - month_number(start),
        };
        usize::try_from(i).unwrap_or(0)
    };
    let mut counts = vec![0u64; index(last) + 1];
    for &d in days {
        counts[index(d)] += 1;
    }
    let periods = counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| Period {
            period: period_name(bucket, start, i as i64),
            count,
        })
        .collect();
    Some((bucket, periods))
}

/// The first day of the period holding `day`.
fn period_start(bucket: Bucket, day: i64) -> i64 {
    match bucket {
        Bucket::Day => day,
        // 1970-01-01 was a Thursday: day + 3 counts from a Monday.
        Bucket::Week => day - (day + 3).rem_euclid(7),
        Bucket::Month => {
            let (y, m, _) = civil_from_days(day);
            podcorpus_core::calendar::days_from_civil(y, m, 1)
        }
    }
}

/// Months since year 0 of the month holding `day`.
fn month_number(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    y * 12 + m - 1
}

/// The name of the `i`-th period from the one starting on `start`.
fn period_name(bucket: Bucket, start: i64, i: i64) -> String {
    match bucket {
        Bucket::Day | Bucket::Week => {
            let step = if bucket == Bucket::Day { 1 } else { 7 };
            let (y, m, d) = civil_from_days(start + i * step);
            format!("{y:04}-{m:02}-{d:02}")
        }
        Bucket::Month => {
            let n = month_number(start) + i;
            format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podcorpus_core::calendar::days_from_civil;

    fn comment(id: &str, parent: Option<&str>, likes: Option<u64>, time: Option<&str>) -> Comment {
        Comment {
            id: Some(id.into()),
            parent: parent.map(str::to_string),
            author: Some(format!("@{id}")),
            text: format!("text of {id}"),
            likes,
            time: time.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn counts_threads_replies_and_orphans() {
        let cs = [
            comment("a", None, Some(10), Some("2020-04-27T10:00:00Z")),
            comment("a.1", Some("a"), Some(3), Some("2020-04-27T12:00:00Z")),
            comment("a.2", Some("a.1"), None, Some("2020-04-29T00:00:00Z")),
            comment("b", None, Some(10), None),
            // Its parent was not fetched: a thread of its own.
            comment("z.1", Some("z"), Some(1), Some("2020-04-28T23:59:59Z")),
        ];
        let s = comment_stats(&cs);
        assert_eq!((s.count, s.threads, s.replies), (5, 3, 2));
        assert_eq!(s.orphan_replies, 1);
        assert_eq!(s.with_likes, 4);
        // 1, 3, 10, 10: the middle two's mean.
        assert_eq!(s.median_likes, Some(6.5));
        // Two with 10: the first fetched.
        let top = s.most_liked.unwrap();
        assert_eq!((top.author.as_deref(), top.likes), (Some("@a"), 10));
        assert_eq!(s.timed, 4);
        assert_eq!(s.bucket, Some(Bucket::Day));
        let got: Vec<(&str, u64)> = s
            .over_time
            .iter()
            .map(|p| (p.period.as_str(), p.count))
            .collect();
        assert_eq!(
            got,
            [("2020-04-27", 2), ("2020-04-28", 1), ("2020-04-29", 1)]
        );
    }

    #[test]
    fn no_comments_no_likes_no_times() {
        let s = comment_stats(&[]);
        assert_eq!(s, CommentStats::default());
        assert_eq!(s.median_likes, None);
        let s = comment_stats(&[comment("a", None, None, Some("yesterday"))]);
        assert_eq!((s.count, s.threads, s.replies), (1, 1, 0));
        assert_eq!((s.median_likes, s.most_liked), (None, None));
        assert_eq!((s.timed, s.bucket), (0, None));
        assert!(s.over_time.is_empty());
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(median(&[1, 2, 9]), Some(2.0));
        assert_eq!(median(&[0, 2, 15, 33]), Some(8.5));
    }

    #[test]
    fn the_period_follows_the_span() {
        assert_eq!(bucket_for(0), Bucket::Day);
        assert_eq!(bucket_for(DAILY_UP_TO_DAYS), Bucket::Day);
        assert_eq!(bucket_for(DAILY_UP_TO_DAYS + 1), Bucket::Week);
        assert_eq!(bucket_for(WEEKLY_UP_TO_DAYS), Bucket::Week);
        assert_eq!(bucket_for(WEEKLY_UP_TO_DAYS + 1), Bucket::Month);
    }

    #[test]
    fn weeks_start_on_monday_and_empty_periods_are_kept() {
        let day = |y, m, d| days_from_civil(y, m, d);
        // Thursday 2020-01-02 and Sunday 2020-03-15 (73 days apart): weeks.
        let (b, p) = over_time(&[day(2020, 1, 2), day(2020, 3, 15), day(2020, 3, 9)]).unwrap();
        assert_eq!(b, Bucket::Week);
        // Monday 2019-12-30 to Monday 2020-03-09: eleven weeks.
        assert_eq!(p.len(), 11);
        assert_eq!(p[0].period, "2019-12-30");
        assert_eq!(p[0].count, 1);
        assert_eq!(p[10].period, "2020-03-09");
        assert_eq!(p[10].count, 2);
        assert_eq!(p.iter().map(|p| p.count).sum::<u64>(), 3);
        // 2019-11-30 to 2022-02-01: months, across year ends.
        let (b, p) = over_time(&[day(2022, 2, 1), day(2019, 11, 30), day(2019, 12, 1)]).unwrap();
        assert_eq!(b, Bucket::Month);
        // 2019-11 and -12, the 24 months of 2020 and 2021, 2022-01 and -02.
        assert_eq!(p.len(), 28);
        assert_eq!(
            (
                p[0].period.as_str(),
                p[0].count,
                p[1].period.as_str(),
                p[1].count
            ),
            ("2019-11", 1, "2019-12", 1)
        );
        assert_eq!(
            p.last().map(|p| (p.period.as_str(), p.count)),
            Some(("2022-02", 1))
        );
        assert_eq!(over_time(&[]), None);
    }
}
