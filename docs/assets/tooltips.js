/* One tooltip for glossary terms (a.term) and citations (sup.cite a).
 * The text comes from the element named by aria-describedby, so screen
 * readers and the tooltip say the same thing. WCAG 2.2 1.4.13: it shows on
 * hover and focus, stays while the pointer is over it, and Esc dismisses it.
 * On touch, the first tap shows it and a second tap follows the link.
 *
 * A citation's text is in the page (its reference list). A term's is not: it sits in the
 * term's own data file, tip.json beside the glossary page the link points to (render.py),
 * so that editing a definition changes one small file instead of every page using the term.
 * The files of the terms on a page are read once, when it loads, into hidden elements the
 * links are then described by; until then (or if a file cannot be read) a term is a plain
 * link to its glossary page. */
(function () {
  "use strict";
  var SELECTOR = "a.term, sup.cite a";
  var tip = null, owner = null, hideTimer = null;

  var termsLoaded = null;
  function loadTerms() {
    if (termsLoaded) return termsLoaded;
    var links = {}, order = [];
    document.querySelectorAll("a.term[data-term]").forEach(function (a) {
      var slug = a.getAttribute("data-term");
      if (!links[slug]) { links[slug] = []; order.push(slug); }
      links[slug].push(a);
    });
    var box = document.createElement("div");
    box.className = "term-defs";
    box.hidden = true;
    (document.querySelector("article") || document.body).appendChild(box);
    termsLoaded = Promise.all(order.map(function (slug) {
      var def = document.createElement("span");  // in page order, whatever order the files arrive in
      def.className = "term-def";
      def.id = "term-def-" + slug;
      box.appendChild(def);
      return fetch(new URL("tip.json", links[slug][0].href))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          def.textContent = String(data.short);  // text, never markup
          def.setAttribute("data-name", String(data.term || ""));  // the entry's own name, for print
          links[slug].forEach(function (a) { a.setAttribute("aria-describedby", def.id); });
        })
        .catch(function () { def.remove(); });
    })).then(function () {
      document.documentElement.setAttribute("data-terms-ready", "");
      document.dispatchEvent(new CustomEvent("tiered:terms-ready"));
    });
    return termsLoaded;
  }
  loadTerms();

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "tiered-tooltip";
      tip.className = "tiered-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("mouseleave", function () { scheduleHide(); });
      document.body.appendChild(tip);
    }
    return tip;
  }

  function source(el) {
    var id = el.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }

  function show(el) {
    if (el.matches("a.term") && !el.hasAttribute("aria-describedby")) {
      owner = el;  // shown once its text has loaded, if the reader is still on it
      loadTerms().then(function () { if (owner === el && el.hasAttribute("aria-describedby")) show(el); });
      return;
    }
    var src = source(el);
    if (!src) return;
    clearTimeout(hideTimer);
    var t = tooltip();
    // Copy nodes, not HTML strings: the source is already-escaped page content.
    t.replaceChildren.apply(t, Array.prototype.map.call(src.childNodes, function (n) { return n.cloneNode(true); }));
    t.querySelectorAll(".cite-backs").forEach(function (n) { n.remove(); });  // a reference's back-links belong to the list
    // A protocol row's source may say what it supports (span.cite-supports after the citation):
    // the reviewer sees the claim and the reference together.
    var sup = el.closest("sup.cite"), extra = sup ? sup.nextElementSibling : null;
    if (extra && extra.classList.contains("cite-supports")) {
      var p = document.createElement("p");
      p.className = "tip-supports";
      var label = document.createElement("strong");
      label.textContent = "Supports this row: ";
      p.appendChild(label);
      Array.prototype.forEach.call(extra.childNodes, function (n) { p.appendChild(n.cloneNode(true)); });
      t.appendChild(p);
    }
    t.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    t.classList.toggle("tiered-tooltip--cite", el.closest("sup.cite") !== null);
    t.hidden = false;
    owner = el;
    place(t, el.getBoundingClientRect());
  }

  // Inside the viewport with a margin: below the term, or above it when there is no room
  // below (a term near the bottom of a phone screen), and never flush to a side.
  var MARGIN = 8, GAP = 6;
  function place(t, r) {
    var view = document.documentElement.clientWidth, height = window.innerHeight;
    t.style.maxWidth = Math.min(448, view - 2 * MARGIN) + "px";
    // Measured at the page's left edge, then fixed: an absolutely placed box narrows (and grows
    // taller) as it moves right, which would make the height used below wrong.
    t.style.width = "";
    t.style.left = "0px";
    var width = t.offsetWidth;
    t.style.width = width + "px";
    var left = Math.max(MARGIN, Math.min(r.left, view - width - MARGIN));
    var below = r.bottom + GAP, above = r.top - GAP - t.offsetHeight;
    var top = below + t.offsetHeight <= height - MARGIN || above < MARGIN ? below : above;
    t.classList.toggle("tiered-tooltip--above", top === above);
    // Relative to the box the tooltip is positioned in: the page, or a positioned ancestor
    // that a theme may give the body (the engines' themes differ here).
    var parent = t.offsetParent, origin = { left: -window.scrollX, top: -window.scrollY };
    if (parent && getComputedStyle(parent).position !== "static") {
      var pr = parent.getBoundingClientRect();
      origin = { left: pr.left + parent.clientLeft, top: pr.top + parent.clientTop };
    }
    t.style.left = (left - origin.left) + "px";
    t.style.top = (top - origin.top) + "px";
  }

  function hide() {
    if (tip) tip.hidden = true;
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function trigger(e) {
    return e.target instanceof Element ? e.target.closest(SELECTOR) : null;
  }

  document.addEventListener("mouseover", function (e) { var el = trigger(e); if (el) show(el); });
  document.addEventListener("mouseout", function (e) { if (trigger(e)) scheduleHide(); });
  document.addEventListener("focusin", function (e) { var el = trigger(e); if (el) show(el); });
  document.addEventListener("focusout", function (e) { if (trigger(e)) hide(); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && tip && !tip.hidden) { hide(); }
  });
  // Touch: browsers fire mouseover (which shows the tooltip) before click, so
  // whether this tap is the second one is decided at pointerdown, before that.
  var touchTap = false, armed = false;
  document.addEventListener("pointerdown", function (e) {
    touchTap = e.pointerType === "touch";
    var el = trigger(e);
    armed = touchTap && el !== null && owner === el && tip !== null && !tip.hidden;
    if (touchTap && !el && tip && !tip.hidden && !tip.contains(e.target)) hide();
  });
  document.addEventListener("click", function (e) {
    var el = trigger(e);
    if (!el || !touchTap) return;
    if (!armed) { e.preventDefault(); show(el); }
  });
})();
