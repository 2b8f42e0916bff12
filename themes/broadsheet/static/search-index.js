// Archive search on gazette's own index (format gazette-search 1, see
// docs/search.md): a query fetches the index's meta, one words file and one
// postings file a word, and the records of the results it shows; nothing
// else, from any static host. The page provides #search-query,
// #search-section, #search-year, #search-author, #search-sort,
// #search-status, #search-results and #search-more; the script tag's
// data-index is the index's URL.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.dataset.index;
  var form = document.querySelector(".search-form");
  if (!base || !form) return;
  var $ = function (id) { return document.getElementById(id); };
  var query = $("search-query"), section = $("search-section"), year = $("search-year");
  var author = $("search-author"), sort = $("search-sort");
  var status = $("search-status"), results = $("search-results"), more = $("search-more");
  var K1 = 1.2, PAGE = 10;
  var meta = null, cache = {}, generation = 0, ranked = [], shown = 0, marks = [];
  var segmenter = new Intl.Segmenter(undefined, { granularity: "word" });

  function get(path, binary) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return binary ? r.arrayBuffer().then(function (b) { return new Uint8Array(b); }) : r.json();
      });
    }
    return cache[path];
  }

  // The two rules the index was written with (src/content/words.rs).
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }
  function words(text) {
    var out = [];
    for (var s of segmenter.segment(text)) {
      if (s.isWordLike) {
        var w = fold(s.segment);
        if (w && [...w].length <= 40) out.push(w);
      }
    }
    return out;
  }
  // Code point order, as the index sorts its words.
  function compare(a, b) {
    var x = [...a], y = [...b];
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var b of new TextEncoder().encode(text)) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  function varint(bytes, at) {
    var v = 0, shift = 0, b;
    do {
      b = bytes[at.i++];
      v += (b & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (b & 0x80);
    return v;
  }

  // The words file that would hold `word`.
  function chunkOf(word) {
    var lo = 0, hi = meta.words.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (compare(meta.words[mid], word) <= 0) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // The stems of `word`, or of every indexed word it begins (a prefix).
  async function stemsOf(word, prefix) {
    if (!meta.words.length) return [];
    var k = chunkOf(word), stems = new Set();
    for (; k < meta.words.length; k++) {
      var entries = await get("words/" + k + ".json");
      var done = false;
      for (var e of entries) {
        var w = typeof e === "string" ? e : e[0];
        var stem = typeof e === "string" ? e : e[1];
        if (w === word || (prefix && w.startsWith(word) && stems.size < 20)) stems.add(stem);
        else if (compare(w, word) > 0 && !w.startsWith(word)) { done = true; break; }
      }
      if (done || !prefix) break;
    }
    return [...stems];
  }
  // The postings of a stem: {df, docs: [[doc, section, weight, [authors]]...]}.
  async function postings(stem) {
    var bytes = await get("postings/" + (fnv1a(stem) % meta.buckets) + ".bin", true);
    if (!bytes.heads) {
      var at = { i: 0 }, n = varint(bytes, at), heads = {}, list = [];
      for (var i = 0; i < n; i++) {
        var len = varint(bytes, at);
        var name = new TextDecoder().decode(bytes.subarray(at.i, at.i + len));
        at.i += len;
        list.push({ name: name, df: varint(bytes, at), kept: varint(bytes, at), size: varint(bytes, at) });
      }
      var offset = at.i;
      list.forEach(function (h) { h.offset = offset; offset += h.size; heads[h.name] = h; });
      bytes.heads = heads;
    }
    var h = bytes.heads[stem];
    if (!h) return null;
    if (!h.docs) {
      var at2 = { i: h.offset }, doc = 0, docs = [];
      for (var j = 0; j < h.kept; j++) {
        var gap = varint(bytes, at2);
        doc = j === 0 ? gap : doc + gap;
        var sec = varint(bytes, at2), authors = [];
        for (var k = varint(bytes, at2); k > 0; k--) authors.push(varint(bytes, at2));
        docs.push([doc, sec, bytes[at2.i++], authors]);
      }
      h.docs = docs;
    }
    return h;
  }

  function yearOf(doc) {
    for (var y of meta.years) if (doc >= y[1] && doc <= y[2]) return y[0];
    return null;
  }

  async function rank(text) {
    var terms = words(text);
    var prefixLast = terms.length && !/\s$/.test(text);
    var scores = new Map(), matched = new Map(), sectionOf = new Map(), authorsOf = new Map();
    var groups = await Promise.all(terms.map(function (t, i) {
      return stemsOf(t, prefixLast && i === terms.length - 1 && [...t].length >= 2);
    }));
    marks = terms;
    await Promise.all(groups.map(async function (stems, i) {
      for (var stem of stems) {
        var p = await postings(stem);
        if (!p) continue;
        var idf = Math.log(1 + (meta.docs - p.df + 0.5) / (p.df + 0.5));
        for (var d of p.docs) {
          scores.set(d[0], (scores.get(d[0]) || 0) + idf * (d[2] / 255) * (K1 + 1));
          matched.set(d[0], (matched.get(d[0]) || 0) | (1 << Math.min(i, 30)));
          sectionOf.set(d[0], d[1]);
          authorsOf.set(d[0], d[3]);
        }
      }
    }));
    var bits = function (m) { var n = 0; while (m) { n += m & 1; m >>>= 1; } return n; };
    var list = [...scores.keys()].map(function (d) {
      return { doc: d, score: scores.get(d), words: bits(matched.get(d)), section: sectionOf.get(d), authors: authorsOf.get(d) };
    });
    return list;
  }

  // Filters and counts: each filter's counts take the other filters only.
  async function ids(path) {
    var bytes = await get(path, true);
    var at = { i: 0 }, n = varint(bytes, at), doc = 0, out = new Set();
    for (var i = 0; i < n; i++) { var g = varint(bytes, at); doc = i === 0 ? g : doc + g; out.add(doc); }
    return out;
  }
  async function filtered(list) {
    var wantAuthor = author.value === "" ? null : Number(author.value);
    var wantSection = section.value === "" ? null : Number(section.value) + 1;
    var wantYear = year.value === "" ? null : Number(year.value);
    var bySection = {}, byYear = {}, byAuthor = {};
    var kept = list.filter(function (r) {
      var okAuthor = wantAuthor === null || r.authors.includes(wantAuthor);
      var okSection = wantSection === null || r.section === wantSection;
      var y = yearOf(r.doc), okYear = wantYear === null || y === wantYear;
      if (okAuthor && okYear) bySection[r.section] = (bySection[r.section] || 0) + 1;
      if (okAuthor && okSection) byYear[y] = (byYear[y] || 0) + 1;
      if (okSection && okYear) r.authors.forEach(function (a) { byAuthor[a] = (byAuthor[a] || 0) + 1; });
      return okAuthor && okSection && okYear;
    });
    counts(section, function (v) { return bySection[Number(v) + 1] || 0; });
    counts(year, function (v) { return byYear[v] || 0; });
    counts(author, function (v) { return byAuthor[v] || 0; });
    return kept;
  }
  function counts(select, count) {
    for (var o of select.options) {
      if (o.value === "") continue;
      o.textContent = o.dataset.name + " (" + count(o.value) + ")";
    }
  }

  function escape(text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  // The excerpt with each word that begins like a query word marked.
  function highlight(text) {
    var out = "";
    for (var s of segmenter.segment(text)) {
      var f = fold(s.segment);
      var hit = s.isWordLike && marks.some(function (m) { return f.startsWith(m) || m.startsWith(f) && f.length >= 4; });
      out += hit ? "<mark>" + escape(s.segment) + "</mark>" : escape(s.segment);
    }
    return out;
  }

  async function card(doc) {
    var records = await get("docs/" + Math.floor(doc / meta.shard) + ".json");
    var r = records[doc % meta.shard];
    var article = document.createElement("article");
    article.className = "search-result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = r[1];
    link.textContent = r[0];
    heading.appendChild(link);
    article.appendChild(heading);
    var date = document.createElement("p");
    date.className = "search-result-date";
    var time = document.createElement("time");
    time.dateTime = r[3];
    time.textContent = r[2];
    date.appendChild(time);
    article.appendChild(date);
    if (r[4]) {
      var where = document.createElement("p");
      where.className = "search-result-section";
      where.textContent = r[4];
      article.appendChild(where);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    excerpt.innerHTML = highlight(r[6]);
    article.appendChild(excerpt);
    return article;
  }

  async function showMore(mine) {
    var next = ranked.slice(shown, shown + PAGE);
    var cards = await Promise.all(next.map(function (r) { return card(r.doc); }));
    if (mine !== generation) return;
    cards.forEach(function (c) { results.appendChild(c); });
    shown += next.length;
    more.hidden = shown >= ranked.length;
  }

  async function run() {
    var mine = ++generation;
    var text = query.value;
    var params = new URLSearchParams();
    if (text.trim()) params.set("q", text.trim());
    [["section", section], ["year", year], ["author", author]].forEach(function (f) {
      if (f[1].value !== "") params.set(f[0], f[1].selectedOptions[0].dataset.name);
    });
    if (sort.value === "newest") params.set("sort", "newest");
    history.replaceState(null, "", params.toString() ? "?" + params : location.pathname);
    var filtering = section.value !== "" || year.value !== "" || author.value !== "";
    if (!text.trim() && !filtering) {
      results.replaceChildren();
      status.textContent = "";
      more.hidden = true;
      return;
    }
    status.textContent = "Searching…";
    var list;
    if (text.trim()) {
      list = await rank(text);
    } else {
      // No words: every article, with its section and authors from the
      // section and author lists.
      var sectionOf = new Map(), authorsOf = new Map();
      var lists = await Promise.all(meta.sections.map(function (_, s) { return ids("sections/" + s + ".bin"); }));
      lists.forEach(function (docs, s) { docs.forEach(function (d) { sectionOf.set(d, s + 1); }); });
      var byAuthor = await Promise.all(meta.authors.map(function (_, a) { return ids("authors/" + a + ".bin"); }));
      byAuthor.forEach(function (docs, a) {
        docs.forEach(function (d) { (authorsOf.get(d) || authorsOf.set(d, []).get(d)).push(a); });
      });
      list = Array.from({ length: meta.docs }, function (_, d) {
        return { doc: d, score: 0, words: 0, section: sectionOf.get(d) || 0, authors: authorsOf.get(d) || [] };
      });
    }
    if (!text.trim()) marks = [];
    var kept = await filtered(list);
    if (mine !== generation) return;
    ranked = kept.sort(sort.value === "newest" || !text.trim()
      ? function (a, b) { return b.doc - a.doc; }
      : function (a, b) { return b.words - a.words || b.score - a.score || b.doc - a.doc; });
    results.replaceChildren();
    shown = 0;
    await showMore(mine);
    if (mine !== generation) return;
    // Said once the first results are on the page.
    var n = ranked.length;
    status.textContent = n === 0 ? "No articles found." : n === 1 ? "1 article found." : n + " articles found.";
  }

  function fill(select, names, value) {
    names.forEach(function (name, i) {
      var option = document.createElement("option");
      option.value = value ? value(name, i) : String(i);
      option.dataset.name = name;
      option.textContent = name;
      select.appendChild(option);
    });
  }
  function choose(select, name) {
    for (var o of select.options) if (o.dataset.name === name) select.value = o.value;
  }

  async function start() {
    meta = await get("meta.json");
    if (meta.format !== "gazette-search" || meta.version !== 2) {
      status.textContent = "Search is unavailable: the index is of another version than this page.";
      return;
    }
    // Sections and authors are chosen by their number in the index.
    fill(section, meta.sections);
    fill(year, meta.years.map(function (y) { return String(y[0]); }).reverse(), function (name) { return name; });
    fill(author, meta.authors);
    var params = new URLSearchParams(location.search);
    query.value = params.get("q") || "";
    choose(section, params.get("section"));
    choose(year, params.get("year"));
    choose(author, params.get("author"));
    if (params.get("sort") === "newest") sort.value = "newest";
    var timer = null;
    query.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    [section, year, author, sort].forEach(function (s) { s.addEventListener("change", run); });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    more.addEventListener("click", function () { showMore(generation); });
    form.dataset.ready = "true";
    run();
  }
  start().catch(function (e) { status.textContent = "Search is unavailable: " + e.message; });
})();
