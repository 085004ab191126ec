/* Material's search overlay has role="dialog" but no accessible name, which
 * axe-core rates serious. Name it rather than fork the theme's template. */
(function () {
  "use strict";
  function name() {
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (el) {
      el.setAttribute("aria-label", "Search this site");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", name); else name();
})();
