/* The small map of a territory page (templates/includes/territory_map.html): the outline of
   a département or région (from /api/v1/outlines/…?code=) and the PTCEs found there (from
   /api/v1/ptce.geojson?<kind>=<code>), clustered. The container's data attributes give the
   URLs, a fallback centre and the translated labels.
   Used as django-leaflet's callback: {% leaflet_map "…" callback="window.portalTerritoryMap" %}. */
window.portalTerritoryMap = function (map) {
  "use strict";
  var container = map.getContainer();
  var data = container.dataset;
  map.scrollWheelZoom.disable();

  function fetchJson(url) {
    if (!url) return Promise.resolve(null);
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  var LabelledDivIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var icon = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      icon.setAttribute("aria-label", this.options.label);
      return icon;
    }
  });

  function popup(properties) {
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
    if (properties.themes.length) {
      var themes = document.createElement("p");
      themes.textContent = properties.themes.join(", ");
      box.appendChild(themes);
    }
    return box;
  }

  var markers = L.markerClusterGroup({
    showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      var n = cluster.getChildCount();
      var inner = document.createElement("div");
      var count = document.createElement("span");
      count.textContent = String(n);
      count.setAttribute("aria-hidden", "true");
      inner.appendChild(count);
      return new LabelledDivIcon({
        html: inner,
        className: "marker-cluster marker-cluster-" + (n < 10 ? "small" : n < 100 ? "medium" : "large"),
        iconSize: L.point(40, 40),
        label: (data.labelCluster || "{n}").replace("{n}", String(n))
      });
    }
  });

  Promise.all([fetchJson(data.outlineUrl), fetchJson(data.pointsUrl)])
    .then(function (results) {
      var bounds = L.latLngBounds([]);
      if (results[0]) {
        var outline = L.geoJSON(results[0], {
          interactive: false,
          style: { color: "#0b5c59", weight: 2, fillColor: "#0b5c59", fillOpacity: 0.08 }
        }).addTo(map);
        bounds.extend(outline.getBounds());
      }
      var features = results[1] ? results[1].features : [];
      markers.addLayers(features.map(function (feature) {
        var c = feature.geometry.coordinates;
        var name = feature.properties.name;
        return L.marker([c[1], c[0]], { title: name, alt: name })
          .bindPopup(function () { return popup(feature.properties); });
      }));
      markers.addTo(map);
      if (!bounds.isValid() && features.length) bounds = markers.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { maxZoom: 11, padding: [12, 12] });
      } else if (data.lat && data.lon) {
        map.setView([parseFloat(data.lat), parseFloat(data.lon)], 10);
      }
      container.dataset.points = String(features.length);
      container.dataset.status = "ready";
    })
    .catch(function () { container.dataset.status = "error"; });
};
