/* The header's compact menu (small screens) is a <details>: it opens and closes without this
   script. Here, Escape closes it (the focus goes back to "Menu") and so does a click or a
   focus outside it. */
(function () {
  "use strict";
  var menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  var toggle = menu.querySelector("summary");
  menu.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && menu.open) {
      menu.open = false;
      toggle.focus();
    }
  });
  function closeIfOutside(event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  }
  document.addEventListener("click", closeIfOutside);
  document.addEventListener("focusin", closeIfOutside);
})();
