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
const repository = path.resolve(".");
const temporary = [];
let chrome;

/** A copy of the sample site whose gazette.toml ends with `extra`. */
function sampleSite(extra) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-site-"));
  temporary.push(root);
  for (const part of ["content", "static", "data", "templates", "themes"]) {
    const from = path.join(repository, part);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(root, part), { recursive: true });
  }
  fs.writeFileSync(path.join(root, "gazette.toml"), fs.readFileSync(path.join(repository, "gazette.toml"), "utf8") + extra);
  return root;
}

/** Builds `root` for `prefix` on a fresh server; resolves to the server. */
async function built(root, prefix) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-out-"));
  temporary.push(out);
  const server = await serve(out, { prefix });
  execFileSync(bin, ["build", "--quiet", "--clean", "--root", root, "--base-url", `${server.origin}${prefix}`, "--output", out]);
  return server;
}

// Each engine, on the sample site at the root and below /news/. The
// sample site as CI built it (public/) has the default engine, gazette's.
const engines = {
  pagefind: { extra: '\n[search]\nengine = "pagefind"\n' },
  gazette: { extra: "" },
};

before(async () => {
  for (const [name, engine] of Object.entries(engines)) {
    const root = name === "gazette" ? null : sampleSite(engine.extra);
    engine.root = name === "gazette" ? await serve(site) : await built(root, "/");
    engine.nested = await built(root || sampleSite(""), "/news/");
  }
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  for (const engine of Object.values(engines)) {
    engine.root?.close();
    engine.nested?.close();
  }
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/** Searches on a fresh page of `origin + home`: the results, and the bytes
 * the page downloaded from opening to the first results (all of it: HTML,
 * CSS, script, index, records). */
async function searchFor(server, words, options = {}) {
  const home = options.home || "/";
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
  const started = Date.now();
  await page.goto(`${server.origin}${home}search/`);
  await page.waitForSelector(".search-form[data-ready=true]");
  if (options.section) {
    await page.evaluate(([name]) => {
      const select = document.querySelector("#search-section");
      const option = [...select.options].find((o) => (o.dataset.name || o.value) === name);
      select.value = option.value;
      select.dispatchEvent(new Event("change"));
    }, [options.section]);
  }
  await page.fill("#search-query", words);
  // The status of this query: its words are in the URL before it runs.
  await page.waitForFunction(
    (q) =>
      new URLSearchParams(location.search).get("q") === q &&
      /found/.test(document.querySelector("#search-status").textContent),
    words,
  );
  const elapsed = Date.now() - started;
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
  if (options.measure) options.measure(bytes, elapsed);
  return results;
}

for (const [name, engine] of Object.entries(engines)) {
  test(`${name}: a word found in exactly one article finds exactly that article`, async () => {
    // "Mireille" is named only in the New Year's Eve story (content/2023/12/new-years-eve.md),
    // which is also the one dated in the evening of a day that is already the next in UTC.
    const results = await searchFor(engine.root, "Mireille");
    assert.equal(results.length, 1);
    assert.equal(results[0].title, "Port Allard rings in 2024 with fireworks, a brass band and a polar dip");
    assert.equal(results[0].href, "/2023/12/31/port-allard-rings-in-2024-with-fireworks-a-brass-band-and-a-polar-dip/");
    assert.equal(results[0].date, "December 31, 2023");
  });

  test(`${name}: the section filter narrows results`, async () => {
    const all = await searchFor(engine.root, "ferry");
    const business = await searchFor(engine.root, "ferry", { section: "Business" });
    assert.ok(all.length > business.length, `${all.length} > ${business.length}`);
    assert.ok(business.length >= 1);
  });

  test(`${name}: a word in no article finds nothing`, async () => {
    assert.deepEqual(await searchFor(engine.root, "xylophonic"), []);
  });

  test(`${name}: a sub-folder build links its results below the sub-folder`, async () => {
    const results = await searchFor(engine.nested, "Mireille", { home: "/news/" });
    assert.equal(results.length, 1);
    const href = results[0].href;
    assert.equal(href, "/news/2023/12/31/port-allard-rings-in-2024-with-fireworks-a-brass-band-and-a-polar-dip/");
    const response = await fetch(`${engine.nested.origin}${href}`);
    assert.equal(response.status, 200);
  });

  test(`${name}: the bytes a first query downloads are measured`, async () => {
    let bytes = 0;
    let elapsed = 0;
    await searchFor(engine.root, "ferry", { measure: (b, t) => ((bytes = b), (elapsed = t)) });
    assert.ok(bytes > 0);
    console.log(`${name}: first query on the sample site downloaded ${bytes} bytes in all (page, styles, script, index, results); first results ${elapsed} ms after opening the page`);
  });
}

test("gazette: words of the summary are marked in the excerpt, and diacritics fold", async () => {
  // The New Year's Eve summary: "Thousands are expected on the waterfront tonight ..."
  const fireworks = "/2023/12/31/port-allard-rings-in-2024-with-fireworks-a-brass-band-and-a-polar-dip/";
  const results = await searchFor(engines.gazette.root, "thousands waterfront");
  const hit = results.find((r) => r.href === fireworks);
  assert.ok(hit, JSON.stringify(results.map((r) => r.href)));
  assert.match(hit.excerpt, /<mark>Thousands<\/mark> .*<mark>waterfront<\/mark>/);
  // "Café Zürich" is in the body: "zurich" finds it.
  const folded = await searchFor(engines.gazette.root, "zurich");
  assert.ok(folded.some((r) => r.href === fireworks), JSON.stringify(folded.map((r) => r.href)));
});

test("pagefind: matches are marked in the excerpt", async () => {
  const results = await searchFor(engines.pagefind.root, "Mireille");
  assert.match(results[0].excerpt, /<mark>Mireille<\/mark>/);
});

test("gazette: each author's count comes with the results, and the author filter narrows to it", async () => {
  const page = await chrome.newPage();
  const found = () => page.$eval("#search-status", (s) => s.textContent);
  const number = (status) => (/^(\d+) articles? found/.exec(status) || [])[1];
  await page.goto(`${engines.gazette.root.origin}/search/?q=ferry`);
  await page.waitForFunction(() => /found/.test(document.querySelector("#search-status").textContent));
  const total = Number(number(await found()));
  const counted = (await page.$$eval("#search-author option", (options) =>
    options.filter((o) => o.value !== "").map((o) => [o.value, o.textContent])))
    .map(([value, text]) => [value, Number((/\((\d+)\)$/.exec(text) || [])[1])])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  assert.ok(total > 1 && counted.length > 1, `${total} results, authors counted: ${JSON.stringify(counted)}`);
  const [value, n] = counted[counted.length - 1];
  assert.ok(n < total, `${n} of ${total}`);
  await page.selectOption("#search-author", value);
  await page.waitForFunction(
    (v) => new URLSearchParams(location.search).get("author") !== null && /found/.test(document.querySelector("#search-status").textContent) && document.querySelector("#search-author").value === v,
    value,
  );
  await page.waitForFunction((n) => new RegExp(`^${n} articles? found`).test(document.querySelector("#search-status").textContent), n);
  assert.equal(Number(number(await found())), n);
  await page.close();
});
