// Werkpad's small page behaviour, kept in a file so the Content-Security-Policy can forbid
// inline scripts. Everything works without it; it only helps keyboard and screen-reader users.
(function () {
  "use strict";
  function ready() {
    // After a failed submit the page comes back with an error summary: move the focus there,
    // so a screen reader reads what went wrong and Tab continues to the first bad field.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      var details = summary.closest("details");
      if (details) { details.open = true; }
      summary.focus();
      return;
    }
    // A link to a section (#contacten) from the section menu or a redirect: open the form
    // disclosure of that section when the address says so (?open=...).
    var hash = window.location.hash;
    if (hash && hash.length > 1) {
      var target = document.getElementById(hash.slice(1));
      if (target && target.tagName === "DETAILS") { target.open = true; }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
