// Times Recognizers-Text's Chinese number model over a text file, line by line, single
// thread, as bench/figures_bench does for newsclaim. Prints
// "recognizers_number MB/s seconds bytes numbers" (median of RUNS runs after one warm-up).
//   node bench/recognizers_number.js TEXT [RUNS]
'use strict';
const fs = require('fs');
const path = require('path');
const { recognizeNumber, Culture } = require(
    path.join(__dirname, 'node_modules', '@microsoft', 'recognizers-text-number'));

const [file, runsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node recognizers_number.js TEXT [RUNS]');
  process.exit(2);
}
const runs = parseInt(runsArg || '5', 10);
const data = fs.readFileSync(file, 'utf8');
const lines = data.split('\n').filter((l) => l.length > 0);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l, 'utf8') + 1, 0);
const seconds = [];
let found = 0;
for (let r = 0; r <= runs; r++) {
  found = 0;
  const t0 = process.hrtime.bigint();
  for (const l of lines) found += recognizeNumber(l, Culture.Chinese).length;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r > 0) seconds.push(s);  // run 0 warms the JIT and the model caches
}
seconds.sort((a, b) => a - b);
const mid = seconds.length >> 1;
const med = seconds.length % 2 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;
console.log(`recognizers_number ${(bytes / med / 1e6).toFixed(3)} ${med.toFixed(6)} ${bytes} ${found}`);
