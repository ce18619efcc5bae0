// Errors are seen: an htmx request that failed without a fragment to show (a server error, a page that
// is gone, a dropped connection) shows the page alert instead of failing silently. A write the queue
// kept to send later (queue.js marks it) says so where it was made instead.
(function () {
  "use strict";
  var alert = document.getElementById("page-alert");
  if (!alert) return;
  function show(kind, event) {
    if (event.detail.queued) return;
    alert.textContent = alert.getAttribute("data-" + kind);
    alert.hidden = false;
  }
  document.addEventListener("htmx:responseError", function (event) { show("failed", event); });
  document.addEventListener("htmx:sendError", function (event) { show("offline", event); });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) alert.hidden = true;
  });
})();
