#!/usr/bin/python3
"""Times readability-lxml (Debian python3-readability) over HTML pages, one thread.

usage: readability_lxml.py RUNS FILE...   (.html, or .gz)

Each run extracts every page (Document(bytes).summary(), the library's own charset
handling); one warm-up run first. Prints one line:
    readability_lxml MB/s median_seconds bytes pages
Input bytes are the raw (decompressed) page bytes, as for the other extractors.
"""
import gzip
import statistics
import sys
import time

from readability import Document


def main():
    runs = int(sys.argv[1])
    pages = []
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        pages.append(data)
    total = sum(len(p) for p in pages)

    def one_run():
        start = time.perf_counter()
        for html in pages:
            try:
                Document(html).summary()
            except Exception:  # a page the peer cannot handle still cost its time
                pass
        return time.perf_counter() - start

    one_run()
    times = [one_run() for _ in range(runs)]
    med = statistics.median(times)
    print(f"readability_lxml {total / 1e6 / med:.3f} {med:.4f} {total} {len(pages)}")


if __name__ == "__main__":
    main()
