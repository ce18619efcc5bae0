// "Save for offline" on a course page: keeps the course, its lessons (with their help) and their
// pictures on this phone, after telling how much room they take; and lists saved courses on the page a
// worker sees with no connection. The service worker (sw.js) serves them from here when offline.
(function () {
  "use strict";
  var PREFIX = "ladder-course-";
  var box = document.querySelector("[data-offline-course]");
  var list = document.querySelector("[data-saved-list]");
  var possible = "caches" in window && "serviceWorker" in navigator;

  function infoKey(id) { return "/offline/saved/" + id + "/"; }
  function info(name) {  // never opens (and so never creates) a cache that is not there
    var id = name.slice(PREFIX.length);
    return caches.match(infoKey(id), { cacheName: name }).then(function (r) { return r ? r.json() : null; });
  }

  function course() {
    var id = box.getAttribute("data-offline-course"), name = PREFIX + id, pack = null;
    function show(state, size) {
      box.querySelectorAll("[data-state]").forEach(function (el) { el.hidden = el.getAttribute("data-state") !== state; });
      if (size) box.querySelectorAll("[data-size]").forEach(function (el) { el.textContent = size; });
      var focus = box.querySelector("[data-state='" + state + "'] button");
      if (focus && document.activeElement && box.contains(document.activeElement)) focus.focus();
    }
    box.hidden = false;
    if (!possible) { show("unavailable"); return; }
    info(name).then(function (saved) { show(saved ? "saved" : "idle", saved && saved.size); }, function () { show("unavailable"); });

    function save() {
      var urls = pack.pages.concat(pack.images), done = 0;
      var progress = box.querySelector("[data-progress]");
      show("saving");
      return caches.open(name).then(function (cache) {
        return urls.reduce(function (previous, url) {
          return previous.then(function () {
            return fetch(url, { credentials: "same-origin" }).then(function (response) {
              if (!response.ok) throw new Error(url);
              done += 1;
              progress.value = Math.round(100 * done / urls.length);
              return cache.put(url, response);
            });
          });
        }, Promise.resolve()).then(function () {
          var about = { title: pack.title, url: pack.pages[0], size: pack.size, saved: Date.now() };
          return cache.put(infoKey(id), new Response(JSON.stringify(about), { headers: { "Content-Type": "application/json" } }));
        });
      }).then(function () { show("saved", pack.size); }, function () {
        return caches.delete(name).then(function () { show("failed"); });  // nothing half-saved
      });
    }

    box.addEventListener("click", function (event) {
      var action = event.target.getAttribute("data-action");
      if (document.body.classList.contains("no-offline")) { show("unavailable"); return; }  // no storage here
      if (action === "size") {
        fetch(box.getAttribute("data-pack-url"), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
          .then(function (p) { pack = p; show("confirm", p.size); }, function () { show("failed"); });
      } else if (action === "save") {
        save();
      } else if (action === "cancel") {
        show("idle");
      } else if (action === "remove") {
        caches.delete(name).then(function () { show("idle"); });
      }
    });
  }

  function saved() {
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0; }).map(info));
    }).then(function (all) {
      var ul = list.querySelector("ul");
      all.filter(Boolean).forEach(function (about) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = about.url;
        a.textContent = about.title;
        li.appendChild(a);
        ul.appendChild(li);
      });
      list.hidden = !ul.children.length;
    });
  }

  if (box) course();
  if (list && possible) saved();
})();
