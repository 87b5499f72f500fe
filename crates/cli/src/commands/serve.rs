//! `podcorpus serve`: the web reader.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port to listen on.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind: loopback by default, so only this machine can read.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Model folder for search by meaning (as `embed --model-dir`); loaded
    /// on the first such search.
    #[arg(long, env = "PODCORPUS_MODEL_DIR", value_name = "DIR")]
    model_dir: Option<std::path::PathBuf>,
}

/// Runs the server until interrupted.
pub fn run(db: &Path, _json: bool, args: Args) -> anyhow::Result<i32> {
    // Fail early, with the usual message, when there is no corpus yet. The
    // server opens it read-only itself: it is not migrated here.
    super::require(db)?;
    let addr = SocketAddr::new(args.bind, args.port);
    let runtime = tokio::runtime::Runtime::new()?;
    eprintln!(
        "podcorpus: serving {} on http://{addr}/ (Ctrl-C stops)",
        super::shown(db)
    );
    runtime.block_on(podcorpus_web::serve(db.to_path_buf(), addr, args.model_dir))?;
    Ok(0)
}
