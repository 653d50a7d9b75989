// Lock after inactivity (discretion): after a few minutes without input, hide the page at once and
// lock the session on the server; the lock screen asks for the passkey again (app/family/lock_views.py).
"use strict";

(function () {
  const state = document.getElementById("daybook-state");
  if (!state || state.dataset.signedIn !== "true" || !state.dataset.lockAfter) { return; }
  const limit = Number(state.dataset.lockAfter) * 1000;
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  let lastInput = Date.now();
  let locking = false;

  function cover() {
    document.body.classList.add("is-locked");
    const main = document.getElementById("main");
    if (main && !main.querySelector(".lock-cover")) {
      const words = document.createElement("p");
      words.className = "lock-cover";
      words.textContent = state.dataset.lockedWords;
      main.appendChild(words);
    }
  }

  function lockNow() {
    locking = true;
    cover();
    fetch(state.dataset.lockUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfMeta ? csrfMeta.content : "", Accept: "application/json" },
    })
      .catch(function () { return null; })
      .then(function () { window.location.replace(state.dataset.lockedUrl); });
  }

  function check() {
    if (!locking && Date.now() - lastInput >= limit) { lockNow(); }
  }

  ["pointerdown", "keydown", "touchstart", "wheel", "scroll", "input"].forEach(function (type) {
    document.addEventListener(type, function () { lastInput = Date.now(); }, { capture: true, passive: true });
  });
  // Timers sleep in background tabs; checking the clock also catches a phone left for an hour.
  window.setInterval(check, 1000);
  document.addEventListener("visibilitychange", check);
  window.addEventListener("pageshow", check);
})();
