// Narrows the list of services as the resident types. Without it, the search form does the
// same on the server.
(function () {
  "use strict";
  var input = document.querySelector("[data-filter]");
  var count = document.getElementById("services-count");
  if (!input) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("#services li[data-text]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("#services section.group"));
  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var text = li.getAttribute("data-text");
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector("li:not([hidden])"); });
    count.textContent = words.length ? (shown ? count.getAttribute("data-some").replace("{n}", shown) : count.getAttribute("data-none")) : "";
  }
  input.addEventListener("input", filter);
  // Words typed before this script ran (a slow phone) filter at once.
  if (input.value) filter();
})();
