/* Full-page map (/carte/): clustered markers of the PTCEs from /api/v1/ptce.geojson, a
   coverage layer (PTCEs per département, per région below zoom 6) from /api/v1/coverage.json
   and the outlines, and the page's filter form applied without reloading (the URL follows).
   Used as django-leaflet's callback: {% leaflet_map "ptce-map" callback="window.portalFullMap" %}.
   Texts come translated from the page (#map-messages); API addresses from #map-api. */
(function () {
  "use strict";

  var REGION_ZOOM = 6; // below this zoom, the coverage layer shows régions
  var FIT_PARAMETERS = ["q", "region", "departement", "epci", "commune"];
  var PALETTE = ["#cfe8e4", "#93cbc3", "#55a79c", "#1f7d73", "#0b4f4c"];
  var NONE_COLOUR = "#8a9496";
  var HATCH_ID = "ptce-map-hatch";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : {};
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function formatNumber(n) {
    return n.toLocaleString("fr-FR");
  }

  /* A cluster icon with an accessible name (Leaflet already makes it a focusable button). */
  var LabelledDivIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var icon = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      icon.setAttribute("aria-label", this.options.label);
      return icon;
    }
  });

  function popupContent(properties, messages) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("p");
    title.className = "map-popup__title";
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    title.appendChild(link);
    box.appendChild(title);
    var place = document.createElement("p");
    place.className = "map-popup__place";
    place.textContent = (properties.commune ? properties.commune + " " : "") +
      "(" + properties.departement + ")";
    box.appendChild(place);
    if (properties.themes && properties.themes.length) {
      var list = document.createElement("ul");
      list.className = "tags";
      properties.themes.forEach(function (name) {
        var item = document.createElement("li");
        item.className = "tag";
        item.textContent = name;
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    var more = document.createElement("a");
    more.href = properties.url;
    more.className = "map-popup__more";
    more.textContent = messages.see_page;
    more.setAttribute("aria-label", messages.see_page + " : " + properties.name);
    box.appendChild(more);
    return box;
  }

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

  window.portalFullMap = function (map) {
    var container = map.getContainer();
    var api = readJson("map-api");
    var messages = readJson("map-messages");
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

    var markers = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
        var label = document.createElement("span");
        label.textContent = formatNumber(n);
        label.setAttribute("aria-hidden", "true");
        var inner = document.createElement("div");
        inner.appendChild(label);
        return new LabelledDivIcon({
          html: inner,
          className: "marker-cluster marker-cluster-" + size,
          iconSize: L.point(40, 40),
          label: fill(messages.cluster, { n: formatNumber(n) })
        });
      }
    }).addTo(map);
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
        if (String(value).trim() !== "") params.append(key, value);
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
      var text = n === 0 ? messages.count_none : n === 1 ? messages.count_one : fill(messages.count_many, { n: formatNumber(n) });
      count.textContent = text;
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
      var list = collection.features.map(function (feature) {
        var c = feature.geometry.coordinates;
        var name = feature.properties.name;
        var marker = L.marker([c[1], c[0]], { title: name, alt: name, keyboard: true });
        marker.bindPopup(function () { return popupContent(feature.properties, messages); }, { maxWidth: 300 });
        return marker;
      });
      markers.clearLayers();
      markers.addLayers(list);
      setCount(list.length);
    }

    function load(options) {
      var params = formQuery();
      var listParams = new URLSearchParams(params);
      listParams.delete("bbox");
      listLink.href = withQuery(api.list, listParams);
      if (options.push) window.history.pushState(null, "", withQuery(form.getAttribute("action"), params));
      showZone(params.has("bbox"));
      if (controller) controller.abort();
      controller = new AbortController();
      busy.setAttribute("aria-busy", "true");
      container.dataset.status = "loading";
      var points = fetch(withQuery(api.points, params), { signal: controller.signal })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
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

    function fetchJson(url) {
      return fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
    }

    function fetchCounts(level, params) {
      var query = new URLSearchParams(params);
      query.set("level", level);
      var key = query.toString();
      if (coverageCounts[key]) return Promise.resolve(coverageCounts[key]);
      return fetchJson(api.coverage + "?" + key).then(function (data) {
        coverageCounts[key] = data.counts;
        return data.counts;
      });
    }

    function fetchOutlines(level) {
      if (!outlines[level]) outlines[level] = fetchJson(level === "region" ? api.regions : api.departements);
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

    function currentZone() {
      var bounds = map.getBounds();
      var west = bounds.getWest();
      var east = bounds.getEast();
      if (east - west >= 360) { west = -180; east = 180; } else {
        west = L.Util.wrapNum(west, [-180, 180], true);
        east = L.Util.wrapNum(east, [-180, 180], true);
      }
      var south = Math.max(-90, bounds.getSouth());
      var north = Math.min(90, bounds.getNorth());
      return [west, south, east, north].map(function (v) { return Math.round(v * 1e5) / 1e5; }).join(",");
    }

    function fitZone(value) {
      var parts = value.split(",").map(Number);
      if (parts.length !== 4 || parts.some(isNaN)) return;
      var east = parts[2] < parts[0] ? parts[2] + 360 : parts[2];
      map.fitBounds([[parts[1], parts[0]], [parts[3], east]]);
    }

    // --- events ---------------------------------------------------------------------------
    form.addEventListener("change", function (event) {
      if (event.target.name === "q") return;
      load({ push: true, fit: !bboxInput.value });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load({ push: true, fit: !bboxInput.value });
    });
    searchZone.hidden = false;
    searchZone.addEventListener("click", function () {
      bboxInput.value = currentZone();
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
    // Keyboard users: the popup's link gets the focus, Escape closes the popup and the
    // marker gets the focus back.
    var keyboardPopup = null;
    map.on("popupopen", function (event) {
      var popupElement = event.popup.getElement();
      var source = event.popup._source;
      var icon = source && source.getElement && source.getElement();
      popupElement.addEventListener("keydown", function (keyEvent) {
        if (keyEvent.key === "Escape") map.closePopup(event.popup);
      });
      keyboardPopup = null;
      if (icon && document.activeElement === icon) {
        var link = popupElement.querySelector("a");
        if (link) { link.focus(); keyboardPopup = event.popup; }
      }
    });
    map.on("popupclose", function (event) {
      if (event.popup !== keyboardPopup) return;
      keyboardPopup = null;
      var source = event.popup._source;
      var icon = source && source.getElement && source.getElement();
      var lost = !document.activeElement || document.activeElement === document.body ||
        event.popup.getElement().contains(document.activeElement);
      if (icon && lost) icon.focus();
    });

    container.dataset.zoom = String(map.getZoom());
    if (bboxInput.value) fitZone(bboxInput.value);
    load({ push: false, fit: !bboxInput.value });
  };
})();
