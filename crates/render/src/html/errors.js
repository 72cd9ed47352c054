// Errors are kept on the page (data-error) so a test that loads it in a browser can see them.
window.addEventListener("error", function (e) {
  document.documentElement.dataset.error = String(e.message);
});
