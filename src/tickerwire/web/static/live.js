// The home page's "Latest news" panel follows /api/stream (server-sent events): articles
// stored from now on are added at the top, alerts fired appear above the list. Without
// JavaScript (or EventSource) the panel is the server-rendered list it always was.
(function () {
  "use strict";
  var panel = document.getElementById("latest");
  if (!panel || !panel.dataset.stream || !window.EventSource) {
    return;
  }
  var MAX_ITEMS = 30;
  var list = panel.querySelector("ul.latest:not(.alerts)");
  var alertBox = panel.querySelector(".live-alerts");
  var alertList = alertBox.querySelector("ul");
  var status = panel.querySelector(".live-status");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }

  function trim(ul) {
    while (ul.children.length > MAX_ITEMS) { ul.removeChild(ul.lastElementChild); }
  }

  function onArticle(event) {
    var data = JSON.parse(event.data);
    Array.prototype.forEach.call(list.querySelectorAll("li[data-article-id]"), function (li) {
      if (li.dataset.articleId === data.id) { li.remove(); }
    });
    var li = el("li", "fresh");
    li.dataset.articleId = data.id;
    li.appendChild(link(data.href, data.title || data.id));
    var sub = el("span", "sub", [data.source, data.published_hk || "undated"].filter(Boolean).join(" · "));
    sub.appendChild(document.createTextNode(" "));
    sub.appendChild(el("span", "badge", data.revision > 1 ? "revised" : "new"));
    li.appendChild(sub);
    list.insertBefore(li, list.firstChild);
    trim(list);
    var empty = panel.querySelector("p.empty");
    if (empty) { empty.remove(); }
  }

  function onAlert(event) {
    var data = JSON.parse(event.data);
    var li = el("li", "fresh");
    li.dataset.alertId = String(data.id);
    li.appendChild(link(data.href, data.article.title || data.article.id));
    var reasons = data.matches.map(function (m) { return m.reason; }).join("; ");
    li.appendChild(el("span", "sub", (data.rule.name || data.rule.id) + " — " + reasons));
    alertList.insertBefore(li, alertList.firstChild);
    trim(alertList);
    alertBox.hidden = false;
  }

  var source = new EventSource(panel.dataset.stream);
  source.addEventListener("article", onArticle);
  source.addEventListener("alert", onAlert);
  source.onopen = function () { status.textContent = "live"; status.hidden = false; };
  source.onerror = function () { status.textContent = "reconnecting"; };
}());
