// Read my plan aloud, with the browser's own speech (issue 4: reading). No inline script (CSP, R15).
// The control stays hidden unless this browser can speak. It reads the words the page shows, in
// order, and never the safe word, even when it is open on screen: someone may be listening.
// Speech stops at once on Stop, on leaving the page (quick exit) and when the app locks.
"use strict";

(function () {
  const control = document.querySelector("[data-read-aloud]");
  if (!control || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") { return; }
  const button = control.querySelector("button");
  const source = document.querySelector(control.dataset.readAloud);
  if (!button || !source) { return; }
  const synth = window.speechSynthesis;
  // Never read: the safe word, words only for screen readers (they repeat what is shown), the
  // controls and forms, anything hidden, and this control itself.
  const SKIP = ".safe-word, .visually-hidden, [hidden], form, button, script, noscript, [data-no-read], [data-read-aloud]";
  const BLOCKS = "h1, h2, h3, p, li, summary, a.contact, .take-to";
  let reading = false;

  function words() {
    const copy = source.cloneNode(true);
    copy.querySelectorAll(SKIP).forEach(function (node) { node.remove(); });
    // A pause after each heading, line and list item, so it is read as separate sentences.
    copy.querySelectorAll(BLOCKS).forEach(function (node) { node.appendChild(document.createTextNode(". ")); });
    return (copy.textContent || "")
      .replace(/\s+/g, " ")
      .split(/[.!?…]+\s+/)
      .map(function (part) { return part.replace(/^[.\s]+/, "").trim(); })
      .filter(function (part) { return part.length > 0; });
  }

  function show(isReading) {
    reading = isReading;
    button.textContent = isReading ? control.dataset.stopWords : control.dataset.readWords;
  }

  function stop() {
    synth.cancel();
    show(false);
  }

  function start() {
    synth.cancel();
    const parts = words();
    if (!parts.length) { return; }
    show(true);
    const lang = document.documentElement.lang || "en-GB";
    // A voice that speaks the page's language (Arabic, Albanian, Vietnamese...) where the phone has
    // one; otherwise the browser picks by utterance.lang.
    const primary = lang.slice(0, 2).toLowerCase();
    const voice = synth.getVoices().find(function (v) { return v.lang.slice(0, 2).toLowerCase() === primary; });
    // Short utterances: some browsers cut one long utterance off part-way.
    parts.forEach(function (text, index) {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      if (voice) { utterance.voice = voice; }
      if (index === parts.length - 1) {
        utterance.addEventListener("end", function () { show(false); });
      }
      utterance.addEventListener("error", function () { show(false); });
      synth.speak(utterance);
    });
  }

  button.addEventListener("click", function () { if (reading) { stop(); } else { start(); } });
  window.addEventListener("pagehide", stop);
  // lock.js marks a locked page with this class: stop talking at once.
  new MutationObserver(function () {
    if (document.body.classList.contains("is-locked")) { stop(); }
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  show(false);
  control.hidden = false;
})();
