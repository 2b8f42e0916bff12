//! `gazette serve` as a user runs it: a real server on an ephemeral port of
//! 127.0.0.1, real edits of the article files, plain HTTP requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::copy_fixture;

struct Server {
    child: Child,
    addr: String,
    /// Lines printed after "serving on", gathered by a thread.
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("SOURCE_DATE_EPOCH", crate::harness::BUILD_TIME.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("serving on http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    Server {
        child,
        addr,
        lines: seen,
    }
}

/// (status, content type, body) of a GET of `path`, sent as written.
fn get(server: &Server, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default();
    (status, content_type, body.to_string())
}

/// Polls until `path` satisfies `ok` (rebuilds are debounced).
fn eventually(server: &Server, path: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, _, body) = get(server, path);
        if ok(&body) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never matched; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

const TALKS: &str = "/2021/05/03/talks-open-in-geneva/";

#[test]
fn edits_show_broken_edits_keep_the_last_good_build() {
    let site = copy_fixture("basic");
    let server = start(site.path());
    let (status, content_type, body) = get(&server, TALKS);
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(body.contains("Delegations met on Monday."));
    assert!(
        body.contains("/_tower-livereload/"),
        "live reload script injected"
    );
    assert!(body.contains("\n<body>\n"), "not minified in serve");

    let article = site.path().join("content/2021/05/talks.md");
    let original = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        original.replace("Delegations met on Monday.", "Delegations met on Tuesday."),
    )
    .unwrap();
    eventually(&server, TALKS, |b| {
        b.contains("Delegations met on Tuesday.")
    });

    std::fs::write(&article, "---\ntitle: [unclosed\n---\n").unwrap();
    let broken = eventually(&server, TALKS, |b| b.contains("gazette-errors"));
    assert!(
        broken.contains("Delegations met on Tuesday."),
        "the last good page is still served"
    );
    assert!(
        broken.contains("content/2021/05/talks.md:2:"),
        "the error is shown with its position"
    );

    std::fs::write(
        &article,
        original.replace("Delegations met on Monday.", "Delegations met on Friday."),
    )
    .unwrap();
    // The page and the error list change one after the other: wait for both.
    eventually(&server, TALKS, |b| {
        b.contains("Delegations met on Friday.") && !b.contains("gazette-errors")
    });
}

#[test]
fn only_files_of_the_site_are_served() {
    let site = copy_fixture("basic");
    let server = start(site.path());
    let (status, _, body) = get(&server, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the theme's 404 page");
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc/passwd",
        "/%2e%2e%5c%2e%2e%5cgazette.toml",
        "/../gazette.toml",
    ] {
        let (status, _, body) = get(&server, path);
        assert_ne!(status, 200, "{path}");
        assert!(
            !body.contains("root:") && !body.contains("base_url"),
            "{path} leaked a file"
        );
    }
    // A symlink inside the served folder that points outside is refused.
    #[cfg(unix)]
    {
        let served = site.path().join(".gazette/serve");
        std::os::unix::fs::symlink(site.path(), served.join("escape")).unwrap();
        let (status, _, body) = get(&server, "/escape/gazette.toml");
        assert_eq!(status, 404);
        assert!(!body.contains("base_url"));
    }
    let (status, content_type, _) = get(&server, "/broadsheet.css");
    assert_eq!((status, content_type.as_str()), (200, "text/css"));
    let (_, content_type, _) = get(&server, "/feed.xml");
    assert!(content_type.contains("xml"), "{content_type}");
}

/// Regression: the watcher saw the build's own reads of files and folders
/// as changes and rebuilt forever, keeping a core busy while idle.
#[test]
fn an_idle_server_does_not_rebuild() {
    let site = copy_fixture("basic");
    let server = start(site.path());
    let (status, _, _) = get(&server, TALKS);
    assert_eq!(status, 200);
    let cpu_before = cpu_ticks(&server);
    std::thread::sleep(Duration::from_millis(1500));
    if let (Some(before), Some(after)) = (cpu_before, cpu_ticks(&server)) {
        // 1.5 s idle: well under a tenth of a second of CPU (ticks are 1/100 s).
        assert!(
            after - before < 10,
            "idle server used {} ticks of CPU",
            after - before
        );
    }
    assert_eq!(rebuilds(&server), 0, "{:?}", server.lines.lock().unwrap());
    // A real change still rebuilds, exactly once.
    let article = site.path().join("content/2021/05/talks.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replace("Monday", "Sunday")).unwrap();
    eventually(&server, TALKS, |b| b.contains("Delegations met on Sunday."));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(rebuilds(&server), 1, "{:?}", server.lines.lock().unwrap());
}

/// The watcher runs before the first build: an article saved while that
/// build writes its pages (after it read every file) is rebuilt after it.
#[test]
fn an_edit_saved_during_the_first_build_is_rebuilt() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let site = copy_fixture("basic");
    // Enough articles for the first build's write stage to be seen.
    let many = site.path().join("content/2020/01");
    std::fs::create_dir_all(&many).unwrap();
    for i in 0..600 {
        std::fs::write(
            many.join(format!("filler-{i}.md")),
            format!("---\ntitle: Filler {i}\ndate: 2020-01-15T10:00:00Z\ntags: [filler]\n---\n\nText {i}.\n"),
        )
        .unwrap();
    }
    let pending = site.path().join(".gazette/.serve.pending");
    let article = site.path().join("content/2021/05/talks.md");
    let served = Arc::new(AtomicBool::new(false));
    let editor = std::thread::spawn({
        let served = served.clone();
        let article = article.clone();
        move || {
            while !served.load(Ordering::Relaxed) {
                if pending.is_dir() {
                    let text = std::fs::read_to_string(&article).unwrap();
                    std::fs::write(&article, text.replace("Monday", "Sunday")).unwrap();
                    return true;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            false
        }
    });
    let server = start(site.path());
    served.store(true, Ordering::Relaxed);
    assert!(
        editor.join().unwrap(),
        "the first build ended before its write stage was seen: make the site bigger"
    );
    eventually(&server, TALKS, |b| b.contains("Delegations met on Sunday."));
}

/// How many rebuilds the server reported since it started serving.
fn rebuilds(server: &Server) -> usize {
    server
        .lines
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("built "))
        .count()
}

/// User + system CPU time of the server process, in clock ticks (Linux).
fn cpu_ticks(server: &Server) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", server.child.id())).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

#[test]
fn a_second_serve_of_a_site_is_refused_and_a_build_beside_it_works() {
    let site = copy_fixture("basic");
    let first = start(site.path());
    let second = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!second.status.success());
    let said = String::from_utf8_lossy(&second.stderr);
    let pid = first.child.id();
    assert!(
        said.contains(&format!(
            "another gazette (pid {pid}) is writing .gazette/serve/"
        )),
        "{said}"
    );
    // `build` writes public/ and the site's cache, which serve leaves alone.
    let built = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let (status, _, _) = get(&first, "/");
    assert_eq!(status, 200);
}
