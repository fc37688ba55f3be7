// policygen serve: reload the page after each rebuild, and show source problems over it.
// Served only by `policygen serve`, never part of a built site. Text is set with
// textContent, so a message quoting the source can never become markup.
(function () {
  "use strict";
  var STATE = "/__policygen__/state";
  var seen = null;
  var overlay = null;

  function show(problems) {
    if (!problems.length) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "policygen-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;" +
        "z-index:100000;background:#fff3f3;color:#400;border-bottom:3px solid #b00;" +
        "font:14px/1.5 monospace;padding:1em 1.5em;box-shadow:0 2px 8px rgba(0,0,0,.3)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var heading = document.createElement("strong");
    heading.textContent = problems.length + (problems.length === 1 ? " problem" : " problems") +
      " in the source; this page shows the last good build:";
    overlay.appendChild(heading);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem;
      list.appendChild(item);
    });
    overlay.appendChild(list);
  }

  function poll() {
    fetch(STATE, { cache: "no-store" }).then(function (response) {
      return response.json();
    }).then(function (state) {
      if (seen !== null && state.generation !== seen) {
        location.reload();
        return;
      }
      seen = state.generation;
      show(state.problems);
    }).catch(function () { /* the server is restarting: try again */ })
      .then(function () { setTimeout(poll, 500); });
  }
  poll();
})();
