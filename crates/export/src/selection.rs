//! Turning the user's selection options (`--collection`, `--source`,
//! `--since`, `--until`, `--episodes`) into a checked store selection.

use crate::{ExportError, Result};
use podcorpus_store::export_feed::ExportSelection;
use podcorpus_store::seams::ExportFeed;

/// The selection options as the user gave them.
#[derive(Debug, Clone, Default)]
pub struct SelectionArgs {
    /// Only this collection.
    pub collection: Option<String>,
    /// This transcript source instead of the best one.
    pub source: Option<String>,
    /// Published on or after (`YYYY-MM-DD` or `YYYY.MM.DD`).
    pub since: Option<String>,
    /// Published on or before.
    pub until: Option<String>,
    /// Comma-separated episode names (`COLLECTION/NUMBER`, `NUMBER`, video id).
    pub episodes: Option<String>,
}

/// Checks the options against the store and resolves episode names.
pub fn resolve(store: &dyn ExportFeed, args: &SelectionArgs) -> Result<ExportSelection> {
    if let Some(c) = &args.collection {
        let known = store.collections()?;
        if !known.iter().any(|k| &k.name == c) {
            let names: Vec<&str> = known.iter().map(|k| k.name.as_str()).collect();
            return Err(ExportError::Usage(format!(
                "no collection named {c:?}; the corpus has: {}",
                if names.is_empty() {
                    "none (import something first)".to_string()
                } else {
                    names.join(", ")
                }
            )));
        }
    }
    let episode_ids = match &args.episodes {
        None => None,
        Some(list) => {
            let mut ids = Vec::new();
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                // A bare number means that number in the chosen collection.
                let full = match (&args.collection, name.parse::<i64>()) {
                    (Some(c), Ok(_)) => format!("{c}/{name}"),
                    _ => name.to_string(),
                };
                ids.push(store.resolve(&full)?.id);
            }
            if ids.is_empty() {
                return Err(ExportError::Usage(
                    "--episodes is empty; give names like lexicap/5,lexicap/6 or video ids".into(),
                ));
            }
            Some(ids)
        }
    };
    Ok(ExportSelection {
        prefer_source: None,
        collection: args.collection.clone(),
        source: args.source.clone(),
        since: args
            .since
            .as_deref()
            .map(|d| iso_date(d, "--since"))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|d| iso_date(d, "--until"))
            .transpose()?,
        episode_ids,
    })
}

/// `2016-09-27` or `2016.09.27` to ISO; anything else is a clear error.
pub fn iso_date(value: &str, option: &str) -> Result<String> {
    let parts: Vec<&str> = value.trim().split(['-', '.', '/']).collect();
    let bad = || {
        ExportError::Usage(format!(
            "{option} expects a date like 2016-09-27, found {value:?}"
        ))
    };
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    let (y, m, d): (u32, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
        (Ok(y), Ok(m), Ok(d)) if y >= 1000 && (1..=12).contains(&m) && (1..=31).contains(&d) => {
            (y, m, d)
        }
        _ => return Err(bad()),
    };
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_spellings() {
        assert_eq!(iso_date("2016.9.27", "--since").unwrap(), "2016-09-27");
        assert_eq!(iso_date("2016-09-27", "--since").unwrap(), "2016-09-27");
        let e = iso_date("yesterday", "--until").unwrap_err().to_string();
        assert!(e.contains("--until") && e.contains("yesterday"), "{e}");
        assert!(iso_date("2016-13-01", "--since").is_err());
    }
}
