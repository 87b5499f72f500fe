//! Running yt-dlp: finding it, running it with a time limit, and reading
//! its error messages into reasons a user can act on.

use crate::FetchError;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A runnable yt-dlp.
#[derive(Debug, Clone)]
pub struct YtDlp {
    program: Vec<String>,
    /// Longest a single call may run.
    pub timeout: Duration,
}

/// What one call gave.
#[derive(Debug, Clone)]
pub struct Output {
    /// Whether it exited with 0.
    pub success: bool,
    /// Standard output (the JSON of a listing).
    pub stdout: String,
    /// Standard error (progress and `ERROR:` lines).
    pub stderr: String,
}

/// Why yt-dlp failed, in the words a user needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The video is gone, private, or the page does not exist: do not retry.
    Unavailable(String),
    /// YouTube refuses (rate limit, sign-in check): retry later, or with cookies.
    Refused(String),
    /// The network is down or the host unreachable: retry.
    Network(String),
    /// yt-dlp cannot extract this URL at all.
    Unsupported(String),
    /// Anything else.
    Other(String),
}

impl Problem {
    /// Whether trying again later may help.
    pub fn transient(&self) -> bool {
        matches!(
            self,
            Problem::Refused(_) | Problem::Network(_) | Problem::Other(_)
        )
    }

    /// The reason, with advice.
    pub fn reason(&self) -> String {
        match self {
            Problem::Unavailable(m) => format!("unavailable: {m}"),
            Problem::Refused(m) => format!(
                "refused by the site ({m}); wait and run `podcorpus fetch --resume`, or pass --cookies-from-browser BROWSER"
            ),
            Problem::Network(m) => format!("network error ({m}); check the connection and run `podcorpus fetch --resume`"),
            Problem::Unsupported(m) => format!("yt-dlp cannot extract this URL: {m}"),
            Problem::Other(m) => m.clone(),
        }
    }
}

/// Reads yt-dlp's standard error into a [`Problem`].
pub fn classify(stderr: &str) -> Problem {
    let line = stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("ERROR:"))
        .or_else(|| stderr.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("yt-dlp failed without a message")
        .trim_start_matches("ERROR:")
        .trim()
        .to_string();
    let l = line.to_ascii_lowercase();
    if l.contains("unsupported url") {
        Problem::Unsupported(line)
    } else if l.contains("http error 429")
        || l.contains("sign in to confirm")
        || l.contains("too many requests")
    {
        Problem::Refused(line)
    } else if l.contains("http error 404")
        || l.contains("http error 410")
        || l.contains("video unavailable")
        || l.contains("private video")
        || l.contains("has been removed")
        || l.contains("not available")
        || l.contains("members-only")
    {
        Problem::Unavailable(line)
    } else if l.contains("name or service not known")
        || l.contains("connection refused")
        || l.contains("timed out")
        || l.contains("network is unreachable")
        || l.contains("temporary failure in name resolution")
        || l.contains("failed to resolve")
    {
        Problem::Network(line)
    } else {
        Problem::Other(line)
    }
}

impl YtDlp {
    /// Finds yt-dlp: the given path, else `yt-dlp` on PATH, else
    /// `python3 -m yt_dlp`; checks that it answers `--version`.
    pub fn locate(explicit: Option<&Path>) -> Result<YtDlp, FetchError> {
        let candidates: Vec<Vec<String>> = match explicit {
            Some(p) => vec![vec![p.display().to_string()]],
            None => vec![
                vec!["yt-dlp".into()],
                vec!["python3".into(), "-m".into(), "yt_dlp".into()],
            ],
        };
        let mut last = String::from("not found");
        for program in candidates {
            let mut cmd = Command::new(&program[0]);
            cmd.args(&program[1..])
                .arg("--version")
                .stdin(Stdio::null());
            match cmd.output() {
                Ok(o) if o.status.success() => {
                    return Ok(YtDlp {
                        program,
                        timeout: Duration::from_secs(600),
                    })
                }
                Ok(o) => last = String::from_utf8_lossy(&o.stderr).trim().to_string(),
                Err(e) => last = format!("{}: {e}", program.join(" ")),
            }
        }
        Err(FetchError::Missing(last))
    }

    /// Runs yt-dlp with `args`, killing it after [`YtDlp::timeout`].
    pub fn run(&self, args: &[String]) -> Result<Output, FetchError> {
        tracing::debug!(args = ?args, "yt-dlp");
        let mut child = Command::new(&self.program[0])
            .args(&self.program[1..])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| FetchError::Missing(e.to_string()))?;
        // Drain both pipes on threads so a chatty yt-dlp never blocks on a full pipe.
        let mut out = child.stdout.take();
        let mut err = child.stderr.take();
        let out_reader = std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(o) = out.as_mut() {
                let _ = o.read_to_string(&mut s);
            }
            s
        });
        let err_reader = std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(e) = err.as_mut() {
                let _ = e.read_to_string(&mut s);
            }
            s
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break Some(status);
            }
            if started.elapsed() > self.timeout {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = out_reader.join().unwrap_or_default();
        let mut stderr = err_reader.join().unwrap_or_default();
        if status.is_none() {
            stderr.push_str(&format!(
                "\nERROR: yt-dlp timed out after {} s",
                self.timeout.as_secs()
            ));
        }
        Ok(Output {
            success: status.is_some_and(|s| s.success()),
            stdout,
            stderr,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_error_lines_are_classified() {
        // Lines as yt-dlp 2026.10 prints them.
        let cases = [
            ("ERROR: [generic] nope: Unable to download webpage: HTTP Error 404: File not found (caused by <HTTPError 404: File not found>)", "unavailable"),
            ("ERROR: [youtube] o8nZaDw_mOs: Private video. Sign in if you've been granted access to this video", "unavailable"),
            ("ERROR: [youtube] abc: Sign in to confirm you’re not a bot. Use --cookies-from-browser or --cookies for the authentication.", "refused"),
            ("ERROR: Unsupported URL: https://example.com/", "unsupported"),
            ("ERROR: [generic] x: Unable to download webpage: <urlopen error [Errno -2] Name or service not known> (caused by TransportError)", "network"),
            ("ERROR: [generic] x: Unable to download webpage: <urlopen error [Errno 111] Connection refused>", "network"),
        ];
        for (line, want) in cases {
            let got = match classify(&format!("[info] something\n{line}\n")) {
                Problem::Unavailable(_) => "unavailable",
                Problem::Refused(_) => "refused",
                Problem::Network(_) => "network",
                Problem::Unsupported(_) => "unsupported",
                Problem::Other(_) => "other",
            };
            assert_eq!(got, want, "{line}");
        }
        assert!(
            classify("ERROR: [youtube] abc: Sign in to confirm you’re not a bot.")
                .reason()
                .contains("--cookies-from-browser")
        );
    }

    #[test]
    fn a_missing_program_says_how_to_install() {
        let err = YtDlp::locate(Some(Path::new("/nonexistent/yt-dlp"))).unwrap_err();
        assert!(
            err.to_string().contains("python3 -m pip install yt-dlp"),
            "{err}"
        );
    }
}
