// Only in `python -m generator serve`: the preview writes the current source errors to
// errors.html beside this script (empty when the sources are fine), and live reload
// reloads the page after each save. The box is the generator's own escaped HTML.
// Where no script runs, errors.css shows the same problems as text; here the box replaces it.
(function () {
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  document.documentElement.classList.add("preview-js");
  fetch(new URL("errors.html", script.src), { cache: "no-store" })
    .then(function (response) { return response.ok ? response.text() : ""; })
    .then(function (html) {
      if (!html.trim()) return;
      var target = document.querySelector("article") || document.body;
      target.insertAdjacentHTML("afterbegin", html);
    })
    .catch(function () { /* no preview server: nothing to show */ });
})();
