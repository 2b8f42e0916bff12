#!/usr/bin/env python3
"""Time `gazette import` on generated archives of N posts.

    python3 bench/import.py --gazette target/release/gazette --posts 10000 --work /dev/shm/imp [--runs 3]

Standard library only. Makes, under --work:

- wordpress.xml: a WordPress export (WXR 1.2) of N posts, deterministic
  (seeded): classic and block-editor bodies with paragraphs, headings,
  lists, links to other posts by their old URLs, [caption] images and a
  [gallery] now and then; categories, tags, two authors, a featured image
  on one post in four, one draft in fifty; dates over ten years, Europe/Berlin;
- hugo/: the bench corpus's Hugo twin (bench/gen_corpus.py --hugo).

Then imports each --runs times into a fresh folder under --work, and prints
the median wall time and the peak memory (ru_maxrss of the import) of each,
with the import's own summary line. Delete --work afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
WORDS = (
    "harbour council budget ferry bridge school river market police road "
    "festival library mayor hospital station weather election court museum "
    "tram housing park water energy union strike theatre stadium airport"
).split()
CATEGORIES = ["World", "Politics", "Business", "Sport", "Culture", "Local"]
TAGS = ["Harbour", "Council", "Transport", "Schools", "Health", "Elections", "Weather", "Arts"]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def wxr(posts: int, seed: int) -> str:
    rng = random.Random(seed)
    berlin_offset = lambda d: 2 if 4 <= d.month <= 9 else 1  # close enough for a bench
    start = dt.datetime(2015, 1, 1, 8, 0)
    items = []
    slugs = []
    for i in range(posts):
        date = start + dt.timedelta(minutes=int(i * (10 * 365 * 24 * 60) / posts))
        gmt = date - dt.timedelta(hours=berlin_offset(date))
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 8))]
        title = " ".join(words).capitalize()
        slug = "-".join(words) + f"-{i}"
        slugs.append((date, slug))
        paragraphs = [sentence(rng, rng.randint(12, 40)) for _ in range(rng.randint(4, 12))]
        if i and rng.random() < 0.5:
            d, s = slugs[rng.randrange(i)]
            link = f"https://news.example.de/{d:%Y/%m/%d}/{s}/"
            paragraphs[1] += f' See <a href="{link}">earlier</a>.'
        if rng.random() < 0.3:
            paragraphs.insert(
                2,
                f'[caption id="attachment_{i}" width="600"]<img src="https://news.example.de/wp-content/uploads/{date:%Y/%m}/p{i}.jpg" alt="{words[0]}" /> {sentence(rng, 6)}[/caption]',
            )
        if rng.random() < 0.05:
            paragraphs.append('[gallery ids="1,2,3"]')
        block = rng.random() < 0.5
        if block:
            body = "\n\n".join(
                f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
            )
            body += "\n\n<!-- wp:heading -->\n<h2>What next</h2>\n<!-- /wp:heading -->\n\n<!-- wp:list -->\n<ul><li>One</li><li>Two</li></ul>\n<!-- /wp:list -->"
        else:
            body = "\n\n".join(paragraphs) + "\n\n<h2>What next</h2>\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>"
        draft = i % 50 == 49
        cats = rng.sample(CATEGORIES, rng.randint(1, 2))
        tags = rng.sample(TAGS, rng.randint(0, 3))
        terms = "".join(
            f'<category domain="category" nicename="{c.lower()}"><![CDATA[{c}]]></category>' for c in cats
        ) + "".join(
            f'<category domain="post_tag" nicename="{t.lower()}"><![CDATA[{t}]]></category>' for t in tags
        )
        link = f"https://news.example.de/?p={i}" if draft else f"https://news.example.de/{date:%Y/%m/%d}/{slug}/"
        items.append(
            f"""<item><title>{escape(title)}</title><link>{link}</link>
<dc:creator><![CDATA[{"anna" if i % 3 else "ben"}]]></dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{i + 1}</wp:post_id>
<wp:post_date><![CDATA[{date:%Y-%m-%d %H:%M:%S}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{"0000-00-00 00:00:00" if draft else f"{gmt:%Y-%m-%d %H:%M:%S}"}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{"" if draft else slug}]]></wp:post_name>
<wp:status><![CDATA[{"draft" if draft else "publish"}]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
{terms}
</item>"""
        )
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench News</title><link>https://news.example.de</link><description>Generated</description><language>de-DE</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://news.example.de</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[anna]]></wp:author_login><wp:author_display_name><![CDATA[Anna Berg]]></wp:author_display_name></wp:author>
<wp:author><wp:author_login><![CDATA[ben]]></wp:author_login><wp:author_display_name><![CDATA[Ben Koch]]></wp:author_display_name></wp:author>
{chr(10).join(items)}
</channel></rss>
"""


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Wall time, peak memory (KiB, of that process alone) and first line."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stdout = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{stdout}")
    return wall, usage.ru_maxrss, stdout.splitlines()[0] if stdout else ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", required=True)
    ap.add_argument("--posts", type=int, default=10000)
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    export = a.work / "wordpress.xml"
    export.write_text(wxr(a.posts, a.seed), encoding="utf-8")
    hugo = a.work / "hugo"
    if not hugo.exists():
        subprocess.run(
            [sys.executable, str(HERE / "gen_corpus.py"), "--articles", str(a.posts),
             "--out", str(a.work / "gazette-twin"), "--hugo", str(hugo), "--seed", str(a.seed)],
            check=True, capture_output=True,
        )
    for kind, source in (("wordpress", export), ("hugo", hugo)):
        walls, peak, line = [], 0, ""
        for run in range(a.runs):
            root = a.work / f"site-{kind}-{run}"
            shutil.rmtree(root, ignore_errors=True)
            wall, rss, line = timed([a.gazette, "import", kind, str(source), "--root", str(root)])
            walls.append(wall)
            peak = max(peak, rss)
            shutil.rmtree(root, ignore_errors=True)
        print(f"{kind:9} {a.posts} posts: median {statistics.median(walls):.2f} s "
              f"(runs {', '.join(f'{w:.2f}' for w in walls)}), peak {peak / 1024:.0f} MB; {line}")


if __name__ == "__main__":
    main()
