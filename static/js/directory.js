/* Directory: update the results and facet counts without reloading the page; the URL
   follows, so every state can be shared and the back button works. Without this script the
   form is a plain GET form. After each update, the event "directory:updated" (detail: the
   query string) is dispatched on the document. */
(function () {
  "use strict";
  var container = document.getElementById("directory");
  if (!container || !window.fetch || !window.history || !window.URLSearchParams) return;
  var controller = null;

  // The territory box's text is not a filter: the picker sets "commune" or "epci".
  var BOX = "territoire";

  function formQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (key !== BOX && String(value).trim() !== "") params.append(key, value);
    });
    return params.toString();
  }

  /* Put the fetched fragment in place. When the visitor changed the form (keepForm), the form
     itself stays as it is: no control is replaced under their fingers (a key pressed while a
     response arrives would otherwise land on a new element); only the counts beside its
     options follow. Links (chips, pages, back button) replace everything. */
  // The form and its folding panel (<details>) are kept or replaced together.
  function filtersBlock(root) {
    var form = root.querySelector("#directory-filters");
    return form && (form.closest("[data-filters-panel]") || form);
  }

  function swap(html, keepForm) {
    var live = keepForm && filtersBlock(container);
    var fresh = document.createElement("div");
    fresh.innerHTML = html;
    var freshForm = filtersBlock(fresh);
    if (!live || !freshForm || live.parentNode !== container || freshForm.parentNode !== fresh) {
      container.innerHTML = html;
      return;
    }
    freshForm.querySelectorAll("label[for] .facet__count").forEach(function (count) {
      var target = live.querySelector('label[for="' + count.parentNode.htmlFor + '"] .facet__count');
      if (target) target.innerHTML = count.innerHTML;
    });
    Array.prototype.slice.call(container.childNodes).forEach(function (node) {
      if (node !== live) container.removeChild(node);
    });
    var before = true;
    Array.prototype.slice.call(fresh.childNodes).forEach(function (node) {
      if (node === freshForm) { before = false; return; }
      if (before) container.insertBefore(node, live);
      else container.appendChild(node);
    });
  }

  function load(query, push, keepForm) {
    var url = container.querySelector("form").getAttribute("action") + (query ? "?" + query : "");
    if (controller) controller.abort();
    var mine = new AbortController();
    controller = mine;
    var focusedId = document.activeElement && document.activeElement.id;
    container.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "X-Fragment": "results" }, signal: mine.signal })
      .then(function (response) {
        if (!response.ok) { window.location.href = url; return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        swap(html, keepForm);
        if (push) window.history.pushState({ query: query }, "", url);
        // Give the focus back only if the swap took it away (its element was replaced): the
        // visitor may have moved on to another control while the response was on its way.
        var active = document.activeElement;
        var lost = !active || active === document.body || !document.contains(active);
        var again = lost && focusedId && document.getElementById(focusedId);
        if (again) again.focus();
        // For the other parts of the page that follow the filters (the directory's map).
        document.dispatchEvent(new CustomEvent("directory:updated", { detail: { query: query } }));
      })
      .catch(function (error) { if (error.name !== "AbortError") window.location.href = url; })
      .finally(function () {
        // An aborted request ends after its successor started: only the latest one may
        // say the list is no longer busy.
        if (controller === mine) container.removeAttribute("aria-busy");
      });
  }

  container.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.id === "directory-filters" && event.target.name !== "q" && event.target.name !== BOX) {
      load(formQuery(form), true, true);
    }
  });
  function focusCount() {
    var count = document.getElementById("result-count");
    if (count) { count.setAttribute("tabindex", "-1"); count.focus(); }
  }

  /* The territory box's button (the form's default one, so Enter in any field) sends the form
     to the server's territory choice when the box holds a text that is not the territory
     applied: a name typed without choosing a suggestion, or an emptied box. */
  function resolvesTerritory(form, submitter) {
    var box = form.elements.namedItem(BOX);
    if (!submitter || !submitter.hasAttribute("formaction") || !box) return false;
    return box.value.trim() !== (box.getAttribute("data-applied") || "");
  }

  container.addEventListener("submit", function (event) {
    if (event.target.id !== "directory-filters") return;
    if (resolvesTerritory(event.target, event.submitter)) return;
    event.preventDefault();
    load(formQuery(event.target), true, true).then(focusCount);
  });
  container.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || !container.contains(link) || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var href = link.getAttribute("href") || "";
    if (href.charAt(0) !== "?") return;
    event.preventDefault();
    load(href.slice(1), true).then(focusCount);
  });
  window.addEventListener("popstate", function () {
    load(window.location.search.replace(/^\?/, ""), false);
  });
})();
