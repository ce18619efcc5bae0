// Nothing a worker does is lost to a dropped connection. Every write a page makes (a heartbeat, an
// opened or finished lesson, a question, a saved answer) carries an id and the time it was made; when it
// cannot be sent it waits in IndexedDB, and is sent again in order when the connection returns and on
// the next page load. The server applies each id once, so sending one twice changes nothing.
(function () {
  "use strict";
  var body = document.body;
  var user = body.getAttribute("data-user") || "";
  var status = document.getElementById("write-queue");
  var memory = [];  // writes IndexedDB cannot keep (none in a private window, or full): this page only
  var memorySeq = 0;
  var sending = null;  // the flush under way, if any
  var db = new Promise(function (resolve) {
    try {
      var open = indexedDB.open("ladder", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("writes", { keyPath: "seq", autoIncrement: true }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = open.onblocked = function () { resolve(null); };
    } catch (error) { resolve(null); }
  });

  function store(mode, work) {
    return db.then(function (conn) {
      if (!conn) return work(null);
      return new Promise(function (resolve, reject) {
        var tx = conn.transaction("writes", mode), result;
        Promise.resolve(work(tx.objectStore("writes"))).then(function (r) { result = r; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function keepInMemory(write) {
    write.seq = "m" + (memorySeq += 1);
    memory.push(write);
  }
  function enqueue(write) {
    return store("readwrite", function (writes) {
      if (!writes) { keepInMemory(write); return; }
      return request(writes.add(write));
    }).catch(function () {
      keepInMemory(write);  // the database is full: keep it for this page, and say offline saving is off
      unavailable();
    }).then(count);
  }
  function pending() {
    return store("readonly", function (writes) {
      return writes ? request(writes.getAll()) : [];
    }).catch(function () { return []; }).then(function (kept) {
      return kept.concat(memory).filter(function (w) { return w.user === user; });
    });
  }
  function forget(write) {
    if (typeof write.seq === "string") {
      memory = memory.filter(function (w) { return w.seq !== write.seq; });
      return Promise.resolve();
    }
    return store("readwrite", function (writes) { return request(writes.delete(write.seq)); }).catch(function () {});
  }

  function say(kind, values) {
    if (!status) return;
    var text = status.getAttribute("data-" + kind.replace("_", "-")) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.replace("%(" + k + ")s", values[k]); });
    status.textContent = text;
    status.hidden = !text;
  }
  function count() {
    return pending().then(function (all) {
      // Every language Ladder ships says "1 change" one way and any other number another way.
      if (all.length) say(all.length === 1 ? "one" : "many", { count: all.length });
      else if (status && status.getAttribute("data-shown") !== "dropped") say("none");
      return all.length;
    });
  }
  function unavailable() { body.classList.add("no-offline"); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h.push((b[i] + 256).toString(16).slice(1));
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") + "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }
  function stamp(url, params) {
    params.set("client_id", uuid());
    params.set("client_time", String(Date.now()));
    return { url: url, body: params.toString(), user: user, made: Date.now() };
  }
  function headers() {
    var h = JSON.parse(body.getAttribute("hx-headers") || "{}");  // this page's CSRF token, not the one it was made with
    h["HX-Request"] = "true";
    h["Content-Type"] = "application/x-www-form-urlencoded";
    return h;
  }
  function post(write) {
    return fetch(write.url, { method: "POST", headers: headers(), body: write.body, credentials: "same-origin", redirect: "manual" });
  }
  // A refusal in words (a 4xx with a reason) is final: sending it again would be refused again. A
  // redirect (the session ended), a 403 (a stale token), a server error or no answer: try again later.
  function final(response) {
    return response.type !== "opaqueredirect" && response.status < 500 && response.status !== 403 && response.status !== 408;
  }
  function refused(response) {
    if (response.status < 400) return Promise.resolve();
    return response.text().then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");  // a fragment, or a whole error page
      var place = doc.querySelector("main h1, main, [role=alert], .error") || doc.body;
      var words = place.textContent.replace(/\s+/g, " ").trim();
      if (status) status.setAttribute("data-shown", "dropped");
      say("dropped", { reason: words.slice(0, 200) });
    });
  }

  // Sends what waits, oldest first, until one must wait again; resolves to how many still wait.
  function flush() {
    if (sending) return sending;
    if (!navigator.onLine) return count();
    sending = pending().then(function next(all) {
      if (!all.length) return;
      var write = all[0];
      return post(write).then(function (response) {
        if (!final(response)) throw new Error("later");
        return refused(response).then(function () { return forget(write); }).then(function () { return next(all.slice(1)); });
      });
    }).catch(function () {}).then(function () { sending = null; return count(); });
    return sending;
  }

  // Send one write now if the connection allows, else keep it: resolves to the server's answer, or null
  // when it waits in the queue. A write never overtakes those already waiting.
  function send(url, fields) {
    var write = stamp(url, new URLSearchParams(fields || {}));
    return pending().then(function (waiting) {
      if (waiting.length || !navigator.onLine) return enqueue(write).then(function () { flush(); return null; });
      return post(write).then(function (response) {
        if (final(response)) return response;
        return enqueue(write).then(function () { return null; });
      }, function () { return enqueue(write).then(function () { return null; }); });
    });
  }

  // htmx forms marked data-queue: each request gets an id and a time; one that cannot be sent waits.
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.closest("[data-queue]")) return;
    event.detail.parameters.client_id = uuid();
    event.detail.parameters.client_time = String(Date.now());
  });
  function keepFailed(event) {
    var form = event.detail.elt.closest("[data-queue]");
    if (!form) return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.status && final({ status: xhr.status, type: "basic" })) return;
    var params = new URLSearchParams(event.detail.requestConfig.formData);
    event.detail.queued = true;
    enqueue({ url: event.detail.requestConfig.path, body: params.toString(), user: user, made: Date.now() });
    var note = form.querySelector(".queued-note") || document.createElement("p");
    note.className = "queued-note notice";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-queue");
    form.appendChild(note);
    if (form.hasAttribute("data-queue-reset")) form.reset();  // taken: sending it again would ask twice
  }
  ["htmx:sendError", "htmx:sendAbort", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, keepFailed);
  });

  // A form that must not overtake the queue (finishing a skill check) sends what waits first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-flush-first") || form.getAttribute("data-flushed") === "1") return;
    event.preventDefault();
    var submitter = event.submitter;
    flush().then(function (left) {
      if (left || !navigator.onLine) { say("submit_offline"); return; }
      form.setAttribute("data-flushed", "1");
      form.requestSubmit(submitter);
      form.removeAttribute("data-flushed");
    });
  });

  // Put back answers typed on this page that still wait to be sent (the page was reloaded offline).
  function restore(form) {
    var url = form.getAttribute("hx-post");
    pending().then(function (all) {
      var mine = all.filter(function (w) { return w.url === url; });
      if (!mine.length) return;
      var values = new URLSearchParams(mine[mine.length - 1].body);
      form.querySelectorAll("input, textarea").forEach(function (field) {
        var name = field.name;
        if (field.type === "hidden" || !name) return;
        if (field.type === "checkbox") {
          if (values.has(name + "_present") || values.has(name)) field.checked = values.getAll(name).indexOf(field.value) >= 0;
        } else if (field.type === "radio") {
          if (values.has(name)) field.checked = values.get(name) === field.value;
        } else if (values.has(name)) {
          field.value = values.get(name);
        }
      });
      form.querySelectorAll("input[data-part='x']").forEach(function (x) { x.dispatchEvent(new Event("input")); });
    });
  }
  document.querySelectorAll("form[data-queue-restore]").forEach(restore);

  // A page shown from the copy saved on this phone says so, with when it was saved.
  if (document.documentElement.hasAttribute("data-saved-copy")) {
    var banner = document.getElementById("saved-copy");
    if (banner) banner.hidden = false;
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { count().then(function (n) { if (!n) say("offline"); }); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") flush(); });
  window.setInterval(flush, 20000);
  db.then(function (conn) { if (!conn) unavailable(); });
  flush();

  // Another login on this phone (the last one's session ended without logging out): the pages kept for
  // the last one are not this one's to see.
  try {
    if (user && window.caches && localStorage.getItem("ladder-user") !== user) {
      caches.keys().then(function (names) {
        names.filter(function (n) { return n === "ladder-pages" || n.indexOf("ladder-course-") === 0; })
          .forEach(function (n) { caches.delete(n); });
      });
      localStorage.setItem("ladder-user", user);
    }
  } catch (error) { /* no storage: nothing was kept either */ }

  // The service worker is registered once the page has loaded: installing it fetches what it keeps, which
  // should not compete with the page itself on a slow phone and link.
  function registerWorker() {
    navigator.serviceWorker.register(body.getAttribute("data-sw"), { scope: "/", updateViaCache: "none" }).catch(unavailable);
  }
  if ("serviceWorker" in navigator && body.getAttribute("data-sw")) {
    if (document.readyState === "complete") registerWorker();
    else window.addEventListener("load", registerWorker);
  } else {
    unavailable();
  }
  window.Ladder = { send: send, flush: flush, pending: pending, uuid: uuid };
})();
