/* « Intégrer cette carte » (templates/pages/includes/territory_embed.html): a button that
   copies the iframe code of its textarea. Without JavaScript the textarea is there to select
   by hand; the button stays hidden. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-target]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector("[role=status]");
    if (!field) return;
    button.hidden = false;
    function done() {
      if (status) status.textContent = button.getAttribute("data-copied-message") || "";
    }
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (document.execCommand("copy")) done();
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
})();
