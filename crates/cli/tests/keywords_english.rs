//! `keywords --reference english`: an episode against general English
//! (wordfreq's large_en as 10⁹ tokens). On the Lexicap sample of episode 316
//! (Noam Chomsky on the war in Ukraine) its subjects must lead.

mod support;
use support::{json, podcorpus, samples};

#[test]
fn the_episodes_subjects_are_its_top_keywords() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    let list = json(podcorpus(&db).args([
        "keywords",
        "lexicap/316",
        "--reference",
        "english",
        "--top",
        "20",
    ]));
    let words: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|k| k["word"].as_str())
        .collect();
    assert_eq!(words.len(), 20);
    for w in ["ukraine", "nato", "putin"] {
        assert!(words.contains(&w), "{w} not in {words:?}");
    }
    assert_eq!(words[0], "ukraine");
    // 27 times in 5075 non-number tokens; wordfreq's 10^(-4.68) of 10⁹.
    let ukraine = &list[0];
    assert_eq!(ukraine["target"], 27);
    assert_eq!(ukraine["reference"], 20893);
    let (a, c, b, d) = (27.0f64, 5075.0f64, 1e9 * 10f64.powf(-4.68), 1e9f64);
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let g2 = 2.0 * (a * (a / e1).ln() + b * (b / e2).ln());
    let got = ukraine["g2"].as_f64().expect("g2");
    assert!((got - g2).abs() < 1e-6 * g2, "{got} vs {g2}");
    // Against the rest of the corpus (the default) the reference differs.
    let rest = json(podcorpus(&db).args(["keywords", "lexicap/316"]));
    assert_eq!(rest[0]["reference"].as_u64().map(|r| r < 100), Some(true));
    // The whole corpus against English needs no episode.
    let all = json(podcorpus(&db).args(["keywords", "--reference", "english", "--top", "5"]));
    assert_eq!(all.as_array().map(Vec::len), Some(5));
    // Numbers are left out: wordfreq gives them no frequency of their own.
    assert!(list.as_array().expect("array").iter().all(|k| !k["word"]
        .as_str()
        .unwrap_or("0")
        .starts_with(|c: char| c.is_ascii_digit())));
}
