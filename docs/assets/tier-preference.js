/* Remember the depth a reader chooses with the depth switch (localStorage only: no
 * cookies, no tracking) and send topic links to that depth. Only a choice counts: arriving
 * on a tier page (from search, a shared link) changes nothing. Where links are sent to the
 * remembered depth, a note says so and offers a reset. Without JavaScript the links go to
 * each topic's overview page, which links to every depth. */
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
  function forget() { try { localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ } }

  // Choosing a depth (the switch on a tier page, or a depth on a topic's overview) records it.
  document.addEventListener("click", function (e) {
    var a = e.target instanceof Element ? e.target.closest("nav.tier-switch a[data-tier], a.tier-entry[data-tier]") : null;
    if (a) write(a.getAttribute("data-tier"));
  });

  function title(tier) {
    return tier.charAt(0).toUpperCase() + tier.slice(1);
  }

  function topicLinks() {
    var found = [];
    document.querySelectorAll("a[href]").forEach(function (a) {
      if (a.hasAttribute("data-tier") || a.closest(".breadcrumbs")) return;  // the overview stays the overview
      var url = new URL(a.href, location.href);
      if (url.origin !== location.origin || url.hash) return;
      var t = url.pathname.match(/^(.*\/topics\/[^/]+\/)(index\.html)?$/);
      if (t) found.push([a, t[1]]);
    });
    return found;
  }

  function rewrite() {
    var tier = read();
    if (!tier) return;
    var links = topicLinks();
    if (!links.length) return;
    links.forEach(function (pair) {
      pair[0].setAttribute("data-overview", pair[0].getAttribute("href"));
      pair[0].href = pair[1] + tier + "/";
    });
    notice(tier, links);
  }

  function notice(tier, links) {
    var article = document.querySelector("article");
    if (!article) return;
    var box = document.createElement("p");
    box.className = "depth-notice no-terms";
    box.setAttribute("role", "status");
    box.appendChild(document.createTextNode("Topic links open at the " + title(tier) + " depth, as you chose. "));
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "depth-reset";
    reset.textContent = "Show every depth instead";
    reset.addEventListener("click", function () {
      forget();
      links.forEach(function (pair) { pair[0].setAttribute("href", pair[0].getAttribute("data-overview")); });
      box.remove();
    });
    box.appendChild(reset);
    var heading = article.querySelector("h1");
    if (heading && heading.nextSibling) article.insertBefore(box, heading.nextSibling); else article.prepend(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", rewrite); else rewrite();
})();
