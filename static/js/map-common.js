/* What the maps of PTCEs share (/carte/: ptce-map.js; /ptce/: directory-map.js; territory
   pages: territory-map.js): texts with placeholders, clustered markers whose clusters have an
   accessible name, the popup of a PTCE, keyboard handling of popups, and the visible zone as
   a bbox. The maps themselves are created by map-start.js.
   Needs Leaflet and Leaflet.markercluster, loaded before; defines window.PortalMap. */
(function () {
  "use strict";
  if (!window.L || !L.markerClusterGroup) return;

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : {};
  }

  /* "{n} PTCE" with {n: 3} → "3 PTCE"; unknown placeholders are left as they are. */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function formatNumber(n) {
    return n.toLocaleString("fr-FR");
  }

  /* "N PTCE sur la carte" from messages.count_none, count_one and count_many ({n}). */
  function countText(n, messages) {
    if (n === 0) return messages.count_none;
    if (n === 1) return messages.count_one;
    return fill(messages.count_many, { n: formatNumber(n) });
  }

  function fetchJson(url, options) {
    return fetch(url, options).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  /* A cluster icon with an accessible name (Leaflet already makes it a focusable button). */
  var LabelledDivIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var icon = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      icon.setAttribute("aria-label", this.options.label);
      return icon;
    }
  });

  /* The popup of a PTCE: name (link), commune and département, themes, link to its page. */
  function popupContent(properties, seePage) {
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
    more.textContent = seePage;
    more.setAttribute("aria-label", seePage + " : " + properties.name);
    box.appendChild(more);
    return box;
  }

  /* A marker cluster group whose clusters are named by clusterLabel ("{n} PTCE regroupés…"). */
  function clusterGroup(clusterLabel) {
    return L.markerClusterGroup({
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
          label: fill(clusterLabel, { n: formatNumber(n) })
        });
      }
    });
  }

  /* Keyboard-operable markers (named by their alt text) with their popups, from a GeoJSON
     FeatureCollection of /api/v1/ptce.geojson. */
  function markersOf(collection, seePage) {
    return collection.features.map(function (feature) {
      var c = feature.geometry.coordinates;
      var name = feature.properties.name;
      var marker = L.marker([c[1], c[0]], { title: name, alt: name, keyboard: true });
      marker.bindPopup(function () { return popupContent(feature.properties, seePage); }, { maxWidth: 300 });
      return marker;
    });
  }

  /* Keyboard users: a popup opened from a focused marker gives the focus to its first link,
     Escape closes it and the marker gets the focus back. */
  function enableKeyboardPopups(map) {
    var keyboardPopup = null;
    function iconOf(popup) {
      var source = popup._source;
      return source && source.getElement && source.getElement();
    }
    map.on("popupopen", function (event) {
      var popupElement = event.popup.getElement();
      var icon = iconOf(event.popup);
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
      var icon = iconOf(event.popup);
      var lost = !document.activeElement || document.activeElement === document.body ||
        event.popup.getElement().contains(document.activeElement);
      if (icon && lost) icon.focus();
    });
  }

  /* The visible part of the map as "west,south,east,north" (5 decimals), wrapped into
     [-180, 180] (west greater than east when it crosses the antimeridian). */
  function visibleZone(map) {
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

  /* Leaflet bounds of a "west,south,east,north" value, or null when it is not one. */
  function zoneBounds(value) {
    var parts = String(value || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(isNaN)) return null;
    var east = parts[2] < parts[0] ? parts[2] + 360 : parts[2];
    return L.latLngBounds([[parts[1], parts[0]], [parts[3], east]]);
  }

  function fitZone(map, value) {
    var bounds = zoneBounds(value);
    if (bounds) map.fitBounds(bounds);
  }

  /* A control listing places (France métropolitaine, the overseas régions…) as buttons that
     move the map there: the default view cannot show them all at once.
     places: [{name, latitude, longitude, zoom}]; label: the list's accessible name. */
  function placesControl(map, places, label) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var nav = L.DomUtil.create("nav", "map-places");
      nav.setAttribute("aria-label", label);
      var list = L.DomUtil.create("ul", "", nav);
      places.forEach(function (place) {
        var button = L.DomUtil.create("button", "map-places__button", L.DomUtil.create("li", "", list));
        button.type = "button";
        button.textContent = place.name;
        button.addEventListener("click", function () {
          map.setView([place.latitude, place.longitude], place.zoom);
        });
      });
      L.DomEvent.disableClickPropagation(nav);
      return nav;
    };
    return control.addTo(map);
  }

  window.PortalMap = {
    placesControl: placesControl,
    readJson: readJson,
    fill: fill,
    formatNumber: formatNumber,
    countText: countText,
    fetchJson: fetchJson,
    LabelledDivIcon: LabelledDivIcon,
    popupContent: popupContent,
    clusterGroup: clusterGroup,
    markersOf: markersOf,
    enableKeyboardPopups: enableKeyboardPopups,
    visibleZone: visibleZone,
    zoneBounds: zoneBounds,
    fitZone: fitZone
  };
})();
