//! Turning a parsed query and the command-line filters into a tantivy query.

use crate::query::{Field, Node};
use crate::schema::{self, Fields};
use crate::{Result, SearchError};
use serde::Serialize;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Which passages a search or concordance looks at.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Filter {
    /// Only this collection.
    pub collection: Option<String>,
    /// Only this source (then every episode's transcript from it, best or not).
    pub source: Option<String>,
    /// Only episodes published on or after this date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub since: Option<String>,
    /// Only episodes published on or before this date.
    pub until: Option<String>,
    /// Every source of each episode, not only its best one.
    pub all_sources: bool,
}

/// The tantivy query for a parsed query.
pub fn to_query(node: &Node, f: &Fields) -> Box<dyn Query> {
    match node {
        Node::Terms { field, terms } => {
            let field = match field {
                Field::Text => f.text,
                Field::Title => f.title,
                Field::Guest => f.guest,
            };
            let mut ts: Vec<Term> = terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            if ts.len() == 1 {
                let t = ts.remove(0);
                Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs))
            } else {
                Box::new(PhraseQuery::new(ts))
            }
        }
        Node::And(items) => {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = items
                .iter()
                .map(|n| match n {
                    Node::Not(inner) => (Occur::MustNot, to_query(inner, f)),
                    other => (Occur::Must, to_query(other, f)),
                })
                .collect();
            if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Node::Or(items) => Box::new(BooleanQuery::new(
            items
                .iter()
                .map(|n| (Occur::Should, to_query(n, f)))
                .collect(),
        )),
        Node::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery)),
            (Occur::MustNot, to_query(inner, f)),
        ])),
    }
}

fn date(option: &str, value: &Option<String>, end: bool) -> Result<Option<u64>> {
    match value {
        None => Ok(None),
        Some(v) => schema::date_number(v, end).map(Some).ok_or_else(|| {
            SearchError::Option(format!(
                "{option} expects a date as YYYY-MM-DD (or YYYY-MM, YYYY), got {v:?}"
            ))
        }),
    }
}

/// `query` restricted by the filter; the filters do not change the scores.
pub fn filtered(query: Box<dyn Query>, filter: &Filter, f: &Fields) -> Result<Box<dyn Query>> {
    let mut musts: Vec<Box<dyn Query>> = Vec::new();
    let exact = |field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    if let Some(c) = &filter.collection {
        musts.push(exact(f.collection, c));
    }
    if let Some(s) = &filter.source {
        musts.push(exact(f.source, s));
    } else if !filter.all_sources {
        musts.push(Box::new(TermQuery::new(
            Term::from_field_u64(f.best, 1),
            IndexRecordOption::Basic,
        )));
    }
    let since = date("--since", &filter.since, false)?;
    let until = date("--until", &filter.until, true)?;
    if since.is_some() || until.is_some() {
        let bound = |v: Option<u64>| {
            v.map_or(Bound::Unbounded, |n| {
                Bound::Included(Term::from_field_u64(f.published, n))
            })
        };
        musts.push(Box::new(RangeQuery::new(bound(since), bound(until))));
    }
    if musts.is_empty() {
        return Ok(query);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    for q in musts {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}
