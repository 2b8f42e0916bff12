//! `gazette serve`: build, serve the site on 127.0.0.1, watch the sources,
//! rebuild on change and reload open pages.
//!
//! Rebuilds reuse the parsed articles whose files did not change and write
//! only the files whose bytes changed. A broken edit keeps the last good
//! build served; its errors go to [`Events::built`] and to an overlay in
//! the browser until fixed. Prints nothing itself: `main` implements
//! [`Events`].

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use jiff::Timestamp;

use crate::lock::Lock;
use crate::pipeline::{BuildOptions, Cache, Mode, Report, build_cached};

/// Where `serve` writes the site it serves, below the site root.
pub const SERVE_DIR: &str = ".gazette/serve";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub future: bool,
    /// Fixed build time (`SOURCE_DATE_EPOCH`); else the clock at each build.
    pub build_time: Option<Timestamp>,
}

/// What the server has to say; `main` prints it.
pub trait Events: Send + Sync {
    /// The server is up at `url`; `note` says why it is not the port asked for.
    fn listening(&self, url: &str, note: Option<&str>);
    /// A build (the first, or after a change) finished.
    fn built(&self, report: &Report);
}

/// Everything a (re)build needs, shared by the watcher thread.
struct Builder {
    options: BuildOptions,
    fixed_time: Option<Timestamp>,
    cache: Cache,
    errors: http::Errors,
    /// Held while building, so that shutting down waits for a build to end.
    busy: Mutex<()>,
    /// Whether a build of this process succeeded: from then on the output
    /// folder (locked while serving) holds only what it wrote.
    built_once: AtomicBool,
}

impl Builder {
    fn build(&self, events: &dyn Events) -> bool {
        let _busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let mut options = self.options.clone();
        options.build_time = self.fixed_time.unwrap_or_else(Timestamp::now);
        options.trust_output = self.built_once.load(Ordering::Relaxed);
        let report = build_cached(&options, &(), Some(&self.cache));
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        let ok = report.summary.is_some();
        if ok {
            self.built_once.store(true, Ordering::Relaxed);
        }
        if let Ok(mut current) = self.errors.write() {
            *current = errors;
        }
        events.built(&report);
        ok
    }
}

/// Runs until Ctrl-C.
pub fn serve(options: &ServeOptions, events: Arc<dyn Events>) -> Result<(), String> {
    let output = options.root.join(SERVE_DIR);
    // Held while serving: a second `serve` of the site would write the
    // same folder.
    let _lock = Lock::take(&crate::output::lock_file(&output))
        .map_err(|refused| Lock::refusal(&refused, &format!("{SERVE_DIR}/")))?;
    let (listener, note) = bind(options.bind, options.port)?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{addr}/");
    let mut build = BuildOptions::new(&options.root, Timestamp::now());
    build.output = Some(output.clone());
    build.drafts = options.drafts;
    build.future = options.future;
    build.minify = false;
    build.search = false;
    build.mode = Mode::Update;
    build.base_url = Some(url.clone());
    let builder = Arc::new(Builder {
        options: build,
        fixed_time: options.build_time,
        cache: Cache::default(),
        errors: Arc::new(RwLock::new(Vec::new())),
        busy: Mutex::new(()),
        built_once: Default::default(),
    });
    std::fs::create_dir_all(&output)
        .map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    let (router, reloader) = http::router(&output, builder.errors.clone());
    // The watcher starts before the first build: a file saved while that
    // build runs is rebuilt after it, and from then on the watcher tells
    // the builds which files changed, so that they need not look at the
    // others (the first rebuild too).
    builder.cache.watching();
    let watcher = watch::start(&options.root, &output, {
        let builder = builder.clone();
        let events = events.clone();
        move |changed| {
            builder.cache.changed(changed);
            builder.build(events.as_ref());
            reloader.reload();
        }
    })?;
    builder.build(events.as_ref());
    events.listening(&url, note.as_deref());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let result = runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("server stopped: {e}"))
    });
    drop(watcher);
    // Let a rebuild in progress finish writing before the process ends.
    drop(builder.busy.lock());
    result
}

/// Binds `port`, or the next free one of the ten after it.
fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, Option<String>), String> {
    let first = TcpListener::bind(SocketAddr::new(ip, port));
    let error = match first {
        Ok(listener) => return Ok((listener, None)),
        Err(e) => e,
    };
    if port == 0 {
        return Err(format!("cannot listen on {ip}: {error}"));
    }
    for next in port.saturating_add(1)..=port.saturating_add(10) {
        if let Ok(listener) = TcpListener::bind(SocketAddr::new(ip, next)) {
            return Ok((
                listener,
                Some(format!(
                    "port {port} is busy ({error}); using port {next} instead"
                )),
            ));
        }
    }
    Err(format!(
        "cannot listen on {ip}:{port} or the ten ports after it: {error}"
    ))
}
