// Bounding-box widget: drag on the picture (mouse or touch) to draw; the four number fields stay
// the source of truth and work alone without JavaScript or for keyboard users.
(function () {
  "use strict";
  function place(rect, box) {
    if (!box || box.some(isNaN) || box[2] <= 0 || box[3] <= 0) { rect.hidden = true; return; }
    rect.hidden = false;
    rect.style.left = box[0] + "%"; rect.style.top = box[1] + "%";
    rect.style.width = box[2] + "%"; rect.style.height = box[3] + "%";
  }
  function parse(text) { return text.split(",").map(Number); }
  function round(v) { return Math.round(Math.min(100, Math.max(0, v)) * 10) / 10; }

  function init(widget) {
    var stage = widget.querySelector(".bbox-stage");
    widget.querySelectorAll("[data-box]").forEach(function (r) { place(r, parse(r.getAttribute("data-box"))); });
    widget.querySelectorAll("[data-gold]").forEach(function (r) { place(r, parse(r.getAttribute("data-gold"))); });
    if (widget.hasAttribute("data-readonly")) return;
    var rect = stage.querySelector(".bbox-rect:not(.gold)");
    var inputs = {};
    widget.querySelectorAll("input[data-part]").forEach(function (i) { inputs[i.getAttribute("data-part")] = i; });
    function fromInputs() {
      place(rect, ["x", "y", "w", "h"].map(function (p) { return parseFloat(inputs[p].value); }));
    }
    function toInputs(box) {
      ["x", "y", "w", "h"].forEach(function (p, i) { inputs[p].value = box[i]; });
      inputs.h.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function point(event) {
      var b = stage.getBoundingClientRect();
      return [100 * (event.clientX - b.left) / b.width, 100 * (event.clientY - b.top) / b.height];
    }
    var start = null;
    stage.style.touchAction = "none";
    stage.tabIndex = 0;
    stage.setAttribute("role", "application");
    stage.setAttribute("aria-label", stage.getAttribute("data-label"));
    var keys = document.getElementById(stage.getAttribute("data-keys"));
    if (keys) { keys.hidden = false; stage.setAttribute("aria-describedby", keys.id); }
    stage.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = point(event);
      stage.setPointerCapture(event.pointerId);
    });
    stage.addEventListener("pointermove", function (event) {
      if (!start) return;
      var p = point(event);
      place(rect, [Math.min(start[0], p[0]), Math.min(start[1], p[1]), Math.abs(p[0] - start[0]), Math.abs(p[1] - start[1])]);
    });
    stage.addEventListener("pointerup", function (event) {
      if (!start) return;
      var p = point(event);
      var x = round(Math.min(start[0], p[0])), y = round(Math.min(start[1], p[1]));
      var box = [x, y, round(Math.max(start[0], p[0])) - x, round(Math.max(start[1], p[1])) - y];
      start = null;
      if (box[2] > 0 && box[3] > 0) toInputs(box.map(round));
      fromInputs();
    });
    // Keyboard: the picture takes focus; arrows move the box, Shift with arrows changes its size (1 % a
    // press, 5 % with Ctrl). With no box yet, the first press puts one in the middle.
    stage.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      var move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      var box = ["x", "y", "w", "h"].map(function (p) { return parseFloat(inputs[p].value); });
      if (box.some(isNaN) || box[2] <= 0 || box[3] <= 0) box = [40, 40, 20, 20];
      else {
        var step = event.ctrlKey ? 5 : 1;
        if (event.shiftKey) { box[2] = Math.max(1, box[2] + move[0] * step); box[3] = Math.max(1, box[3] + move[1] * step); }
        else { box[0] += move[0] * step; box[1] += move[1] * step; }
        box[0] = Math.min(Math.max(0, box[0]), 100 - box[2]); box[1] = Math.min(Math.max(0, box[1]), 100 - box[3]);
      }
      toInputs(box.map(round));
      fromInputs();
    });
    Object.keys(inputs).forEach(function (p) { inputs[p].addEventListener("input", fromInputs); });
    fromInputs();
  }
  function boot() { document.querySelectorAll("[data-bbox]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot); else boot();
})();
