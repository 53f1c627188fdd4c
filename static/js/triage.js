// Process-owner search: fills the <datalist> from the server as the user types (at most 10
// matches), so no page ever renders every user. Without JS the typed user name still works.
(function () {
  "use strict";
  var script = document.getElementById("triage-js");
  var url = script && script.dataset.ownerUrl;
  var list = document.getElementById("owner-options");
  if (!url || !list) return;
  var timer = null;
  var status = document.getElementById("owner-status");
  function search(input) {
    var text = input.value.trim();
    if (text.length < 2) return;
    fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        list.innerHTML = html;
        if (status) status.textContent = list.options.length + " forslag";
      });
  }
  document.querySelectorAll("input[data-owner-search]").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(input); }, 250);
    });
  });
})();
