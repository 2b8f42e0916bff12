// Full-text search in a real browser, over the built sample site (public/).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { serve, browser } from "./harness.mjs";

const site = path.resolve(process.env.GAZETTE_SITE || "public");
let server;
let chrome;

before(async () => {
  server = await serve(site);
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  server?.close();
});

async function searchFor(words, options = {}) {
  const page = await chrome.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.origin}/search/`);
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
