#!/usr/bin/env python3
"""Builds cc-news-sample.warc.gz: a synthetic file in Common Crawl's CC-NEWS layout
(WARC/1.0; a warcinfo record, then response records only, one gzip member per record;
Content-Type "application/http; msgtype=response"; WARC-Payload-Digest,
WARC-Block-Digest and WARC-Identified-Payload-Type; payloads stored decoded with the
original Content-Encoding / Transfer-Encoding kept as X-Crawler-* headers). Chinese pages
are in GB18030 and Big5 with the charset declared only in the HTTP header, so a reader
that drops the header charset decodes them wrongly.

Deterministic (fixed UUIDs, no mtime in the gzip header): run it again and the file is
byte for byte the same.  Usage: python3 make_cc_news.py [OUT]"""
import base64
import gzip
import hashlib
import io
import sys
import uuid


def digest(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def member(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def record(fields, block):
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields)
    head += f"Content-Length: {len(block)}\r\n\r\n"
    return member(head.encode() + block + b"\r\n\r\n")


def rid(n):
    return f"<urn:uuid:{uuid.UUID(int=0x5eed0000000040008000000000000000 + n)}>"


PAGES = [
    # (url, charset in the HTTP header, html, crawler headers)
    ("http://finance.sina.com.cn/tech/2026-11-20/doc-ai-chips.shtml", "GB18030",
     """<!DOCTYPE html><html><head><title>华为昇腾芯片出货量预计大增</title></head><body>
<article><h1>华为昇腾芯片出货量预计大增</h1>
<p>据供应链人士透露，华为今年昇腾910B芯片的出货量预计将达到40万片，较去年增长约60%。</p>
<p>分析师表示，受美国出口管制影响，国内云服务商对国产AI芯片的需求持续上升，英伟达H20在中国的销量则下滑了约三成。</p>
<p>中芯国际的7纳米产能仍是主要瓶颈，业内估计其月产能约为3万片晶圆。</p>
</article></body></html>""", ["X-Crawler-Content-Encoding: gzip"]),
    ("https://www.chinatimes.com/realtimenews/20261121000001-260410", "Big5",
     """<!DOCTYPE html><html><head><title>台積電先進封裝產能再擴充</title></head><body>
<article><h1>台積電先進封裝產能再擴充</h1>
<p>台積電表示，明年CoWoS先進封裝的月產能將提高到每月8萬片，比今年增加超過一倍。</p>
<p>法人估計，輝達的Blackwell系列晶片將占用其中約六成的產能，超微的MI300系列也持續追加訂單。</p>
<p>台積電董事長在法說會上指出，人工智慧相關營收今年將成長約2.5倍。</p>
</article></body></html>""", ["X-Crawler-Transfer-Encoding: chunked"]),
    ("https://www.reuters.com/technology/ai-chip-exports-2026-11-22/", "utf-8",
     """<!DOCTYPE html><html><head><title>Chip exports to China fall sharply</title></head>
<body><article><h1>Chip exports to China fall sharply</h1>
<p>Shipments of advanced AI accelerators to China fell by about 40% in the third quarter,
according to customs data compiled by analysts.</p>
<p>Nvidia said its China revenue accounted for roughly 13% of total sales, down from 22% a
year earlier.</p>
</article></body></html>""", []),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "cc-news-sample.warc.gz"
    info = ("software: StormCrawler 1.13 http://stormcrawler.net/\r\n"
            "format: WARC File Format 1.0\r\n"
            "conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latest.pdf\r\n"
            "description: News crawl for Common Crawl\r\n"
            "isPartOf: CC-NEWS\r\n"
            "operator: Common Crawl Admin (info@commoncrawl.org)\r\n"
            "http-header-user-agent: CCBot/2.0 (https://commoncrawl.org/faq/)\r\n"
            "robots: checked via crawler-commons 1.1-SNAPSHOT\r\n").encode()
    data = record([("WARC-Type", "warcinfo"), ("WARC-Date", "2026-11-22T06:00:00Z"),
                   ("WARC-Filename", "CC-NEWS-20261122060000-00001.warc.gz"),
                   ("WARC-Record-ID", rid(0)), ("Content-Type", "application/warc-fields")],
                  info)
    for n, (url, charset, html, extra) in enumerate(PAGES, start=1):
        payload = html.encode(charset)
        http = ("HTTP/1.1 200 OK\r\n"
                "Date: Sun, 22 Nov 2026 06:0%d:00 GMT\r\n"
                "Server: nginx\r\n"
                "Content-Type: text/html; charset=%s\r\n" % (n, charset)
                + "".join(h + "\r\n" for h in extra)
                + "Content-Length: %d\r\n\r\n" % len(payload)).encode()
        block = http + payload
        data += record([
            ("WARC-Type", "response"), ("WARC-Date", "2026-11-22T06:0%d:00Z" % n),
            ("WARC-Record-ID", rid(n)),
            ("Content-Type", "application/http; msgtype=response"),
            ("WARC-Warcinfo-ID", rid(0)), ("WARC-Concurrent-To", rid(100 + n)),
            ("WARC-IP-Address", "192.0.2.%d" % n), ("WARC-Target-URI", url),
            ("WARC-Payload-Digest", digest(payload)), ("WARC-Block-Digest", digest(block)),
            ("WARC-Identified-Payload-Type", "text/html")], block)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
