/* Territory picker: turns each [data-territory-picker] text field into an ARIA 1.2 combobox
   (list autocomplete) over /territoires/recherche.json.

   Keyboard: Down/Up move through the suggestions (Alt+Down opens the list), Enter chooses the
   highlighted one, Escape closes the list (then clears the field), Tab leaves. The mouse can
   click a suggestion. A visually hidden live region says how many suggestions there are.

   Mode "navigate": choosing goes to the territory's page. Mode "filter": choosing sets the
   field named after the territory's level (region, departement, epci, commune) in the form
   given by data-target-form, empties the other levels and submits that form.

   Without this script the field is a plain text field of a GET form to /territoires/. Pickers
   added to the page later (the directory swaps its filters in) are enhanced too. */
(function () {
  "use strict";
  if (window.territoryPickerLoaded || !window.fetch || !document.querySelector) return;
  window.territoryPickerLoaded = true;

  var DEBOUNCE_MS = 200;
  var MIN_CHARS = 2;
  var LEVELS = ["region", "departement", "epci", "commune"];
  var MESSAGES = {
    none: "Aucun territoire ne correspond.",
    one: "1 suggestion. Flèches haut et bas pour parcourir, Entrée pour choisir.",
    many: "{n} suggestions. Flèches haut et bas pour parcourir, Entrée pour choisir.",
    error: "Les suggestions sont indisponibles. Appuyez sur Entrée pour chercher."
  };

  function enhance(root) {
    if (root.hasAttribute("data-picker-ready")) return;
    var input = root.querySelector("input");
    var listbox = root.querySelector("[role=listbox]");
    var status = root.querySelector("[role=status]");
    if (!input || !listbox || !status) return;
    root.setAttribute("data-picker-ready", "");

    var mode = root.getAttribute("data-mode") || "navigate";
    var source = root.getAttribute("data-source");
    var kinds = (root.getAttribute("data-kinds") || "").split(",").filter(Boolean);
    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    if (mode === "filter") {
      var go = root.parentNode && root.parentNode.querySelector(".picker__go");
      if (go) go.hidden = true;
    }

    function announce(text) {
      // Emptied first so that the same message read twice is announced again.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    function open() {
      if (!results.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      var options = listbox.querySelectorAll("[role=option]");
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (index >= 0 && options[index]) {
        options[index].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(items) {
      results = items;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.textContent = "";
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + index;
        option.className = "picker__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-index", String(index));
        var name = document.createElement("span");
        name.className = "picker__name";
        name.textContent = item.name;
        var detail = document.createElement("span");
        detail.className = "picker__detail";
        detail.textContent = item.label.slice(item.name.length).replace(/^\s*/, " ");
        option.appendChild(name);
        option.appendChild(detail);
        listbox.appendChild(option);
      });
      if (items.length) {
        open();
        announce(items.length === 1 ? MESSAGES.one : MESSAGES.many.replace("{n}", items.length));
      } else {
        close();
        announce(MESSAGES.none);
      }
    }

    function search(query) {
      if (query === lastQuery) { open(); return; }
      lastQuery = query;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var params = new URLSearchParams({ q: query });
      kinds.forEach(function (kind) { params.append("kind", kind); });
      fetch(source + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (input.value.trim() !== query) return; // typed on since
          render(data.results || []);
        })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          lastQuery = null;
          render([]);
          announce(MESSAGES.error);
        });
    }

    function choose(index) {
      var item = results[index];
      if (!item) return;
      input.value = item.name;
      close();
      if (mode === "filter") {
        applyFilter(item);
      } else {
        window.location.assign(item.url);
      }
    }

    function applyFilter(item) {
      var form = document.getElementById(root.getAttribute("data-target-form") || "");
      if (!form) { window.location.assign(item.url); return; }
      LEVELS.forEach(function (level) {
        var value = Object.prototype.hasOwnProperty.call(item.filter, level) ? item.filter[level] : "";
        var field = form.elements.namedItem(level);
        if (field && field.length !== undefined && !field.options) field = field[0];
        if (field && field.tagName === "SELECT") {
          field.value = value;
          if (value && field.value !== value) {
            field.add(new Option(item.name, value, true, true));
          }
        } else if (field) {
          field.value = value;
        } else if (value) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = level;
          hidden.value = value;
          form.appendChild(hidden);
        }
      });
      // The box now holds the territory applied (read by the directory's and map's scripts).
      input.setAttribute("data-applied", item.name);
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < MIN_CHARS) {
        if (controller) controller.abort();
        lastQuery = null;
        results = [];
        listbox.textContent = "";
        close();
        return;
      }
      timer = window.setTimeout(function () { search(query); }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var expanded = input.getAttribute("aria-expanded") === "true";
      switch (event.key) {
        case "ArrowDown":
        case "Down":
          if (!results.length) return;
          event.preventDefault();
          if (!expanded) { open(); if (!event.altKey) setActive(0); return; }
          setActive(active + 1 >= results.length ? 0 : active + 1);
          break;
        case "ArrowUp":
        case "Up":
          if (!results.length) return;
          event.preventDefault();
          if (!expanded) { open(); setActive(results.length - 1); return; }
          setActive(active <= 0 ? results.length - 1 : active - 1);
          break;
        case "Enter":
          if (expanded && active >= 0) {
            event.preventDefault();
            choose(active);
          }
          break; // otherwise the form is submitted: the territory finder answers
        case "Escape":
        case "Esc":
          if (expanded) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            results = [];
            lastQuery = null;
            listbox.textContent = "";
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () { close(); });
    input.addEventListener("click", function () {
      if (input.getAttribute("aria-expanded") !== "true") open();
    });
    // Keep the focus in the field while the mouse is on the list, then choose on click.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(Number(option.getAttribute("data-index")));
    });
  }

  function enhanceAll() {
    var pickers = document.querySelectorAll("[data-territory-picker]:not([data-picker-ready])");
    for (var i = 0; i < pickers.length; i += 1) enhance(pickers[i]);
  }

  enhanceAll();
  if (window.MutationObserver) {
    new MutationObserver(enhanceAll).observe(document.body, { childList: true, subtree: true });
  }
})();
