/* policygen: marks each search result with what its page is: the policy in force, or a
 * version announced but not yet in force. Material's search draws the results; the labels
 * come from the site's build as data (the search partial's #pg-search-labels), by the page's
 * address from the language's home, and reach the page as text nodes only. */
(function () {
  "use strict";
  var data = document.getElementById("pg-search-labels");
  var list = document.querySelector(".md-search-result__list");
  if (!data || !list) return;
  var home = new URL(data.getAttribute("data-home"), window.location.href);
  var labels = {};
  JSON.parse(data.textContent).forEach(function (entry) {
    labels[new URL(entry.path, home).pathname] = entry.label;
  });

  function mark(item) {
    var link = item.querySelector("a.md-search-result__link");
    var article = item.querySelector(".md-search-result__article");
    if (!link || !article || article.querySelector(".pg-search-label")) return;
    var label = labels[new URL(link.getAttribute("href"), window.location.href).pathname];
    if (label === undefined) return;
    var mark = document.createElement("span");
    mark.className = "pg-search-label";
    mark.textContent = label;
    article.insertBefore(mark, article.firstChild);
  }

  new MutationObserver(function () {
    list.querySelectorAll(".md-search-result__item").forEach(mark);
  }).observe(list, {childList: true, subtree: true});
})();
