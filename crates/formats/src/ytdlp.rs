//! PLACEHOLDER — yt-dlp bundles, being written.
