//! Fetch workers on a PostgreSQL store, as a team runs them: `fetch URL
//! --enqueue-only` lists a loopback feed of 12 videos, then several `fetch
//! --resume` processes (the real yt-dlp each) fetch it together. One is
//! killed with SIGKILL holding a video; its lease runs out and another
//! worker stores that video. Every video is stored once, and the three
//! finish sooner than one alone. A site that refuses one worker's address
//! pauses that worker only.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Videos in the feed.
const VIDEOS: usize = 12;
/// How long the site takes to answer a video's page: a slow site, where
/// fetching in parallel pays.
const PAGE_DELAY: Duration = Duration::from_millis(2500);

/// A site like a channel's feed on 127.0.0.1: `/feed.xml` lists
/// `/v/wNN.html`, each a page with a video and English captions
/// (`/subs/wNN.en.vtt`). Pages are slow; addresses in `refuse` get 429.
struct Site {
    base: String,
    /// Client addresses the site refuses (HTTP 429) a video page.
    refuse: Arc<Mutex<HashSet<IpAddr>>>,
    /// Video pages served (200) to each client address.
    served: Arc<Mutex<HashMap<IpAddr, usize>>>,
    /// Video pages asked for by each client address, refused or not,
    /// counted as the request arrives.
    asked: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

fn serve() -> Site {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let host = listener.local_addr().expect("addr").to_string();
    let refuse: Arc<Mutex<HashSet<IpAddr>>> = Arc::default();
    let served: Arc<Mutex<HashMap<IpAddr, usize>>> = Arc::default();
    let asked: Arc<Mutex<HashMap<IpAddr, usize>>> = Arc::default();
    let (refusing, counting, asking, base) = (
        refuse.clone(),
        served.clone(),
        asked.clone(),
        format!("http://{host}"),
    );
    let media = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fetch/tests/site/media/talk.mp4"),
    )
    .expect("media");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (host, refusing, counting, asking, media) = (
                host.clone(),
                refusing.clone(),
                counting.clone(),
                asking.clone(),
                media.clone(),
            );
            std::thread::spawn(move || {
                let Ok(peer) = stream.peer_addr() else { return };
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let page = |n: &str| {
                    format!(
                        "<!DOCTYPE html><html><head><title>Worker talk {n}</title></head>\
                         <body><video controls><source src=\"/media/talk.mp4\" type=\"video/mp4\">\
                         <track kind=\"captions\" srclang=\"en\" label=\"English\" src=\"/subs/w{n}.en.vtt\">\
                         </video></body></html>"
                    )
                };
                let (status, body, kind) = if path == "/feed.xml" {
                    let items: String = (1..=VIDEOS)
                        .map(|i| {
                            format!(
                                "<item><title>Worker talk {i:02}</title><link>http://{host}/v/w{i:02}.html</link><guid>w{i:02}</guid></item>"
                            )
                        })
                        .collect();
                    let feed = format!(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
                         <title>Worker talks</title><link>http://{host}/</link><description>Twelve talks</description>{items}</channel></rss>"
                    );
                    ("200 OK", feed.into_bytes(), "application/rss+xml")
                } else if let Some(n) = path
                    .strip_prefix("/v/w")
                    .and_then(|p| p.strip_suffix(".html"))
                {
                    *asking.lock().expect("lock").entry(peer.ip()).or_default() += 1;
                    std::thread::sleep(PAGE_DELAY);
                    if refusing.lock().expect("lock").contains(&peer.ip()) {
                        ("429 Too Many Requests", b"slow down".to_vec(), "text/plain")
                    } else {
                        *counting.lock().expect("lock").entry(peer.ip()).or_default() += 1;
                        ("200 OK", page(n).into_bytes(), "text/html; charset=utf-8")
                    }
                } else if let Some(n) = path
                    .strip_prefix("/subs/w")
                    .and_then(|p| p.strip_suffix(".en.vtt"))
                {
                    let vtt = format!(
                        "WEBVTT\n\n00:00.000 --> 00:02.000\nthis is talk number {n}\n\n00:02.000 --> 00:04.000\nfetched by some worker\n"
                    );
                    ("200 OK", vtt.into_bytes(), "text/vtt")
                } else if path == "/media/talk.mp4" {
                    ("200 OK", media, "video/mp4")
                } else {
                    ("404 Not Found", b"not found".to_vec(), "text/plain")
                };
                let mut out = &stream;
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = out.write_all(head.as_bytes());
                if !request.starts_with("HEAD") {
                    let _ = out.write_all(&body);
                }
            });
        }
    });
    Site {
        base,
        refuse,
        served,
        asked,
    }
}

fn podcorpus(db: &str) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("podcorpus"));
    cmd.arg("--db")
        .arg(db)
        .env_remove("PODCORPUS_DB")
        .env_remove("PODCORPUS_MODEL")
        .env_remove("PODCORPUS_BASE_URL");
    cmd
}

/// One value from the database, through psql (PostgreSQL's own client).
fn sql(db: &str, query: &str) -> String {
    let out = Command::new("psql")
        .args([db, "-X", "-A", "-t", "-q", "-c", query])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn count(db: &str, query: &str) -> i64 {
    sql(db, query).parse().expect("a number")
}

/// `fetch URL --enqueue-only` into a fresh database; yt-dlp's files go to `out`.
fn enqueue(db: &str, site: &Site, out: &Path) {
    let result = podcorpus(db)
        .args(["fetch", &format!("{}/feed.xml", site.base)])
        .args(["--enqueue-only", "--json", "--collection", "talks"])
        .args(["--sub-format", "vtt", "--sleep", "0.2", "--out"])
        .arg(out)
        .output()
        .expect("runs");
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let report: Value = serde_json::from_slice(&result.stdout).expect("json");
    assert_eq!(report["pending"], VIDEOS as u64, "{report}");
    // Nothing was fetched: the run waits for its workers.
    assert_eq!(count(db, "SELECT count(*) FROM episodes"), 0);
}

/// `fetch --resume` as worker `name`.
fn worker(db: &str, name: &str, extra: &[&str]) -> Child {
    podcorpus(db)
        .args(["fetch", "--resume", "--json", "--worker-name", name])
        .args(["--lease", "3s"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// Waits for a worker; its report.
fn report(child: Child) -> Value {
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "worker failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json report")
}

/// Every video stored once: one episode per video, one transcript each,
/// every item of the run done.
fn stored_once(db: &str) {
    assert_eq!(count(db, "SELECT count(*) FROM episodes"), VIDEOS as i64);
    assert_eq!(
        count(db, "SELECT count(DISTINCT video_id) FROM episodes"),
        VIDEOS as i64
    );
    assert_eq!(count(db, "SELECT count(*) FROM transcripts"), VIDEOS as i64);
    assert_eq!(
        count(
            db,
            "SELECT count(*) FROM (SELECT video_id FROM episodes GROUP BY video_id HAVING count(*) > 1) d"
        ),
        0
    );
    assert_eq!(
        sql(
            db,
            "SELECT string_agg(status || ':' || n, ',') FROM (SELECT status, count(*) AS n FROM fetch_items GROUP BY status) s"
        ),
        format!("done:{VIDEOS}")
    );
    // Each talk's own words, under its own number.
    for i in 1..=VIDEOS {
        let n = count(
            db,
            &format!(
                "SELECT count(*) FROM episodes e JOIN transcripts t ON t.episode_id = e.id
                 JOIN segments s ON s.transcript_id = t.id
                 WHERE s.text LIKE '%talk number {i:02}%'"
            ),
        );
        assert_eq!(n, 1, "talk {i:02}");
    }
}

fn status(db: &str) -> Value {
    let out = podcorpus(db)
        .args(["fetch", "--status", "--json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn worker_status<'a>(status: &'a Value, name: &str) -> &'a Value {
    find_worker(status, name).unwrap_or_else(|| panic!("no worker {name} in {status}"))
}

/// A worker's row, once it has started and said something.
fn find_worker<'a>(status: &'a Value, name: &str) -> Option<&'a Value> {
    status["workers"]
        .as_array()
        .expect("workers")
        .iter()
        .find(|w| w["name"] == name)
}

/// The tests take turns: the timings compare workers on a machine that
/// is not also running the other test's.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn three_workers_one_killed_store_every_video_once_and_sooner_than_one() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let site = serve();
    let dir = tempfile::tempdir().expect("tempdir");

    // One worker alone.
    let alone = podcorpus_testpg::fresh_database("workers-alone");
    enqueue(&alone, &site, &dir.path().join("alone"));
    let started = Instant::now();
    let solo = report(worker(&alone, "solo", &[]));
    let one_worker = started.elapsed();
    assert_eq!(solo["fetched"], VIDEOS as u64, "{solo}");
    assert_eq!(solo["pending"], 0);
    stored_once(&alone);

    // Three workers, one killed while it holds a video.
    let db = podcorpus_testpg::fresh_database("workers-three");
    enqueue(&db, &site, &dir.path().join("three"));
    let started = Instant::now();
    let mut victim = worker(&db, "w1", &[]);
    let others = [worker(&db, "w2", &[]), worker(&db, "w3", &[])];
    // Killed once it has stored a video and holds the next: all three
    // were at work.
    let held = loop {
        let state = sql(
            &db,
            "SELECT count(*) FILTER (WHERE status = 'done') || ' ' ||
                    coalesce(max(idx) FILTER (WHERE status = 'working'), 0)
             FROM fetch_items WHERE worker = 'w1'",
        );
        let (done, holding) = state.split_once(' ').expect("two numbers");
        if done != "0" && holding != "0" {
            break holding.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "w1 never held a second video"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    victim.kill().expect("SIGKILL");
    let _ = victim.wait();
    let killed_at = Instant::now();
    // Right after the kill its claim still stands: the others do not take
    // a video whose lease is running.
    let seen = status(&db);
    let w1 = worker_status(&seen, "w1");
    assert_eq!(w1["state"], "fetching", "{seen}");
    let reports: Vec<Value> = others.into_iter().map(report).collect();
    let three_workers = started.elapsed();
    assert!(
        killed_at.elapsed() >= Duration::from_secs(2),
        "the others waited for the killed worker's lease"
    );
    stored_once(&db);
    // The video the killed worker held was stored by another.
    let by = sql(
        &db,
        &format!("SELECT worker || ' ' || status FROM fetch_items WHERE idx = {held}"),
    );
    assert!(by == "w2 done" || by == "w3 done", "{by}");
    let fetched: u64 = reports
        .iter()
        .map(|r| r["imported"].as_array().map_or(0, |a| a.len() as u64))
        .sum();
    let by_w1 = count(&db, "SELECT count(*) FROM fetch_items WHERE worker = 'w1'") as u64;
    assert_eq!(fetched + by_w1, VIDEOS as u64, "{reports:?}");
    assert!(
        reports
            .iter()
            .all(|r| r["imported"].as_array().is_some_and(|a| !a.is_empty())),
        "both live workers fetched: {reports:?}"
    );
    // What --status says now: the run is finished, the killed worker lost.
    let seen = status(&db);
    assert_eq!(seen["finished"], true, "{seen}");
    assert_eq!(seen["videos"]["done"], VIDEOS as u64);
    assert_eq!(worker_status(&seen, "w1")["lost"], true, "{seen}");
    assert!(
        worker_status(&seen, "w1")["fetched"].as_i64() >= Some(1),
        "{seen}"
    );
    for name in ["w2", "w3"] {
        let w = worker_status(&seen, name);
        assert_eq!(w["state"], "done", "{seen}");
        assert_eq!(w["lost"], false);
    }
    let text = podcorpus(&db)
        .args(["fetch", "--status"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&text.stdout);
    eprintln!("{text}");
    assert!(text.contains("12 done (finished)"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("w1") && l.contains("lost")),
        "{text}"
    );

    eprintln!(
        "one worker: {:.1} s; three workers, one killed: {:.1} s",
        one_worker.as_secs_f64(),
        three_workers.as_secs_f64()
    );
    assert!(
        three_workers < one_worker,
        "three workers took {three_workers:?}, one alone {one_worker:?}"
    );
}

/// The site refuses 127.0.0.2: the worker it refused pauses, and so does a
/// second worker from that address, which never asks the site while the
/// pause lasts; the workers on other addresses store every video.
#[test]
fn a_refused_address_pauses_its_workers_and_no_other() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let site = serve();
    let refused: IpAddr = "127.0.0.2".parse().expect("ip");
    site.refuse.lock().expect("lock").insert(refused);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = podcorpus_testpg::fresh_database("workers-refused");
    enqueue(&db, &site, &dir.path().join("out"));
    let started = Instant::now();
    let on = |address: &'static str, pause: &'static str| {
        ["--pause", pause, "--source-address", address]
    };
    let mut workers = vec![worker(&db, "r", &on("127.0.0.2", "6s"))];
    // Once the site has refused r, and r is paused, the others start.
    let r_paused = loop {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{}",
            status(&db)
        );
        let seen = status(&db);
        if let Some(r) = find_worker(&seen, "r").filter(|r| r["state"] == "paused") {
            assert!(
                r["detail"].as_str().is_some_and(|d| d.contains("refused")),
                "{seen}"
            );
            break r["paused_until"].as_i64().expect("paused until");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let asked_before = site.asked.lock().expect("lock").get(&refused).copied();
    assert_eq!(asked_before, Some(1), "r asked once and was refused");
    workers.push(worker(&db, "r2", &on("127.0.0.2", "6s")));
    workers.push(worker(&db, "a", &on("127.0.0.3", "2s")));
    workers.push(worker(&db, "b", &on("127.0.0.4", "2s")));
    // r2 is seen paused with r, until r's pause ends, having asked nothing;
    // meanwhile a or b fetch.
    let (mut r2_paused, mut others_fetch) = (false, false);
    while started.elapsed() < Duration::from_secs(120) && !(r2_paused && others_fetch) {
        let seen = status(&db);
        if let Some(r2) = find_worker(&seen, "r2").filter(|w| w["state"] == "paused") {
            if !r2_paused {
                assert!(
                    r2["detail"]
                        .as_str()
                        .is_some_and(|d| d.contains("paused with r,") && d.contains("refused")),
                    "{seen}"
                );
                assert_eq!(r2["paused_until"].as_i64(), Some(r_paused), "{seen}");
                assert_eq!(
                    site.asked.lock().expect("lock").get(&refused).copied(),
                    asked_before,
                    "r2 asked the site while its address was paused: {seen}"
                );
            }
            r2_paused = true;
        }
        others_fetch |= ["a", "b"]
            .iter()
            .any(|n| find_worker(&seen, n).is_some_and(|w| w["state"] == "fetching"));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(r2_paused && others_fetch, "{}", status(&db));
    let reports: Vec<Value> = workers.into_iter().map(report).collect();
    stored_once(&db);
    // The refused address stored nothing; the site never served it a page.
    for (name, report) in ["r", "r2"].iter().zip(&reports) {
        assert_eq!(
            report["imported"].as_array().map(Vec::len),
            Some(0),
            "{name}: {reports:?}"
        );
    }
    let served = site.served.lock().expect("lock").clone();
    assert_eq!(served.get(&refused), None, "{served:?}");
    let a: IpAddr = "127.0.0.3".parse().expect("ip");
    let b: IpAddr = "127.0.0.4".parse().expect("ip");
    assert_eq!(
        served.get(&a).copied().unwrap_or(0) + served.get(&b).copied().unwrap_or(0),
        VIDEOS
    );
    let seen = status(&db);
    assert_eq!(worker_status(&seen, "r")["fetched"], 0);
    assert_eq!(worker_status(&seen, "r")["address"], "127.0.0.2");
}
