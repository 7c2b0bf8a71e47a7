/* Full-page map (/carte/): clustered markers of the PTCEs from /api/v1/ptce.geojson, a
   coverage layer (PTCEs per département, per région below zoom 6) from /api/v1/coverage.json
   and the outlines, and the page's filter form applied without reloading (the URL follows).
   Registered as window.PortalMaps.full, started by map-start.js (data-map-init="full").
   Texts come translated from the page (#map-messages); API addresses from #map-api.
   Needs map-common.js (window.PortalMap), loaded before. */
(function () {
  "use strict";
  var common = window.PortalMap;
  var fill = common.fill;
  var formatNumber = common.formatNumber;

  var REGION_ZOOM = 6; // below this zoom, the coverage layer shows régions
  var FIT_PARAMETERS = ["q", "region", "departement", "epci", "commune"];
  var PALETTE = ["#cfe8e4", "#93cbc3", "#55a79c", "#1f7d73", "#0b4f4c"];
  var NONE_COLOUR = "#8a9496";
  var HATCH_ID = "ptce-map-hatch";

  /* Lower bounds of up to five classes of the non-zero counts. */
  function classBreaks(values) {
    var sorted = values.filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    if (!sorted.length) return [];
    var max = sorted[sorted.length - 1];
    var breaks = [];
    if (max <= PALETTE.length) {
      for (var n = 1; n <= max; n++) breaks.push(n);
      return breaks;
    }
    for (var i = 0; i < PALETTE.length; i++) {
      var value = i === 0 ? 1 : sorted[Math.floor((i * sorted.length) / PALETTE.length)];
      if (value > breaks[breaks.length - 1] || !breaks.length) breaks.push(value);
    }
    return breaks;
  }

  function colourFor(count, breaks) {
    if (!count) return "url(#" + HATCH_ID + ")";
    var index = 0;
    for (var i = 0; i < breaks.length; i++) if (count >= breaks[i]) index = i;
    return PALETTE[PALETTE.length - breaks.length + index];
  }

  /* A hatch pattern in the SVG renderer, for territories without any PTCE. */
  function ensureHatch(map) {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#" + HATCH_ID)) return;
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", HATCH_ID);
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var line = document.createElementNS(ns, "rect");
    line.setAttribute("width", "2.5");
    line.setAttribute("height", "8");
    line.setAttribute("fill", NONE_COLOUR);
    pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  (window.PortalMaps = window.PortalMaps || {}).full = function (map, container) {
    var api = common.readJson("map-api");
    var messages = common.readJson("map-messages");
    var form = document.getElementById("map-filters");
    var bboxInput = document.getElementById("map-bbox");
    var count = document.getElementById("map-count");
    var listLink = document.getElementById("map-list-link");
    var searchZone = document.getElementById("map-search-zone");
    var clearZone = document.getElementById("map-clear-zone");
    var zoneStatus = document.getElementById("map-zone-status");
    var busy = container.parentNode;
    var controller = null;
    var outlines = {};
    var coverageCounts = {};

    var markers = common.clusterGroup(messages.cluster).addTo(map);
    var coverage = L.featureGroup();
    var overlays = {};
    overlays[messages.markers_layer] = markers;
    overlays[messages.coverage_layer] = coverage;
    if (map.layerscontrol) {
      map.layerscontrol.addOverlay(markers, messages.markers_layer);
      map.layerscontrol.addOverlay(coverage, messages.coverage_layer);
    } else {
      L.control.layers(null, overlays, { collapsed: container.clientWidth < 500 }).addTo(map);
    }
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      return box;
    };

    function formQuery() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        // The territory box's text is not a filter: the picker sets "commune" or "epci".
        if (key !== "territoire" && String(value).trim() !== "") params.append(key, value);
      });
      return params;
    }

    function withQuery(url, params) {
      var query = params.toString();
      return query ? url + "?" + query : url;
    }

    function coverageLevel() {
      return map.getZoom() < REGION_ZOOM ? "region" : "departement";
    }

    function setCount(n) {
      count.textContent = common.countText(n, messages);
      container.dataset.points = String(n);
    }

    function showZone(active) {
      zoneStatus.hidden = !active;
      clearZone.hidden = !active;
    }

    function fitToResults(params) {
      var bounds = markers.getBounds();
      var wanted = FIT_PARAMETERS.some(function (name) { return params.has(name); });
      if (wanted && bounds.isValid()) map.fitBounds(bounds, { maxZoom: 11, padding: [24, 24] });
    }

    function addFeatures(collection) {
      var list = common.markersOf(collection, messages.see_page);
      markers.clearLayers();
      markers.addLayers(list);
      setCount(list.length);
    }

    function load(options) {
      var params = formQuery();
      // The list takes the same filters, the zone of the map (bbox) included.
      listLink.href = withQuery(api.list, new URLSearchParams(params));
      if (options.push) window.history.pushState(null, "", withQuery(form.getAttribute("action"), params));
      showZone(params.has("bbox"));
      if (controller) controller.abort();
      controller = new AbortController();
      busy.setAttribute("aria-busy", "true");
      container.dataset.status = "loading";
      var points = common.fetchJson(withQuery(api.points, params), { signal: controller.signal })
        .then(function (collection) {
          addFeatures(collection);
          if (options.fit) fitToResults(params);
        });
      var table = fetchCounts("region", params).then(updateTable);
      return Promise.all([points, table])
        .then(function () {
          if (map.hasLayer(coverage)) return renderCoverage();
        })
        .then(function () { container.dataset.status = "ready"; })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          count.textContent = messages.error;
          container.dataset.status = "error";
        })
        .finally(function () { busy.removeAttribute("aria-busy"); });
    }

    function fetchCounts(level, params) {
      var query = new URLSearchParams(params);
      query.set("level", level);
      var key = query.toString();
      if (coverageCounts[key]) return Promise.resolve(coverageCounts[key]);
      return common.fetchJson(api.coverage + "?" + key).then(function (data) {
        coverageCounts[key] = data.counts;
        return data.counts;
      });
    }

    function fetchOutlines(level) {
      if (!outlines[level]) outlines[level] = common.fetchJson(level === "region" ? api.regions : api.departements);
      return outlines[level];
    }

    function updateTable(counts) {
      document.querySelectorAll("tr[data-region]").forEach(function (row) {
        var code = row.getAttribute("data-region");
        var cell = row.querySelector("td");
        var n = counts[code] || 0;
        var link = cell.querySelector("a");
        if (!n) { cell.textContent = "0"; return; }
        var params = formQuery();
        ["bbox", "region", "departement"].forEach(function (name) { params.delete(name); });
        params.set("region", code);
        if (!link) {
          link = document.createElement("a");
          var hidden = document.createElement("span");
          hidden.className = "visually-hidden";
          hidden.textContent = messages.table_link;
          link.appendChild(document.createTextNode(""));
          link.appendChild(hidden);
          cell.textContent = "";
          cell.appendChild(link);
        }
        link.firstChild.textContent = formatNumber(n);
        link.href = withQuery(api.list, params);
      });
    }

    function renderCoverage() {
      var level = coverageLevel();
      var params = formQuery();
      return Promise.all([fetchOutlines(level), fetchCounts(level, params)]).then(function (data) {
        var shapes = data[0];
        var counts = data[1];
        var breaks = classBreaks(Object.keys(counts).map(function (code) { return counts[code]; }));
        coverage.clearLayers();
        var layer = L.geoJSON(shapes, {
          style: function (feature) {
            var n = counts[feature.properties.code] || 0;
            return {
              color: n ? "#07403e" : "#5f6b6d",
              weight: 1,
              dashArray: n ? null : "3 3",
              fillColor: colourFor(n, breaks),
              fillOpacity: n ? 0.7 : 0.6
            };
          },
          onEachFeature: function (feature, shape) {
            var code = feature.properties.code;
            shape.options.className = "coverage-area coverage-" + level + "-" + code;
            shape.bindTooltip(
              fill(messages.coverage, { name: feature.properties.name, n: counts[code] || 0 }),
              { sticky: true, className: "coverage-tooltip" }
            );
          }
        });
        coverage.addLayer(layer);
        ensureHatch(map);
        coverage.bringToBack();
        container.dataset.coverage = level;
        renderLegend(level, breaks);
      });
    }

    function renderLegend(level, breaks) {
      var box = legend.getContainer();
      if (!box) return;
      box.textContent = "";
      var title = document.createElement("p");
      title.className = "map-legend__title";
      title.textContent = level === "region" ? messages.legend_region : messages.legend_departement;
      box.appendChild(title);
      var list = document.createElement("ul");
      function row(swatchClass, colour, text) {
        var item = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "map-legend__swatch " + swatchClass;
        if (colour) swatch.style.background = colour;
        swatch.setAttribute("aria-hidden", "true");
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(text));
        list.appendChild(item);
      }
      row("map-legend__swatch--none", null, messages.legend_none);
      breaks.forEach(function (lower, i) {
        var upper = i + 1 < breaks.length ? breaks[i + 1] - 1 : null;
        var text = upper === null ? "≥ " + formatNumber(lower) : lower === upper ? formatNumber(lower) : formatNumber(lower) + "–" + formatNumber(upper);
        if (upper === null && i === 0 && breaks.length === 1) text = formatNumber(lower);
        row("", PALETTE[PALETTE.length - breaks.length + i], text);
      });
      box.appendChild(list);
    }

    // --- events ---------------------------------------------------------------------------
    form.addEventListener("change", function (event) {
      if (event.target.name === "q" || event.target.name === "territoire") return;
      load({ push: true, fit: !bboxInput.value });
    });
    form.addEventListener("submit", function (event) {
      // A typed territory not chosen among the suggestions (or an emptied box): the server's
      // territory choice resolves it (the box's button, the form's default one).
      var box = form.elements.namedItem("territoire");
      var submitter = event.submitter;
      if (box && submitter && submitter.hasAttribute("formaction") &&
          box.value.trim() !== (box.getAttribute("data-applied") || "")) return;
      event.preventDefault();
      load({ push: true, fit: !bboxInput.value });
    });
    searchZone.hidden = false;
    searchZone.addEventListener("click", function () {
      bboxInput.value = common.visibleZone(map);
      load({ push: true, fit: false });
    });
    clearZone.addEventListener("click", function () {
      bboxInput.value = "";
      load({ push: true, fit: true });
      searchZone.focus();
    });
    window.addEventListener("popstate", function () { window.location.reload(); });

    map.on("overlayadd", function (event) {
      if (event.layer !== coverage) return;
      legend.addTo(map);
      renderCoverage();
    });
    map.on("overlayremove", function (event) {
      if (event.layer === coverage) legend.remove();
    });
    map.on("zoomend", function () {
      container.dataset.zoom = String(map.getZoom());
      if (map.hasLayer(coverage) && container.dataset.coverage !== coverageLevel()) renderCoverage();
    });
    common.enableKeyboardPopups(map);
    var places = document.getElementById("map-places") ? common.readJson("map-places") : [];
    if (places.length) common.placesControl(map, places, messages.places);

    container.dataset.zoom = String(map.getZoom());
    if (bboxInput.value) common.fitZone(map, bboxInput.value);
    load({ push: false, fit: !bboxInput.value });
  };
})();
