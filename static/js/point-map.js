/* A small map showing one point: the container carries data-lat, data-lon and data-label
   (and may carry data-zoom, 11 by default).
   Registered as window.PortalMaps.point, started by map-start.js
   (data-portal-map data-map-init="point" on the container). */
(function () {
  "use strict";
  (window.PortalMaps = window.PortalMaps || {}).point = function (map, container) {
    var lat = parseFloat(container.dataset.lat);
    var lon = parseFloat(container.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) return;
    var point = [lat, lon];
    map.setView(point, parseInt(container.dataset.zoom || "11", 10));
    L.marker(point, { title: container.dataset.label, alt: container.dataset.label }).addTo(map);
    map.scrollWheelZoom.disable();
  };
})();
