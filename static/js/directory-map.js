/* The map beside the directory's list (/ptce/): the PTCEs of the current filters, all pages,
   from /api/v1/ptce.geojson, clustered, with popups. It reloads after each update of the list
   (event "directory:updated" of directory.js; the GeoJSON URL is in #directory-map-data, in
   the swapped part of the page). "Rechercher dans cette zone" sets the filter bbox (hidden
   field #directory-bbox) to the visible part of the map: the list, the map and the URL follow.
   On screens narrower than 70rem a "Liste / Carte" toggle shows one at a time (list first).
   Without this script the toggle and the map stay hidden: the page is the list.
   Registered as window.PortalMaps.directory, started by map-start.js
   (data-portal-map="directory-map" data-map-init="directory", in ptce_list.html).
   Needs map-common.js (window.PortalMap); texts are data attributes of #directory-map-panel. */
(function () {
  "use strict";
  var layout = document.getElementById("directory-layout");
  var panel = document.getElementById("directory-map-panel");
  var toggle = document.getElementById("directory-view-toggle");
  var common = window.PortalMap;
  if (!layout || !panel || !toggle || !common || !window.fetch || !window.URLSearchParams ||
      !window.history || !window.matchMedia || !window.AbortController) return;

  // Filters that say where to look: when one changes (and no zone is set), the map fits the results.
  var FIT_PARAMETERS = ["q", "region", "departement", "epci", "commune"];
  var FIT_OPTIONS = { maxZoom: 11, padding: [24, 24] };
  var wide = window.matchMedia("(min-width: 70rem)");
  var count = document.getElementById("directory-map-count");
  var onShown = null; // set once the map exists: called whenever it may have become visible

  // --- list / map toggle (narrow screens) ----------------------------------------------
  function mapVisible() {
    return wide.matches || layout.getAttribute("data-view") === "map";
  }

  function refresh() {
    // The map's count is announced only when the list (and its own count) is not shown.
    count.setAttribute("aria-live", !wide.matches && layout.getAttribute("data-view") === "map" ? "polite" : "off");
    if (onShown && mapVisible()) onShown();
  }

  function showView(view) {
    layout.setAttribute("data-view", view);
    toggle.querySelectorAll("button[data-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-view") === view));
    });
    refresh();
  }

  panel.hidden = false;
  toggle.hidden = false;
  toggle.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-view]");
    if (!button) return;
    var view = button.getAttribute("data-view");
    showView(view);
    // On a phone the filters come first: bring what was asked for into sight (below the
    // toggle, which stays at the top of the screen: scroll-margin-top in map.css).
    var shown = view === "map" ? panel : layout.querySelector(".directory__results");
    var top = shown ? shown.getBoundingClientRect().top : 0;
    if (top < 0 || top > window.innerHeight * 0.75) shown.scrollIntoView({ block: "start" });
  });
  if (wide.addEventListener) wide.addEventListener("change", refresh);
  else wide.addListener(refresh);
  showView("list");

  // --- the map ---------------------------------------------------------------------------
  function pointsUrl() {
    var source = document.getElementById("directory-map-data");
    return source ? source.getAttribute("data-points-url") : "";
  }

  function paramsOf(url) {
    var index = url.indexOf("?");
    return new URLSearchParams(index < 0 ? "" : url.slice(index + 1));
  }

  function fitWanted(params) {
    return !params.has("bbox") && FIT_PARAMETERS.some(function (name) { return params.has(name); });
  }

  (window.PortalMaps = window.PortalMaps || {}).directory = function (map, container) {
    var labels = panel.dataset;
    var messages = { count_none: labels.labelNone, count_one: labels.labelOne, count_many: labels.labelMany };
    var searchZone = document.getElementById("directory-map-search-zone");
    var markers = common.clusterGroup(labels.labelCluster).addTo(map);
    var controller = null;
    var loadedUrl = null;
    var pendingFit = null; // bounds to show once the map has a size (hidden behind the toggle)
    var zone = paramsOf(pointsUrl()).get("bbox") || "";

    common.enableKeyboardPopups(map);

    function hasSize() {
      return container.clientWidth > 0 && container.clientHeight > 0;
    }

    function show(bounds, options) {
      if (!bounds || !bounds.isValid()) return;
      if (hasSize()) {
        pendingFit = null;
        map.fitBounds(bounds, options);
      } else {
        pendingFit = { bounds: bounds, options: options };
      }
    }

    onShown = function () {
      map.invalidateSize();
      if (pendingFit && hasSize()) show(pendingFit.bounds, pendingFit.options);
    };

    function load(fit) {
      var url = pointsUrl();
      if (!url || url === loadedUrl) return; // the page or the sort changed, not the PTCEs
      if (controller) controller.abort();
      var mine = new AbortController();
      controller = mine;
      panel.setAttribute("aria-busy", "true");
      container.dataset.status = "loading";
      common.fetchJson(url, { signal: mine.signal })
        .then(function (collection) {
          var list = common.markersOf(collection, labels.labelSeePage);
          markers.clearLayers();
          markers.addLayers(list);
          loadedUrl = url;
          count.textContent = common.countText(list.length, messages);
          container.dataset.points = String(list.length);
          if (fit) show(markers.getBounds(), FIT_OPTIONS);
          container.dataset.status = "ready";
        })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          count.textContent = labels.labelError;
          container.dataset.status = "error";
        })
        .finally(function () {
          if (controller === mine) panel.removeAttribute("aria-busy");
        });
    }

    searchZone.addEventListener("click", function () {
      var input = document.getElementById("directory-bbox");
      if (!input) return;
      zone = common.visibleZone(map);
      input.value = zone;
      // directory.js updates the list (and the URL) when a filter changes.
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });

    document.addEventListener("directory:updated", function () {
      var params = paramsOf(pointsUrl());
      var newZone = params.get("bbox") || "";
      // A zone that is not the one just searched (back button, shared link): show it.
      if (newZone && newZone !== zone) show(common.zoneBounds(newZone));
      zone = newZone;
      load(fitWanted(params));
    });

    map.on("zoomend", function () { container.dataset.zoom = String(map.getZoom()); });
    container.dataset.zoom = String(map.getZoom());
    if (zone) show(common.zoneBounds(zone));
    load(fitWanted(paramsOf(pointsUrl())));
  };
})();
