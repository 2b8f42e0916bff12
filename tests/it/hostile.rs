//! Hostile and broken conditions: symbolic links out of the site, two
//! writers at once, builds killed half-way, a full or read-only disk. The
//! old site survives each, file by file, and nothing stray is left where a
//! deploy would copy it.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use rustix::fs::{FlockOperation, flock};

use crate::harness::{build_root, copy_fixture};

/// Every file under `dir` (hidden ones too), with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The names beside `dir` (in its parent) other than `dir` itself.
fn beside(dir: &Path) -> Vec<String> {
    let name = dir.file_name().unwrap();
    fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != name)
        .map(|n| n.to_string_lossy().into_owned())
        .collect()
}

fn gazette(site: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("gazette"));
    cmd.current_dir(site)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn symlinks_out_of_the_site_are_refused() {
    let site = copy_fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.txt");
    fs::write(&secret, "TOP SECRET").unwrap();
    fs::create_dir(elsewhere.path().join("folder")).unwrap();
    fs::write(elsewhere.path().join("folder/more.txt"), "TOP SECRET").unwrap();
    let root = site.path();
    // The body image and the lead image of one article: refused where
    // they are used.
    for image in ["chart.png", "response.png"] {
        let file = root.join("content/2022/01").join(image);
        fs::remove_file(&file).unwrap();
        symlink(&secret, &file).unwrap();
    }
    let built = build_root(&site, |_| {});
    assert!(built.report.summary.is_none(), "the build must fail");
    let errors = built.errors();
    for part in [
        "image `chart.png`: content/2022/01/chart.png is a symbolic link to ",
        "image `response.png`: content/2022/01/response.png is a symbolic link to ",
    ] {
        assert!(errors.contains(part), "no `{part}` in:\n{errors}");
    }
    assert!(
        errors.contains("secret.txt, outside the site: refused"),
        "{errors}"
    );
    assert!(!built.out.exists(), "nothing is published");

    // Links in static/, to a file and to a folder, and an article that
    // is a link.
    symlink(&secret, root.join("static/leak.txt")).unwrap();
    symlink(elsewhere.path().join("folder"), root.join("static/leaks")).unwrap();
    symlink(&secret, root.join("content/2021/05/leak.md")).unwrap();
    let built = build_root(&site, |_| {});
    assert!(built.report.summary.is_none(), "the build must fail");
    let errors = built.errors();
    for part in [
        "error: static/leak.txt: symbolic link to ",
        "error: static/leaks: symbolic link to ",
        "error: content/2021/05/leak.md: symbolic link to ",
    ] {
        assert!(errors.contains(part), "no `{part}` in:\n{errors}");
    }
    assert!(!built.out.exists(), "nothing is published");
}

#[test]
fn symlinks_inside_the_site_are_followed() {
    let site = copy_fixture("basic");
    let root = site.path();
    fs::create_dir_all(root.join("shared/files")).unwrap();
    fs::write(root.join("shared/note.txt"), "a shared note").unwrap();
    fs::write(root.join("shared/files/a.txt"), "file a").unwrap();
    symlink("../shared/note.txt", root.join("static/note.txt")).unwrap();
    symlink("../shared/files", root.join("static/files")).unwrap();
    let chart = root.join("content/2022/01/chart.png");
    fs::rename(&chart, root.join("shared/chart.png")).unwrap();
    symlink("../../../shared/chart.png", &chart).unwrap();
    let built = build_root(&site, |_| {});
    built.assert_ok();
    assert_eq!(built.read("note.txt"), "a shared note");
    assert_eq!(built.read("files/a.txt"), "file a");
    let copied = fs::read(
        built
            .out
            .join("2022/01/27/written-response-handed-to-moscow/chart.png"),
    );
    assert_eq!(
        copied.unwrap(),
        fs::read(root.join("shared/chart.png")).unwrap()
    );
}

#[test]
fn a_second_writer_is_told_who_holds_the_output() {
    let site = copy_fixture("basic");
    let root = site.path();
    // What a running build holds: the lock file beside the output, locked,
    // with its process id.
    let mut held = File::create(root.join(".public.lock")).unwrap();
    flock(&held, FlockOperation::LockExclusive).unwrap();
    writeln!(held, "{}", std::process::id()).unwrap();
    let (ok, text) = run(gazette(root).arg("build"));
    assert!(!ok);
    assert!(
        text.contains(&format!(
            "another gazette (pid {}) is writing public/",
            std::process::id()
        )),
        "{text}"
    );
    assert!(!root.join("public").exists());

    // Another output of the same site shares its cache.
    fs::create_dir_all(root.join(".gazette")).unwrap();
    let mut cache = File::create(root.join(".gazette/lock")).unwrap();
    flock(&cache, FlockOperation::LockExclusive).unwrap();
    writeln!(cache, "{}", std::process::id()).unwrap();
    let (ok, text) = run(gazette(root).args(["build", "--output", "other"]));
    assert!(!ok);
    assert!(
        text.contains("is writing .gazette/ (the site's cache)"),
        "{text}"
    );
    drop((held, cache));

    let (ok, text) = run(gazette(root).arg("build"));
    assert!(ok, "{text}");
}

#[test]
fn a_lock_left_by_a_killed_build_is_taken_over() {
    let site = copy_fixture("basic");
    let root = site.path();
    // A killed process leaves the file, but the system released its lock.
    fs::write(root.join(".public.lock"), "4000000\n").unwrap();
    let (ok, text) = run(gazette(root).arg("build"));
    assert!(ok, "{text}");
    assert!(root.join("public/index.html").is_file());
    assert!(
        !root.join(".public.lock").exists(),
        "the lock file goes with the lock"
    );
}

/// A site of `n` short articles, each `version`-stamped where `edited`.
fn write_articles(root: &Path, n: usize, edited: impl Fn(usize) -> bool, version: &str) {
    for i in 0..n {
        let dir = root.join(format!("content/20{:02}/{:02}", 10 + i % 12, 1 + i % 12));
        fs::create_dir_all(&dir).unwrap();
        let body: String = (0..12)
            .map(|p| {
                format!(
                    "Paragraph {p} of story {i} about council budget item {}.\n\n",
                    i * p
                )
            })
            .collect();
        let stamp = if edited(i) { version } else { "first" };
        let text = format!(
            "---\ntitle: \"Story {i} {stamp}\"\ndate: 20{:02}-{:02}-{:02}T08:00:00Z\nauthors: [Writer {}]\nsection: Section {}\ntags: [Tag {}, Tag {}]\n---\n{body}Version {stamp}.\n",
            10 + i % 12,
            1 + i % 12,
            1 + i % 28,
            i % 7,
            i % 5,
            i % 11,
            i % 13,
        );
        fs::write(dir.join(format!("story-{i}.md")), text).unwrap();
    }
}

fn generated_site(n: usize) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    fs::write(
        site.path().join("gazette.toml"),
        "title = \"Kill test\"\nbase_url = \"https://kill.example.org/\"\ntimezone = \"UTC\"\n",
    )
    .unwrap();
    write_articles(site.path(), n, |_| false, "first");
    site
}

/// The second version of a generated site: a tenth of its articles
/// edited, ten removed, ten added.
fn second_version(root: &Path, n: usize) {
    write_articles(root, n + 10, |i| i % 10 == 3 || i >= n, "second");
    for i in 0..10 {
        let path = root.join(format!(
            "content/20{:02}/{:02}/story-{}.md",
            10 + (i * 17) % 12,
            1 + (i * 17) % 12,
            i * 17
        ));
        fs::remove_file(path).unwrap();
    }
}

#[test]
fn a_build_killed_at_any_point_leaves_the_old_site_or_the_new_one() {
    const ARTICLES: usize = 300;
    // The old site and the new one, each built clean.
    let old_site = generated_site(ARTICLES);
    let (ok, text) = run(gazette(old_site.path()).arg("build"));
    assert!(ok, "{text}");
    let old = snapshot(&old_site.path().join("public"));
    // The new one: incrementally from the old (timed, for the kill
    // points), then clean, which it must equal.
    let new_site = generated_site(ARTICLES);
    let (ok, text) = run(gazette(new_site.path()).arg("build"));
    assert!(ok, "{text}");
    second_version(new_site.path(), ARTICLES);
    let started = Instant::now();
    let (ok, text) = run(gazette(new_site.path()).arg("build"));
    assert!(ok, "{text}");
    let full = started.elapsed();
    let incremental = snapshot(&new_site.path().join("public"));
    let (ok, text) = run(gazette(new_site.path()).args(["build", "--clean"]));
    assert!(ok, "{text}");
    let new = snapshot(&new_site.path().join("public"));
    assert!(
        incremental == new,
        "the incremental build differs from the clean one"
    );
    assert_ne!(old, new);

    let runs = 10;
    let mut killed = 0;
    for k in 0..runs {
        let site = generated_site(ARTICLES);
        let root = site.path();
        let (ok, text) = run(gazette(root).arg("build"));
        assert!(ok, "{text}");
        second_version(root, ARTICLES);
        // Half the runs update in place, half build afresh and swap.
        let mut cmd = gazette(root);
        cmd.arg("build").stdout(Stdio::null()).stderr(Stdio::null());
        if k % 2 == 1 {
            cmd.arg("--clean");
        }
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(full.mul_f64((k as f64 + 0.5) / runs as f64));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();

        let out = root.join("public");
        for (rel, bytes) in snapshot(&out) {
            assert!(
                old.get(&rel) == Some(&bytes) || new.get(&rel) == Some(&bytes),
                "run {k}: {rel} is neither the old file nor the new one"
            );
            let name = Path::new(&rel).file_name().unwrap().to_string_lossy();
            assert!(!name.starts_with('.'), "run {k}: stray {rel}");
        }
        // Whatever the kill left beside the output, the next build clears,
        // and its output is the clean build's.
        let (ok, text) = run(gazette(root).arg("build"));
        assert!(ok, "run {k}: {text}");
        assert!(
            snapshot(&out) == new,
            "run {k}: the next build differs from a clean one"
        );
        let mut left = beside(&out);
        left.sort();
        assert_eq!(left, [".gazette", "content", "gazette.toml"], "run {k}");
    }
    assert!(
        killed >= runs / 2,
        "only {killed} of {runs} builds were killed"
    );
}

/// A small RAM disk, mounted for a test and unmounted after; `None` where
/// the test cannot mount one (it needs root, as CI runs).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        mounted.then_some(SmallDisk { dir })
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn remount(&self, options: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.dir.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "cannot remount the test disk {options}");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_or_read_only_disk_leaves_the_old_site() {
    let Some(disk) = SmallDisk::mount("2m") else {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    };
    let site = copy_fixture("basic");
    let root = site.path();
    let out = disk.path().join("public");
    let output = out.to_str().unwrap();
    let (ok, text) = run(gazette(root).args(["build", "--output", output]));
    assert!(ok, "{text}");
    let old = snapshot(&out);

    // More than the disk holds.
    let big: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    fs::write(root.join("static/big.bin"), &big).unwrap();
    for clean in [false, true] {
        let mut cmd = gazette(root);
        cmd.args(["build", "--output", output]);
        if clean {
            cmd.arg("--clean");
        }
        let (ok, text) = run(&mut cmd);
        assert!(!ok, "{text}");
        assert!(text.contains("No space left on device"), "{text}");
        assert!(
            text.matches("No space left").count() <= 2,
            "one message, not one a file:\n{text}"
        );
        assert!(
            snapshot(&out) == old,
            "the old site changed (clean: {clean})"
        );
        assert!(beside(&out).is_empty(), "left beside: {:?}", beside(&out));
    }

    fs::remove_file(root.join("static/big.bin")).unwrap();
    let talks = root.join("content/2021/05/talks.md");
    let text = fs::read_to_string(&talks).unwrap();
    fs::write(&talks, text + "\nA late paragraph.\n").unwrap();
    disk.remount("ro");
    let (ok, text) = run(gazette(root).args(["build", "--output", output]));
    assert!(!ok, "{text}");
    assert!(text.contains("Read-only file system"), "{text}");
    assert!(
        snapshot(&out) == old,
        "the old site changed on a read-only disk"
    );
    disk.remount("rw");
    let (ok, text) = run(gazette(root).args(["build", "--output", output]));
    assert!(ok, "{text}");
}
