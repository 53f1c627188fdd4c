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
  // The chips' listbox for assistive technology (see issues/templatetags/filter_tags.py).
  var chipCount = 0;
  function ownChips(combobox) {
    var input = combobox.querySelector("input");
    var owner = input && document.getElementById(input.id + "-chips");
    if (!owner) {
      return;
    }
    var ids = [];
    Array.prototype.forEach.call(combobox.querySelectorAll(":scope > data"), function (chip) {
      if (!chip.id) {
        chip.id = input.id + "-new-chip-" + (chipCount += 1);
      }
      ids.push(chip.id);
    });
    if (ids.length) {
      owner.setAttribute("role", "listbox");
      owner.setAttribute("aria-label", owner.dataset.label);
      owner.setAttribute("aria-owns", ids.join(" "));
    } else {
      // An empty listbox would be an error of its own.
      ["role", "aria-label", "aria-owns"].forEach(function (name) { owner.removeAttribute(name); });
    }
  }

  document.addEventListener("comboboxafterselect", function (event) {
    var combobox = event.target;
    // u-combobox updates its hidden <select> when it sees the new chip: after this event.
    window.setTimeout(function () {
      sync(combobox);
      ownChips(combobox);
      var select = combobox.querySelector("select");
      if (select) {
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }, 0);
  });
})();

// After an htmx update: focus lands on what changed (not on <body>), and a polite live region
// says what happened (the swapped element's data-announce, else its status text).
(function () {
  "use strict";
  var script = document.getElementById("app-js");
  var texts = script ? script.dataset : {};

  function announce(text) {
    var live = document.getElementById("live-region");
    if (!live || !text) {
      return;
    }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (!target || !target.isConnected) {
      target = document.getElementById((event.detail.target || {}).id || "");
    }
    if (!target || target.closest("#filter-summary") || target.id === "filter-summary") {
      // The filters update the count while someone is typing or choosing: keep focus there.
      var count = document.getElementById("result-count");
      announce(count ? count.textContent.trim() : "");
      return;
    }
    if (target.closest("[data-quiet]")) {
      // A polled fragment (an export's progress): focus stays put, its own live region speaks.
      return;
    }
    var focusable = target.querySelector("[role=status], .ds-alert, h2, h3") || target;
    if (!focusable.hasAttribute("tabindex")) {
      focusable.setAttribute("tabindex", "-1");
    }
    if (document.activeElement === document.body || !document.activeElement || !document.activeElement.isConnected) {
      focusable.focus();
    }
    announce(target.dataset.announce || (focusable.textContent || "").trim().slice(0, 200) || texts.updated);
  });

  // The unit list offers only the chosen institution's units (each institution is an optgroup).
  function followInstitution() {
    var institution = document.getElementById("id_institution");
    var unit = document.getElementById("id_unit");
    if (!institution || !unit) {
      return;
    }
    function narrow() {
      var chosen = institution.options[institution.selectedIndex];
      var label = chosen && chosen.value ? chosen.text.trim() : "";
      Array.prototype.forEach.call(unit.querySelectorAll("optgroup"), function (group) {
        var match = !label || group.label === label;
        group.hidden = !match;
        group.disabled = !match;
      });
      var selected = unit.options[unit.selectedIndex];
      if (selected && selected.parentElement.disabled) {
        unit.value = "";
      }
    }
    institution.addEventListener("change", narrow);
    narrow();
  }

  // Size and type are checked before a byte is uploaded; the server checks again.
  function checkFiles(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) {
      return;
    }
    var max = Number(input.dataset.maxBytes);
    var allowed = (input.accept || "").toLowerCase().split(",");
    var problems = [];
    Array.prototype.forEach.call(input.files || [], function (file) {
      var dot = file.name.lastIndexOf(".");
      var ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
      if (allowed.length && allowed[0] && allowed.indexOf(ext) === -1) {
        problems.push(file.name + " " + texts.wrongType);
      } else if (file.size > max) {
        problems.push(file.name + " " + texts.tooBig);
      }
    });
    if (input.dataset.maxFiles && input.files && input.files.length > Number(input.dataset.maxFiles)) {
      problems.push(texts.tooMany);
    }
    var id = input.id + "_client_error";
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("p");
      message.id = id;
      message.className = "ds-validation-message";
      message.dataset.color = "danger";
      message.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", message);
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", described ? described + " " + id : id);
    }
    message.textContent = problems.join(" ");
    if (problems.length) {
      input.setAttribute("aria-invalid", "true");
      input.value = "";
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  document.addEventListener("DOMContentLoaded", followInstitution);
  document.addEventListener("change", checkFiles);
})();
