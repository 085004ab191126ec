/* Site search. A "Search" button in the header opens a dialog; only then does the browser
 * fetch Pagefind's search code and, for each query, the few index chunks its words need
 * (engines/searchbundle.py builds them after the engine). Nothing search-related loads
 * with a page.
 *
 * A query is searched as the reader typed it, less the words a question wraps around its
 * subject ("is TRT safe" -> "trt safe"; the list, and the weights of the page metadata,
 * come from data/search.yml through a <meta>). Pages with every word rank first, then pages with most of them.
 * The best 30 are re-scored by each page's `rank` (searchindex.py): topics before glossary
 * entries; then a topic's pages among them are put in depth order.
 *
 * Every result is built with textContent; the only markup taken from the index is
 * Pagefind's <mark> around matched words, rebuilt as elements, never parsed into the page.
 * Keyboard: "/" or Ctrl+K opens, Escape closes, arrow keys move between results. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.HTMLDialogElement) return;
  var bundle = new URL("../pagefind/pagefind.js", script.src).href;
  var settings = {};
  try { settings = JSON.parse(document.querySelector('meta[name="search-settings"]').content); } catch (e) { /* defaults */ }
  var skip = {};
  (settings.question_words || []).forEach(function (w) { skip[w] = true; });
  // The best results by Pagefind's score whose data is fetched (about 1 KB each) to rank them.
  var SHOWN = 10, CANDIDATES = 30;
  var UNAVAILABLE = "Search is not available here. It works on the published site and after a full build.";
  var engine = null, dialog, input, status, list, opener, seq = 0, timer = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function icon() {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5Z");
    svg.appendChild(path);
    return svg;
  }

  function addButton() {
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    opener = el("button", "md-header__button site-search-open");
    opener.type = "button";
    opener.setAttribute("aria-haspopup", "dialog");
    opener.appendChild(icon());
    opener.appendChild(el("span", "site-search-open__label", "Search"));
    opener.addEventListener("click", open);
    var source = header.querySelector(".md-header__source");
    header.insertBefore(opener, source);
  }

  function build() {
    if (dialog) return;
    dialog = el("dialog", "site-search");
    dialog.setAttribute("aria-labelledby", "site-search-title");
    var form = el("form", "site-search__form");
    form.setAttribute("role", "search");
    var title = el("h2", "site-search__title", "Search this site");
    title.id = "site-search-title";
    var label = el("label", "site-search__label", "Words to search for");
    label.htmlFor = "site-search-input";
    input = el("input", "site-search__input");
    input.id = "site-search-input";
    input.type = "search";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("enterkeyhint", "search");
    var close = el("button", "site-search__close", "Close");
    close.type = "button";
    close.addEventListener("click", function () { dialog.close(); });
    status = el("p", "site-search__status");
    status.id = "site-search-status";
    status.setAttribute("role", "status");
    input.setAttribute("aria-describedby", status.id);
    list = el("ol", "site-search__results");
    list.setAttribute("aria-label", "Results");
    var top = el("div", "site-search__top");
    top.appendChild(title);
    top.appendChild(close);
    form.appendChild(top);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(status);
    dialog.appendChild(form);
    dialog.appendChild(list);
    document.body.appendChild(dialog);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = list.querySelector("a");
      if (first) first.click();
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);  // one search per pause in typing, not per key
    });
    dialog.addEventListener("keydown", move);
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () { if (opener) opener.focus(); });
  }

  function load() {
    if (!engine) {
      engine = import(bundle).then(function (pf) {
        return pf.options({
          // Result addresses under the site's own path (the bundle sits at its root), so a site
          // published under a sub-path ("/hormone-therapy/") links to its own pages.
          baseUrl: new URL("../", bundle).pathname,
          excerptLength: 24,
          ranking: { metaWeights: settings.meta_weights || {} },
        }).then(function () { return pf.init(); }).then(function () { return pf; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function open() {
    build();
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load().catch(function () {
      status.textContent = UNAVAILABLE;
    });
  }

  function words(query) {
    var all = query.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'\-]*/gu) || [];
    var kept = all.filter(function (w) { return !skip[w]; });
    return kept.length ? kept : all;
  }

  function byScore(a, b) { return b.score - a.score || (a.id < b.id ? -1 : 1); }

  // A page's score is its score for the whole query (pages with every word), plus its score
  // for each word alone: a page with most of a question's words still comes up when none
  // has them all, and pages with more of them rank higher.
  function find(pf, ws) {
    var searches = [pf.search(ws.join(" "))];
    if (ws.length > 1) ws.forEach(function (w) { searches.push(pf.search(w)); });
    return Promise.all(searches).then(function (each) {
      var by = {};
      each.forEach(function (s) {
        s.results.forEach(function (r) {
          if (!by[r.id]) by[r.id] = { id: r.id, score: 0, data: r.data };
          by[r.id].score += r.score;
        });
      });
      return Object.keys(by).map(function (k) { return by[k]; }).sort(byScore);
    });
  }

  // The best candidates' data (about 1 KB each), their scores times their page's `rank`.
  function ranked(results) {
    var top = results.slice(0, CANDIDATES);
    return Promise.all(top.map(function (r) { return r.data(); })).then(function (data) {
      return top.map(function (r, i) {
        var rank = parseFloat(data[i].meta.rank);
        return { id: r.id, score: r.score * (rank > 0 ? rank : 1), data: data[i] };
      }).sort(byScore);
    });
  }

  // A topic's pages among the results keep the places they hold between them, in depth
  // order: its Fundamentals page takes its topic's best place.
  function inTopicOrder(results) {
    var places = {}, members = {};
    results.forEach(function (r, i) {
      var topic = r.data.meta.topic;
      if (!topic) return;
      (places[topic] = places[topic] || []).push(i);
      (members[topic] = members[topic] || []).push(r);
    });
    var out = results.slice();
    Object.keys(places).forEach(function (topic) {
      members[topic].sort(function (a, b) { return (+a.data.meta.order || 0) - (+b.data.meta.order || 0); });
      places[topic].forEach(function (place, k) { out[place] = members[topic][k]; });
    });
    return out;
  }

  function run() {
    var query = input.value.trim(), mine = ++seq;
    if (!query) { status.textContent = ""; list.replaceChildren(); return; }
    status.textContent = "Searching…";
    load().then(function (pf) {
      return find(pf, words(query)).then(ranked).then(function (results) {
        return inTopicOrder(results).slice(0, SHOWN);
      });
    }).then(function (shown) {
      if (mine !== seq) return;  // a newer query has started
      show(query, shown);
    }, function () {
      if (mine === seq) status.textContent = UNAVAILABLE;
    });
  }

  // Pagefind's excerpt is the page's text, HTML-escaped, with <mark> around matched words:
  // parsed into an inert document and copied as text and <mark> elements only.
  function snippet(html) {
    var p = el("p", "site-search__snippet");
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") p.appendChild(el("mark", "", node.textContent));
      else p.appendChild(document.createTextNode(node.textContent));
    });
    return p;
  }

  function show(query, shown) {
    list.replaceChildren();
    shown.forEach(function (r) {
      var li = el("li", "site-search__result"), a = el("a", "site-search__link");
      a.href = r.data.url;
      a.appendChild(el("span", "site-search__name", r.data.meta.title || r.data.url));
      if (r.data.meta.label) a.appendChild(el("span", "site-search__depth", r.data.meta.label));
      li.appendChild(a);
      li.appendChild(snippet(r.data.excerpt || ""));
      list.appendChild(li);
    });
    status.textContent = shown.length
      ? shown.length + (shown.length === 1 ? " result" : " results") + " for “" + query + "”"
      : "No pages match “" + query + "”. Try fewer or simpler words.";
  }

  // Up and down arrows move between the box and the results; Escape closes at once (in a
  // search field the browser would otherwise spend the first press on clearing it).
  function move(e) {
    if (e.key === "Escape") {
      e.preventDefault();
      dialog.close();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a")), at = links.indexOf(document.activeElement);
    if (!links.length) return;
    e.preventDefault();
    if (e.key === "ArrowDown") (links[at + 1] || links[links.length - 1]).focus();
    else if (at <= 0) input.focus();
    else links[at - 1].focus();
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.nodeName));
    if ((e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) ||
        (e.key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      open();
    }
  });
  addButton();
})();
