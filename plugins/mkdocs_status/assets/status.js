/* mkdocs-status: optional enhancements; every page reads fully without them.
   1. Adds the reader's own local time after each time shown, unless one of the
      zones already shown has the same wall-clock time (then it is the reader's).
   2. Flips maintenance from "Scheduled" to "In progress"/"Completed" once its window
      opens or closes, before the next build.
   3. Keeps "(16 minutes ago)" true on a page read hours after its build.
   A site built as of a fixed instant (the `now:` option, for demos) says so in
   <meta name="mkdocs-status-clock">; 2 and 3 then keep to that instant. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || undefined;
  var pinned = document.querySelector('meta[name="mkdocs-status-clock"]');
  var pinnedAt = pinned ? Date.parse(pinned.getAttribute("content")) : NaN;

  function clockNow() {
    return isNaN(pinnedAt) ? Date.now() : pinnedAt;
  }

  /* Minutes after midnight of every "9:44 PM" / "21:44" / "21.44" in a text. */
  function shownMinutes(text) {
    var out = [];
    var re = /(\d{1,2})[:.](\d{2})(?!\d)(\s*([AaPp])\.?\s*[Mm]\.?)?/g;
    var m;
    while ((m = re.exec(text))) {
      var h = parseInt(m[1], 10) % 24;
      if (m[4]) h = (h % 12) + (/[Pp]/.test(m[4]) ? 12 : 0);
      out.push(h * 60 + parseInt(m[2], 10));
    }
    return out;
  }

  function localTimes() {
    var fmt, clock;
    try {
      fmt = new Intl.DateTimeFormat(lang, {
        year: "numeric", month: "short", day: "numeric",
        hour: "numeric", minute: "2-digit", timeZoneName: "short"
      });
      clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    } catch (e) {
      return;
    }
    document.querySelectorAll("time.status-time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) return;
      var hm = clock.format(when).split(":");
      var mine = parseInt(hm[0], 10) % 24 * 60 + parseInt(hm[1], 10);
      if (shownMinutes(el.textContent).indexOf(mine) >= 0) return;
      var span = document.createElement("span");
      span.className = "status-local";
      span.textContent = " · " + fmt.format(when);
      el.appendChild(span);
    });
  }

  var LATER = { scheduled: ["in_progress", "completed"], in_progress: ["completed"] };

  function maintenanceWindows() {
    var now = clockNow();
    document.querySelectorAll("[data-status-start][data-status-end]").forEach(function (el) {
      var start = Date.parse(el.getAttribute("data-status-start"));
      var end = Date.parse(el.getAttribute("data-status-end"));
      if (isNaN(start) || isNaN(end)) return;
      var phase = now >= end ? "completed" : now >= start ? "in_progress" : null;
      if (!phase) return;
      var labels = {};
      try { labels = JSON.parse(el.getAttribute("data-status-labels") || "{}"); } catch (e) { /* keep words */ }
      /* A row of a list flips its own badges; a window on an incident page flips the page's. */
      var scope = el.closest("li") || el.closest("article") || document;
      Object.keys(LATER).forEach(function (was) {
        if (LATER[was].indexOf(phase) < 0) return;
        scope.querySelectorAll(".status-badge--" + was).forEach(function (badge) {
          if (badge.closest(".status-update")) return; /* an update's status is history */
          badge.classList.remove("status-badge--" + was);
          badge.classList.add("status-badge--" + phase);
          var text = badge.querySelector("span:not(.status-icon)");
          if (text && labels[phase]) text.textContent = labels[phase];
          var icon = badge.querySelector(".status-icon");
          if (icon && ICONS[phase]) icon.className = "status-icon status-icon--" + ICONS[phase];
        });
      });
    });
  }

  /* The icons of strings.ICONS for the phases a window can reach. */
  var ICONS = { in_progress: "wrench", completed: "check-circle" };

  /* babel's format_timedelta(threshold=1.5), which wrote the build-time phrase, in Intl. */
  var UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
               ["hour", 3600], ["minute", 60], ["second", 1]];

  function relativeTimes() {
    var rtf;
    try { rtf = new Intl.RelativeTimeFormat(lang, { numeric: "always" }); } catch (e) { return; }
    var now = clockNow();
    document.querySelectorAll(".status-ago").forEach(function (el) {
      var times = el.parentNode ? el.parentNode.querySelectorAll("time[datetime]") : [];
      if (!times.length) return;
      var seconds = (Date.parse(times[times.length - 1].getAttribute("datetime")) - now) / 1000;
      if (isNaN(seconds)) return;
      for (var i = 0; i < UNITS.length; i++) {
        var value = Math.abs(seconds) / UNITS[i][1];
        if (value >= 1.5 || i === UNITS.length - 1) {
          var n = Math.max(1, Math.round(value));
          el.textContent = "(" + rtf.format(seconds < 0 ? -n : n, UNITS[i][0]) + ")";
          return;
        }
      }
    });
  }

  localTimes();
  maintenanceWindows();
  relativeTimes();
})();
