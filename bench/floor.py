#!/usr/bin/env python3
"""The write floor of a built site: how long writing the same files with the
same bytes to the same disk takes, with nothing else to do.

    python3 bench/floor.py --site OUTPUT --to DIR [--batch-mb 512]

Reads OUTPUT (a site gazette built) in batches held in memory, and writes
each batch below DIR on one thread: the same folders, the same files in the
same order, the same bytes. Only the writing is timed (folders made, files
created, written and closed), then one `sync` of the disk, timed apart.
Reading is not: the floor is what a generator that had every page's bytes
in hand for free would still pay to put them on the disk.

DIR must not exist (it is made, and removed afterwards, also when writing
fails, unless --keep). It needs as much free space as OUTPUT. Put it
on the disk whose floor is wanted: the same file system as the build's
output, not tmpfs, for an output that does not fit in memory.

Prints one line: files, bytes, write seconds, sync seconds, and microseconds
a file (write and sync together).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path


def files_of(site: Path) -> list[str]:
    """Every file below `site`, relative, folders before their contents and
    in a fixed order (sorted names), as a build would make them."""
    found = []
    for top, dirs, names in os.walk(site):
        dirs.sort()
        rel = os.path.relpath(top, site)
        for name in sorted(names):
            found.append(name if rel == "." else os.path.join(rel, name))
    return found


def batches(site: Path, files: list[str], limit: int):
    """The files' bytes, read in batches of about `limit` bytes."""
    batch, size = [], 0
    for rel in files:
        data = (site / rel).read_bytes()
        batch.append((rel, data))
        size += len(data)
        if size >= limit:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def write(to: Path, batch, made: set[str]) -> None:
    for rel, data in batch:
        parent = os.path.dirname(rel)
        if parent not in made:
            os.makedirs(to / parent, exist_ok=True)
            made.add(parent)
        with open(to / rel, "wb") as f:
            f.write(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, required=True, help="a built output folder")
    ap.add_argument("--to", type=Path, required=True, help="folder to write (must not exist)")
    ap.add_argument("--batch-mb", type=int, default=512, help="bytes read ahead per batch [%(default)s MB]")
    ap.add_argument("--keep", action="store_true", help="keep the written copy")
    args = ap.parse_args(argv)
    if not args.site.is_dir():
        sys.exit(f"floor: {args.site} is not a folder")
    if args.to.exists():
        sys.exit(f"floor: {args.to} exists; give a new folder")
    files = files_of(args.site)
    args.to.mkdir(parents=True)
    # The copy is as large as the site: it goes on failure too (a full disk
    # is the likely one), unless kept.
    try:
        os.sync()
        made: set[str] = {""}
        total, writing = 0, 0.0
        for batch in batches(args.site, files, args.batch_mb << 20):
            total += sum(len(d) for _, d in batch)
            started = time.perf_counter()
            write(args.to, batch, made)
            writing += time.perf_counter() - started
        started = time.perf_counter()
        os.sync()
        syncing = time.perf_counter() - started
    finally:
        if not args.keep:
            shutil.rmtree(args.to, ignore_errors=True)
    per_file = (writing + syncing) / max(len(files), 1) * 1e6
    print(f"{len(files)} files, {total / 1e9:.2f} GB: write {writing:.1f} s, sync {syncing:.1f} s, "
          f"{per_file:.0f} µs a file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
