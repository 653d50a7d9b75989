// Service worker for the opt-in offline copy (SECURITY.md R17), served at /sw.js by
// app/family/pwa_views.py, which puts `DAYBOOK` (cache name, URLs, words, CSP) in front of this file.
//
// It is registered only when the young person turns the copy on (offline.js), and it keeps only
// what offline.js puts in the cache: the pages this person already sees, plus the static files.
// Writes are never queued here: a form sent without signal is refused in plain words, with the
// typed text shown back, so nothing is lost silently.
/* global DAYBOOK */
"use strict";

const CACHE = DAYBOOK.cache;
// A cache entry (never a real page) saying "the server has locked this session": while it is
// there, the offline copy shows the lock screen, not the plan.
const LOCK_MARK = "/__daybook-locked__";
const MATCH = { ignoreSearch: true, ignoreVary: true };
const DAY = 24 * 60 * 60 * 1000;

function kept(work) {
  // caches.open would create the cache again after a wipe; only touch a copy that exists.
  return caches.has(CACHE).then(function (has) { return has ? caches.open(CACHE).then(work) : undefined; });
}

// A phone that asked for notices (push.js) keeps this worker, which shows them: it holds no plan
// (the caches go regardless). Signing out or quick exit still removes it (Clear-Site-Data), and the
// server forgets the subscription then and when the phone is removed.
function unregisterUnlessNotified() {
  return self.registration.pushManager.getSubscription().catch(function () { return null; }).then(function (subscription) {
    return subscription ? undefined : self.registration.unregister();
  });
}

function wipe() {
  return caches.keys()
    .then(function (keys) { return Promise.all(keys.map(function (key) { return caches.delete(key); })); })
    .then(unregisterUnlessNotified);
}

// Delete every kept page (and the lock mark) at once, but leave the static files: the page that says
// "deleted" still needs its styles and offline.js, which then wipes everything else (no plan text
// is in a static file). Used where the phone has no signal, so nothing can be fetched again.
function forgetPages() {
  return kept(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        return new URL(request.url).pathname.indexOf("/static/") !== 0;
      }).map(function (request) { return cache.delete(request); }));
    });
  }).then(unregisterUnlessNotified);
}

function pathOf(url) {
  return url ? new URL(url).pathname : "";
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

function htmlResponse(body, status) {
  return new Response(body, {
    status: status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": DAYBOOK.csp,
      "X-Daybook-Offline": "not-sent",
    },
  });
}

function page(title, inner) {
  const w = DAYBOOK.words;
  return "<!doctype html><html lang=\"" + escapeHtml(w.lang) + "\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>" + escapeHtml(title) + " – " + escapeHtml(w.brand) + "</title>" +
    "<link rel=\"stylesheet\" href=\"" + escapeHtml(DAYBOOK.css) + "\">" +
    "<script src=\"" + escapeHtml(DAYBOOK.appJs) + "\" defer></script></head>" +
    "<body class=\"family\"><a class=\"skip-link\" href=\"#main\">" + escapeHtml(w.skip) + "</a>" +
    "<header class=\"topbar\"><span class=\"brand\" aria-hidden=\"true\">" + escapeHtml(w.brand) + "</span>" +
    "<a class=\"quick-exit\" id=\"quick-exit\" href=\"" + escapeHtml(DAYBOOK.exit) + "\">" + escapeHtml(w.quickExit) + "</a></header>" +
    "<main id=\"main\" tabindex=\"-1\">" + inner + "</main></body></html>";
}

function unsentWords(entries) {
  const w = DAYBOOK.words;
  if (!entries.length) { return "<p>" + escapeHtml(w.nothingTyped) + "</p>"; }
  return entries.map(function (entry, index) {
    const id = "unsent-" + (index + 1);
    const label = entries.length > 1 ? w.yourWords + " (" + (index + 1) + ")" : w.yourWords;
    return "<label class=\"field-label\" for=\"" + id + "\"><strong>" + escapeHtml(label) + "</strong></label>" +
      "<textarea id=\"" + id + "\" readonly>" + escapeHtml(entry) + "</textarea>";
  }).join("");
}

// Form fields no one types (hidden fields and buttons' values): not shown back as "what you typed".
const NOT_TYPED = ["csrf_token", "child", "easy_read", "revision", "version", "direction"];

// A write without signal: say plainly it was NOT sent, and give the words back.
function refuse(request) {
  const w = DAYBOOK.words;
  const htmx = request.headers.get("HX-Request") === "true";
  return request.formData().catch(function () { return null; }).then(function (form) {
    const entries = [];
    if (form) {
      form.forEach(function (value, name) {
        if (typeof value === "string" && NOT_TYPED.indexOf(name) === -1 && value.trim()) { entries.push(value); }
      });
    }
    const words = "<p>" + escapeHtml(w.explain) + "</p>" + unsentWords(entries);
    if (htmx) {
      // htmx swaps only 2xx answers; this fragment replaces the form's target, words included.
      return htmlResponse("<div class=\"notice unsent\" role=\"alert\"><p><strong>" + escapeHtml(w.heading) +
        "</strong></p>" + words + "</div>", 200);
    }
    return htmlResponse(page(w.title, "<div class=\"card narrow unsent\"><h1>" + escapeHtml(w.heading) + "</h1>" + words +
      "<a class=\"button primary big\" href=\"" + escapeHtml(DAYBOOK.home) + "\">" + escapeHtml(w.home) + "</a></div>"), 503);
  });
}

function lockedPage() {
  const w = DAYBOOK.words;
  return htmlResponse(page(w.lockedTitle, "<div class=\"card narrow\"><h1>" + escapeHtml(w.lockedTitle) + "</h1><p>" +
    escapeHtml(w.lockedText) + "</p></div>"), 503);
}

function signedOutOffline() {
  const w = DAYBOOK.words;
  // The page runs offline.js, which also empties localStorage (a worker cannot reach it).
  return htmlResponse(page(w.copyGoneTitle, "<div hidden id=\"daybook-state\" data-signed-in=\"false\"></div>" +
    "<div class=\"card narrow\"><h1>" + escapeHtml(w.copyGoneTitle) + "</h1><p>" + escapeHtml(w.copyGoneText) +
    "</p></div><script src=\"" + escapeHtml(DAYBOOK.offlineJs) + "\" defer></script>"), 503);
}

// The whole copy deletes itself once it has not been refreshed for DAYBOOK.keepDays (pwa_views.py):
// its newest page, by the Date header the server sent with it, is that old. Opening any kept page
// with signal refreshes it. No date at all counts as too old.
function copyTooOld(cache) {
  return cache.keys().then(function (requests) {
    return Promise.all(requests.map(function (request) { return cache.match(request); }));
  }).then(function (responses) {
    const sent = responses.filter(function (response) {
      return response && (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
    }).map(function (response) { return Date.parse(response.headers.get("Date") || ""); }).filter(function (time) { return !isNaN(time); });
    if (!sent.length) { return true; }
    const age = Date.now() - Math.max.apply(null, sent);
    // A phone clock more than a day behind the newest page was set back: count that as too old too.
    return age > DAYBOOK.keepDays * DAY || age < -DAY;
  });
}

function staleCopyGone() {
  const w = DAYBOOK.words;
  return htmlResponse(page(w.copyGoneTitle, "<div hidden id=\"daybook-state\" data-signed-in=\"false\"></div>" +
    "<div class=\"card narrow\"><h1>" + escapeHtml(w.copyGoneTitle) + "</h1><p>" + escapeHtml(w.staleText) +
    "</p></div><script src=\"" + escapeHtml(DAYBOOK.offlineJs) + "\" defer></script>"), 503);
}

function sendOrRefuse(event) {
  const copy = event.request.clone();
  const signingOut = new URL(event.request.url).pathname === DAYBOOK.signOut;
  return fetch(event.request).then(function (response) {
    if (pathOf(response.url) === DAYBOOK.signIn) { event.waitUntil(wipe()); }
    return response;
  }, function () {
    // Signing out without signal: the server cannot be told yet, but this phone keeps nothing.
    if (signingOut) { return forgetPages().then(signedOutOffline); }
    return refuse(copy);
  });
}

function offlineAnswer(url) {
  return kept(function (cache) {
    return copyTooOld(cache).then(function (tooOld) {
      if (tooOld) { return forgetPages().then(staleCopyGone); }
      return cache.match(LOCK_MARK).then(function (locked) {
        if (locked) {
          return cache.match(DAYBOOK.locked, MATCH).then(function (hit) { return hit || lockedPage(); });
        }
        return cache.match(url.pathname, MATCH).then(function (hit) { return hit || cache.match(DAYBOOK.offline, MATCH); });
      });
    });
  }).then(function (answer) { return answer || Response.error(); });
}

// A page this phone keeps is asked for with the tag of the copy held (issue 13): an unchanged plan
// costs a 304 of a few hundred bytes rather than the page again. The tag names the reader's session
// and everything the page is made from (app/web/conditional.py), so another session, a changed plan
// or a new release gets the whole page. A page not kept is fetched as the browser asked.
function askForPage(request, url) {
  return kept(function (cache) { return cache.match(url.pathname, MATCH); }).then(function (held) {
    const tag = held && held.headers.get("ETag");
    if (!tag) { return fetch(request).then(function (response) { return { response: response }; }); }
    const headers = new Headers(request.headers);
    headers.set("If-None-Match", tag);
    // The browser's own cache stays out of it (the page is "no-store" there, R17).
    return fetch(new Request(request, { headers: headers, cache: "no-store" })).then(function (response) {
      return { response: response, held: held };
    });
  });
}

// The kept copy with the Date of the 304 that confirmed it: a copy "not updated for two weeks"
// (copyTooOld) counts from the last time the server said it was current, not from when it was sent.
function confirmed(held, answer) {
  const headers = new Headers(held.headers);
  headers.set("Date", answer.headers.get("Date") || new Date().toUTCString());
  return held.blob().then(function (body) {
    return new Response(body, { status: held.status, statusText: held.statusText, headers: headers });
  });
}

function navigate(event) {
  const url = new URL(event.request.url);
  if (url.pathname === DAYBOOK.exit) {
    // Quick exit without signal still leaves at once and keeps nothing (R16, R17).
    return fetch(event.request).catch(function () {
      return wipe().then(function () { return Response.redirect(DAYBOOK.neutralSite, 303); });
    });
  }
  const toLockScreen = url.pathname === DAYBOOK.locked;
  // Opening the lock screen marks the copy locked at once, even if the network is gone.
  const marked = toLockScreen ? kept(function (cache) { return cache.put(LOCK_MARK, new Response("")); }) : Promise.resolve();
  return askForPage(event.request, url).then(function (asked) {
    const response = asked.response;
    if (response.status === 304 && asked.held) {
      // The server read the page again for this session and it is unchanged: show the copy this
      // phone keeps, dated now. The session is open, so a lock mark from a lock screen goes.
      return confirmed(asked.held, response).then(function (fresh) {
        const copy = fresh.clone();
        event.waitUntil(kept(function (cache) {
          return cache.delete(LOCK_MARK).then(function () { return cache.put(url.pathname, copy); });
        }));
        return fresh;
      });
    }
    const landed = pathOf(response.url) || url.pathname;
    if (landed === DAYBOOK.signIn) {
      // Signed out, timed out or revoked: this phone keeps nothing (R17).
      event.waitUntil(wipe());
    } else if (landed === DAYBOOK.locked && response.ok) {
      const copy = response.clone();
      event.waitUntil(marked.then(function () {
        return kept(function (cache) {
          return cache.put(LOCK_MARK, new Response("")).then(function () { return cache.put(DAYBOOK.locked, copy); });
        });
      }));
    } else if (response.ok && !response.redirected) {
      // The server showed a page, so the session is open: refresh that page if it is kept.
      const copy = response.clone();
      event.waitUntil(kept(function (cache) {
        return cache.delete(LOCK_MARK).then(function () { return cache.match(url.pathname, MATCH); }).then(function (hit) {
          return hit ? cache.put(url.pathname, copy) : undefined;
        });
      }));
    }
    return response;
  }, function () { return marked.then(function () { return offlineAnswer(url); }); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(DAYBOOK.assets); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  // Drop static files from an older version; their URLs carry the old content hash.
  event.waitUntil(kept(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        const url = new URL(request.url);
        return url.pathname.indexOf("/static/") === 0 && DAYBOOK.assets.indexOf(url.pathname + url.search) === -1;
      }).map(function (request) { return cache.delete(request); }));
    });
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  // The practitioner door shares the origin but never the offline copy (R14).
  if (url.origin !== self.location.origin || url.pathname.indexOf("/practitioner") === 0) { return; }
  if (request.method === "POST") {
    event.respondWith(sendOrRefuse(event));
  } else if (request.method === "GET" && request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (request.method === "GET" && url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request, { ignoreVary: true }).then(function (hit) { return hit || fetch(request); }));
  }
});

// Notices (app/push): the payload holds the neutral name, one fixed sentence and the plan's path,
// never plan content (R18). A missing or odd payload still shows the neutral words.
function samePath(url) {
  try {
    const target = new URL(String(url), self.location.origin);
    return target.origin === self.location.origin ? target.pathname + target.search : null;
  } catch (error) {
    return null;
  }
}

self.addEventListener("push", function (event) {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  const title = typeof data.title === "string" && data.title ? data.title : DAYBOOK.words.brand;
  const body = typeof data.body === "string" && data.body ? data.body : DAYBOOK.words.somethingNew;
  event.waitUntil(self.registration.showNotification(title, {
    body: body,
    icon: DAYBOOK.icon,
    lang: DAYBOOK.words.lang,
    // One notice at a time: a newer one replaces the one still showing.
    tag: "daybook-new",
    data: { url: samePath(data.url) || DAYBOOK.home },
  }));
});

// Open the plan a notice points to, on this origin only: a window already showing it comes forward,
// else an open window of the app goes there, else a new one opens. Named so the e2e test can call it.
function openFromNotice(notification) {
  const path = samePath(notification.data && notification.data.url) || DAYBOOK.home;
  const target = new URL(path, self.location.origin).href;
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    const showing = windows.find(function (client) { return client.url === target; });
    if (showing) { return showing.focus(); }
    const ours = windows.find(function (client) { return new URL(client.url).origin === self.location.origin; });
    // navigate() works only on a window this worker controls; any other way, open a new one.
    const moved = ours ? ours.navigate(target) : Promise.reject(new Error("no window"));
    return moved.then(function (client) {
      if (!client) { return self.clients.openWindow(target); }
      return client.focus().catch(function () { return client; });
    }, function () { return self.clients.openWindow(target); });
  });
}

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(openFromNotice(event.notification));
});
