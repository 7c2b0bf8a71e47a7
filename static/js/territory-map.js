/* The small map of a territory page (templates/includes/territory_map.html): the outline of
   a département or région (from /api/v1/outlines/…?code=) and the PTCEs found there (from
   /api/v1/ptce.geojson?<kind>=<code>), clustered, with their popups. The container's data
   attributes give the URLs, a fallback centre and the translated labels; it gets
   data-status ("ready" or "error") and data-points (markers loaded).
   Registered as window.PortalMaps.territory, started by map-start.js
   (data-portal-map data-map-init="territory" on the container).
   Needs map-common.js (window.PortalMap). */
(function () {
  "use strict";
  var common = window.PortalMap;
  if (!common) return;

  var OUTLINE_STYLE = { color: "#0b5c59", weight: 2, fillColor: "#0b5c59", fillOpacity: 0.08 };

  function fetchOptional(url) {
    return url ? common.fetchJson(url) : Promise.resolve(null);
  }

  (window.PortalMaps = window.PortalMaps || {}).territory = function (map, container) {
    var data = container.dataset;
    var markers = common.clusterGroup(data.labelCluster || "{n}");
    map.scrollWheelZoom.disable();
    common.enableKeyboardPopups(map);

    Promise.all([fetchOptional(data.outlineUrl), fetchOptional(data.pointsUrl)])
      .then(function (results) {
        var bounds = L.latLngBounds([]);
        if (results[0]) {
          var outline = L.geoJSON(results[0], { interactive: false, style: OUTLINE_STYLE }).addTo(map);
          bounds.extend(outline.getBounds());
        }
        var list = results[1] ? common.markersOf(results[1], data.labelSeePage || "") : [];
        markers.addLayers(list);
        markers.addTo(map);
        if (!bounds.isValid() && list.length) bounds = markers.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { maxZoom: 11, padding: [12, 12] });
        } else if (data.lat && data.lon) {
          map.setView([parseFloat(data.lat), parseFloat(data.lon)], 10);
        }
        container.dataset.points = String(list.length);
        container.dataset.status = "ready";
      })
      .catch(function () { container.dataset.status = "error"; });
  };
})();
