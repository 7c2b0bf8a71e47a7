/* A small map showing one point: the container carries data-lat, data-lon and data-label.
   Used as django-leaflet's callback: {% leaflet_map "…" callback="window.portalPointMap" %}. */
window.portalPointMap = function (map) {
  "use strict";
  var container = map.getContainer();
  var lat = parseFloat(container.dataset.lat);
  var lon = parseFloat(container.dataset.lon);
  if (isNaN(lat) || isNaN(lon)) return;
  var point = [lat, lon];
  map.setView(point, parseInt(container.dataset.zoom || "11", 10));
  L.marker(point, { title: container.dataset.label, alt: container.dataset.label }).addTo(map);
  map.scrollWheelZoom.disable();
};
