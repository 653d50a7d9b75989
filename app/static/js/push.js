// Notices on this phone (app/push): off unless this person turns them on, per phone. The browser's
// push subscription is posted to the server (with the CSRF token); turning off removes it on both
// sides. Where this phone or browser cannot (or is told not to), the card says so in plain words.
// Words come from data attributes on the card (translated by the server), never from this file.
"use strict";

(function () {
  const control = document.querySelector("[data-push-control]");
  if (!control) { return; }
  const box = control.querySelector("input[type=checkbox]");
  const status = control.querySelector("[data-push-status]");
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const state = document.getElementById("daybook-state");
  const OFFLINE_CHOICE = "daybook.offlineCopy";
  const SYNCED = "daybook.pushSynced";
  const say = function (text) { status.textContent = text || ""; };
  control.hidden = false;

  function cannot(words) {
    box.checked = false;
    box.disabled = true;
    say(words);
  }

  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) { cannot(control.dataset.unsupportedWords); return; }
  if (Notification.permission === "denied") { cannot(control.dataset.deniedWords); return; }

  function offlineCopyOn() {
    try { return localStorage.getItem(OFFLINE_CHOICE) === "on"; } catch (error) { return false; }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfMeta ? csrfMeta.content : "" },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) { throw new Error("refused"); }
      return response;
    });
  }

  // The key as bytes: pushManager.subscribe takes the uncompressed P-256 point.
  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    return Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
  }

  function existing() {
    return navigator.serviceWorker.getRegistration("/").then(function (registration) {
      return registration ? registration.pushManager.getSubscription() : null;
    });
  }

  // The worker shows the notices. Installing it also makes the offline copy's cache of static
  // files; without the offline copy turned on, nothing is kept, so that cache goes at once (R17).
  function worker() {
    return navigator.serviceWorker.register(control.dataset.swUrl, { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        if (offlineCopyOn() || !state) { return registration; }
        return caches.delete(state.dataset.offlineCache).then(function () { return registration; });
      });
  }

  function turnOn() {
    control.setAttribute("aria-busy", "true");
    say(control.dataset.workingWords);
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        control.removeAttribute("aria-busy");
        return cannot(permission === "denied" ? control.dataset.deniedWords : control.dataset.failedWords);
      }
      return worker()
        .then(function (registration) {
          return registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(control.dataset.key),
          });
        })
        .then(function (subscription) { return post(control.dataset.subscribeUrl, subscription.toJSON()); })
        .then(function () { say(control.dataset.onWords); })
        .catch(function () {
          // Headless and some browsers cannot subscribe at all (AbortError): say so, keep nothing.
          box.checked = false;
          say(control.dataset.failedWords);
          return existing().then(function (subscription) { return subscription && subscription.unsubscribe(); })
            .catch(function () {});
        })
        .then(function () { control.removeAttribute("aria-busy"); });
    });
  }

  function turnOff() {
    return existing().then(function (subscription) {
      if (!subscription) { return undefined; }
      return post(control.dataset.unsubscribeUrl, { endpoint: subscription.endpoint })
        .catch(function () { /* already gone on the server */ })
        .then(function () { return subscription.unsubscribe(); });
    }).then(function () {
      if (offlineCopyOn()) { return undefined; }
      return navigator.serviceWorker.getRegistration("/").then(function (registration) {
        return registration && registration.unregister();
      });
    }).then(function () { say(control.dataset.offWords); }, function () { say(control.dataset.failedWords); });
  }

  box.addEventListener("change", function () {
    if (box.checked) { turnOn(); } else { turnOff(); }
  });

  // Already on for this phone: tick the box, and tell the server once per sign-in, so signing out
  // here (which stops the notices) knows which subscription is this phone's.
  existing().then(function (subscription) {
    box.checked = Boolean(subscription);
    if (!subscription) { return undefined; }
    const mark = subscription.endpoint + " " + control.dataset.signIn;
    let synced = false;
    try { synced = sessionStorage.getItem(SYNCED) === mark; } catch (error) { synced = false; }
    if (synced) { return undefined; }
    return post(control.dataset.subscribeUrl, subscription.toJSON()).then(function () {
      try { sessionStorage.setItem(SYNCED, mark); } catch (error) { /* the next page tries again */ }
    });
  }).catch(function () {});
})();
