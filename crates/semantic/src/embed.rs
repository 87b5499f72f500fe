//! Turning texts into sentence embeddings as sentence-transformers does for
//! all-MiniLM-L6-v2: WordPiece tokens (at most 256), the BERT encoder
//! (candle-transformers), the mean of the token vectors under the attention
//! mask, then L2 normalization.

use crate::model;
use crate::{Result, SemanticError};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use std::path::Path;
use tokenizers::{Encoding, Tokenizer, TruncationParams};

/// Tokens per text, as sentence-transformers' `max_seq_length` for this model.
pub const MAX_TOKENS: usize = 256;

/// Texts run through the encoder together. Batches are cut from texts
/// sorted by length, so padding stays small.
pub const BATCH: usize = 32;

/// Token length up to which a batch holds [`BATCH`] texts. Attention
/// memory grows with texts × length², so longer texts go in smaller
/// batches (12 at 256 tokens), keeping each batch's activations near those
/// of a full batch of ~100-word passages (~130 tokens).
pub const FULL_BATCH_TOKENS: usize = 160;

/// Texts per batch at a token length (at least one).
pub fn batch_size(tokens: usize) -> usize {
    let t = tokens.max(1);
    (BATCH * FULL_BATCH_TOKENS * FULL_BATCH_TOKENS / (t * t)).clamp(1, BATCH)
}

/// Cuts positions sorted by ascending length into batches: each batch
/// holds at most [`batch_size`] of its longest (last) text's length.
fn batches(order: &[usize], len: impl Fn(usize) -> usize) -> Vec<&[usize]> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in 1..=order.len() {
        let last = end == order.len();
        // Would the next text (the longest so far) make this batch too big?
        let full = !last && end - start + 1 > batch_size(len(order[end]));
        if last || full {
            out.push(&order[start..end]);
            start = end;
        }
    }
    out
}

/// Sets the C allocator up for the encoder, once, at program start (before
/// other threads run). Each forward pass allocates and frees tens of
/// megabytes of activations; with glibc's defaults those come from and go
/// back to the kernel every time, which cost a fifth of the embedding time
/// in system calls (7.2 s of 34.8 s CPU for 512 passages). Keeping up to
/// 32 MB blocks in the heap and trimming it only past 256 MB took that to
/// 0.8 s and the throughput from 28 to 35 passages/s on 2 cores.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: mallopt only changes allocator parameters; the values are
        // in glibc's documented ranges, and a refused one is simply ignored.
        ONCE.call_once(|| unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
            libc::mallopt(libc::M_TOP_PAD, 64 << 20);
        });
    }
}

/// A loaded embedding model.
pub struct Embedder {
    bert: BertModel,
    tokenizer: Tokenizer,
    dim: usize,
}

fn model_err(dir: &Path, what: &str, e: impl std::fmt::Display) -> SemanticError {
    SemanticError::Model(format!("{what} in the model folder {}: {e}", dir.display()))
}

impl Embedder {
    /// Loads the model from a folder holding `config.json`, `tokenizer.json`
    /// and `model.safetensors` (see [`model::locate`]).
    pub fn load(dir: &Path) -> Result<Embedder> {
        let config_text = std::fs::read_to_string(dir.join("config.json"))
            .map_err(|e| model_err(dir, "cannot read config.json", e))?;
        let config: Config = serde_json::from_str(&config_text)
            .map_err(|e| model_err(dir, "config.json is not a BERT configuration", e))?;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| model_err(dir, "cannot read tokenizer.json", e))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| model_err(dir, "cannot set truncation", e))?;
        let weights = dir.join(model::FILES[2]);
        // SAFETY: the weights file is mapped read-only and never written
        // while mapped; podcorpus does not modify model folders.
        let vb =
            unsafe { VarBuilder::from_mmaped_safetensors(&[weights], DType::F32, &Device::Cpu) }
                .map_err(|e| model_err(dir, "cannot map model.safetensors", e))?;
        let bert = BertModel::load(vb, &config)
            .map_err(|e| model_err(dir, "model.safetensors does not hold the BERT weights", e))?;
        Ok(Embedder {
            bert,
            tokenizer,
            dim: config.hidden_size,
        })
    }

    /// Dimensions of an embedding (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The embedding of one text.
    pub fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        self.embed(&[text])
    }

    /// Embeddings of the texts, `dim()` floats each, concatenated in the
    /// order given. Texts are batched by length internally.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<f32>> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| SemanticError::Embed(format!("tokenizing: {e}")))?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| encodings[i].get_ids().len());
        // Batches run on all cores at once: candle spreads one forward pass
        // over barely more than one core (measured 1.2 on 2), so the
        // parallelism has to come from running several.
        let cut = batches(&order, |i| encodings[i].get_ids().len());
        let batches: Vec<(&[usize], Vec<f32>)> = cut
            .into_par_iter()
            .map(|chunk| {
                let batch: Vec<&Encoding> = chunk.iter().map(|&i| &encodings[i]).collect();
                self.run(&batch).map(|v| (chunk, v))
            })
            .collect::<Result<_>>()?;
        let mut out = vec![0f32; texts.len() * self.dim];
        for (chunk, vectors) in batches {
            for (k, &i) in chunk.iter().enumerate() {
                out[i * self.dim..(i + 1) * self.dim]
                    .copy_from_slice(&vectors[k * self.dim..(k + 1) * self.dim]);
            }
        }
        Ok(out)
    }

    /// One padded batch through the encoder, pooled and normalized.
    fn run(&self, batch: &[&Encoding]) -> Result<Vec<f32>> {
        let len = batch
            .iter()
            .map(|e| e.get_ids().len())
            .max()
            .unwrap_or(0)
            .max(1);
        let n = batch.len();
        let mut ids = vec![0u32; n * len];
        let mut mask = vec![0u32; n * len];
        for (b, e) in batch.iter().enumerate() {
            for (t, &id) in e.get_ids().iter().enumerate() {
                ids[b * len + t] = id;
                mask[b * len + t] = 1;
            }
        }
        let tensor = |v: Vec<u32>| Tensor::from_vec(v, (n, len), &Device::Cpu);
        let candle = |e: candle_core::Error| SemanticError::Embed(format!("encoder: {e}"));
        let input = tensor(ids).map_err(candle)?;
        let types = input.zeros_like().map_err(candle)?;
        let mask_t = tensor(mask.clone()).map_err(candle)?;
        let hidden = self
            .bert
            .forward(&input, &types, Some(&mask_t))
            .map_err(candle)?;
        let hidden: Vec<f32> = hidden
            .flatten_all()
            .and_then(|h| h.to_vec1())
            .map_err(candle)?;
        Ok(mean_pool_normalize(&hidden, &mask, n, len, self.dim))
    }
}

/// Mean of each text's token vectors where the mask is 1, then scaled to
/// unit length (sentence-transformers' Pooling then Normalize).
/// `hidden` is `n × len × dim`, `mask` is `n × len`.
pub fn mean_pool_normalize(
    hidden: &[f32],
    mask: &[u32],
    n: usize,
    len: usize,
    dim: usize,
) -> Vec<f32> {
    let mut out = vec![0f32; n * dim];
    for b in 0..n {
        let acc = &mut out[b * dim..(b + 1) * dim];
        let mut count = 0f32;
        for t in 0..len {
            if mask.get(b * len + t) != Some(&1) {
                continue;
            }
            count += 1.0;
            let row = &hidden[(b * len + t) * dim..(b * len + t + 1) * dim];
            for (a, h) in acc.iter_mut().zip(row) {
                *a += h;
            }
        }
        // sentence-transformers clamps the count at 1e-9; the norm at 1e-12.
        let count = count.max(1e-9);
        acc.iter_mut().for_each(|a| *a /= count);
        let norm = acc.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-12);
        acc.iter_mut().for_each(|a| *a /= norm);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_texts_go_in_smaller_batches() {
        assert_eq!(batch_size(20), BATCH);
        assert_eq!(batch_size(160), BATCH);
        assert_eq!(batch_size(256), 12);
        assert_eq!(batch_size(100_000), 1);
        // 40 short texts, then 30 of 256 tokens: 32 short, then at most 12
        // once a long text joins (8 short + 4 long, 12, 12, 2).
        let lens: Vec<usize> = (0..70).map(|i| if i < 40 { 50 } else { 256 }).collect();
        let order: Vec<usize> = (0..70).collect();
        let sizes: Vec<usize> = batches(&order, |i| lens[i])
            .iter()
            .map(|b| b.len())
            .collect();
        assert_eq!(sizes.iter().sum::<usize>(), 70);
        assert!(sizes.iter().all(|&n| n <= BATCH), "{sizes:?}");
        assert_eq!(sizes[0], 32, "{sizes:?}");
        assert_eq!(sizes, [32, 12, 12, 12, 2]);
        assert!(batches(&[], |_| 1).is_empty());
    }

    #[test]
    fn pooling_averages_unmasked_tokens_then_normalizes() {
        // Two texts of up to 3 tokens, 2 dimensions; the second has one pad.
        let hidden = [
            1.0, 0.0, 3.0, 0.0, 5.0, 0.0, 0.0, 2.0, 4.0, 2.0, 100.0, 100.0,
        ];
        let mask = [1, 1, 1, 1, 1, 0];
        let v = mean_pool_normalize(&hidden, &mask, 2, 3, 2);
        assert_eq!(&v[..2], &[1.0, 0.0]);
        // Mean (2, 2) → (0.7071, 0.7071): the padded (100, 100) is ignored.
        assert!((v[2] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert!((v[3] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    }
}
