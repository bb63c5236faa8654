/* mkdocs-status: optional enhancements; every page reads fully without them.
   1. Adds the reader's own local time after each time shown.
   2. Flips maintenance from "Scheduled" to "In progress"/"Completed" once its window
      opens or closes, before the next build. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var fmt = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZoneName: "short" });
  document.querySelectorAll("time.status-time[datetime]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    var local = fmt.format(when);
    if (el.textContent.indexOf(local) >= 0) return;
    var span = document.createElement("span");
    span.className = "status-local";
    span.textContent = " (" + local + ")";
    el.after(span);
  });
  var now = Date.now();
  document.querySelectorAll("[data-status-start][data-status-end]").forEach(function (el) {
    var start = Date.parse(el.getAttribute("data-status-start"));
    var end = Date.parse(el.getAttribute("data-status-end"));
    var labels = JSON.parse(el.getAttribute("data-status-labels") || "{}");
    var phase = now >= end ? "completed" : now >= start ? "in_progress" : null;
    if (!phase) return;
    el.querySelectorAll(".status-badge--scheduled").forEach(function (badge) {
      badge.className = "status-badge status-badge--" + phase;
      var text = badge.querySelector("span");
      if (text && labels[phase]) text.textContent = labels[phase];
    });
  });
})();
