// Buttons marked .js-print are hidden until this runs: without JavaScript the page says to
// use the browser's own print.
document.querySelectorAll(".js-print").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
