#!/usr/bin/env python3
"""Image renditions benchmark: N articles (default 1,000), each with its
own 3000x2000 JPEG lead image, built with renditions (srcset widths in WebP
and JPEG, three crops) and without.

Prints, as medians of --runs (wall, CPU, peak memory of the build):
- `cold`: a clean build with an empty renditions cache (every image decoded);
- `no change`: the same build again, in place (nothing decoded, nothing written);
- `warm --clean`: a clean build of a new output from a full cache (nothing
  decoded, every rendition copied);
- `off`: a clean build with `[images] renditions = false` (images copied as they are).

The photos come from `target/release/examples/photos` (cargo build --release
--examples): synthetic (gradients, waves, noise) unless --from names a real
photograph, of which each article then gets a different crop.

Standard library only; Linux. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def make_site(site: Path, n: int, photos: Path, source: str | None, size: str) -> None:
    """The corpus of gen_corpus.py with a photo of its own next to every article."""
    if site.exists():
        shutil.rmtree(site)
    subprocess.run([sys.executable, str(ROOT / "bench/gen_corpus.py"), "--articles", str(n),
                    "--out", str(site)], check=True, stdout=subprocess.DEVNULL)
    made = site / ".photos"
    cmd = [str(photos), str(made), str(n), size]
    if source:
        cmd += ["--from", source]
    subprocess.run(cmd, check=True)
    articles = sorted((site / "content").rglob("*.md"))
    assert len(articles) == n, f"{len(articles)} articles, not {n}"
    for i, md in enumerate(articles):
        name = f"photo-{i}.jpg"
        shutil.move(str(made / name), md.parent / name)
        text = md.read_text()
        # Drop the corpus's own image (a shared small one), put this photo in.
        text = re.sub(r"^image:\n(  .*\n)*", "", text, count=1, flags=re.M)
        text = text.replace("---\n", f"---\nimage:\n  src: {name}\n  alt: \"Photo {i}\"\n", 1)
        md.write_text(text)
    made.rmdir()


def images_off(site: Path, off: bool) -> None:
    config = site / "gazette.toml"
    text = re.sub(r"\n\[images\]\nrenditions = false\n", "\n", config.read_text())
    if off:
        text += "\n[images]\nrenditions = false\n"
    config.write_text(text)


def build(gazette: Path, site: Path, out: Path, clean: bool) -> dict:
    cmd = [str(gazette), "build", "--root", str(site), "--output", str(out), "--no-search"]
    if clean:
        cmd.append("--clean")
    r = measure(cmd, dict(os.environ))
    if r["exit"] != 0:
        sys.exit(f"build failed:\n{r['stderr'][-3000:]}")
    line = r["stdout"].strip().splitlines()[-1] if r["stdout"].strip() else ""
    r["summary"] = line
    return r


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--size", default="3000x2000")
    ap.add_argument("--from", dest="source", help="a real photograph to crop every picture from")
    ap.add_argument("--work", default="/dev/shm/gazette-bench-images", help="site and outputs (tmpfs)")
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--photos", default=str(ROOT / "target/release/examples/photos"))
    ap.add_argument("--json", help="write the runs here")
    args = ap.parse_args()
    work = Path(args.work)
    site, gazette = work / "site", Path(args.gazette)
    log(f"making {args.articles} articles with {args.size} photos in {site}")
    make_site(site, args.articles, Path(args.photos), args.source, args.size)
    source_mib = sum(p.stat().st_size for p in (site / "content").rglob("*.jpg")) / 2**20
    rows: dict[str, list[dict]] = {"cold": [], "no change": [], "warm --clean": [], "off": []}
    for k in range(args.runs):
        log(f"run {k + 1} of {args.runs}")
        images_off(site, False)
        shutil.rmtree(site / ".gazette", ignore_errors=True)
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        rows["cold"].append(build(gazette, site, out, clean=True))
        rows["no change"].append(build(gazette, site, out, clean=False))
        out2 = work / "out2"
        shutil.rmtree(out2, ignore_errors=True)
        rows["warm --clean"].append(build(gazette, site, out2, clean=True))
        out_mib = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
        shutil.rmtree(out2)
        images_off(site, True)
        shutil.rmtree(out, ignore_errors=True)
        rows["off"].append(build(gazette, site, out, clean=True))
        images_off(site, False)
    print(f"{args.articles} articles, each with a {args.size} JPEG "
          f"({source_mib:.0f} MiB of photos); output with renditions {out_mib:.0f} MiB; "
          f"medians of {args.runs}")
    print()
    print("| build | wall s | CPU s | peak MiB | summary line |")
    print("|---|---:|---:|---:|---|")
    for name, runs in rows.items():
        summary = re.sub(r" into \S+", "", runs[-1]["summary"])
        print(f"| {name} | {median(runs, 'wall_s'):.2f} | {median(runs, 'cpu_s'):.2f} "
              f"| {median(runs, 'rss_mib'):.0f} | {summary} |")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {name: [{k: v for k, v in r.items() if k not in ("stdout", "stderr")} for r in runs]
             for name, runs in rows.items()}, indent=1))
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
