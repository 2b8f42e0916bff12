// Known-item search over a built site: for a sample of articles, the three
// longest words of the headline are typed into /search/ in headless
// Chromium; counts how often the article comes first and in the top 3,
// and the time from typing to results; then a first query in five fresh
// browser contexts (empty caches): bytes downloaded, time to results.
//
//   node bench/search_relevance.mjs OUTPUT_DIR [--queries 100] [--queries-from DIR]
//
// The articles are taken from the records of gazette's index
// (search-index/docs/ of --queries-from, else of OUTPUT_DIR), every
// (docs / queries)-th one, so the sample is the same on every run; with
// --queries-from, OUTPUT_DIR can be the same site built with Pagefind.
import fs from "node:fs";
import path from "node:path";
import { serve, browser } from "../tests/e2e/harness.mjs";

const out = path.resolve(process.argv[2]);
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const queries = Number(option("--queries") || 100) || 100;
const from = path.resolve(option("--queries-from") || out);
const meta = JSON.parse(fs.readFileSync(path.join(from, "search-index/meta.json"), "utf8"));
const step = Math.max(1, Math.floor(meta.docs / queries));
const sample = [];
for (let doc = 0; doc < meta.docs && sample.length < queries; doc += step) {
  const records = JSON.parse(fs.readFileSync(path.join(from, `search-index/docs/${Math.floor(doc / meta.shard)}.json`), "utf8"));
  const r = records[doc % meta.shard];
  const words = r[0].split(/[^\p{L}\p{N}]+/u).filter(Boolean).sort((a, b) => b.length - a.length).slice(0, 3);
  sample.push({ href: r[1], query: words.join(" ") + " " });
}

const server = await serve(out);
const chrome = await browser();
const page = await chrome.newPage();
await page.goto(`${server.origin}/search/`);
await page.waitForSelector(".search-form[data-ready=true]");
let first = 0, top3 = 0;
const times = [];
for (const s of sample) {
  const started = Date.now();
  await page.fill("#search-query", s.query);
  await page.waitForFunction(
    (q) => new URLSearchParams(location.search).get("q") === q.trim() && /found/.test(document.querySelector("#search-status").textContent),
    s.query,
  );
  times.push(Date.now() - started);
  const hrefs = await page.$$eval(".search-result h2 a", (links) => links.slice(0, 3).map((a) => a.getAttribute("href")));
  if (hrefs[0] === s.href) first++;
  if (hrefs.includes(s.href)) top3++;
}
// A first query in fresh browser contexts (empty caches): every byte.
const colds = [];
let bytes = 0;
for (let run = 0; run < 5; run++) {
  const fresh = await chrome.newContext();
  const cold = await fresh.newPage();
  let got = 0;
  cold.on("response", async (r) => {
    try {
      got += (await r.body()).length;
    } catch {
      // No body.
    }
  });
  const coldStart = Date.now();
  await cold.goto(`${server.origin}/search/?q=${encodeURIComponent(sample[run].query.trim())}`);
  await cold.waitForFunction(() => /found/.test(document.querySelector("#search-status").textContent));
  colds.push(Date.now() - coldStart);
  await cold.waitForLoadState("networkidle");
  bytes = Math.max(bytes, got);
  await fresh.close();
}
await chrome.close();
server.close();
const sorted = [...colds].sort((a, b) => a - b);
console.log(`a first query in a fresh browser context (5 queries): at most ${(bytes / 1024).toFixed(0)} KiB downloaded in all, ` +
  `results a median ${sorted[2]} ms (${sorted[0]}-${sorted[4]}) after opening /search/?q=...`);
times.sort((a, b) => a - b);
const pct = (n) => ((100 * n) / sample.length).toFixed(0) + "%";
console.log(`${sample.length} known-item queries over ${meta.docs} articles: first ${pct(first)}, top 3 ${pct(top3)}; ` +
  `results a median ${times[times.length >> 1]} ms after typing (the page's 120 ms pause included; index files cached after their first use)`);
