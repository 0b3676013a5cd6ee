// Kiosk mode, a shared screen in a library or hub. Everything here is an extra: the pages work
// without it, and Finish on every page clears everything (the server keeps nothing).
// This adds: a "Still there?" question after a while with no input, then Finish by itself;
// fetching a page with answers on it afresh if the browser brings it back from its cache; the
// page's own address in the address bar of a page that answered a post directly; telling the
// server now and then that someone is still using the screen; and on the "All cleared" page,
// forgetting what this tab can.
(function () {
  "use strict";

  var root = document.querySelector("[data-kiosk]");
  if (!root) { return; }
  var startUrl = root.getAttribute("data-start-url") || "/kiosk/";
  var hasAnswers = root.getAttribute("data-has-answers") === "1";
  var address = root.getAttribute("data-address");

  // A page with answers on it must not come back from the back/forward cache after Finish:
  // fetched again, it shows what the server would show now (the start, once finished).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && hasAnswers) { window.location.reload(); }
  });

  // A page that answered a post (a mistake shown where it was made) takes its own address, so
  // that Back, Forward and reload fetch it rather than ask to send the form again.
  if (address && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", address + window.location.hash);
  }

  if (document.querySelector("[data-kiosk-cleared]")) {
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be switched off */ }
    // The address bar shows the start, so a reload does not send Finish again.
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", startUrl);
    }
    return;
  }

  // Enter in the e-mail box sends the e-mail, rather than pressing the form's first button.
  var emailBox = document.querySelector("[data-kiosk-email]");
  if (emailBox) {
    var emailButton = emailBox.querySelector("[data-kiosk-email-button]");
    var emailInput = emailBox.querySelector("input[type=email]");
    if (emailButton && emailInput) {
      emailInput.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          emailButton.click();
        }
      });
    }
  }

  // Inactivity: ask, then finish.
  var finishForm = document.querySelector("[data-kiosk-finish]");
  var dialog = document.querySelector("[data-kiosk-idle]");
  var idleMs = (parseInt(root.getAttribute("data-idle-seconds"), 10) || 300) * 1000;
  var warnSeconds = parseInt(root.getAttribute("data-warning-seconds"), 10) || 60;
  if (!finishForm) { return; }

  // The kiosk's cookie opens the pages already seen (Back, Forward) for a few minutes after the
  // last request. While someone is using the screen, tell the server at most once a minute,
  // so that a long time spent on one page does not close the ones before it.
  var stillHereUrl = root.getAttribute("data-still-here-url");
  var csrf = finishForm.querySelector("input[name=csrfmiddlewaretoken]");
  var lastContact = Date.now();

  function stillHere() {
    if (!hasAnswers || !stillHereUrl || !csrf || !window.fetch) { return; }
    if (Date.now() - lastContact < 60 * 1000) { return; }
    lastContact = Date.now();
    window.fetch(stillHereUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrf.value },
      credentials: "same-origin"
    }).catch(function () { /* offline for a moment: the next touch tries again */ });
  }

  var idleTimer = null;
  var countdownTimer = null;
  var left = warnSeconds;
  var countdown = dialog ? dialog.querySelector("[data-kiosk-countdown]") : null;

  function finish() {
    window.clearInterval(countdownTimer);
    if (finishForm.requestSubmit) { finishForm.requestSubmit(); } else { finishForm.submit(); }
  }

  function warningOpen() { return dialog && dialog.open; }

  function closeWarning() {
    window.clearInterval(countdownTimer);
    countdownTimer = null;
    if (warningOpen()) { dialog.close(); }
  }

  function warn() {
    if (!dialog || typeof dialog.showModal !== "function") { finish(); return; }
    left = warnSeconds;
    if (countdown) { countdown.textContent = String(left); }
    dialog.showModal();
    countdownTimer = window.setInterval(function () {
      left -= 1;
      if (countdown) { countdown.textContent = String(Math.max(left, 0)); }
      if (left <= 0) { finish(); }
    }, 1000);
  }

  // An untouched start page is the resting state: the clock starts with the first answer.
  var armed = hasAnswers;

  function restart(event) {
    if (event) { armed = true; stillHere(); }
    if (!armed || warningOpen()) { return; } // only the dialog's own buttons answer it
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(warn, idleMs);
  }

  if (dialog) {
    var stay = dialog.querySelector("[data-kiosk-stay]");
    var leave = dialog.querySelector("[data-kiosk-leave]");
    if (stay) { stay.addEventListener("click", function () { closeWarning(); restart(); }); }
    if (leave) { leave.addEventListener("click", finish); }
    // Escape closes the dialog: that is an answer too.
    dialog.addEventListener("cancel", function () { closeWarning(); window.setTimeout(restart, 0); });
  }

  ["pointerdown", "keydown", "input", "scroll", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  restart();
})();
