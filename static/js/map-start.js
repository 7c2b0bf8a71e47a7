/* Starts the maps of a page, with no inline script (a Content-Security-Policy
   "script-src 'self'" holds without any nonce). It replaces django-leaflet's
   {% leaflet_map %}, whose inline script created the map and called a callback.

   A map is declared in the page by an element with data-portal-map:
     {% load leaflet_tags %}{% leaflet_json_config as leaflet_config %}
     <div id="territory-map" data-portal-map data-map-init="territory"
          data-map-config="{{ leaflet_config }}"></div>
   - data-portal-map: empty when the element is the map's container, else the id of the
     container (a declaration apart from it: <div hidden data-portal-map="directory-map" …>);
   - data-map-init: the page's initialiser, a key of window.PortalMaps, registered by the
     page's own script, loaded before this one (territory-map.js: "territory",
     directory-map.js: "directory", point-map.js: "point", ptce-map.js: "full");
   - data-map-config: django-leaflet's {% leaflet_json_config %}, i.e. settings.LEAFLET_CONFIG
     over django-leaflet's defaults (TILES, DEFAULT_CENTER, DEFAULT_ZOOM, MIN_ZOOM, MAX_ZOOM,
     SPATIAL_EXTENT, SCALE, ATTRIBUTION_PREFIX, OVERLAYS), autoescaped in the attribute.
   Once the page is loaded (as django-leaflet did: the containers have their size), each map
   is created as L.Map.djangoMap did: default view, min/max zoom, bounds of SPATIAL_EXTENT,
   the tile layer(s) with their attribution (several: a layers control, map.layerscontrol),
   the scale; never the reset-view control (RESET_VIEW is off in the settings), nor a minimap
   or a custom projection (SRID), which the portal does not use. Then
   window.PortalMaps[init](map, container) is called.
   Needs Leaflet (loaded by {% leaflet_js %}). */
(function () {
  "use strict";
  var registry = window.PortalMaps = window.PortalMaps || {};
  if (!window.L || !window.L.map) return;

  function isNumber(value) {
    return typeof value === "number" && !isNaN(value);
  }

  /* A TILES or OVERLAYS entry: [name, url, options], options being the attribution alone
     in old django-leaflet settings. */
  function tileLayer(entry, extra) {
    var options = typeof entry[2] === "string" ? { attribution: entry[2] } : L.Util.extend({}, entry[2] || {});
    return L.tileLayer(entry[1], L.Util.extend(options, extra || {}));
  }

  function addLayers(map, tiles, overlays) {
    if (!tiles || !tiles.length) return;
    if (tiles.length === 1 && !overlays.length) {
      // The only layer follows the zoom limits of the map.
      var limits = {};
      if (isNumber(map.options.minZoom)) limits.minZoom = map.options.minZoom;
      if (isNumber(map.options.maxZoom)) limits.maxZoom = map.options.maxZoom;
      tileLayer(tiles[0], limits).addTo(map);
      return;
    }
    map.layerscontrol = L.control.layers().addTo(map);
    tiles.forEach(function (entry, i) {
      var layer = tileLayer(entry);
      map.layerscontrol.addBaseLayer(layer, entry[0]);
      if (i === 0) layer.addTo(map); // the first one is shown
    });
    overlays.forEach(function (entry) {
      map.layerscontrol.addOverlay(tileLayer(entry), entry[0]);
    });
  }

  function mapOptions(config) {
    var options = {};
    var extent = config.SPATIAL_EXTENT;
    if (config.DEFAULT_CENTER && isNumber(config.DEFAULT_ZOOM)) {
      options.center = config.DEFAULT_CENTER;
      options.zoom = config.DEFAULT_ZOOM;
    }
    if (isNumber(config.MIN_ZOOM)) options.minZoom = config.MIN_ZOOM;
    if (isNumber(config.MAX_ZOOM)) options.maxZoom = config.MAX_ZOOM;
    if (extent) options.maxBounds = [[extent.ymin, extent.xmin], [extent.ymax, extent.xmax]];
    return options;
  }

  function start(element) {
    var target = element.getAttribute("data-portal-map");
    var container = target ? document.getElementById(target) : element;
    if (!container || container._leaflet_id) return null; // missing, or already a map
    var config;
    try {
      config = JSON.parse(element.getAttribute("data-map-config") || "{}");
    } catch (error) {
      container.setAttribute("data-status", "error");
      return null;
    }
    var map = L.map(container, mapOptions(config));
    addLayers(map, config.TILES, config.OVERLAYS || []);
    if (map.attributionControl && config.ATTRIBUTION_PREFIX !== null &&
        config.ATTRIBUTION_PREFIX !== undefined) {
      map.attributionControl.setPrefix(config.ATTRIBUTION_PREFIX);
    }
    if (config.SCALE) {
      var scale = String(config.SCALE);
      L.control.scale({ metric: /both|metric/.test(scale), imperial: /both|imperial/.test(scale) }).addTo(map);
    }
    var name = element.getAttribute("data-map-init");
    var init = name && Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : null;
    if (typeof init === "function") init(map, container);
    return map;
  }

  function startAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-portal-map]"), start);
  }

  if (document.readyState === "complete") startAll();
  else window.addEventListener("load", startAll);
})();
