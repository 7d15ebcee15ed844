// Ticks the server-rendered countdowns (<span class="countdown" data-due="ISO">) once a minute.
(function () {
  "use strict";
  var overdueText = document.documentElement.lang === "en" ? "overdue by " : "nokavēts par ";
  function format(ms) {
    var late = ms < 0, s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var parts = [];
    if (d) { parts.push(d + " d"); }
    if (d || h) { parts.push(h + " h"); }
    parts.push(m + " min");
    return (late ? overdueText : "") + parts.join(" ");
  }
  function tick() {
    var nodes = document.querySelectorAll(".countdown[data-due]");
    for (var i = 0; i < nodes.length; i++) {
      var ms = Date.parse(nodes[i].getAttribute("data-due")) - Date.now();
      nodes[i].textContent = format(ms);
      if (ms < 0) { nodes[i].classList.add("overdue"); }
    }
  }
  tick();
  setInterval(tick, 30000);
})();
