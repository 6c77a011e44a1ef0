/* Live sessions: show times in the reader's own time zone, and tell the platform when
   the learner leaves (sendBeacon on pagehide after they joined from this page). */
(function () {
  "use strict";
  if (window.lecternLive) return; // included by several panels on one page
  window.lecternLive = true;

  function format(times) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var full = new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
    var clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
    times.forEach(function (el) {
      var start = new Date(el.getAttribute("datetime"));
      if (isNaN(start)) return;
      var text = full.format(start);
      var endValue = el.getAttribute("data-live-end");
      if (endValue) {
        var end = new Date(endValue);
        if (!isNaN(end)) text += " – " + clock.format(end);
      }
      el.title = el.textContent.trim(); // the session's own zone, on hover
      el.textContent = text;
    });
    document.querySelectorAll("[data-live-zone-note]").forEach(function (note) {
      note.querySelector("[data-live-zone]").textContent = zone;
      note.hidden = false;
    });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function watchLeave(page) {
    var url = page.getAttribute("data-leave-url");
    var joined = false;
    var leaveForm = page.querySelector("[data-live-leave-form]");
    function reportLeave() {
      if (!joined) return;
      joined = false;
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrfToken());
      navigator.sendBeacon(url, body);
    }
    page.querySelectorAll("[data-live-join]").forEach(function (link) {
      link.addEventListener("click", function () {
        joined = true;
        if (leaveForm) leaveForm.hidden = false;
      });
    });
    if (leaveForm) {
      leaveForm.addEventListener("submit", function (event) {
        event.preventDefault();
        reportLeave();
        leaveForm.hidden = true;
      });
    }
    window.addEventListener("pagehide", reportLeave);
  }

  function start() {
    format(Array.prototype.slice.call(document.querySelectorAll("time[data-live-time]")));
    var page = document.querySelector("[data-live-session]");
    if (page) watchLeave(page);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
