/* Follows a figures import running in the background: polls the run's status document,
   updates the progress bar and message, and reloads the page once the run has ended. */
(function () {
  "use strict";

  var INTERVAL = 1500;
  var MAX_INTERVAL = 15000;

  function follow(root) {
    var url = root.getAttribute("data-status-url");
    var bar = root.querySelector("progress");
    var message = root.querySelector("[data-import-message]");
    var statuses = root.querySelectorAll("[data-import-status]");
    var wait = INTERVAL;

    function show(state) {
      if (bar) {
        bar.value = state.progress;
        bar.textContent = state.progress + " %";
      }
      if (message && message.textContent !== state.progress_message) {
        message.textContent = state.progress_message;
      }
      statuses.forEach(function (node) {
        node.textContent = state.status_label;
      });
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (state) {
          wait = INTERVAL;
          show(state);
          if (state.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, wait);
          }
        })
        .catch(function () {
          wait = Math.min(wait * 2, MAX_INTERVAL);
          window.setTimeout(poll, wait);
        });
    }

    window.setTimeout(poll, wait);
  }

  document.querySelectorAll('[data-figures-import-run][data-finished="false"]').forEach(follow);
})();
