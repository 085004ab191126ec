/* A tier page printed for an appointment: the definitions of the terms it uses, once each,
 * as a short glossary at the end (not inline, next to text that may already define them),
 * and the date it was printed. Both are built when the page loads and shown only in print. */
(function () {
  "use strict";
  var article = document.querySelector("article");
  if (!article || !document.querySelector(".print-meta")) return;  // tier pages only

  // The definitions arrive with the terms' data files (tooltips.js), after the page loads.
  if (document.documentElement.hasAttribute("data-terms-ready")) glossary();
  else document.addEventListener("tiered:terms-ready", glossary, { once: true });

  function glossary() {
    var seen = {}, items = [];
    article.querySelectorAll("a.term").forEach(function (a) {
      var slug = a.getAttribute("data-term"), def = document.getElementById(a.getAttribute("aria-describedby") || "");
      if (!slug || seen[slug] || !def) return;
      seen[slug] = true;
      items.push([a.textContent, def.textContent]);
    });
    if (items.length) {
      var section = document.createElement("section");
      section.className = "print-glossary print-only";
      var heading = document.createElement("h2");
      heading.textContent = "Words used on this page";
      var list = document.createElement("dl");
      items.forEach(function (pair) {
        var dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = pair[0];
        dd.textContent = pair[1];
        list.appendChild(dt);
        list.appendChild(dd);
      });
      section.appendChild(heading);
      section.appendChild(list);
      var footer = article.querySelector(".page-footer");
      if (footer) footer.parentNode.insertBefore(section, footer); else article.appendChild(section);
    }
    document.documentElement.setAttribute("data-print-ready", "");
  }

  function stamp() {
    document.querySelectorAll(".print-date").forEach(function (el) {
      el.textContent = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    });
  }
  stamp();
  window.addEventListener("beforeprint", stamp);
  // Folded parts (the clinician box and the questions on the deeper pages) print open.
  window.addEventListener("beforeprint", function () {
    article.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
