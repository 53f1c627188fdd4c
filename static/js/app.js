// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Move focus to an error summary so keyboard and screen-reader users land on what to fix.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  }

  // A second click on a submit button while the first request is under way sends nothing;
  // the server still refuses duplicates by the form's one-time token.
  function guardDoubleSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) {
      return;
    }
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    var submitter = event.submitter;
    if (submitter && submitter.name === "action" && submitter.value === "preview") {
      return;
    }
    form.dataset.submitting = "true";
  }

  // Coming back with the Back button restores the page as it was, submitting flag included.
  function resetOnReturn() {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.submitting;
    });
  }

  // On narrow screens the navigation folds behind a "Meny" button (CSS hides it only when this
  // script has marked the header, so without JavaScript the links stay visible).
  function collapsibleNav() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) {
      return;
    }
    document.querySelector(".site-header").classList.add("js-nav");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  }

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("DOMContentLoaded", collapsibleNav);
  window.addEventListener("pageshow", resetOnReturn);
  document.addEventListener("submit", guardDoubleSubmit);
})();

// Designsystemet's Suggestion (u-combobox): "Alle" in the empty box while nothing is chosen, and
// a change event on the form so a page can react (the escalation page's live count).
(function () {
  "use strict";
  function sync(combobox) {
    var input = combobox.querySelector("input");
    if (input) {
      input.placeholder = combobox.querySelector("data") ? "" : combobox.dataset.srEmpty || "";
    }
  }
  document.addEventListener("comboboxafterselect", function (event) {
    var combobox = event.target;
    // u-combobox updates its hidden <select> when it sees the new chip: after this event.
    window.setTimeout(function () {
      sync(combobox);
      var select = combobox.querySelector("select");
      if (select) {
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }, 0);
  });
})();
