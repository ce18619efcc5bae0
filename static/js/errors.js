// Errors are seen: an htmx request that failed without a fragment to show (a server error, a page that
// is gone, a dropped connection) shows the page alert instead of failing silently.
(function () {
  "use strict";
  var alert = document.getElementById("page-alert");
  if (!alert) return;
  function show(kind) {
    alert.textContent = alert.getAttribute("data-" + kind);
    alert.hidden = false;
  }
  document.addEventListener("htmx:responseError", function () { show("failed"); });
  document.addEventListener("htmx:sendError", function () { show("offline"); });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) alert.hidden = true;
  });
})();
