// Accessibility of the broadsheet theme on the built sample site (public/):
// axe-core finds no serious or critical violation on the key pages, and
// screenshots at phone and desktop widths go to artifacts/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { serve, browser } from "./harness.mjs";
import { PAGES } from "./pages.mjs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const site = path.resolve(process.env.GAZETTE_SITE || "public");
const shots = path.resolve("artifacts/screenshots");


let server;
let chrome;

before(async () => {
  server = await serve(site);
  chrome = await browser();
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  await chrome?.close();
  server?.close();
});

for (const [name, url] of Object.entries(PAGES)) {
  test(`axe: no serious or critical violation on the ${name} page`, async () => {
    const page = await chrome.newPage();
    const response = await page.goto(server.origin + url);
    assert.equal(response.status(), 200);
    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`);
    assert.deepEqual(report, []);
    const minor = results.violations.filter((v) => !bad.includes(v)).map((v) => `${v.impact} ${v.id}`);
    if (minor.length) console.log(`# ${name}: minor axe findings: ${minor.join(", ")}`);
    await page.close();
  });
}

for (const width of [375, 1280]) {
  test(`screenshots at ${width} px`, async () => {
    const page = await chrome.newPage({ viewport: { width, height: 900 } });
    for (const name of ["home", "article", "tag", "code"]) {
      await page.goto(server.origin + PAGES[name]);
      await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
      // Nothing may stick out sideways on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px is ${overflow}px too wide`);
    }
    await page.close();
  });
}
