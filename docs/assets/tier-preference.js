/* Remember the reader's chosen depth (localStorage only: no cookies, no
 * tracking) and send topic links to that depth. Without JavaScript the links
 * go to each topic's overview page, which links to every depth. */
(function () {
  "use strict";
  var KEY = "tiered.tier";
  // The tiers come from the generator's tier table, through a <meta> tag on every page.
  var meta = document.querySelector('meta[name="reading-tiers"]');
  var TIERS = meta ? meta.getAttribute("content").split(",").filter(Boolean) : [];

  function read() {
    try { var v = localStorage.getItem(KEY); return TIERS.indexOf(v) >= 0 ? v : null; } catch (e) { return null; }
  }
  function write(v) { try { localStorage.setItem(KEY, v); } catch (e) { /* storage off: nothing to remember */ } }

  // Visiting a tier page, or clicking a depth, records the choice.
  var m = location.pathname.match(/\/topics\/[^/]+\/([^/]+)\/?$/);
  if (m && TIERS.indexOf(m[1]) >= 0) write(m[1]);
  document.addEventListener("click", function (e) {
    var a = e.target instanceof Element ? e.target.closest("a[data-tier]") : null;
    if (a) write(a.getAttribute("data-tier"));
  });

  function rewrite() {
    var tier = read();
    if (!tier) return;
    document.querySelectorAll("a[href]").forEach(function (a) {
      if (a.hasAttribute("data-tier")) return;
      var url = new URL(a.href, location.href);
      if (url.origin !== location.origin) return;
      var t = url.pathname.match(/^(.*\/topics\/[^/]+\/)(index\.html)?$/);
      if (t && !url.hash) a.href = t[1] + tier + "/";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", rewrite); else rewrite();
})();
