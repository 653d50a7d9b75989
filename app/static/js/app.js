// Small behaviours for both doors. No inline handlers anywhere: the CSP forbids them (R15).
"use strict";

(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrfToken = csrfMeta ? csrfMeta.content : "";

  // htmx requests carry the CSRF token in a header read from the <meta> tag.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken;
  });

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken, Accept: "application/json" },
      body: body === undefined ? "{}" : JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          const error = new Error(data.error || "request failed");
          error.userMessage = data.error;
          throw error;
        }
        return data;
      });
    });
  }

  // Passkeys: Chromium and current Safari/Firefox parse WebAuthn JSON natively.
  function runPasskey(button) {
    const status = button.parentElement.querySelector("[data-passkey-status]");
    const say = function (text) { if (status) { status.textContent = text; } };
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
      say(button.dataset.unsupported || "This browser can't use keys. Try Chrome or Safari.");
      return;
    }
    const mode = button.dataset.passkey;
    button.disabled = true;
    say(button.dataset.working || "Waiting for your phone…");
    postJSON(button.dataset.optionsUrl)
      .then(function (options) {
        if (mode === "register") {
          return navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
        }
        return navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      })
      .then(function (credential) { return postJSON(button.dataset.verifyUrl, credential.toJSON()); })
      .then(function (result) { window.location.assign(result.redirect); })
      .catch(function (error) {
        button.disabled = false;
        say(error.userMessage || button.dataset.failed || "That didn't work. Please try again.");
      });
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-passkey]");
    if (button) { runPasskey(button); }
  });

  // Quick exit: Shift pressed three times within two seconds, as well as the button (R16).
  const exitLink = document.getElementById("quick-exit");
  if (exitLink) {
    let presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") { return; }
      const now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) { window.location.replace(exitLink.href); }
    });
    exitLink.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(exitLink.href);
    });
  }

  // An error summary takes focus when the page opens, so screen readers announce it first.
  const summary = document.querySelector(".error-summary[tabindex='-1']");
  if (summary) { summary.focus(); }

  // Co-writing: a 409 (someone changed it first: both texts shown) and a 422 (what to fix) come
  // with a form to show in place; htmx leaves error responses unswapped unless told otherwise.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Anything else that fails (signed out, gone, offline) says so in the status line, in words
  // the page carries, rather than leaving the person waiting.
  document.addEventListener("htmx:responseError", function (event) { sayFailed(event); });
  document.addEventListener("htmx:sendError", function (event) { sayFailed(event); });
  function sayFailed(event) {
    const status = document.getElementById("ideas-status");
    if (status && event.detail.elt && event.detail.elt.closest("#new-ideas")) {
      // Too long to send (413): reloading would lose the words, so say what to change instead.
      const tooLong = event.detail.xhr && event.detail.xhr.status === 413;
      status.textContent = (tooLong ? status.dataset.tooLong : status.dataset.failed) ||
        "That didn't work. Reload the page and try again.";
    }
  }

  // Live parts (app/live, templates/live/_live.html): when the stream says the plan changed, a
  // part fetches itself again; but never under someone's hands. While a form in it is open for
  // typing, or focus is inside it, it waits (and says so), then refreshes once they are done.
  const liveStatus = document.getElementById("live-status");
  function liveSay(words) { if (liveStatus && words) { liveStatus.textContent = words; } }
  // A request of the reader's own inside the part (opening a form, saving) counts as busy too:
  // the fresh copy would otherwise land after their answer and close the form they just opened.
  // An open "are you sure?" (form.confirm) is a question put to the reader: it stays until answered,
  // even before focus reaches it (htmx moves focus after the swap, when a held-back refresh retries).
  // So is their own answer until it settles (.htmx-added): htmx focuses [autofocus] only then, and a
  // fresh copy landing first would leave focus on a detached button.
  function busy(part) {
    const openForm = part.querySelector("form textarea, form input[type=text], form input[type=tel], form input[type=date], form.confirm");
    const ownRequest = part.querySelector(".htmx-request, .htmx-added, .htmx-settling");
    return Boolean(openForm) || Boolean(ownRequest) ||
      part.contains(document.activeElement) && document.activeElement !== part;
  }
  function holdBack(part) {
    part.dataset.liveWaiting = "1";
    liveSay(liveStatus && liveStatus.dataset.waiting);
  }
  // What each part said before its fresh copy was asked for: "updated" is said only if it changed.
  const before = {};
  // And what its status lines said ("Added to your new ideas."): the reader's own change also
  // moves the plan, and its fresh copy, rendered for a plain page load, has them empty. What the
  // reader was just told stays said until their next step says something else.
  const saidBefore = {};
  function statusLines(part) {
    const said = {};
    part.querySelectorAll("[role=status][id]").forEach(function (line) {
      if (line.textContent.trim()) { said[line.id] = line.textContent; }
    });
    return said;
  }
  function sayAgain(said) {
    Object.keys(said || {}).forEach(function (id) {
      const line = document.getElementById(id);
      if (line && !line.textContent.trim()) { line.textContent = said[id]; }
    });
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    const part = event.detail.elt;
    if (!part.hasAttribute || !part.hasAttribute("data-live-part")) { return; }
    if (busy(part)) {
      event.preventDefault();
      holdBack(part);
    } else {
      before[part.id] = part.textContent;
      saidBefore[part.id] = statusLines(part);
    }
  });
  // The reader may have started something while the fresh copy was on its way: keep their page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const part = event.detail.elt;
    if (!part.hasAttribute || !part.hasAttribute("data-live-part")) { return; }
    if (busy(part)) {
      event.detail.shouldSwap = false;
      holdBack(part);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    // htmx 2 names the fresh copy here (connected), not the part it replaced.
    const elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-live-part") && elt.id in before) {
      sayAgain(saidBefore[elt.id]);
      delete saidBefore[elt.id];
      const changed = before[elt.id] !== elt.textContent;
      delete before[elt.id];
      if (changed) { liveSay(liveStatus && liveStatus.dataset.updated); }
    }
    retryWaitingParts();
  });
  document.addEventListener("focusout", function () { window.setTimeout(retryWaitingParts, 0); });
  function retryWaitingParts() {
    const waiting = document.querySelectorAll("[data-live-part][data-live-waiting]");
    waiting.forEach(function (part) {
      if (!busy(part)) {
        delete part.dataset.liveWaiting;
        htmx.trigger(part, "live-refresh");
      }
    });
    // A part held back may since have been replaced by the answer to the reader's own request
    // (their "I agree" brings back the list it sits in): nothing waits now, so stop saying so.
    if (waiting.length === 0 && liveStatus && liveStatus.textContent === liveStatus.dataset.waiting) {
      liveStatus.textContent = "";
    }
  }

  // Printing a plan: the button needs JavaScript, so the page ships it hidden. The safe word
  // goes on paper only if the box is ticked (base.css reads html.print-safe-word); printing
  // from the browser's own menu follows the box too, and without it leaves the word off.
  const printControls = document.querySelector("[data-print-controls]");
  if (printControls) {
    const safeWordBox = printControls.querySelector("[data-print-safe-word]");
    const followChoice = function () {
      document.documentElement.classList.toggle("print-safe-word", Boolean(safeWordBox && safeWordBox.checked));
    };
    if (safeWordBox) { safeWordBox.addEventListener("change", followChoice); }
    followChoice();
    printControls.querySelector("[data-print]").addEventListener("click", function () { window.print(); });
    printControls.hidden = false;
  }

  // Invitation links: select the whole link when the field is focused, ready to copy.
  document.querySelectorAll("[data-invite-link]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
