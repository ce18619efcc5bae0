// Counts active learning time: tells the server the lesson was opened, then sends a heartbeat every
// 31 s while the tab is visible and the worker touched, scrolled or typed in the last 5 min. Both go
// through the write queue (queue.js), so time spent on a lesson saved for offline counts too.
(function () {
  "use strict";
  var lesson = document.querySelector("[data-heartbeat-url]");
  if (!lesson || !window.Ladder) return;
  var lastActive = Date.now();
  var IDLE_MS = 5 * 60 * 1000;
  var BEAT_MS = 31 * 1000;

  function markActive() { lastActive = Date.now(); }
  ["pointerdown", "keydown", "scroll", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, markActive, { passive: true });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") markActive();
  });

  window.Ladder.send(lesson.getAttribute("data-open-url"));
  window.setInterval(function () {
    if (document.visibilityState !== "visible") return;
    if (Date.now() - lastActive > IDLE_MS) return;
    window.Ladder.send(lesson.getAttribute("data-heartbeat-url"));
  }, BEAT_MS);
})();
