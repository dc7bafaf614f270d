// The desk, keyboard-first. Outside a text field: "/" goes to the search box, 1-9 open a
// result, "n" starts a new request for the caller. Escape leaves a field. In the service list,
// Enter continues. Every page works without this file; it only saves keystrokes.
(function () {
  "use strict";
  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (event.key === "Escape" && typing(target)) {
      target.blur();
      return;
    }
    if (event.key === "Enter" && target.tagName && target.tagName.toLowerCase() === "select") {
      var form = target.closest("form[data-submit-on-enter]");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (typing(target)) return;
    if (event.key === "/") {
      var search = document.querySelector("[data-desk-search]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (/^[1-9]$/.test(event.key)) {
      var link = document.querySelector('[data-open="' + event.key + '"]');
      if (link) {
        event.preventDefault();
        link.click();
      }
    } else if (event.key === "n") {
      var start = document.querySelector("[data-new]");
      if (start) {
        event.preventDefault();
        start.click();
      }
    }
  });
  // The service list: a double click picks and continues.
  document.querySelectorAll("form[data-submit-on-enter] select").forEach(function (select) {
    select.addEventListener("dblclick", function () {
      select.form.requestSubmit();
    });
  });
})();
