// Ladder's service worker. The page frame's files come from the cache; pages come from the network,
// and if it fails or takes longer than 4 s, from the copy kept on this phone (marked as such), so a
// course saved for offline opens with no connection. Writes are not handled here: queue.js keeps them.
"use strict";
var VERSION = "{{ version }}";
var SHELL = "ladder-shell-" + VERSION;
var PAGES = "ladder-pages";  // the pages opened lately, so going back to one works offline
var COURSE = "ladder-course-";  // one cache per course the worker saved for offline
var FILES = {{ shell_json|safe }};
var OFFLINE = "{{ offline_url }}";
var STATIC = "{{ static_url }}";
var MEDIA = "{{ media_url }}";
var NEVER = /^\/(admin|api|documents|login|logout|password-reset|language|sw\.js)(\/|$)|\.(json|csv)$/;
var WAIT_MS = 4000;
var PAGES_KEPT = 40;
var PICTURES = "ladder-pictures";
var PICTURES_KEPT = 60;

self.addEventListener("install", function (event) {
  var urls = Object.keys(FILES).map(function (name) { return FILES[name]; }).concat([OFFLINE]);
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(urls); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("ladder-shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function privateCaches() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name === PAGES || name.indexOf(COURSE) === 0;
    }).map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout/") {
    event.waitUntil(privateCaches());  // a shared phone keeps nothing of the last worker
    return;
  }
  if (request.method !== "GET" || NEVER.test(url.pathname)) return;
  if (url.pathname.indexOf(STATIC) === 0) event.respondWith(fromStatic(request, url));
  else if (url.pathname.indexOf(MEDIA) === 0) event.respondWith(fromMedia(request, url));
  else if (request.mode === "navigate") event.respondWith(page(event, request));
});

// Static files have their content's hash in their name: the cached one is right forever. A page
// saved before a deploy names the files of that version; the current file of the same name serves.
function fromStatic(request, url) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).catch(function () {
      var bare = url.pathname.slice(STATIC.length).replace(/\.[0-9a-f]{12}(\.[a-z0-9]+)$/, "$1");
      return FILES[bare] ? caches.match(FILES[bare]) : Response.error();
    });
  });
}

// A lesson picture: the saved one, else the network (kept among the pictures seen lately), else a
// saved size of the same picture. A picture's name changes when it does, so a kept one stays right.
function fromMedia(request, url) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") {
        var copy = response.clone();
        caches.open(PICTURES).then(function (cache) {
          return cache.put(request, copy).then(function () { return trim(cache, PICTURES_KEPT); });
        });
      }
      return response;
    }).catch(function () { return otherSize(url.pathname); });
  });
}

function trim(cache, kept) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - kept)).map(function (k) { return cache.delete(k); }));
  });
}
function otherSize(path) {
  var stem = path.replace(/\.width-\d+.*$/, ".width-");
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(COURSE) === 0 || n === PICTURES; }).map(function (n) {
      return caches.open(n).then(function (cache) { return cache.keys(); });
    }));
  }).then(function (lists) {
    var found = [].concat.apply([], lists).filter(function (r) { return new URL(r.url).pathname.indexOf(stem) === 0; });
    return found.length ? caches.match(found[0]) : Response.error();
  });
}

function page(event, request) {
  var network = fetch(request);
  var late = new Promise(function (resolve) { setTimeout(resolve, WAIT_MS); });
  var fresh = network.then(function (response) {
    if (response.ok && response.type === "basic" && !response.redirected) event.waitUntil(keep(request, response.clone()));
    return response;
  });
  return Promise.race([fresh, late]).then(function (response) {
    if (response) return response;
    return saved(request).then(function (copy) { return copy || fresh; });  // slow, and nothing saved: wait
  }).catch(function () {
    return saved(request).then(function (copy) {
      return copy || caches.match(OFFLINE).then(function (offline) { return offline ? marked(offline) : Response.error(); });
    });
  });
}

function saved(request) {
  return caches.match(request, { ignoreVary: true, ignoreSearch: false }).then(function (copy) {
    return copy ? marked(copy) : null;
  });
}

// The page says it is the copy kept on this phone (queue.js shows the "offline — last saved" banner).
function marked(response) {
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.delete("Content-Length");
    return new Response(html.replace("<html ", '<html data-saved-copy="1" '), { status: 200, headers: headers });
  });
}

// Keep the page as the latest copy: among the pages opened lately, and in a saved course that has it.
function keep(request, response) {
  return caches.keys().then(function (names) {
    var courses = names.filter(function (n) { return n.indexOf(COURSE) === 0; });
    return Promise.all(courses.map(function (n) {
      return caches.open(n).then(function (cache) {
        return cache.match(request).then(function (old) { if (old) return cache.put(request, response.clone()); });
      });
    }));
  }).then(function () {
    return caches.open(PAGES);
  }).then(function (cache) {
    return cache.put(request, response).then(function () { return trim(cache, PAGES_KEPT); });
  });
}
