//! Which slots a fill writes: those with a link and nothing else, and, with
//! `--from`, the empty slots of a range given the channel's next videos.

use podcorpus_formats::notes::Slot;
use std::collections::HashSet;
use std::ops::RangeInclusive;

/// A slot to fill and the address of its video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The slot's number.
    pub slot: u32,
    /// The video's address.
    pub url: String,
    /// Whether the address came from `--from` (the slot was empty).
    pub assigned: bool,
}

/// The slots that have a link and nothing else (within `range`, if given),
/// in slot order.
pub fn linked(slots: &[Slot], range: Option<&RangeInclusive<u32>>) -> Vec<Target> {
    let mut out: Vec<Target> = slots
        .iter()
        .filter(|s| s.wants_filling() && range.is_none_or(|r| r.contains(&s.number)))
        .filter_map(|s| {
            Some(Target {
                slot: s.number,
                url: s.episode.as_ref()?.meta.url.clone()?,
                assigned: false,
            })
        })
        .collect();
    out.sort_by_key(|t| t.slot);
    out
}

/// A video of a channel listing, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Its id, when the listing gives one.
    pub video_id: Option<String>,
    /// Its address.
    pub url: String,
}

/// Puts the channel's next videos into the empty slots of `range`, in slot
/// order. "Next" is after the newest of the channel's videos that the
/// document already holds (every video, when it holds none of them);
/// videos the document holds are never put in twice.
pub fn assign(slots: &[Slot], uploads: &[Upload], range: &RangeInclusive<u32>) -> Vec<Target> {
    let held: HashSet<&str> = slots
        .iter()
        .filter_map(|s| s.episode.as_ref()?.meta.video_id.as_deref())
        .collect();
    let held_urls: HashSet<&str> = slots
        .iter()
        .filter_map(|s| s.episode.as_ref()?.meta.url.as_deref())
        .collect();
    let is_held = |u: &Upload| {
        u.video_id.as_deref().is_some_and(|id| held.contains(id))
            || held_urls.contains(u.url.as_str())
    };
    let start = uploads.iter().rposition(is_held).map_or(0, |p| p + 1);
    let mut next = uploads[start..].iter().filter(|u| !is_held(u));
    let mut empty: Vec<u32> = slots
        .iter()
        .filter(|s| s.is_empty() && range.contains(&s.number))
        .map(|s| s.number)
        .collect();
    empty.sort_unstable();
    empty
        .into_iter()
        .map_while(|slot| {
            next.next().map(|u| Target {
                slot,
                url: u.url.clone(),
                assigned: true,
            })
        })
        .collect()
}

/// `7..20`, `7..=20` or `7-20` (both ends included, as slot numbers are
/// written), or one number.
pub fn parse_range(s: &str) -> Result<RangeInclusive<u32>, String> {
    let bad = || format!("--slots {s:?}: write a range of slot numbers like 7..20, or one number");
    let t = s.trim();
    let (a, b) = match t
        .split_once("..=")
        .or_else(|| t.split_once(".."))
        .or_else(|| t.split_once('-'))
    {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (t, t),
    };
    let a: u32 = a.parse().map_err(|_| bad())?;
    let b: u32 = b.parse().map_err(|_| bad())?;
    if a == 0 || b < a {
        return Err(bad());
    }
    Ok(a..=b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use podcorpus_formats::notes::slots;

    const NOTES: &str = include_str!("../../formats/tests/fixtures/notes/lex-fridman-notes.txt");

    fn upload(id: &str) -> Upload {
        Upload {
            video_id: Some(id.into()),
            url: format!("https://www.youtube.com/watch?v={id}"),
        }
    }

    #[test]
    fn only_slots_with_a_link_and_nothing_else() {
        let doc = NOTES
            .replace(
                "--09--\n\n-----\nDate:\nLink:\n",
                "--09--\n\n-----\nDate:\nLink: https://youtu.be/ShxbqjnsB8c\n",
            )
            .replace(
                "--12--\n\n-----\nDate:\nLink:\n",
                "--12--\n\n-----\nDate: 2016.10.01\nLink: [Mine](https://youtu.be/u6aEYuemt0M)\n",
            );
        let all = slots(&doc).unwrap();
        let t = linked(&all, None);
        assert_eq!(
            t.iter()
                .map(|t| (t.slot, t.url.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (9, "https://youtu.be/ShxbqjnsB8c"),
                (12, "https://youtu.be/u6aEYuemt0M")
            ]
        );
        assert_eq!(linked(&all, Some(&(10..=20))).len(), 1);
        // Slot 03 has a link, a description and summaries, but no speech: the user's.
        assert!(t.iter().all(|t| t.slot != 3));
    }

    #[test]
    fn the_channels_next_videos_go_into_empty_slots_in_order() {
        let all = slots(NOTES).unwrap();
        // Oldest first: two older videos, one the document holds (slot 06,
        // G5RY_SUJih4), then three newer ones, one of which slot 04 holds.
        let uploads = [
            upload("o8nZaDw_mOs"),
            upload("aaaaaaaaaaa"),
            upload("G5RY_SUJih4"),
            upload("bbbbbbbbbbb"),
            upload("zij_FTbJHsk"),
            upload("ccccccccccc"),
            upload("ddddddddddd"),
        ];
        let t = assign(&all, &uploads, &(7..=9));
        let got: Vec<(u32, &str)> = t.iter().map(|t| (t.slot, t.url.as_str())).collect();
        // After the newest held one (zij_FTbJHsk), skipping held ones.
        assert_eq!(
            got,
            vec![
                (7, "https://www.youtube.com/watch?v=ccccccccccc"),
                (8, "https://www.youtube.com/watch?v=ddddddddddd"),
            ]
        );
        assert!(t.iter().all(|t| t.assigned));
        // Filled slots are never taken: the first empty slot of 1..=9 is 07.
        let t = assign(&all, &uploads[..2], &(1..=9));
        assert_eq!(
            t.iter()
                .map(|t| (t.slot, t.url.as_str()))
                .collect::<Vec<_>>(),
            vec![(7, "https://www.youtube.com/watch?v=aaaaaaaaaaa")]
        );
        // Nothing after the newest held video: nothing to put in.
        assert!(assign(&all, &uploads[..3], &(1..=9)).is_empty());
        let fresh = [upload("eeeeeeeeeee"), upload("fffffffffff")];
        let t = assign(&all, &fresh, &(1..=9));
        assert_eq!(t.iter().map(|t| t.slot).collect::<Vec<_>>(), vec![7, 8]);
    }

    #[test]
    fn ranges_of_slot_numbers() {
        assert_eq!(parse_range("7..20"), Ok(7..=20));
        assert_eq!(parse_range("7..=20"), Ok(7..=20));
        assert_eq!(parse_range("7-20"), Ok(7..=20));
        assert_eq!(parse_range("8"), Ok(8..=8));
        for bad in ["", "x", "20..7", "0..3", "7..", "..7"] {
            assert!(parse_range(bad).unwrap_err().contains("--slots"), "{bad}");
        }
    }
}
