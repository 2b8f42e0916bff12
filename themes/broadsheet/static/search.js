// Archive search on top of the Pagefind bundle: no server needed.
// The page provides #search-query, #search-section, #search-year,
// #search-status and #search-results; the script tag's data-bundle is the
// bundle's URL.
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = script && script.dataset.bundle;
  var form = document.querySelector(".search-form");
  var query = document.getElementById("search-query");
  var section = document.getElementById("search-section");
  var year = document.getElementById("search-year");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  if (!bundle || !form) return;

  var pagefind = null;
  var generation = 0;

  function fill(select, values) {
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
  }

  function card(data) {
    var article = document.createElement("article");
    article.className = "search-result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    heading.appendChild(link);
    article.appendChild(heading);
    if (data.meta.date) {
      var date = document.createElement("p");
      date.className = "search-result-date";
      date.textContent = data.meta.date;
      article.appendChild(date);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    // Pagefind escapes the excerpt and marks the matches with <mark>.
    excerpt.innerHTML = data.excerpt;
    article.appendChild(excerpt);
    return article;
  }

  async function run() {
    var mine = ++generation;
    var terms = query.value.trim();
    var filters = {};
    if (section.value) filters.section = section.value;
    if (year.value) filters.year = year.value;
    var params = new URLSearchParams();
    if (terms) params.set("q", terms);
    if (section.value) params.set("section", section.value);
    if (year.value) params.set("year", year.value);
    history.replaceState(null, "", params.toString() ? "?" + params : location.pathname);
    if (!terms && !filters.section && !filters.year) {
      results.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    var search = await pagefind.search(terms || null, { filters: filters, sort: terms ? undefined : { date: "desc" } });
    var shown = await Promise.all(search.results.slice(0, 25).map(function (r) { return r.data(); }));
    if (mine !== generation) return;
    var n = search.results.length;
    status.textContent = n === 0 ? "No articles found." : n === 1 ? "1 article found." : n + " articles found" + (n > shown.length ? ", showing the " + shown.length + " best." : ".");
    results.replaceChildren.apply(results, shown.map(card));
  }

  async function start() {
    pagefind = await import(bundle + "pagefind.js");
    await pagefind.init();
    var filters = await pagefind.filters();
    fill(section, Object.keys(filters.section || {}).sort());
    fill(year, Object.keys(filters.year || {}).sort().reverse());
    var params = new URLSearchParams(location.search);
    query.value = params.get("q") || "";
    section.value = params.get("section") || "";
    year.value = params.get("year") || "";
    var timer = null;
    query.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    section.addEventListener("change", run);
    year.addEventListener("change", run);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    form.dataset.ready = "true";
    run();
  }

  start().catch(function (error) {
    status.textContent = "Search is not available: " + error.message;
  });
})();
