#!/usr/bin/env python3
"""Synthetic corpus generator for the rebuild benchmark and the rebuild tests (issue 6).

Makes N varied articles from the articles under corpus/ (default corpus/seeds), written
one file at a time (memory does not grow with N) as OUT/NNN/doc_NNNNNNN.{txt,md,html}
(1000 files a folder). Deterministic: the same seed, N and corpus give the same bytes.

Each article is one corpus article with:
  - script: as written, or converted Traditional<->Simplified with the `opencc` binary
    (each corpus article is converted once, up front: t2s.json and s2t.json);
  - numbers: every figure-looking digit run in the body scaled by a per-article factor
    (dates, times, URLs and front matter are left alone so metadata still parses);
  - names: outlets and companies swapped for others of the same group, in the article's
    script (中央社 -> 聯合報, 華為 -> 阿里巴巴, ...);
  - boilerplate: varied navigation, "related news", share and copyright blocks before and
    after the text;
  - format: plain-text dump, markdown with YAML front matter, or HTML (title, og tags,
    <time>, nav/aside/footer boilerplate);
  - a closing paragraph unique to the article (attributed figure), so no two articles
    have the same bytes.

Usage: bench/gen_corpus.py --out DIR --count N [--seed S] [--corpus DIR]
"""

import argparse
import html
import os
import random
import re
import subprocess
import sys

# Groups of interchangeable names: (Traditional, Simplified) spellings.
OUTLETS = [
    ("中央社", "中央社"), ("聯合報", "联合报"), ("自由時報", "自由时报"),
    ("經濟日報", "经济日报"), ("路透社", "路透社"), ("彭博社", "彭博社"),
    ("紐約時報中文網", "纽约时报中文网"), ("金融時報", "金融时报"), ("明報", "明报"),
    ("聯合早報", "联合早报"), ("財新", "财新"), ("第一財經", "第一财经"),
]
COMPANIES = [
    ("華為", "华为"), ("阿里巴巴", "阿里巴巴"), ("百度", "百度"), ("騰訊", "腾讯"),
    ("字節跳動", "字节跳动"), ("小米", "小米"), ("寒武紀", "寒武纪"), ("中芯國際", "中芯国际"),
    ("聯發科", "联发科"), ("台積電", "台积电"),
]
SITES = ["cna.com.tw", "udn.com", "ltn.com.tw", "money.udn.com", "reuters.com",
         "bloomberg.com", "cn.nytimes.com", "ftchinese.com", "mingpao.com", "zaobao.com",
         "caixin.com", "yicai.com"]

NAV = [
    ["首頁", "即時", "政治", "國際", "兩岸", "產經", "證券", "科技", "生活", "社會"],
    ["首页", "要闻", "国际", "财经", "科技", "汽车", "房产", "教育", "体育", "娱乐"],
    ["Home", "World", "Business", "Markets", "Tech", "Opinion", "Video"],
]
RELATED = [
    ("相關新聞", "相关新闻"), ("延伸閱讀", "延伸阅读"), ("熱門文章", "热门文章"),
    ("編輯精選", "编辑精选"), ("最新消息", "最新消息"),
]
HEADLINES = [
    ("{c}發布新一代伺服器 記憶體頻寬翻倍", "{c}发布新一代服务器 内存带宽翻倍"),
    ("{c}財報優於預期 盤後股價走高", "{c}财报优于预期 盘后股价走高"),
    ("颱風外圍環流影響 北部午後防大雨", "台风外围环流影响 北部午后防大雨"),
    ("{c}宣布擴大在台投資 設立研發中心", "{c}宣布扩大在台投资 设立研发中心"),
    ("央行理監事會 維持利率不變", "央行理监事会 维持利率不变"),
    ("電動車銷量創新高 {c}搶攻市場", "电动车销量创新高 {c}抢攻市场"),
    ("半導體設備出口管制 業界憂供應鏈", "半导体设备出口管制 业界忧供应链"),
]
FOOTERS = [
    ("© {y} {o} 版權所有，未經授權不得轉載", "© {y} {o} 版权所有，未经授权不得转载"),
    ("本網站使用Cookie以提供更好的服務，繼續瀏覽即表示同意", "本网站使用Cookie以提供更好的服务，继续浏览即表示同意"),
    ("分享到 Facebook｜LINE｜Twitter｜複製連結", "分享到 微信｜微博｜QQ空间｜复制链接"),
    ("訂閱電子報，每日掌握最新財經新聞", "订阅电子报，每日掌握最新财经新闻"),
    ("廣告", "广告"),
]
CLOSINGS = [
    ("據{o}報導，第{i}批AI晶片出貨量約{n}萬顆，較去年增長{p}%。",
     "据{o}报道，第{i}批AI芯片出货量约{n}万颗，较去年增长{p}%。"),
    ("{c}表示，今年資本支出預計超過{n}億美元，其中{p}%用於先進製程。",
     "{c}表示，今年资本支出预计超过{n}亿美元，其中{p}%用于先进制程。"),
    ("分析師估計，{c}第{i}季營收約新台幣{n}億元，毛利率約{p}%。",
     "分析师估计，{c}第{i}季营收约新台币{n}亿元，毛利率约{p}%。"),
]

TRADITIONAL_HINTS = set("國灣這說們個時來對會後於們體與實際發經當當應業關點際電華為")


def is_traditional(text):
    sample = text[:4000]
    simplified_hints = sum(sample.count(c) for c in "国湾这说们个时来对会后于体与实际发经当应业关点电华为")
    traditional_hints = sum(sample.count(c) for c in TRADITIONAL_HINTS)
    return traditional_hints > simplified_hints


def opencc(text, config):
    try:
        out = subprocess.run(["opencc", "-c", config], input=text.encode("utf-8"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"gen_corpus.py: opencc -c {config} failed: {e} (apt-get install opencc)")
    return out.stdout.decode("utf-8")


def load_corpus(root):
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith("."):
                paths.append(os.path.join(dirpath, f))
    if not paths:
        sys.exit(f"gen_corpus.py: no articles under {root}")
    variants = []  # (name, text, traditional)
    for p in paths:
        with open(p, "rb") as fh:
            text = fh.read().decode("utf-8", errors="replace")
        trad = is_traditional(text)
        name = os.path.splitext(os.path.basename(p))[0]
        variants.append((name, text, trad))
        if trad:
            variants.append((name + "-hans", opencc(text, "t2s.json"), False))
        else:
            variants.append((name + "-hant", opencc(text, "s2t.json"), True))
    return variants


FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
# Digit runs that are figures rather than dates, times, ids or URL parts.
NUMBER = re.compile(r"(?<![\d.:/\-_=#%A-Za-z])(\d{1,6})(?:\.(\d{1,2}))?(?![\d:/\-_A-Za-z])")


def scale_numbers(body, rng):
    factor = rng.choice([0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2, 3])

    def repl(m):
        whole = m.group(1)
        # Years, and numbers followed by date words, stay as they are.
        tail = body[m.end():m.end() + 1]
        if (len(whole) == 4 and 1900 <= int(whole) <= 2099) or tail in "年月日時时點点號号":
            return m.group(0)
        v = int(whole) * factor
        if m.group(2) is not None:
            return f"{v:.{len(m.group(2))}f}"
        return str(max(1, int(round(v))))

    return NUMBER.sub(repl, body)


def swap_names(text, rng, trad):
    col = 0 if trad else 1
    for group in (OUTLETS, COMPANIES):
        names = [g[col] for g in group]
        perm = names[:]
        rng.shuffle(perm)
        mapping = dict(zip(names, perm))
        pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
        text = pattern.sub(lambda m: mapping[m.group(0)], text)
    return text


def boilerplate_blocks(rng, trad, outlet, year):
    col = 0 if trad else 1
    company = rng.choice(COMPANIES)[col]
    top = []
    if rng.random() < 0.8:
        nav = rng.choice(NAV)
        top.append(rng.sample(nav, k=min(len(nav), rng.randint(4, len(nav)))))
    if rng.random() < 0.7:
        heads = [rng.choice(HEADLINES)[col].format(c=rng.choice(COMPANIES)[col])
                 for _ in range(rng.randint(2, 5))]
        top.append(heads)
    bottom = []
    if rng.random() < 0.8:
        heads = [rng.choice(RELATED)[col]] + [
            rng.choice(HEADLINES)[col].format(c=company) for _ in range(rng.randint(2, 6))]
        bottom.append(heads)
    footers = [f[col].format(y=year, o=outlet) for f in rng.sample(FOOTERS, k=rng.randint(1, 4))]
    bottom.append(footers)
    return top, bottom


def closing(rng, trad, i, outlet):
    col = 0 if trad else 1
    t = rng.choice(CLOSINGS)[col]
    return t.format(o=outlet, c=rng.choice(COMPANIES)[col], i=i % 9 + 1,
                    n=rng.randint(2, 9000), p=rng.randint(1, 95)) + f"（{i}）"


def render(i, variant, rng):
    name, text, trad = variant
    col = 0 if trad else 1
    meta = {}
    m = FRONT_MATTER.match(text)
    if m:
        for line in m.group(1).splitlines():
            k, _, v = line.partition(":")
            meta[k.strip()] = v.strip()
        body = text[m.end():]
    else:
        body = text
    body = scale_numbers(body, rng)
    body = swap_names(body, rng, trad)
    outlet_i = rng.randrange(len(OUTLETS))
    outlet = OUTLETS[outlet_i][col]
    site = SITES[outlet_i]
    date = meta.get("date") or f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    year = date[:4]
    body = body.rstrip("\n") + "\n\n" + closing(rng, trad, i, outlet) + "\n"
    top, bottom = boilerplate_blocks(rng, trad, outlet, year)
    title_line = next((ln.strip().lstrip("# ") for ln in body.splitlines()
                       if ln.strip() and "<" not in ln), name)
    title = meta.get("title") or title_line
    url = f"https://{site}/news/{year}/{i:07d}"
    looks_html = "<" in body[:2000] and ">" in body[:2000]
    kind = rng.choice(["txt", "md", "html"])
    if looks_html and kind == "html":
        kind = "md"
    if kind == "txt":
        parts = ["\n".join(block) for block in top] + [body] + ["\n".join(b) for b in bottom]
        return "txt", "\n\n".join(parts) + "\n"
    if kind == "md":
        fm = (f"---\ntitle: {title}\nurl: {url}\nsource: {outlet}\ndate: {date}\n"
              f"fetch_date: {date}T08:00:00\n---\n\n")
        nav = "".join("* " + " ".join(f"[{x}](/{k})" for k, x in enumerate(block)) + "\n"
                      for block in top)
        foot = "\n".join("\n".join(b) for b in bottom)
        return "md", fm + nav + "\n" + body + "\n" + foot + "\n"
    paras = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    nav = "".join("<nav><ul>" + "".join(f'<li><a href="/c/{k}">{html.escape(x)}</a></li>'
                                        for k, x in enumerate(block)) + "</ul></nav>\n"
                  for block in top)
    aside = "".join("<aside><ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in block)
                    + "</ul></aside>\n" for block in bottom[:-1])
    footer = "<footer>" + "".join(f"<p>{html.escape(x)}</p>" for x in bottom[-1]) + "</footer>"
    lang = "zh-Hant" if trad else "zh-Hans"
    doc = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
           f"<title>{html.escape(title)} - {html.escape(outlet)}</title>"
           f'<meta property="og:site_name" content="{html.escape(outlet)}">'
           f'<meta property="og:title" content="{html.escape(title)}">'
           f'<link rel="canonical" href="{url}">'
           f'<meta property="article:published_time" content="{date}T08:00:00+08:00">'
           f"</head><body>\n<header><a href=\"/\">{html.escape(outlet)}</a></header>\n{nav}"
           f"<main><article><h1>{html.escape(title)}</h1>"
           f'<time datetime="{date}T08:00:00+08:00">{date}</time>\n{paras}\n'
           f"</article></main>\n{aside}{footer}\n</body></html>\n")
    return "html", doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--count", type=int, required=True, help="number of articles")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--corpus", default=os.path.join(here, "..", "corpus", "seeds"),
                    help="articles to vary (default: corpus/seeds)")
    args = ap.parse_args()
    variants = load_corpus(args.corpus)
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.count):
        rng = random.Random(args.seed * 1_000_003 + i)
        variant = variants[rng.randrange(len(variants))]
        ext, text = render(i, variant, rng)
        folder = os.path.join(args.out, f"{i // 1000:03d}")
        if i % 1000 == 0:
            os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"doc_{i:07d}.{ext}"), "w", encoding="utf-8") as fh:
            fh.write(text)
    print(f"gen_corpus.py: {args.count} articles from {len(variants)} variants in {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
