// The queue works without JavaScript; this only adds "pick every request on this page".
(function () {
  "use strict";
  var all = document.querySelector("[data-pick-all]");
  if (!all) return;
  all.hidden = false;
  all.addEventListener("change", function () {
    document.querySelectorAll('input[name="number"][form="bulk"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
