//! Turning a parsed query and the command-line filters into a tantivy query,
//! and the statistics that rank each kind of document on its own.

use crate::pattern::TokenTest;
use crate::query::{Field, Node};
use crate::schema::{self, Fields};
use crate::tokens::normalize;
use crate::{Result, SearchError};
use serde::Serialize;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexPhraseQuery, RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

/// What a search or concordance looks at: the transcripts' passages or the
/// viewers' comments. One search looks at one kind: their scores are not
/// comparable (a comment is a few words, a passage a hundred).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Passages of the transcripts.
    #[default]
    Transcript,
    /// Viewers' comments and replies.
    Comment,
}

impl Kind {
    /// The value of the documents' `kind` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Transcript => schema::KIND_TRANSCRIPT,
            Kind::Comment => schema::KIND_COMMENT,
        }
    }
}

/// Which passages (or comments) a search or concordance looks at.
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
    /// Transcripts (the default) or comments; `source` and `all_sources`
    /// choose among transcripts, and a source with comments is an error.
    pub kind: Kind,
}

/// The tantivy query for a parsed query, on the fields of documents of `kind`.
pub fn to_query(node: &Node, f: &Fields, kind: Kind) -> Box<dyn Query> {
    let field_of = |field: &Field| match (kind, field) {
        (Kind::Transcript, Field::Text) => f.text,
        (Kind::Transcript, Field::Title) => f.title,
        (Kind::Transcript, Field::Guest) => f.guest,
        (Kind::Comment, Field::Text) => f.comment_text,
        (Kind::Comment, Field::Title) => f.comment_title,
        (Kind::Comment, Field::Guest) => f.comment_guest,
    };
    match node {
        Node::Seq { field, tests } => seq_query(field_of(field), tests),
        Node::Near {
            field,
            a,
            b,
            within,
        } => near_query(field_of(field), a, b, *within),
        Node::Terms { field, terms } => {
            let field = field_of(field);
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
                    Node::Not(inner) => (Occur::MustNot, to_query(inner, f, kind)),
                    other => (Occur::Must, to_query(other, f, kind)),
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
                .map(|n| (Occur::Should, to_query(n, f, kind)))
                .collect(),
        )),
        Node::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery)),
            (Occur::MustNot, to_query(inner, f, kind)),
        ])),
    }
}

/// The index's regex for one token test, over lowercased terms (a cased
/// pattern is checked on the text afterwards).
fn test_regex(t: &TokenTest) -> String {
    match t {
        TokenTest::Word(w) => regex::escape(&normalize(w)),
        TokenTest::Wildcard(r) | TokenTest::Regex(r) => format!("(?i)(?:{})", r.syntax),
        TokenTest::Lemma(l) => {
            let mut forms: Vec<String> = l
                .forms
                .iter()
                .map(|w| regex::escape(&normalize(w)))
                .collect();
            forms.sort();
            format!("(?:{})", forms.join("|"))
        }
    }
}

/// The documents with a term passing one test.
fn test_query(field: tantivy::schema::Field, t: &TokenTest) -> Box<dyn Query> {
    match t {
        TokenTest::Word(w) => Box::new(TermQuery::new(
            Term::from_field_text(field, &normalize(w)),
            IndexRecordOption::WithFreqs,
        )),
        TokenTest::Wildcard(r) | TokenTest::Regex(r) => {
            Box::new(RegexQuery::from_regex(r.index_regex(), field))
        }
        TokenTest::Lemma(l) => Box::new(TermSetQuery::new(
            l.forms
                .iter()
                .map(|w| Term::from_field_text(field, &normalize(w))),
        )),
    }
}

/// Tests that must follow each other: one term's query, a phrase of plain
/// words, else a phrase of regexes (tantivy expands each position through
/// the term dictionary).
fn seq_query(field: tantivy::schema::Field, tests: &[TokenTest]) -> Box<dyn Query> {
    match tests {
        [] => Box::new(tantivy::query::EmptyQuery),
        [one] => test_query(field, one),
        _ if tests.iter().all(TokenTest::is_word) => Box::new(PhraseQuery::new(
            tests
                .iter()
                .map(|t| Term::from_field_text(field, &test_regex_word(t)))
                .collect(),
        )),
        _ => Box::new(RegexPhraseQuery::new(
            field,
            tests.iter().map(test_regex).collect(),
        )),
    }
}

fn test_regex_word(t: &TokenTest) -> String {
    match t {
        TokenTest::Word(w) => normalize(w),
        other => other.to_string(),
    }
}

/// `"a b"~N`. Two single tokens: tantivy's sloppy phrase, whose slop is a
/// budget of moves where a swap costs two, so `N + 2` admits every pair with
/// at most N tokens between them in either order (and a few more, which the
/// text check leaves out). Longer sides: both must be in the document.
fn near_query(
    field: tantivy::schema::Field,
    a: &[TokenTest],
    b: &[TokenTest],
    within: usize,
) -> Box<dyn Query> {
    let slop = within as u32 + 2;
    match (a, b) {
        ([x], [y]) if x.is_word() && y.is_word() => {
            let mut q = PhraseQuery::new(vec![
                Term::from_field_text(field, &test_regex_word(x)),
                Term::from_field_text(field, &test_regex_word(y)),
            ]);
            q.set_slop(slop);
            Box::new(q)
        }
        ([x], [y]) => {
            let mut q = RegexPhraseQuery::new(field, vec![test_regex(x), test_regex(y)]);
            q.set_slop(slop);
            Box::new(q)
        }
        _ => Box::new(BooleanQuery::new(vec![
            (Occur::Must, seq_query(field, a)),
            (Occur::Must, seq_query(field, b)),
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
    match (filter.kind, &filter.source) {
        (Kind::Comment, Some(s)) => {
            return Err(SearchError::Option(format!(
                "the source {s:?} names transcripts, and comments have none: \
                 search the comments without a source, or the transcripts of {s:?}"
            )))
        }
        // Comments have fields of their own, so a query of them finds no
        // passage; the kind says so whatever the query becomes.
        (Kind::Comment, None) => musts.push(exact(f.kind, schema::KIND_COMMENT)),
        (Kind::Transcript, Some(s)) => musts.push(exact(f.source, s)),
        // Only passages have a best source: this keeps out comments too.
        (Kind::Transcript, None) if !filter.all_sources => musts.push(Box::new(TermQuery::new(
            Term::from_field_u64(f.best, 1),
            IndexRecordOption::Basic,
        ))),
        (Kind::Transcript, None) => musts.push(exact(f.kind, schema::KIND_TRANSCRIPT)),
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

/// The BM25 statistics of one kind of document, so that each kind is ranked
/// as if it were alone in the index: a corpus's comments do not change the
/// scores of its passages. Fields are per kind already (see [`crate::schema`]);
/// only the number of documents is shared, and it is counted here per kind.
pub(crate) struct KindStatistics<'a> {
    searcher: &'a Searcher,
    /// Documents of the kind, deleted ones included as tantivy counts them.
    docs: u64,
}

impl<'a> KindStatistics<'a> {
    /// The statistics of `kind` in what `searcher` sees.
    pub(crate) fn new(
        searcher: &'a Searcher,
        f: &Fields,
        kind: Kind,
    ) -> tantivy::Result<KindStatistics<'a>> {
        // Both counts include deleted documents (document frequencies are
        // not updated by deletes, `max_doc` keeps them), as tantivy's own do.
        let all = Bm25StatisticsProvider::total_num_docs(searcher)?;
        let comments = searcher.doc_freq(&Term::from_field_text(f.kind, schema::KIND_COMMENT))?;
        let docs = match kind {
            Kind::Transcript => all.saturating_sub(comments),
            Kind::Comment => comments,
        };
        Ok(KindStatistics { searcher, docs })
    }
}

impl Bm25StatisticsProvider for KindStatistics<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    /// A shared filter field (a collection) counts both kinds; its score is
    /// thrown away, but tantivy requires no term to be in more documents
    /// than there are.
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(self.searcher.doc_freq(term)?.min(self.docs))
    }
}
