#!/usr/bin/env python3
"""Generate a synthetic news archive for benchmarking gazette (and Hugo).

    python3 bench/gen_corpus.py --articles 10000 --out /tmp/site [--hugo /tmp/hugo-site] [--seed 1]

Standard library only. The output is a pure function of (--articles, --seed):
the same arguments give byte-identical files on every machine (with Python
3.11; later versions keep random.Random's algorithms): everything random comes
from random.Random seeded with a string or an int, nothing is iterated in hash
order, nothing depends on the clock.

--out DIR    a gazette site: gazette.toml, static/images/bench.png,
             content/YYYY/MM/<slug>.md
--hugo DIR   the same articles as a Hugo site: hugo.toml, layouts/ (copied
             from bench/hugo-site/), static/images/bench.png,
             content/posts/YYYY/MM/<slug>.md

An existing non-empty output folder is refused unless --force is given, and
--force only deletes a folder this script made (it holds .gen_corpus.json).
"""

from __future__ import annotations

import argparse
import array
import bisect
import datetime as dt
import json
import operator
import os
import queue
import random
import re
import shutil
import struct
import sys
import threading
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
HUGO_TEMPLATE_DIR = HERE / "hugo-site"
MARKER = ".gen_corpus.json"
BIG_ENDIAN = sys.byteorder == "big"
GENERATOR_VERSION = 1

SITE_TITLE = "Bench Gazette"
BASE_URL = "https://bench.example.com/"
IMAGE_URL = "/images/bench.png"

GAZETTE_TOML = f"""\
title = "{SITE_TITLE}"
base_url = "{BASE_URL}"
language = "en"
description = "A synthetic news archive for benchmarks."
timezone = "Europe/London"
per_page = 20

[feeds]
limit = 50
"""

SECTIONS = [
    # (name, relative weight)
    ("World", 16), ("Politics", 14), ("Business", 12), ("Technology", 9),
    ("Science", 6), ("Health", 7), ("Sport", 12), ("Culture", 8),
    ("Opinion", 6), ("Environment", 5), ("Education", 3), ("Local", 10),
]

# Dates: uniform over 2006-01-01 .. 2025-12-31 (20 years), at 05:00-20:59 UTC,
# so that the calendar day is the same in UTC and in Europe/London (the site
# time zone, UTC+0/+1): the Hugo twin's year/month/day terms then match
# gazette's calendar pages exactly.
FIRST_DAY = dt.date(2006, 1, 1)
N_DAYS = (dt.date(2026, 1, 1) - FIRST_DAY).days

FUNCTION_WORDS = (
    "the of and to a in that is for on was with he it as at by said his from "
    "be have are but not they this had has an which were who been will their "
    "she her or after more its one would than about two new first last over "
    "into year also people when there up out all could other some can week "
    "government minister city police state officials told report while under "
    "since before between three during where may most him them just"
).split()

YAML_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}

ONSETS = ["b", "br", "c", "ch", "cr", "d", "dr", "f", "fl", "g", "gr", "h", "j",
          "k", "l", "m", "n", "p", "pl", "pr", "r", "s", "sh", "sk", "st", "t",
          "th", "tr", "v", "w", "z", ""]
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"]
CODAS = ["", "", "", "n", "r", "s", "l", "m", "nd", "st", "rt", "ck", "x", "th"]

FIRST_NAMES = """Jane Li Amara Tomas Priya Oskar Fatima Kenji Elena Marcus Aiyana
Dmitri Sofia Kwame Ingrid Rafael Mei Noah Leila Hugo Chloe Ravi Astrid Omar
Yuki Carmen Samuel Nadia Felix Ada Jonas Zara Mateo Hana Viktor Imani Luca
Freya Arjun Beatriz""".split()
LAST_NAMES = """Doe Wei Okafor Lindqvist Sharma Novak Haddad Tanaka Petrova Reyes
Whitfield Kowalski Mensah Berg Castillo Chen Abara Fontaine Moreau Patel
Nakamura Silva Osei Dubois Ivanova Romero Baptiste Kaur Hartmann Mwangi
Costa Larsen Yilmaz Park Greene Ferreira Adeyemi Kruger Rossi Alvarez""".split()
AGENCIES = ["Bench Wire", "Northpress", "Agence Kestrel", "Meridian Photo",
            "Harbour Images", "Pressline", "Staff", "Lumen Pictures"]
LINK_DOMAINS = ["www.example.org", "news.example.net", "data.example.com",
                "archive.example.edu", "gov.example.int"]


# --------------------------------------------------------------------------
# Word pools (deterministic for a seed)

def make_word(rng: random.Random, syllables: int) -> str:
    parts = []
    for _ in range(syllables):
        parts.append(rng.choice(ONSETS))
        parts.append(rng.choice(NUCLEI))
    parts.append(rng.choice(CODAS))
    return "".join(parts)


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    seen = set(FUNCTION_WORDS) | YAML_RESERVED
    words: list[str] = []
    while len(words) < size:
        w = make_word(rng, rng.choice((1, 2, 2, 2, 3, 3, 4)))
        if len(w) < 3 or w in seen:
            continue
        seen.add(w)
        words.append(w)
    return words


def zipf_cum_weights(n: int, s: float = 1.0, offset: float = 2.7) -> list[float]:
    total = 0.0
    cum = []
    for rank in range(n):
        total += 1.0 / (rank + offset) ** s
        cum.append(total)
    return cum


def zipf_table(words: list[str], size: int) -> list[str]:
    """A table of `size` entries in which each word appears in proportion to
    its Zipf weight, so that drawing a word is one uniform 16-bit index
    (much faster than a weighted choice)."""
    cum = zipf_cum_weights(len(words))
    total = cum[-1]
    return [words[min(bisect.bisect_right(cum, (j + 0.5) * total / size), len(words) - 1)]
            for j in range(size)]


class Pools:
    def __init__(self, seed: int):
        rng = random.Random(f"gazette-bench-pools-{seed}")
        content_words = make_vocabulary(rng, 4000)
        # Running text: function words first (most frequent), then pseudo-words,
        # ranked and drawn from a Zipf distribution.
        self.text_words = FUNCTION_WORDS + content_words[:3000]
        self.text_table = zipf_table(self.text_words, 1 << 16)
        # Headline words: the content words only, uniformly, so titles differ.
        self.headline_words = content_words
        # A few proper nouns (places, organisations) that appear in titles.
        self.proper = [w.capitalize() for w in content_words[3000:3400]]

        # ~2,000 tags: one or two capitalised words, or an acronym.
        tags: list[str] = []
        tag_slugs: set[str] = set()
        while len(tags) < 2000:
            r = rng.random()
            if r < 0.1:
                name = "".join(rng.choice("ABCDEFGHIKLMNOPRSTUVW")
                               for _ in range(rng.choice((3, 3, 4))))
            elif r < 0.6:
                name = rng.choice(content_words).capitalize()
            else:
                name = (rng.choice(content_words).capitalize() + " "
                        + rng.choice(content_words).capitalize())
            slug = slugify(name)
            if slug in tag_slugs or slug in YAML_RESERVED or slug == "page":
                continue
            tag_slugs.add(slug)
            tags.append(name)
        self.tags = tags
        self.tag_cum = zipf_cum_weights(len(tags), s=1.0, offset=1.0)

        # 300 authors from first x last names, a few prolific ones.
        combos = [f"{f} {l}" for f in FIRST_NAMES for l in LAST_NAMES]
        rng.shuffle(combos)
        self.authors = combos[:300]
        self.author_cum = zipf_cum_weights(len(self.authors), s=0.8, offset=3.0)

        self.sections = [name for name, _ in SECTIONS]
        acc = 0
        self.section_cum = []
        for _, w in SECTIONS:
            acc += w
            self.section_cum.append(acc)


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """gazette's slug rule for ASCII text (all this generator makes)."""
    return _NON_ALNUM.sub("-", text.replace("'", "").lower()).strip("-")


# --------------------------------------------------------------------------
# One article

def sentence_from(words: list[str], end: str = ".") -> str:
    first = words[0]
    s = " ".join(words)
    return first[:1].upper() + s[1:] + end


class ArticleMaker:
    def __init__(self, rng: random.Random, pools: Pools):
        self.rng = rng
        self.p = pools
        self.slugs: set[str] = set()

    def words(self, k: int) -> list[str]:
        idx = array.array("H", self.rng.randbytes(2 * k))
        if BIG_ENDIAN:  # indices are little-endian on every machine
            idx.byteswap()
        return list(operator.itemgetter(*idx)(self.p.text_table)) if k > 1 else [self.p.text_table[idx[0]]]

    def phrase(self, lo: int, hi: int, end: str = ".") -> str:
        return sentence_from(self.words(self.rng.randint(lo, hi)), end)

    def title(self) -> tuple[str, str]:
        rng = self.rng
        while True:
            n = rng.randint(4, 8)
            ws = [rng.choice(self.p.headline_words) for _ in range(n)]
            # Function words and a proper noun make it read like a headline.
            ws.insert(rng.randint(1, n - 1), rng.choice(("in", "on", "for", "to", "over", "after", "as")))
            if rng.random() < 0.6:
                ws.insert(rng.randint(0, 2), rng.choice(self.p.proper))
            title = ws[0].capitalize() + " " + " ".join(ws[1:])
            slug = slugify(title)
            if slug not in self.slugs:
                self.slugs.add(slug)
                return title, slug

    def paragraph(self, ws: list[str]) -> str:
        """Split ws (already drawn; changed in place) into sentences of 8-22
        words: capitalise the first word, punctuate the last."""
        rand = self.rng.random
        i, n = 0, len(ws)
        while i < n:
            k = 8 + int(rand() * 15)  # 8-22 words
            if n - (i + k) < 5:
                k = n - i
            if k > 10 and rand() < 0.35:
                j = i + 3 + int(rand() * (k - 6))
                ws[j] += ","
            w = ws[i]
            ws[i] = w[:1].upper() + w[1:]
            ws[i + k - 1] += "?" if rand() < 0.03 else "."
            i += k
        return " ".join(ws)

    def decorate(self, para: str, kind: str) -> str:
        """Wrap 2-3 words in the middle of a paragraph in emphasis or a link."""
        rng = self.rng
        toks = para.split(" ")
        # Candidate start positions: plain words whose next words are plain too.
        n = len(toks)
        for _ in range(20):
            k = rng.randint(2, 3)
            i = rng.randint(1, max(1, n - k - 2))
            span = toks[i:i + k]
            if len(span) == k and all(t.isalpha() and t.islower() for t in span):
                break
        else:
            return para
        text = " ".join(span)
        if kind == "bold":
            rep = f"**{text}**"
        elif kind == "italic":
            rep = f"*{text}*"
        else:
            dom = rng.choice(LINK_DOMAINS)
            rep = f"[{text}](https://{dom}/{span[0]}/{'-'.join(span)}-{rng.randint(1, 99999)})"
        return " ".join(toks[:i] + [rep] + toks[i + k:])

    def body(self) -> str:
        rng = self.rng
        total = rng.randint(600, 700)
        blocks_reserved = []  # (kind, nwords)
        n_sub = rng.randint(2, 3)
        heads = [rng.randint(3, 6) for _ in range(n_sub)]
        list_items = [rng.randint(4, 10) for _ in range(rng.randint(3, 5))] if rng.random() < 0.2 else []
        quote = rng.randint(12, 28) if rng.random() < 0.3 else 0
        emph = rng.choice(("bold", "italic")) if rng.random() < 0.5 else None
        link = rng.random() < 0.5
        para_words = total - sum(heads) - sum(list_items) - quote
        paras = []
        left = para_words
        while left > 0:
            k = rng.randint(40, 110)
            if left - k < 25:
                k = left
            paras.append(k)
            left -= k
        # Draw every word of the body in one go, then cut it up.
        ws = self.words(total)
        pos = 0

        def take(k: int) -> list[str]:
            nonlocal pos
            chunk = ws[pos:pos + k]
            pos += k
            return chunk

        np_ = len(paras)
        # Headings after paragraph 1 or 2, then evenly spaced.
        first_head = 1 if np_ < 6 else 2
        step = max(1, (np_ - first_head) // n_sub)
        head_at = {first_head + i * step for i in range(n_sub)}
        extra_at = {}
        if list_items:
            extra_at.setdefault(rng.randint(1, np_ - 1), []).append("list")
        if quote:
            extra_at.setdefault(rng.randint(1, np_ - 1), []).append("quote")
        deco = []
        if emph:
            deco.append((rng.randrange(np_), emph))
        if link:
            deco.append((rng.randrange(np_), "link"))

        out: list[str] = []
        hi = 0
        for pi in range(np_):
            if pi in head_at and hi < n_sub:
                out.append("## " + sentence_from(take(heads[hi]), ""))
                hi += 1
            for extra in extra_at.get(pi, ()):
                if extra == "list":
                    out.append("\n".join("- " + sentence_from(take(k), "") for k in list_items))
                else:
                    out.append('> "' + sentence_from(take(quote)) + '"')
            para = self.paragraph(take(paras[pi]))
            for at, kind in deco:
                if at == pi:
                    para = self.decorate(para, kind)
            out.append(para)
        while hi < n_sub:  # headings not placed (very short bodies): at the end
            out.insert(len(out) - 1, "## " + sentence_from(take(heads[hi]), ""))
            hi += 1
        return "\n\n".join(out) + "\n"

    def article(self) -> dict:
        rng = self.rng
        p = self.p
        title, slug = self.title()
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(N_DAYS))
        date = dt.datetime(day.year, day.month, day.day, rng.randint(5, 20), rng.randrange(60), 0)
        updated = None
        if rng.random() < 0.1:
            updated = date + dt.timedelta(minutes=rng.randint(30, 3 * 24 * 60))
        if rng.random() < 0.15:
            n = rng.choice((2, 2, 2, 3))
            authors: list[str] = []
            while len(authors) < n:
                a = rng.choices(p.authors, cum_weights=p.author_cum)[0]
                if a not in authors:
                    authors.append(a)
        else:
            authors = [rng.choices(p.authors, cum_weights=p.author_cum)[0]]
        section = rng.choices(p.sections, cum_weights=p.section_cum)[0]
        ntags = rng.randint(1, 5)
        tags: list[str] = []
        while len(tags) < ntags:
            t = rng.choices(p.tags, cum_weights=p.tag_cum)[0]
            if t not in tags:
                tags.append(t)
        image = None
        if rng.random() < 0.3:
            image = {
                "alt": self.phrase(5, 12, ""),
                "caption": self.phrase(8, 20),
                "credit": f"{rng.choice(p.authors)} / {rng.choice(AGENCIES)}",
            }
        summary = self.phrase(14, 30) if rng.random() < 0.5 else None
        body = self.body()
        return {
            "title": title, "slug": slug, "date": date, "updated": updated,
            "authors": authors, "section": section, "tags": tags,
            "image": image, "summary": summary, "body": body,
        }


# --------------------------------------------------------------------------
# Serialisation

def iso(d: dt.datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def flow(items: list[str], quote: bool = False) -> str:
    if quote:
        return "[" + ", ".join(f'"{x}"' for x in items) + "]"
    return "[" + ", ".join(items) + "]"


def image_yaml(img: dict) -> str:
    return (f"image:\n  src: {IMAGE_URL}\n  alt: \"{img['alt']}\"\n"
            f"  caption: \"{img['caption']}\"\n  credit: \"{img['credit']}\"\n")


def gazette_file(a: dict) -> str:
    fm = [f'---\ntitle: "{a["title"]}"\ndate: {iso(a["date"])}\n']
    if a["updated"]:
        fm.append(f"updated: {iso(a['updated'])}\n")
    if len(a["authors"]) == 1:
        fm.append(f"author: {a['authors'][0]}\n")
    else:
        fm.append(f"authors: {flow(a['authors'])}\n")
    fm.append(f"section: {a['section']}\ntags: {flow(a['tags'])}\n")
    if a["image"]:
        fm.append(image_yaml(a["image"]))
    if a["summary"]:
        fm.append(f"summary: \"{a['summary']}\"\n")
    fm.append("---\n\n")
    fm.append(a["body"])
    return "".join(fm)


def hugo_file(a: dict) -> str:
    d = a["date"]
    fm = [f'---\ntitle: "{a["title"]}"\ndate: {iso(d)}\n']
    if a["updated"]:
        fm.append(f"lastmod: {iso(a['updated'])}\n")
    fm.append(f"authors: {flow(a['authors'])}\n")
    fm.append(f"sections: [{a['section']}]\ntags: {flow(a['tags'])}\n")
    fm.append(f'years: ["{d:%Y}"]\nmonths: ["{d:%Y-%m}"]\ndays: ["{d:%Y-%m-%d}"]\n')
    if a["image"]:
        fm.append(image_yaml(a["image"]))
    if a["summary"]:
        fm.append(f"summary: \"{a['summary']}\"\n")
    fm.append("---\n\n")
    fm.append(a["body"])
    return "".join(fm)


def png_bytes(seed: int, width: int = 160, height: int = 100) -> bytes:
    """A small valid PNG (an RGB gradient with a little noise), a few KB."""
    rng = random.Random(f"gazette-bench-image-{seed}")
    raw = bytearray()
    for y in range(height):
        row = bytearray()
        for x in range(width):
            n = rng.randrange(4) if (x * y) % 5 == 0 else 0
            row += bytes(((x * 2 + n) & 255, (y * 3 + n) & 255, (128 + x + y) & 255))
        # PNG filter 1 (Sub): each byte minus the byte one pixel to the left.
        raw.append(1)
        raw += bytes((row[i] - (row[i - 3] if i >= 3 else 0)) & 255 for i in range(len(row)))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


# --------------------------------------------------------------------------

def prepare(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not force:
            sys.exit(f"gen_corpus: {out} exists and is not empty (use --force to replace a generated corpus)")
        if not (out / MARKER).is_file():
            sys.exit(f"gen_corpus: {out} was not made by gen_corpus.py (no {MARKER}); refusing to delete it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def write_file(path: str, data: bytes) -> None:
    # os.open/os.write: fewer system calls than open() (no fstat/ioctl/buffer).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class Writer:
    """Writes files on two threads while the main thread generates (file
    creation is mostly system time, which runs without the GIL). Contents do
    not depend on the order in which files are created."""

    def __init__(self, threads: int = 2):
        self.q: queue.Queue = queue.Queue(maxsize=4096)
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while (item := self.q.get()) is not None:
            try:
                write_file(*item)
            except BaseException as e:  # reported by close()
                self.errors.append(e)

    def put(self, path: str, data: bytes) -> None:
        if self.errors:
            raise self.errors[0]
        self.q.put((path, data))

    def close(self) -> None:
        for _ in self.threads:
            self.q.put(None)
        for t in self.threads:
            t.join()
        if self.errors:
            raise self.errors[0]


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, metavar="N")
    ap.add_argument("--out", type=Path, required=True, metavar="DIR", help="gazette site to write")
    ap.add_argument("--hugo", type=Path, metavar="DIR", help="also write the Hugo twin here")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="replace an earlier generated corpus")
    args = ap.parse_args(argv)
    if args.articles < 1:
        ap.error("--articles must be at least 1")

    t0 = time.perf_counter()
    pools = Pools(args.seed)
    maker = ArticleMaker(random.Random(args.seed), pools)
    png = png_bytes(args.seed)
    marker = json.dumps({"generator_version": GENERATOR_VERSION, "articles": args.articles,
                         "seed": args.seed}, sort_keys=True).encode() + b"\n"

    prepare(args.out, args.force)
    write_tree(args.out, {"gazette.toml": GAZETTE_TOML.encode(), "static/images/bench.png": png,
                          MARKER: marker})
    hugo = args.hugo
    if hugo:
        prepare(hugo, args.force)
        files = {"static/images/bench.png": png, MARKER: marker}
        for src in sorted(HUGO_TEMPLATE_DIR.rglob("*")):
            if src.is_file():
                files[src.relative_to(HUGO_TEMPLATE_DIR).as_posix()] = src.read_bytes()
        write_tree(hugo, files)

    g_content = args.out / "content"
    h_content = hugo / "content" / "posts" if hugo else None
    made_dirs: set[str] = set()
    g_bytes = h_bytes = 0
    writer = Writer()
    for _ in range(args.articles):
        a = maker.article()
        month = f"{a['date']:%Y/%m}"
        name = a["slug"] + ".md"
        if month not in made_dirs:
            made_dirs.add(month)
            (g_content / month).mkdir(parents=True, exist_ok=True)
            if h_content:
                (h_content / month).mkdir(parents=True, exist_ok=True)
        data = gazette_file(a).encode()
        writer.put(f"{g_content}/{month}/{name}", data)
        g_bytes += len(data)
        if h_content:
            data = hugo_file(a).encode()
            writer.put(f"{h_content}/{month}/{name}", data)
            h_bytes += len(data)
    writer.close()

    took = time.perf_counter() - t0
    msg = (f"{args.articles} articles, {g_bytes} bytes of Markdown into {args.out}")
    if hugo:
        msg += f" (+ Hugo twin, {h_bytes} bytes, into {hugo})"
    print(f"{msg} in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
