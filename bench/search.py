#!/usr/bin/env python3
"""What search costs a build, on the bench corpus.

    python3 bench/search.py --sizes 10000,100000 [--runs 3] [--pagefind-cli]

For each size (corpus made by gen_corpus.py into --work, outputs there too:
put it on tmpfs), median and range of --runs clean builds:

- `gazette build --clean --no-search`
- `gazette build --clean` (the default: gazette's own index)
- `gazette build --clean` with `[search] engine = "pagefind"` (up to
  --pagefind-max articles: it needs about 200 KB an article)
- with --pagefind-cli, Pagefind's CLI (npx pagefind@1.6.0) over the
  --no-search output, as a site without an indexer of its own would run it

then one incremental build after a one-sentence edit of one article, with
the index files and bytes it rewrote. Wall time and peak memory of the
child come from os.wait4. Standard library only; Linux.
"""

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from run import measure  # noqa: E402


def corpus(work: Path, n: int) -> Path:
    site = work / f"corpus-{n}"
    if not (site / "gazette.toml").exists():
        subprocess.run([sys.executable, str(BENCH / "gen_corpus.py"), "--articles", str(n), "--out", str(site)],
                       check=True, stdout=subprocess.DEVNULL)
    return site


def with_engine(site: Path, engine: str) -> None:
    config = site / "gazette.toml"
    text = config.read_text().split("\n[search]")[0]
    config.write_text(text + (f'\n[search]\nengine = "{engine}"\n' if engine else ""))


def timed(cmd: list[str], runs: int) -> dict:
    results = []
    for _ in range(runs):
        r = measure(cmd, dict(os.environ, SOURCE_DATE_EPOCH="1767225600"))
        if r["exit"] != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{r['stderr']}")
        results.append(r)
    walls = sorted(r["wall_s"] for r in results)
    rss = sorted(r["rss_mib"] for r in results)
    return {"wall": statistics.median(walls), "lo": walls[0], "hi": walls[-1], "rss": statistics.median(rss)}


def digests(folder: Path) -> dict[str, tuple[int, str]]:
    out = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            p = Path(dirpath) / name
            data = p.read_bytes()
            out[str(p.relative_to(folder))] = (len(data), hashlib.blake2b(data, digest_size=16).hexdigest())
    return out


def row(label: str, t: dict, extra: str = "") -> None:
    print(f"| {label} | {t['wall']:.1f} s ({t['lo']:.1f}-{t['hi']:.1f}) | {t['rss']:.0f} MB | {extra} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gazette", default=str(BENCH.parent / "target/release/gazette"))
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/gazette-search-bench"))
    ap.add_argument("--pagefind-max", type=int, default=10000)
    ap.add_argument("--pagefind-cli", action="store_true")
    args = ap.parse_args()
    g = args.gazette
    print("| build | wall, median (range) | peak memory | index |")
    print("|---|---:|---:|---|")
    for n in [int(s) for s in args.sizes.split(",")]:
        site = corpus(args.work, n)
        out = site / "public"
        with_engine(site, "")
        row(f"{n:,} `--no-search`", timed([g, "build", "--clean", "-q", "--root", str(site), "--no-search"], args.runs))
        if args.pagefind_cli:
            start = time.perf_counter()
            t = timed(["npx", "--yes", "pagefind@1.6.0", "--site", str(out)], 1)
            row(f"{n:,} Pagefind CLI over that output", t, f"{(time.perf_counter() - start):.0f} s")
        if n <= args.pagefind_max:
            with_engine(site, "pagefind")
            t = timed([g, "build", "--clean", "-q", "--root", str(site)], args.runs)
            size = sum(s for s, _ in digests(out / "pagefind").values())
            row(f"{n:,} engine `pagefind`", t, f"{size / 2**20:.0f} MB")
            with_engine(site, "")
        t = timed([g, "build", "--clean", "-q", "--root", str(site)], args.runs)
        index = digests(out / "search-index")
        size = sum(s for s, _ in index.values())
        row(f"{n:,} default (engine `gazette`)", t, f"{size / 2**20:.0f} MB in {len(index):,} files")
        # One article edited: a sentence added.
        article = sorted((site / "content").rglob("*.md"))[n // 2]
        text = article.read_text()
        article.write_text(text + "\nA late correction was added to this report.\n")
        t = timed([g, "build", "-q", "--root", str(site)], 1)
        after = digests(out / "search-index")
        changed = [f for f, d in after.items() if index.get(f) != d]
        rewritten = sum(after[f][0] for f in changed)
        row(f"{n:,} one-article edit, incremental", t,
            f"{len(changed)} of {len(after):,} index files rewritten, {rewritten / 1024:.0f} KB of {size / 2**20:.0f} MB "
            f"({100 * rewritten / size:.1f}%)")
        article.write_text(text)
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
