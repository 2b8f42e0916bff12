#!/usr/bin/env python3
"""Compare two gazette binaries on one synthetic archive, in the same run:
the output must be the same tree, byte for byte, and the timings show
whether a change made a build slower.

    python3 bench/compare.py --before /tmp/gazette-old --after target/release/gazette
    python3 bench/compare.py --before A --after B --articles 10000 --runs 5 --work /dev/shm/cmp

For R rounds, alternating which binary goes first, each binary does:
  1. a clean build (`build --clean`) of the archive into its own output;
  2. a one-article rebuild: one article amended, `build` again into the same
     output (the article cache and manifest of step 1 are used), then the
     article restored.
With `--edits N`, N one-article rebuilds more follow, the binaries
alternating: each amends the same article once more (so each rebuild has
exactly one changed input) and is timed; medians and ranges are printed,
and the two outputs compared after the last. Each binary has its own copy
of the archive, so neither reads the other's caches. After the first
round the two outputs of step 1 are compared by a digest of every file's
path and bytes, and so are the outputs after step 2.
Medians of wall time, CPU time and peak memory are printed. Standard
library only (uses bench/run.py's measure); Linux.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DEFAULT_EPOCH, GEN, REBUILD_SENTENCE, log, measure  # noqa: E402


def tree_digest(folder: Path) -> str:
    """SHA-256 over every file's relative path and bytes, in path order."""
    h = hashlib.sha256()
    files = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            p = Path(dirpath, name)
            files.append((p.relative_to(folder).as_posix(), p))
    for rel, p in sorted(files):
        h.update(rel.encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return f"{h.hexdigest()[:16]} ({len(files)} files)"


def run_checked(cmd: list[str], env: dict[str, str]) -> dict:
    m = measure(cmd, env)
    if m["exit"] != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{m['stderr'][-3000:]}")
    return m


def one_round(name: str, binary: Path, site: Path, article: Path, flags: list[str], env: dict) -> dict:
    out = site / "public"
    if out.exists():
        shutil.rmtree(out)
    build = [str(binary), "build", "--root", str(site), "--quiet", *flags]
    clean = run_checked(build + ["--clean"], env)
    clean_digest = tree_digest(out)
    original = article.read_bytes()
    st = article.stat()
    try:
        article.write_bytes(original + REBUILD_SENTENCE.encode())
        # As a user's edit would be: older than the article cache's settling time.
        os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        rebuild = run_checked(build, env)
        rebuild_digest = tree_digest(out)
    finally:
        article.write_bytes(original)
        os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns))
    log(f"{name}: clean {clean['wall_s']:.2f} s, rebuild {rebuild['wall_s']:.2f} s")
    return {"clean": clean, "rebuild": rebuild, "digests": (clean_digest, rebuild_digest)}


def median(runs: list[dict], step: str, key: str) -> float:
    return statistics.median(r[step][key] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, required=True, help="the binary before the change")
    ap.add_argument("--after", type=Path, required=True, help="the binary after the change")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/gazette-compare"),
                    help="where the archive copies and outputs go (tmpfs) [%(default)s]")
    ap.add_argument("--no-search", action="store_true", help="build with --no-search")
    ap.add_argument("--edits", type=int, default=0,
                    help="one-article rebuilds more, interleaved, after the rounds [%(default)s]")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(DEFAULT_EPOCH))
    corpus = args.work / "corpus"
    if not (corpus / "gazette.toml").exists():
        subprocess.run([sys.executable, str(GEN), "--articles", str(args.articles), "--out", str(corpus),
                        "--seed", str(args.seed), "--force"], check=True, stdout=subprocess.DEVNULL)
    # Files modified in the seconds before a build are not kept by the article
    # cache; a corpus just written would make the first round's rebuild read
    # every article. Dated an hour back, every round starts alike.
    hour_ago = time.time() - 3600
    for dirpath, _, names in os.walk(corpus):
        for name in names:
            os.utime(os.path.join(dirpath, name), (hour_ago, hour_ago))
    binaries = {"before": args.before.resolve(), "after": args.after.resolve()}
    sites = {}
    for name in binaries:
        sites[name] = args.work / name
        if sites[name].exists():
            shutil.rmtree(sites[name])
        shutil.copytree(corpus, sites[name], ignore=shutil.ignore_patterns(".gazette", "public"))
    articles = sorted((corpus / "content").rglob("*.md"))
    chosen = articles[len(articles) // 2].relative_to(corpus)
    flags = ["--no-search"] if args.no_search else []
    log(f"{args.articles} articles; the rebuild amends {chosen}; flags: {' '.join(flags) or 'none'}")
    runs: dict[str, list[dict]] = {name: [] for name in binaries}
    for r in range(args.runs):
        order = list(binaries) if r % 2 == 0 else list(reversed(binaries))
        for name in order:
            site = sites[name]
            runs[name].append(one_round(name, binaries[name], site, site / chosen, flags, env))
    same = True
    for i, step in enumerate(("clean", "rebuild")):
        a, b = runs["before"][0]["digests"][i], runs["after"][0]["digests"][i]
        print(f"output after {step} build: before {a}, after {b}: {'identical' if a == b else 'DIFFERENT'}")
        same &= a == b
    print(f"\nmedians of {args.runs} runs, {args.articles} articles")
    print(f"{'':22} {'before':>9} {'after':>9} {'after/before':>13}")
    for step in ("clean", "rebuild"):
        for key, unit in (("wall_s", "s"), ("cpu_s", "s CPU"), ("rss_mib", "MiB")):
            x, y = median(runs["before"], step, key), median(runs["after"], step, key)
            print(f"{step + ' ' + unit:22} {x:9.2f} {y:9.2f} {y / x:13.2f}")
    if args.edits:
        same &= edits(args.edits, binaries, sites, chosen, flags, env)
    if not args.keep:
        shutil.rmtree(args.work)
    return 0 if same else 1


def edits(n: int, binaries: dict, sites: dict, chosen: Path, flags: list[str], env: dict) -> bool:
    """`n` one-article rebuilds of each binary, alternating; prints their
    medians and ranges, and whether the outputs are the same after."""
    times: dict[str, list[dict]] = {name: [] for name in binaries}
    for i in range(n):
        order = list(binaries) if i % 2 == 0 else list(reversed(binaries))
        for name in order:
            site = sites[name]
            article = site / chosen
            st = article.stat()
            with article.open("ab") as f:
                f.write(f"\n\nAmended, edit {i + 1}.\n".encode())
            os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
            build = [str(binaries[name]), "build", "--root", str(site), "--quiet", *flags]
            times[name].append(run_checked(build, env))
    print(f"\n{n} one-article rebuilds each, interleaved: median (range)")
    for key, unit in (("wall_s", "s"), ("cpu_s", "s CPU"), ("rss_mib", "MiB")):
        cells = []
        for name in binaries:
            v = [m[key] for m in times[name]]
            cells.append(f"{name} {statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})")
        print(f"  {unit:6} " + ", ".join(cells))
    a, b = (tree_digest(sites[name] / "public") for name in binaries)
    print(f"output after the edits: before {a}, after {b}: {'identical' if a == b else 'DIFFERENT'}")
    return a == b


if __name__ == "__main__":
    sys.exit(main())
