// Times Mozilla Readability 0.6 on linkedom's DOM (npm, bench/setup_peers.sh) over HTML
// pages, one thread: parseHTML + new Readability(document).parse() per page.
//
//   node bench/peers/readability_js.mjs RUNS FILE...   (.html, or .gz)
//
// Pages are decoded with the charset their <meta> declares when TextDecoder knows it
// (GBK, GB18030, Big5), else UTF-8. One warm-up run; prints one line:
//   readability_js MB/s median_seconds bytes pages
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "..", "package.json"));
const { Readability } = require("@mozilla/readability");
const { parseHTML } = require("linkedom");

const runs = Number(process.argv[2]);
const pages = [];
let total = 0;
for (const path of process.argv.slice(3)) {
  let bytes = readFileSync(path);
  if (path.endsWith(".gz")) bytes = gunzipSync(bytes);
  total += bytes.length;
  const head = bytes.subarray(0, 4096).toString("latin1");
  const m = head.match(/charset\s*=\s*["']?([\w-]+)/i);
  let label = m ? m[1].toLowerCase() : "utf-8";
  if (label === "gb2312") label = "gbk";
  let text;
  try {
    text = new TextDecoder(label).decode(bytes);
  } catch {
    text = new TextDecoder("utf-8").decode(bytes);
  }
  pages.push(text);
}

function oneRun() {
  const start = process.hrtime.bigint();
  for (const html of pages) {
    try {
      const { document } = parseHTML(html);
      new Readability(document).parse();
    } catch {
      // a page the peer cannot handle still cost its time
    }
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

oneRun();
const times = [];
for (let i = 0; i < runs; ++i) times.push(oneRun());
times.sort((a, b) => a - b);
const med = times.length % 2 ? times[(times.length - 1) / 2]
                             : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
console.log(`readability_js ${(total / 1e6 / med).toFixed(3)} ${med.toFixed(4)} ${total} ${pages.length}`);
