// Full-text search in a real browser, over the built sample site (public/),
// and over the same site built for a sub-folder (served below /news/).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { serve, browser } from "./harness.mjs";

const site = path.resolve(process.env.GAZETTE_SITE || "public");
const bin = path.resolve(process.env.GAZETTE_BIN || "target/release/gazette");
let server;
let nested;
let nestedOut;
let chrome;

before(async () => {
  server = await serve(site);
  nestedOut = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-news-"));
  nested = await serve(nestedOut, { prefix: "/news/" });
  execFileSync(bin, ["build", "--quiet", "--clean", "--base-url", `${nested.origin}/news/`, "--output", nestedOut]);
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  server?.close();
  nested?.close();
  if (nestedOut) fs.rmSync(nestedOut, { recursive: true, force: true });
});

/** Searches on a fresh page of `origin + home`: the results, and the bytes
 * the page downloaded from opening to the first results (all of it: HTML,
 * CSS, script, index, records). */
async function searchFor(words, options = {}) {
  const home = options.home || "/";
  const origin = options.origin || server.origin;
  const page = await chrome.newPage();
  const errors = [];
  let bytes = 0;
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("response", async (response) => {
    try {
      bytes += (await response.body()).length;
    } catch {
      // A response without a body (a redirect) adds nothing.
    }
  });
  await page.goto(`${origin}${home}search/`);
  await page.waitForSelector(".search-form[data-ready=true]");
  if (options.section) await page.selectOption("#search-section", options.section);
  await page.fill("#search-query", words);
  await page.waitForFunction(() => /found/.test(document.querySelector("#search-status").textContent));
  const results = await page.$$eval(".search-result", (items) =>
    items.map((item) => ({
      title: item.querySelector("h2 a").textContent,
      href: item.querySelector("h2 a").getAttribute("href"),
      date: item.querySelector(".search-result-date")?.textContent,
      excerpt: item.querySelector(".search-result-excerpt").innerHTML,
    })),
  );
  await page.close();
  assert.deepEqual(errors, []);
  if (options.measure) options.measure(bytes);
  return results;
}

test("a word found in exactly one article finds exactly that article", async () => {
  // "Mireille" is named only in the New Year's Eve story (content/2023/12/new-years-eve.md),
  // which is also the one dated in the evening of a day that is already the next in UTC.
  const results = await searchFor("Mireille");
  assert.equal(results.length, 1);
  assert.equal(results[0].title, "Port Allard rings in 2024 with fireworks, a brass band and a polar dip");
  assert.equal(results[0].href, "/2023/12/31/port-allard-rings-in-2024-with-fireworks-a-brass-band-and-a-polar-dip/");
  assert.equal(results[0].date, "December 31, 2023");
  assert.match(results[0].excerpt, /<mark>Mireille<\/mark>/);
});

test("the section filter narrows results", async () => {
  const all = await searchFor("ferry");
  const business = await searchFor("ferry", { section: "Business" });
  assert.ok(all.length > business.length, `${all.length} > ${business.length}`);
  assert.ok(business.length >= 1);
});

test("a word in no article finds nothing", async () => {
  assert.deepEqual(await searchFor("xylophonic"), []);
});

test("a sub-folder build links its results below the sub-folder", async () => {
  const results = await searchFor("Mireille", { origin: nested.origin, home: "/news/" });
  assert.equal(results.length, 1);
  const href = results[0].href;
  assert.equal(href, "/news/2023/12/31/port-allard-rings-in-2024-with-fireworks-a-brass-band-and-a-polar-dip/");
  const response = await fetch(`${nested.origin}${href}`);
  assert.equal(response.status, 200);
});

test("the bytes a first query downloads are measured", async () => {
  let bytes = 0;
  await searchFor("ferry", { measure: (b) => (bytes = b) });
  assert.ok(bytes > 0);
  console.log(`first query on the sample site downloaded ${bytes} bytes in all (page, styles, script, index, results)`);
});
