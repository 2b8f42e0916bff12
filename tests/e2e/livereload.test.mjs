// Live reload in a real browser: a page open on `gazette serve` reloads by
// itself after an article edit, and shows the errors of a broken edit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { browser } from "./harness.mjs";

const bin = path.resolve(process.env.GAZETTE_BIN || "target/release/gazette");
let site;
let server;
let origin;
let chrome;

before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-live-"));
  execFileSync(bin, ["init", path.join(site, "s")]);
  site = path.join(site, "s");
  server = spawn(bin, ["serve", "--port", "0", "--root", site], { stdio: ["ignore", "pipe", "inherit"] });
  origin = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: server.stdout });
    lines.on("line", (line) => {
      const m = line.match(/^serving on (http:\/\/[^/]+)\//);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  server?.kill("SIGINT");
});

function articleFile() {
  const dir = path.join(site, "content");
  const found = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : found.push(path.join(d, e.name))));
  walk(dir);
  return found.find((f) => f.endsWith("welcome.md"));
}

test("an open page reloads by itself after an edit", async () => {
  const page = await chrome.newPage();
  await page.goto(`${origin}/`);
  const link = await page.getAttribute("main article h2 a", "href");
  await page.goto(`${origin}${link}`);
  assert.match(await page.textContent("main"), /This is the first article/);
  await page.evaluate(() => {
    window.notReloaded = true;
  });
  const file = articleFile();
  const original = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, original.replace("This is the first article.", "This is the edited article."));
  await page.waitForFunction(() => !window.notReloaded && document.body.textContent.includes("This is the edited article."), null, { timeout: 20000 });

  // A broken edit: the page reloads, keeps the last good text, shows the error.
  // (Give the reloaded page a moment to reconnect to the reload events.)
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    window.notReloaded = true;
  });
  fs.writeFileSync(file, "---\ntitle: broken\n");
  await page.waitForSelector("#gazette-errors", { timeout: 20000 });
  assert.match(await page.textContent("#gazette-errors"), /welcome\.md:1: front matter opened here is never closed/);
  assert.match(await page.textContent("main"), /This is the edited article/);

  // Fixed: the overlay goes.
  await page.waitForTimeout(1000);
  fs.writeFileSync(file, original);
  await page.waitForFunction(() => !document.querySelector("#gazette-errors") && document.body.textContent.includes("This is the first article."), null, { timeout: 20000 });
  await page.close();
});
