// Progressive enhancement for reader pages. Nothing here reports to the server.
(function () {
  "use strict";
  var STORAGE_KEY = "vitrine.dismissedNewsFlashes";

  function readDismissed() {
    try {
      var keys = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
      return Array.isArray(keys) ? keys : [];
    } catch (e) {
      return [];
    }
  }

  function writeDismissed(keys) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(keys.slice(-50)));
    } catch (e) {
      /* storage unavailable: the dismissal lasts for this page only */
    }
  }

  function setUpNewsFlashes() {
    var dismissed = readDismissed();
    document.querySelectorAll("aside.news-flash").forEach(function (flash) {
      var key = flash.getAttribute("data-flash-key");
      var critical = flash.getAttribute("data-urgency") === "critical";
      if (!critical && dismissed.indexOf(key) !== -1) {
        flash.hidden = true;
        return;
      }
      var button = flash.querySelector(".news-flash__dismiss");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        flash.hidden = true;
        // A critical flash comes back on the next page until its window ends.
        if (!critical) {
          var keys = readDismissed();
          if (keys.indexOf(key) === -1) keys.push(key);
          writeDismissed(keys);
        }
        var main = document.getElementById("main");
        if (main) main.focus();
      });
    });
  }

  function setUpAutoSubmit() {
    document.querySelectorAll("form[data-auto-submit] select").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpNewsFlashes();
    setUpAutoSubmit();
  });
})();
