/* mkdocs-status: optional enhancements; every page reads fully without them.
   1. Adds the reader's own local time after each time shown, unless one of the
      zones already shown has the same wall-clock time (then it is the reader's).
   2. Flips maintenance from "Scheduled" to "In progress"/"Completed" once its window
      opens or closes, before the next build: the badges of its rows and page, and
      what the build at that instant would show (data the build wrote into the page):
      the banner, component and group badges, the maintenance sections of the
      overview, the automatic update on the maintenance's own page.
   3. Keeps "(16 minutes ago)" true on a page read hours after its build.
   4. Filters the history by component in place.
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

  /* A badge shows a status word, its icon and its label. */
  function setBadge(badge, word, icon, label) {
    badge.className = badge.className.replace(/status-badge--\S+/, "status-badge--" + word);
    var text = badge.querySelector("span:not(.status-icon)");
    if (text && label) text.textContent = label;
    var mark = badge.querySelector(".status-icon");
    if (mark && icon) mark.className = "status-icon status-icon--" + icon;
  }

  function reached(el, now) {
    var at = Date.parse(el.getAttribute("data-status-at"));
    return !isNaN(at) && at <= now;
  }

  /* The banner and every component and group badge, as at the latest window edge passed. */
  function applyState(doc, now) {
    var state = null;
    (doc.states || []).forEach(function (s) { if (Date.parse(s.at) <= now) state = s; });
    if (!state) return;
    var banner = document.querySelector(".status-banner");
    if (banner && state.banner) {
      banner.className = banner.className.replace(/status-banner--\S+/, "status-banner--" + state.banner[0]);
      var mark = banner.querySelector(".status-icon");
      if (mark) mark.className = "status-icon status-icon--" + state.banner[1];
      var strong = banner.querySelector("strong");
      if (strong) strong.textContent = state.banner[2];
    }
    document.querySelectorAll("[data-status-badge]").forEach(function (badge) {
      var b = state.badges[badge.getAttribute("data-status-badge")];
      if (b) setBadge(badge, b[0], b[1], b[2]);
    });
  }

  function sectionList(id) {
    var heading = document.getElementById(id);
    var list = heading && heading.nextElementSibling;
    return list && list.matches("ul.status-list") ? list : null;
  }

  /* A maintenance leaves "Scheduled maintenance" (or "in progress") for the row the build wrote for that edge. */
  function moveRow(id, template, heading) {
    ["upcoming-maintenance", "active-maintenance"].forEach(function (section) {
      var list = sectionList(section);
      if (!list) return;
      Array.prototype.forEach.call(list.children, function (li) {
        if (li.getAttribute("data-status-maintenance") === id) li.remove();
      });
      if (!list.children.length) { list.previousElementSibling.remove(); list.remove(); }
    });
    var row = template.content.firstElementChild;
    if (!row) return;
    var list = sectionList("active-maintenance");
    if (!list) {
      var h2 = document.createElement("h2");
      h2.id = "active-maintenance";
      h2.textContent = heading || "";
      list = document.createElement("ul");
      list.className = "status-list";
      var before = document.getElementById("upcoming-maintenance") || document.getElementById("components") ||
        document.getElementById("past-incidents");
      if (!before) return;
      before.parentNode.insertBefore(h2, before);
      before.parentNode.insertBefore(list, before);
    }
    list.appendChild(row.cloneNode(true));
  }

  function betweenBuilds() {
    var now = clockNow();
    var doc = null;
    var island = document.getElementById("status-flips");
    if (island) {
      try { doc = JSON.parse(island.textContent); } catch (e) { doc = null; }
      if (doc) applyState(doc, now);
    }
    var rows = {};
    document.querySelectorAll("template[data-status-flip]").forEach(function (t) {
      if (reached(t, now)) rows[t.getAttribute("data-status-flip")] = t;
    });
    Object.keys(rows).forEach(function (id) { moveRow(id, rows[id], doc && doc.heading); });
    var updates = document.querySelector("ol.status-updates");
    document.querySelectorAll("template[data-status-flip-update]").forEach(function (t) {
      var item = t.content.firstElementChild;
      var anchor = item && item.querySelector("[id]");
      if (!updates || !item || !reached(t, now) || (anchor && document.getElementById(anchor.id))) return;
      updates.insertBefore(item.cloneNode(true), updates.firstChild);
    });
  }

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
          setBadge(badge, phase, ICONS[phase], labels[phase]);
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

  /* The history's filter by component: in place, instead of following the link to the
     component's page (which lists its incidents, for readers without JavaScript). */
  function historyFilter() {
    var nav = document.querySelector(".status-filter");
    var list = document.querySelector(".status-history");
    if (!nav || !list) return;
    var links = nav.querySelectorAll("a[data-status-filter]");
    var empty = list.querySelector("[data-status-filter-empty]");
    function apply(id) {
      links.forEach(function (a) {
        if (a.getAttribute("data-status-filter") === id) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      });
      list.querySelectorAll("li.status-incident").forEach(function (li) {
        var ids = (li.getAttribute("data-status-components") || "").split(" ");
        li.hidden = id !== "" && ids.indexOf(id) < 0;
      });
      var any = false;
      list.querySelectorAll(".status-month").forEach(function (section) {
        section.hidden = !section.querySelector("li.status-incident:not([hidden])");
        any = any || !section.hidden;
      });
      if (empty) empty.hidden = any || !list.querySelector(".status-month");
    }
    links.forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        var id = a.getAttribute("data-status-filter");
        apply(id);
        if (window.history.replaceState) window.history.replaceState(null, "", id ? "#component=" + id : location.pathname + location.search);
      });
    });
    var m = /^#component=([a-z0-9-]+)$/.exec(location.hash);
    if (m) apply(m[1]);
  }

  betweenBuilds();
  localTimes();
  maintenanceWindows();
  relativeTimes();
  historyFilter();
})();
