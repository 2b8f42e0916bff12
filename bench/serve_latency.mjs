// Edit-to-browser latency of `gazette serve`: how long after an article's
// Markdown file is saved an open browser tab shows the change.
//
//   node bench/serve_latency.mjs [--site bench/.corpus/10000/gazette] [--edits 7]
//        [--gazette target/release/gazette] [--chrome /usr/bin/chromium]
//
// Starts `gazette serve` on the site, opens one article in headless
// Chromium (playwright-core), then, EDITS times: appends a sentence to the
// article's file and times until the reloaded page showing it is painted. The file is
// restored (bytes and modification time) at the end. Prints each latency
// (and when `serve` said it had rebuilt, which splits it into the watcher
// and the build, then the reload), the median, and what `serve` said of
// each rebuild.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { browser } from "../tests/e2e/harness.mjs";

const { values: args } = parseArgs({
  options: {
    site: { type: "string", default: "bench/.corpus/10000/gazette" },
    edits: { type: "string", default: "7" },
    gazette: { type: "string", default: "target/release/gazette" },
    chrome: { type: "string" },
  },
});
if (args.chrome) process.env.CHROME_PATH = args.chrome;

const site = path.resolve(args.site);
const edits = Number(args.edits);

function firstArticle(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const found = firstArticle(p);
      if (found) return found;
    } else if (e.name.endsWith(".md")) {
      return p;
    }
  }
  return null;
}

const file = firstArticle(path.join(site, "content"));
const original = fs.readFileSync(file);
const stat = fs.statSync(file);
const rebuilds = [];
// When each "built" line arrived: the time from saving the file to it is
// the watcher's debounce plus the rebuild; the rest is the reload.
const builtAt = [];
const started = Date.now();
const server = spawn(path.resolve(args.gazette), ["serve", "--port", "0", "--root", site], {
  stdio: ["ignore", "pipe", "inherit"],
});
const origin = await new Promise((resolve, reject) => {
  const lines = readline.createInterface({ input: server.stdout });
  lines.on("line", (line) => {
    const m = line.match(/^serving on (http:\/\/[^/]+)\//);
    if (m) resolve(m[1]);
    if (line.startsWith("built ")) {
      rebuilds.push(line);
      builtAt.push(performance.now());
    }
  });
  server.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
});
console.log(`first build and start: ${((Date.now() - started) / 1000).toFixed(1)} s (${rebuilds[0]})`);

const chrome = await browser();
const latencies = [];
try {
  const page = await chrome.newPage();
  // The article's URL: its page is the one whose source is this file; the
  // simplest way to find it is the home page's newest-first order, so
  // search the served day page of the file's date instead.
  const text = original.toString("utf8");
  const title = text.match(/^title:\s*"?(.*?)"?\s*$/m)[1];
  const date = text.match(/^date:\s*(\d{4})-(\d{2})-(\d{2})/m);
  await page.goto(`${origin}/${date[1]}/${date[2]}/${date[3]}/`);
  const href = await page.evaluate((t) => [...document.querySelectorAll("a")].find((a) => a.textContent.trim() === t)?.getAttribute("href"), title);
  if (!href) throw new Error(`no link to "${title}" on its day page`);
  await page.goto(`${origin}${href}`);
  for (let k = 1; k <= edits; k++) {
    const marker = `Latency probe ${k} ${Date.now()}.`;
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = performance.now();
    const savedAt = Date.now();
    fs.writeFileSync(file, Buffer.concat([original, Buffer.from(`\n${marker}\n`)]));
    await page.waitForFunction((m) => document.body.textContent.includes(m), marker, { timeout: 30000, polling: 10 });
    const polled = performance.now() - t0;
    // When the reloaded page was painted (first contentful paint, else
    // DOMContentLoaded), on the same wall clock as the save: the driver's
    // polling across a navigation adds about 100 ms of its own.
    const paintedAt = await page.evaluate(() => {
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      const nav = performance.getEntriesByType("navigation")[0];
      return [performance.timeOrigin, performance.timeOrigin + (fcp ? fcp.startTime : nav.domContentLoadedEventEnd)];
    });
    const ms = paintedAt[1] - savedAt;
    const reloadedAt = paintedAt[0] - savedAt;
    latencies.push(ms);
    const built = builtAt.at(-1) - t0;
    console.log(`edit ${k}: rebuilt after ${built.toFixed(0)} ms, reloading after ${reloadedAt.toFixed(0)} ms, painted after ${ms.toFixed(0)} ms ` +
      `(seen by the driver after ${polled.toFixed(0)} ms; ${rebuilds.at(-1)})`);
  }
} finally {
  fs.writeFileSync(file, original);
  fs.utimesSync(file, stat.atime, stat.mtime);
  await chrome.close();
  server.kill("SIGINT");
}
const sorted = [...latencies].sort((a, b) => a - b);
console.log(`median edit-to-browser latency: ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms over ${sorted.length} edits`);
