/* Switchboard embed loader: a launcher button on the host page and, when
 * needed, an iframe from the relay that runs the chat widget. No WebAssembly
 * is fetched until the visitor opens the chat, or (a returning visitor with
 * a conversation) could have unread replies. The launcher lives in a shadow
 * root and is styled through the CSSOM, so host CSS and a strict host CSP
 * (no inline styles) cannot break it. One global: window.Switchboard. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.Switchboard) return;
  var base = new URL(script.src).origin;
  var site = script.getAttribute("data-site") || "";
  var lang = script.getAttribute("data-lang") || document.documentElement.lang || "en";
  var words = {
    en: ["Open chat", "Close chat", "Chat", "unread"],
    he: ["פתיחת הצ׳אט", "סגירת הצ׳אט", "צ׳אט", "לא נקראו"]
  }[lang.split("-")[0].toLowerCase()] || ["Open chat", "Close chat", "Chat", "unread"];
  var rtl = /^(he|fa|ar|ur)\b/i.test(lang);
  var activeKey = "switchboard:" + site + ":active";
  var listeners = { unread: [], message: [] };
  var frame = null, opened = false, unread = 0, baseTitle = document.title, identity = null;

  var holder = document.createElement("div");
  holder.setAttribute("data-switchboard", site);
  var root = holder.attachShadow({ mode: "open" });
  var button = document.createElement("button");
  var badge = document.createElement("span");
  button.type = "button";
  button.setAttribute("aria-expanded", "false");
  // Built node by node: no innerHTML, so a host enforcing Trusted Types is fine.
  var svgNs = "http://www.w3.org/2000/svg";
  var icon = document.createElementNS(svgNs, "svg");
  var path = document.createElementNS(svgNs, "path");
  [["width", "28"], ["height", "28"], ["viewBox", "0 0 24 24"], ["aria-hidden", "true"], ["focusable", "false"]]
    .forEach(function (a) { icon.setAttribute(a[0], a[1]); });
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
  icon.appendChild(path);
  button.appendChild(icon);
  badge.hidden = true;
  button.appendChild(badge);
  root.appendChild(button);
  var css =
    ":host{all:initial}" +
    "button{position:fixed;z-index:2147483000;inset-block-end:20px;inset-inline-end:20px;width:60px;height:60px;" +
    "border:0;border-radius:50%;background:#2451d6;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);" +
    "display:flex;align-items:center;justify-content:center}" +
    "button:focus-visible{outline:3px solid #ffbf47;outline-offset:3px}" +
    "span{position:absolute;inset-block-start:-4px;inset-inline-end:-4px;min-width:20px;height:20px;padding:0 5px;" +
    "box-sizing:border-box;border-radius:10px;background:#d62424;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center}" +
    "span[hidden]{display:none}";
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    var style = document.createElement("style");
    style.textContent = css;
    root.appendChild(style);
  }
  holder.dir = rtl ? "rtl" : "ltr";

  function label() {
    var name = opened ? words[1] : words[0];
    button.setAttribute("aria-label", unread && !opened ? name + " (" + unread + " " + words[3] + ")" : name);
    button.setAttribute("aria-expanded", opened ? "true" : "false");
  }

  function emit(name, value) {
    listeners[name].forEach(function (fn) {
      try { fn(value); } catch (e) { setTimeout(function () { throw e; }); }
    });
  }

  // For topic rules (an iframe's referrer is often just the origin); no #fragment.
  function page() { return location.href.split("#")[0]; }

  function post(type, token) {
    var message = { source: "switchboard", type: type, page: page() };
    if (token) message.token = token;
    if (frame && frame.contentWindow) frame.contentWindow.postMessage(message, base);
  }

  function place() {
    var small = window.innerWidth < 480;
    var s = frame.style;
    s.position = "fixed";
    s.zIndex = "2147483001";
    s.border = "0";
    s.background = "transparent";
    s.insetInlineEnd = small ? "0" : "20px";
    s.insetBlockEnd = small ? "0" : "90px";
    s.width = small ? "100%" : "380px";
    s.height = small ? "100%" : "600px";
    s.maxHeight = small ? "100%" : "calc(100% - 110px)";
    s.borderRadius = small ? "0" : "12px";
    s.boxShadow = small ? "none" : "0 8px 30px rgba(0,0,0,.25)";
    s.display = opened ? "block" : "none";
  }

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement("iframe");
    frame.title = words[2];
    frame.setAttribute("allow", "autoplay");
    frame.src = base + "/widget?site=" + encodeURIComponent(site) + "&lang=" + encodeURIComponent(lang) +
      "&parent=" + encodeURIComponent(location.origin) + "&page=" + encodeURIComponent(page());
    place();
    root.appendChild(frame);
  }

  function setUnread(count) {
    unread = count > 0 ? count : 0;
    badge.textContent = unread > 99 ? "99+" : String(unread);
    badge.hidden = unread === 0;
    document.title = unread ? "(" + unread + ") " + baseTitle : baseTitle;
    label();
  }

  function open() {
    ensureFrame();
    opened = true;
    place();
    frame.focus(); // keyboard users land in the chat; the widget focuses its composer
    setUnread(0);
    post("open");
  }

  function close() {
    if (!opened) return;
    opened = false;
    if (frame) place();
    post("close");
    label();
    button.focus();
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!frame || event.origin !== base || event.source !== frame.contentWindow) return;
    if (!data || data.source !== "switchboard") return;
    if (data.type === "ready") {
      if (opened) post("open");
      if (identity) post("identify", identity);
    }
    else if (data.type === "unread") { setUnread(opened ? 0 : data.count); emit("unread", unread); }
    else if (data.type === "message") emit("message", { text: String(data.text), role: String(data.role) });
    else if (data.type === "close") close();
    else if (data.type === "active") { try { localStorage.setItem(activeKey, "1"); } catch (e) { /* storage off */ } }
  });
  window.addEventListener("resize", function () { if (frame) place(); });
  button.addEventListener("click", function () { opened ? close() : open(); });

  function mount() {
    document.body.appendChild(holder);
    label();
    var active = false;
    try { active = localStorage.getItem(activeKey) === "1"; } catch (e) { /* storage off */ }
    if (active) ensureFrame(); // a returning visitor: load hidden to hear replies
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.Switchboard = {
    open: open,
    close: close,
    toggle: function () { opened ? close() : open(); },
    // The site's signed token (HS256 JWT); reaches the widget once it runs.
    identify: function (token) { identity = String(token); post("identify", identity); },
    on: function (name, fn) {
      if (!listeners[name] || typeof fn !== "function") throw new Error("Switchboard.on: unknown event " + name);
      listeners[name].push(fn);
    }
  };
})();
