// The offline copy (SECURITY.md R17): off unless the young person turns it on. The choice lives in
// this phone's localStorage, which sign-out and quick exit wipe (Clear-Site-Data) with the copy.
// Words come from data attributes on the page (translated by the server), never from this file.
"use strict";

(function () {
  const CHOICE = "daybook.offlineCopy";
  const state = document.getElementById("daybook-state");
  if (!state) { return; }
  const cacheName = state.dataset.offlineCache;
  const supported = "serviceWorker" in navigator && "caches" in window;

  function choiceIsOn() {
    try { return localStorage.getItem(CHOICE) === "on"; } catch (error) { return false; }
  }

  function setChoice(on) {
    try {
      if (on) { localStorage.setItem(CHOICE, "on"); } else { localStorage.removeItem(CHOICE); }
    } catch (error) { /* storage may be off; then the copy simply stays off */ }
  }

  // A worker that shows this phone's notices (push.js) stays: it keeps no plan. Turning notices off,
  // signing out and quick exit (Clear-Site-Data) remove it.
  function unregisterUnlessNotified(registration) {
    const subscription = registration.pushManager ? registration.pushManager.getSubscription() : Promise.resolve(null);
    return subscription.catch(function () { return null; }).then(function (held) {
      return held ? undefined : registration.unregister();
    });
  }

  // Delete every cache of this site and stop its service worker (unless it shows notices).
  function wipe() {
    const jobs = [];
    if ("caches" in window) {
      jobs.push(caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) { return caches.delete(key); }));
      }));
    }
    if ("serviceWorker" in navigator) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(unregisterUnlessNotified));
      }));
    }
    return Promise.all(jobs);
  }

  // A signed-out page (sign-in, an invitation, an error page) means this phone keeps nothing.
  if (state.dataset.signedIn !== "true") {
    try { localStorage.clear(); } catch (error) { /* nothing stored */ }
    wipe();
    return;
  }
  if (!choiceIsOn()) { wipe(); }

  const control = document.querySelector("[data-offline-control]");
  if (!control || !supported) { return; }
  const box = control.querySelector("input[type=checkbox]");
  const status = control.querySelector("[data-offline-status]");
  const say = function (text) { status.textContent = text || ""; };

  // Fetch each page this person sees and keep it; a redirect (signed out, locked) keeps nothing.
  function keep() {
    const urls = JSON.parse(control.dataset.keepUrls);
    return navigator.serviceWorker.register(control.dataset.swUrl, { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { return caches.open(cacheName); })
      .then(function (cache) {
        // One at a time: gentler on a weak signal, and each page read is audited on the server.
        return urls.reduce(function (done, url) {
          return done.then(function () { return cache.match(url); }).then(function (held) {
            // Ask with the tag of the copy already held: an unchanged plan is a 304 of a few hundred
            // bytes (app/web/conditional.py). The browser's own cache stays out of it ("no-store"):
            // pages are never kept there, only here, in the copy this person chose (R17).
            const tag = held && held.headers.get("ETag");
            const headers = tag ? { "If-None-Match": tag } : {};
            return fetch(url, { credentials: "same-origin", cache: "no-store", headers: headers }).then(function (response) {
              if (response.status === 304 && held) { return undefined; }
              if (!response.ok || response.redirected) { throw new Error("not kept"); }
              return cache.put(url, response);
            });
          });
        }, Promise.resolve());
      });
  }

  function turnOn() {
    setChoice(true);
    control.setAttribute("aria-busy", "true");
    say(control.dataset.workingWords);
    keep()
      .then(function () { say(control.dataset.onWords); })
      .catch(function () {
        setChoice(false);
        box.checked = false;
        return wipe().then(function () { say(control.dataset.failedWords); });
      })
      .then(function () { control.removeAttribute("aria-busy"); });
  }

  function turnOff() {
    setChoice(false);
    return wipe().then(function () { say(control.dataset.offWords); });
  }

  control.hidden = false;
  box.checked = choiceIsOn();
  box.addEventListener("change", function () {
    if (box.checked) { turnOn(); } else { turnOff(); }
  });
  // Already on: make sure the newest worker is installed (the browser skips it if unchanged).
  // If the copy itself is gone (quick exit without signal wiped it), the choice goes off too.
  if (box.checked) {
    caches.has(cacheName).then(function (has) {
      if (has) { return navigator.serviceWorker.register(control.dataset.swUrl, { scope: "/" }); }
      box.checked = false;
      return turnOff();
    }).catch(function () {});
  }
})();
