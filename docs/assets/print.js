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

  // One line of the printed glossary: the entry's own name, with the word the page used when
  // that differs ("libido (sex drive)", "estradiol (estrogen)"), and its definition without a
  // leading "Sex drive:" that would repeat the label.
  function entry(used, name, text) {
    var label = !name || name.toLowerCase() === used.toLowerCase() ? used : name + " (" + used + ")";
    [used, name].forEach(function (word) {
      if (word && text.toLowerCase().indexOf(word.toLowerCase() + ":") === 0) {
        text = text.slice(word.length + 1).trim();
        text = text.charAt(0).toUpperCase() + text.slice(1);
      }
    });
    return [label, text];
  }

  function glossary() {
    var seen = {}, items = [];
    article.querySelectorAll("a.term").forEach(function (a) {
      var slug = a.getAttribute("data-term"), def = document.getElementById(a.getAttribute("aria-describedby") || "");
      if (!slug || seen[slug] || !def) return;
      seen[slug] = true;
      items.push(entry(a.textContent.trim(), def.getAttribute("data-name") || "", def.textContent));
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
