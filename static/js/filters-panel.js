/* The directory's filters sit in a <details> (templates/directory/includes/filters_form.html),
   folded on small screens so that the results come first. On wide screens they are unfolded
   (portal.css does it where the browser can style ::details-content; this script for the
   others, and again after the directory's script replaced the form). Without this script
   the panel opens and closes by itself. */
(function () {
  "use strict";
  if (!window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48rem)");

  function unfold() {
    var panels = document.querySelectorAll("[data-filters-panel]");
    for (var i = 0; i < panels.length; i += 1) {
      if (wide.matches) panels[i].open = true;
      panels[i].setAttribute("data-enhanced", "");
    }
  }

  unfold();
  document.addEventListener("directory:updated", unfold);
  if (wide.addEventListener) wide.addEventListener("change", unfold);
})();
