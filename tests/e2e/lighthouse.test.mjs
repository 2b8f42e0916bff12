// Lighthouse 12 on the home and an article page of the sample site, built
// with the local server's address as base_url (so canonical links and
// robots.txt point where Lighthouse looks). Gates: accessibility, best
// practices and SEO at least 95. Performance is reported, not gated: its
// timings depend on the load of a shared machine.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { serve } from "./harness.mjs";
import { PAGES } from "./pages.mjs";

const bin = path.resolve(process.env.GAZETTE_BIN || "target/release/gazette");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-lh-"));
let server;
let chrome;
const scores = {};

before(async () => {
  server = await serve(out);
  execFileSync(bin, ["build", "--quiet", "--base-url", `${server.origin}/`, "--output", out], { env: { ...process.env } });
  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
    chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await chrome?.kill();
  server?.close();
  fs.mkdirSync("artifacts", { recursive: true });
  fs.writeFileSync("artifacts/lighthouse.json", JSON.stringify(scores, null, 2));
  console.log(`# lighthouse scores: ${JSON.stringify(scores)}`);
});

for (const name of ["home", "article"]) {
  test(`lighthouse: ${name} page scores at least 95 in accessibility, best practices and SEO`, async () => {
    const result = await lighthouse(server.origin + PAGES[name], {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    const categories = result.lhr.categories;
    const score = (id) => Math.round(categories[id].score * 100);
    scores[name] = Object.fromEntries(Object.keys(categories).map((id) => [id, score(id)]));
    const failing = Object.values(result.lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
      .map((a) => a.id);
    for (const id of ["accessibility", "best-practices", "seo"]) {
      assert.ok(score(id) >= 95, `${name}: ${id} ${score(id)} (failing audits: ${failing.join(", ")})`);
    }
  });
}
