//! `vpsgate sandbox`: serve the local emulator of both upstream APIs until Ctrl-C.

use std::path::PathBuf;

use vpsgate_sandbox::SandboxConfig;

use crate::exit::Failure;

/// Arguments of `vpsgate sandbox`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// TOML configuration (accounts, catalog, partners, faults); the built-in default otherwise.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Loopback port (0 picks a free one); overrides the configuration.
    #[arg(long)]
    pub port: Option<u16>,
    /// Keep state in this SQLite file (created with mode 0600) so a restart, even after a
    /// crash, loses nothing; overrides the configuration.
    #[arg(long, value_name = "FILE")]
    pub state_file: Option<PathBuf>,
    /// Log one line per request to stderr (secrets redacted).
    #[arg(long)]
    pub log: bool,
    /// Language of the gateway's `errorMsg` texts; overrides the configuration.
    #[arg(long, value_name = "LANG", value_parser = ["en", "ru"])]
    pub language: Option<String>,
    /// Print the built-in default configuration as TOML and exit.
    #[arg(long)]
    pub print_default_config: bool,
}

/// Serve until Ctrl-C.
pub fn run(args: Args) -> Result<(), Failure> {
    let fail = Failure::local;
    if args.print_default_config {
        let text = toml::to_string_pretty(&SandboxConfig::default())
            .map_err(|e| fail(format!("cannot print the default config: {e}")))?;
        print!("{text}");
        return Ok(());
    }
    let mut config = match &args.config {
        Some(path) => SandboxConfig::from_file(path).map_err(|e| fail(e.to_string()))?,
        None => SandboxConfig::default(),
    };
    if let Some(port) = args.port {
        config.port = port;
    }
    if args.state_file.is_some() {
        config.state_file = args.state_file.clone();
    }
    config.log |= args.log;
    match args.language.as_deref() {
        Some("ru") => config.friendhosting.language = vpsgate_sandbox::Language::Ru,
        Some(_) => config.friendhosting.language = vpsgate_sandbox::Language::En,
        None => {}
    }
    // The configuration and the state file are checked before anything says "listening".
    let port = config.port;
    let prepared = vpsgate_sandbox::Prepared::new(config).map_err(|e| fail(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| fail(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let addr = listener.local_addr().map_err(|e| fail(e.to_string()))?;
        eprintln!("vpsgate sandbox listening on http://{addr}");
        eprintln!("  Friendhosting gateway: http://{addr}/apih.php");
        eprintln!("  GoVPSFX: http://{addr}/server/server/{{get,extend,recall}}");
        eprintln!("  Ctrl-C stops it");
        prepared
            .serve(listener, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| fail(e.to_string()))
    })
}
