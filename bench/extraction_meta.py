#!/usr/bin/env python3
"""Scores the metadata lines of `newsclaim extract-text` against a ground truth with
`date` and `author` (the zh extraction benchmark): date correct = same calendar day,
author correct = equal after removing spaces (or one contains the other).

    python3 bench/extraction_meta.py zh/ground-truth.json meta.jsonl [--verbose]
"""
import json
import os
import re
import sys


def day(s):
    m = re.match(r"\s*(\d{4})\D(\d{1,2})\D(\d{1,2})", s or "")
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def norm(s):
    return re.sub(r"\s+", "", s or "")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    truth = json.load(open(sys.argv[1], encoding="utf-8"))
    verbose = "--verbose" in sys.argv
    got = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        o = json.loads(line)
        name = os.path.basename(o["doc"])
        for ext in (".gz", ".html", ".htm"):
            if name.endswith(ext):
                name = name[: -len(ext)]
        got[name] = o
    dates = [0, 0]
    authors = [0, 0]
    for pid, t in sorted(truth.items()):
        o = got.get(pid, {})
        if day(t.get("date")):
            dates[1] += 1
            ok = day(o.get("published")) == day(t["date"])
            dates[0] += ok
            if verbose and not ok:
                print(f"date   {pid}: want {t['date']!r} got {o.get('published')!r}")
        a = norm(t.get("author"))
        if a and a != "UNKNOWN":
            authors[1] += 1
            g = norm(o.get("author"))
            ok = bool(g) and (g == a or a in g or g in a)
            authors[0] += ok
            if verbose and not ok:
                print(f"author {pid}: want {t['author']!r} got {o.get('author')!r}")
    print(f"date   {dates[0]}/{dates[1]} = {dates[0] / max(1, dates[1]):.3f}")
    print(f"author {authors[0]}/{authors[1]} = {authors[0] / max(1, authors[1]):.3f}")


if __name__ == "__main__":
    main()
