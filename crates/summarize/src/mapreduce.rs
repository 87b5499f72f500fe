//! LLM summaries of transcripts of any length: one request when the text
//! fits the context window, otherwise map-reduce — each chunk summarized
//! into notes, the notes combined with the final prompt (merged again
//! first while they are still too long). Per chapter on request.

use crate::chunk::{estimate_tokens, pack, pack_with};
use crate::extractive::chapter_of;
use crate::llm::{Client, LlmError, ReplyCache, Usage};
use crate::prompt::{COMMENTS_PART_PROMPT, PART_PROMPT};
use crate::sentences;
use podcorpus_core::{Chapter, Segment};

/// Tokens kept free for the chat template's own wrapping of the messages.
const OVERHEAD_TOKENS: usize = 64;
/// Below this many tokens of text per request, map-reduce cannot make progress.
const MIN_CHUNK_TOKENS: usize = 128;
/// Rounds of merging notes before giving up (each round shrinks them).
const MAX_ROUNDS: usize = 6;

/// What the LLM summary is asked for.
#[derive(Debug, Clone)]
pub struct LlmOptions {
    /// The model's context window in tokens (request and answer together).
    pub context_tokens: usize,
    /// The instruction for the final summary.
    pub prompt: String,
    /// One summary per chapter (when the episode has chapters).
    pub by_chapter: bool,
}

/// An LLM summary and what it cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmSummary {
    /// The text.
    pub text: String,
    /// Token usage summed over every answer (cached answers count what they cost first).
    pub usage: Usage,
    /// Requests made (including those answered from the cache).
    pub requests: usize,
    /// Of those, answered from the cache.
    pub cached: usize,
    /// Chunks the transcript was cut into (1 when it fit).
    pub chunks: usize,
    /// Whether the summary is per chapter.
    pub by_chapter: bool,
}

/// What can stop an LLM summary.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    /// The server failed.
    #[error(transparent)]
    Llm(#[from] LlmError),
    /// `--context-tokens` leaves no room for text.
    #[error("a context of {context} tokens leaves too little room for text next to the prompt and an answer of {answer} tokens; raise --context-tokens or lower --max-tokens")]
    ContextTooSmall {
        /// The context window.
        context: usize,
        /// The answer's token limit.
        answer: usize,
    },
    /// There is no speech to summarize.
    #[error("the transcript has no speech to summarize")]
    NoSpeech,
}

/// What is being summarized: it names the text in the requests and
/// chooses the instruction of the map step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Material {
    /// Sentences of a transcript, in order.
    Transcript,
    /// Viewers' comments, one per line, most liked first.
    Comments,
}

impl Material {
    /// `the transcript of` / `the comments on`, before the video's name.
    fn of(self) -> &'static str {
        match self {
            Material::Transcript => "the transcript of",
            Material::Comments => "the comments on",
        }
    }

    /// The first words of a request that holds all of it (kept as they
    /// were, because they are part of the cache key of stored answers).
    fn heading(self) -> &'static str {
        match self {
            Material::Transcript => "Transcript of",
            Material::Comments => "Comments on",
        }
    }

    fn part_prompt(self) -> &'static str {
        match self {
            Material::Transcript => PART_PROMPT,
            Material::Comments => COMMENTS_PART_PROMPT,
        }
    }

    /// What goes between two pieces: sentences run on, comments are lines.
    fn separator(self) -> &'static str {
        match self {
            Material::Transcript => " ",
            Material::Comments => "\n",
        }
    }
}

/// Runs the requests of one summary, counting them.
struct Run<'a> {
    material: Material,
    client: &'a Client,
    cache: Option<&'a dyn ReplyCache>,
    opts: &'a LlmOptions,
    progress: &'a mut dyn FnMut(usize),
    out: LlmSummary,
}

impl<'a> Run<'a> {
    /// A run that has made no request yet.
    fn new(
        material: Material,
        client: &'a Client,
        cache: Option<&'a dyn ReplyCache>,
        opts: &'a LlmOptions,
        progress: &'a mut dyn FnMut(usize),
        by_chapter: bool,
    ) -> Run<'a> {
        Run {
            material,
            client,
            cache,
            opts,
            progress,
            out: LlmSummary {
                text: String::new(),
                usage: Usage::default(),
                requests: 0,
                cached: 0,
                chunks: 0,
                by_chapter,
            },
        }
    }

    fn ask(&mut self, system: &str, user: &str) -> Result<String, SummaryError> {
        let reply = self.client.chat(system, user, self.cache)?;
        self.out.requests += 1;
        if reply.cached {
            self.out.cached += 1;
        }
        if let Some(u) = &reply.usage {
            self.out.usage.add(u);
        }
        (self.progress)(self.out.requests);
        Ok(reply.content)
    }

    /// Room for text in a request with this instruction.
    fn budget(&self, instruction: &str) -> Result<usize, SummaryError> {
        let answer = self.client.config().max_tokens as usize;
        let room = self
            .opts
            .context_tokens
            .saturating_sub(answer + estimate_tokens(instruction) + OVERHEAD_TOKENS);
        if room < MIN_CHUNK_TOKENS {
            return Err(SummaryError::ContextTooSmall {
                context: self.opts.context_tokens,
                answer,
            });
        }
        Ok(room)
    }

    /// Summarizes one stretch of text (its sentences or comments) named `what`.
    fn summarize(&mut self, what: &str, pieces: &[&str]) -> Result<String, SummaryError> {
        let prompt = self.opts.prompt.as_str();
        let (of, sep) = (self.material.of(), self.material.separator());
        let part_prompt = self.material.part_prompt();
        let whole = format!(
            "{} {what}:\n\n{}",
            self.material.heading(),
            pieces.join(sep)
        );
        let final_room = self.budget(prompt)?;
        if estimate_tokens(&whole) <= final_room {
            self.out.chunks += 1;
            return self.ask(prompt, &whole);
        }
        // Room for the header line too.
        let part_room = self
            .budget(part_prompt)?
            .saturating_sub(estimate_tokens(what) + 16);
        let chunks = pack_with(pieces.iter().copied(), part_room, sep);
        self.out.chunks += chunks.len();
        let mut notes = Vec::with_capacity(chunks.len());
        for (i, c) in chunks.iter().enumerate() {
            let user = format!("Part {} of {} of {of} {what}:\n\n{c}", i + 1, chunks.len());
            notes.push(self.ask(part_prompt, &user)?);
        }
        for _ in 0..MAX_ROUNDS {
            let combined = numbered(&notes);
            let user = format!(
                "Notes on the {} consecutive parts of {of} {what}:\n\n{combined}",
                notes.len()
            );
            if estimate_tokens(&user) <= final_room {
                return self.ask(prompt, &user);
            }
            // Still too long: merge neighbouring notes into shorter notes.
            let groups = pack(notes.iter().map(String::as_str), part_room);
            if groups.len() >= notes.len() {
                break;
            }
            let mut merged = Vec::with_capacity(groups.len());
            for (i, g) in groups.iter().enumerate() {
                let user = format!(
                    "Notes on part {} of {} of {of} {what}:\n\n{g}",
                    i + 1,
                    groups.len()
                );
                merged.push(self.ask(part_prompt, &user)?);
            }
            notes = merged;
        }
        Err(SummaryError::ContextTooSmall {
            context: self.opts.context_tokens,
            answer: self.client.config().max_tokens as usize,
        })
    }
}

fn numbered(notes: &[String]) -> String {
    notes
        .iter()
        .enumerate()
        .map(|(i, n)| format!("Part {}:\n{n}", i + 1))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Summarizes a transcript with a language model. `progress` is told the
/// number of requests made so far after each one. Nothing is stored here:
/// the caller stores the result only when the whole summary succeeded.
pub fn summarize(
    client: &Client,
    cache: Option<&dyn ReplyCache>,
    title: Option<&str>,
    segments: &[Segment],
    chapters: &[Chapter],
    opts: &LlmOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<LlmSummary, SummaryError> {
    let units = sentences::split(segments);
    if units.is_empty() {
        return Err(SummaryError::NoSpeech);
    }
    let by_chapter = opts.by_chapter && !chapters.is_empty();
    let mut run = Run::new(
        Material::Transcript,
        client,
        cache,
        opts,
        progress,
        by_chapter,
    );
    let name = title.map_or_else(|| "an episode".to_string(), |t| format!("\"{t}\""));
    if by_chapter {
        let mut groups: Vec<Vec<&str>> = vec![Vec::new(); chapters.len()];
        for u in &units {
            groups[chapter_of(u, chapters)].push(u.text.as_str());
        }
        let mut sections = Vec::new();
        for (ch, pieces) in chapters.iter().zip(&groups) {
            if pieces.is_empty() {
                continue;
            }
            let what = format!("the chapter \"{}\" of {name}", ch.title);
            let s = run.summarize(&what, pieces)?;
            sections.push(format!("**{}**\n{s}", ch.title));
        }
        run.out.text = sections.join("\n\n");
    } else {
        let pieces: Vec<&str> = units.iter().map(|u| u.text.as_str()).collect();
        run.out.text = run.summarize(&name, &pieces)?;
    }
    Ok(run.out)
}

/// Summarizes viewers' comments (`lines`, one comment each, most liked
/// first) with a language model, map-reduced like a transcript when they
/// do not fit one request. Nothing is stored here.
pub fn summarize_comments(
    client: &Client,
    cache: Option<&dyn ReplyCache>,
    title: Option<&str>,
    lines: &[String],
    opts: &LlmOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<LlmSummary, SummaryError> {
    if lines.is_empty() {
        return Err(SummaryError::NoSpeech);
    }
    let mut run = Run::new(Material::Comments, client, cache, opts, progress, false);
    let name = title.map_or_else(|| "a video".to_string(), |t| format!("\"{t}\""));
    let pieces: Vec<&str> = lines.iter().map(String::as_str).collect();
    run.out.text = run.summarize(&name, &pieces)?;
    Ok(run.out)
}
