/* Video admin: keep packaging status badges and progress bars live.
 * Every [data-video-status] whose video is queued or processing polls its JSON status
 * URL every 2 s and updates in place; it stops once the video is ready or failed. */
(function () {
  "use strict";
  var INTERVAL_MS = 2000;

  function render(el, s) {
    el.className = "video-status video-status--" + (s.state || s.status);
    el.dataset.active = s.active ? "true" : "false";
    el.querySelector("[data-video-status-badge]").textContent = s.status_label;
    var bar = el.querySelector("[data-video-status-bar]");
    bar.hidden = !s.active;
    bar.setAttribute("aria-valuenow", String(s.progress));
    bar.firstElementChild.style.width = s.progress + "%";
    var detail = el.querySelector("[data-video-status-detail]");
    detail.textContent = s.active
      ? s.progress + "% · " + s.stage
      : (s.status === "ready" ? s.renditions.join(", ") : "");
    var error = el.querySelector("[data-video-status-error]");
    error.textContent = s.error || "";
    error.hidden = !s.error;
  }

  function poll(el) {
    fetch(el.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        render(el, s);
        if (s.active) { window.setTimeout(function () { poll(el); }, INTERVAL_MS); }
      })
      .catch(function () { window.setTimeout(function () { poll(el); }, INTERVAL_MS * 3); });
  }

  function start(root) {
    root.querySelectorAll("[data-video-status][data-active='true']").forEach(function (el) {
      if (el.dataset.polling) { return; }
      el.dataset.polling = "1";
      window.setTimeout(function () { poll(el); }, INTERVAL_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { start(document); });
  /* Wagtail swaps listing results in place when filtering: pick up new rows. */
  document.addEventListener("w-swap:success", function (event) { start(event.target || document); });
})();
