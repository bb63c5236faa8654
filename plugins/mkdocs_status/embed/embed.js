/* mkdocs-status embed: the status site's current status as one small line or banner on any page.

   <script src="YOUR-STATUS-SITE/embed.js" async></script>

   Reads summary.json from the folder this script was loaded from (so a site under a
   sub-path works), every few minutes; makes no other request. Words in the page's
   language (data-lang, else <html lang>); names as summary.json holds them.
   Options (attributes of the script element):
     data-target="#id"         render into that element instead of after the script
     data-style="banner"       a full-width banner instead of a line
     data-theme="light|dark"   instead of following prefers-color-scheme
     data-hide-operational     show nothing while all is operational
     data-refresh="300"        seconds between reloads (at least 60) */
(function () {
  "use strict";

  var CONFIG = /*CONFIG*/ null;
  var script = document.currentScript;
  if (!script || !CONFIG) return;
  var base = new URL(".", script.src);
  var ORDER = ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"];
  var ACTIVE_MAINTENANCE = { in_progress: 1, verifying: 1 };

  function attr(name) { return script.getAttribute("data-" + name); }

  /* The configured language nearest the page's: exact tag, then its base language, then the default. */
  function language() {
    var wanted = (attr("lang") || document.documentElement.lang || "").toLowerCase();
    var langs = CONFIG.languages;
    if (langs[wanted]) return wanted;
    var primary = wanted.split("-")[0];
    if (langs[primary]) return primary;
    for (var tag in langs) if (tag.split("-")[0] === primary && primary) return tag;
    return CONFIG["default"];
  }

  var lang = language();
  var words = CONFIG.languages[lang].words;
  var pages = CONFIG.languages[lang].pages;

  function pageUrl(incidentId) {
    var path = incidentId ? pages.incident.replace("{id}", encodeURIComponent(incidentId)) : pages.home;
    return new URL(path, base).href;
  }

  /* What the line says: {status, label, names, link, linkText, linkLang} or null when all is well. */
  function describe(summary) {
    var down = [];
    (summary.components || []).forEach(function (c) {
      if (!c.group && c.status && c.status !== "operational" && ORDER.indexOf(c.status) > 0) down.push(c);
    });
    down.sort(function (a, b) { return ORDER.indexOf(b.status) - ORDER.indexOf(a.status); });
    var incident = (summary.incidents || [])[0];
    if (!incident) {
      incident = (summary.scheduled_maintenances || []).filter(function (m) { return ACTIVE_MAINTENANCE[m.status]; })[0];
    }
    var indicator = (summary.status || {}).indicator || "none";
    if (!down.length && !incident && indicator === "none") return null;
    var status = down.length ? down[0].status : indicator;
    return {
      status: status,
      label: down.length ? words.components[status] : words.indicators[indicator] || words.indicators.minor,
      names: down.map(function (c) { return c.name; }),
      link: pageUrl(incident && incident.id),
      linkText: incident ? incident.name : words.current,
      linkLang: incident ? CONFIG.languages[CONFIG["default"]].tag : null,
    };
  }

  var STYLE =
    ":host{all:initial;display:block;font:inherit;font-size:.875rem;line-height:1.4}" +
    ".s{--fg:#1b1f24;--bg:#f6f8fa;--line:#6e7781;--link:#0a4fa8;display:flex;gap:.5em;align-items:baseline;flex-wrap:wrap;" +
    "color:var(--fg);background:var(--bg);border-left:.3em solid var(--line);padding:.35em .7em;border-radius:.25em}" +
    ".s.banner{border-left:0;border-top:.25em solid var(--line);border-radius:0;padding:.6em 1em;justify-content:center}" +
    ".s a{color:var(--link);text-decoration:underline}" +
    ".dot{width:.6em;height:.6em;border-radius:50%;background:var(--line);flex:none;align-self:center}" +
    ".operational,.none{--line:#1a7f37}.under_maintenance,.maintenance{--line:#0969da}" +
    ".degraded_performance,.minor{--line:#9a6700}.partial_outage,.major{--line:#bc4c00}.major_outage,.critical{--line:#cf222e}" +
    ".dark{--fg:#e6edf3;--bg:#161b22;--link:#79c0ff}" +
    ".dark.operational,.dark.none{--line:#3fb950}.dark.under_maintenance,.dark.maintenance{--line:#58a6ff}" +
    ".dark.degraded_performance,.dark.minor{--line:#d29922}.dark.partial_outage,.dark.major{--line:#f0883e}" +
    ".dark.major_outage,.dark.critical{--line:#f85149}";

  var host = document.createElement("div");
  host.className = "mkdocs-status-embed";
  var target = null;
  try { target = attr("target") && document.querySelector(attr("target")); } catch (e) { /* not a selector: after the script */ }
  if (target) target.appendChild(host);
  else script.parentNode.insertBefore(host, script.nextSibling);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var style = document.createElement("style");
  style.textContent = STYLE;
  root.appendChild(style);
  var box = document.createElement("div");
  box.setAttribute("role", "status");
  box.setAttribute("lang", CONFIG.languages[lang].tag);
  root.appendChild(box);

  function dark() {
    var theme = attr("theme");
    if (theme === "dark" || theme === "light") return theme === "dark";
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  function text(parent, tag, value, className) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (value) el.textContent = value;
    parent.appendChild(el);
    return el;
  }

  function render(summary) {
    var said = describe(summary);
    box.textContent = "";
    if (!said && attr("hide-operational") !== null) { host.hidden = true; return; }
    host.hidden = false;
    said = said || { status: "none", label: words.indicators.none, names: [], link: pageUrl(null), linkText: words.current, linkLang: null };
    var line = text(box, "p", "", ["s", said.status, attr("style") === "banner" ? "banner" : "", dark() ? "dark" : ""].join(" "));
    line.style.margin = "0";
    text(line, "span", "", "dot").setAttribute("aria-hidden", "true");
    text(line, "strong", said.label);
    if (said.names.length) text(line, "span", "— " + said.names.join(", "));
    text(line, "span", "·").setAttribute("aria-hidden", "true");
    var a = text(line, "a", said.linkText);
    a.href = said.link;
    if (said.linkLang && said.linkLang !== CONFIG.languages[lang].tag) a.setAttribute("lang", said.linkLang);
  }

  function load() {
    fetch(new URL("api/v2/summary.json", base).href, { cache: "no-store", credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(render)
      .catch(function () { /* keep what is shown; try again at the next refresh */ });
  }

  load();
  var every = Math.max(60, parseInt(attr("refresh"), 10) || 300);
  setInterval(load, every * 1000);
  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    if (scheme.addEventListener) scheme.addEventListener("change", load);
  }
})();
