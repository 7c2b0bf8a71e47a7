/* Point picker of the PTCE admin form (directory/admin_forms.py): a Leaflet map above the
   latitude/longitude fields. Clicking the map or dragging the marker fills the fields
   (6 decimals); typing in them moves the marker; "Centrer sur la commune" puts the marker on
   the town hall of the seat commune chosen in the autocomplete (select2) field. Settings and
   texts come from data attributes of the latitude field. */
(function () {
  "use strict";
  var DECIMALS = 6;

  function parse(input, limit) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isNaN(value) || Math.abs(value) > limit ? null : value;
  }

  function round(value) {
    return value.toFixed(DECIMALS).replace(/\.?0+$/, "");
  }

  function init() {
    var lat = document.querySelector("input[data-point-picker='latitude']");
    var lon = document.getElementById("id_longitude");
    if (!lat || !lon || !window.L) return;
    var data = lat.dataset;
    var row = lat.closest(".form-row") || lat.parentNode;

    var box = document.createElement("div");
    box.className = "point-picker";
    var mapElement = document.createElement("div");
    mapElement.className = "point-picker__map";
    mapElement.id = "point-picker-map";
    mapElement.setAttribute("role", "region");
    mapElement.setAttribute("aria-label", data.labelMap);
    var tools = document.createElement("div");
    tools.className = "point-picker__tools";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button point-picker__center";
    button.textContent = data.labelCenter;
    var status = document.createElement("p");
    status.className = "point-picker__status";
    status.setAttribute("role", "status");
    tools.appendChild(button);
    tools.appendChild(status);
    box.appendChild(mapElement);
    box.appendChild(tools);
    row.parentNode.insertBefore(box, row);

    var center = data.defaultCenter.split(",").map(Number);
    var map = L.map(mapElement, { center: center, zoom: parseInt(data.defaultZoom, 10) || 5 });
    L.tileLayer(data.tilesUrl, { attribution: data.tilesAttribution, maxZoom: 18 }).addTo(map);
    var marker = null;

    function place(latlng, options) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, title: data.labelMarker, alt: data.labelMarker }).addTo(map);
        marker.on("dragend", function () { fill(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
      if (options && options.zoom) map.setView(latlng, options.zoom);
      else if (!map.getBounds().contains(latlng)) map.panTo(latlng);
    }

    function fill(latlng) {
      var wrapped = latlng.wrap();
      lat.value = round(wrapped.lat);
      lon.value = round(wrapped.lng);
      [lat, lon].forEach(function (input) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    function fromFields(options) {
      var la = parse(lat, 90);
      var lo = parse(lon, 180);
      if (la !== null && lo !== null) place(L.latLng(la, lo), options);
    }

    map.on("click", function (event) {
      place(event.latlng);
      fill(event.latlng);
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("input", function () { fromFields(); });
    });
    fromFields({ zoom: 13 });

    // The seat commune: an admin autocomplete (select2), whose events go through jQuery.
    var commune = document.getElementById("id_seat_commune");
    function communeId() { return commune && commune.value ? commune.value : ""; }
    function updateButton() {
      button.disabled = !communeId();
      button.title = button.disabled ? data.labelNoCommune : "";
    }
    if (commune && window.django && window.django.jQuery) {
      window.django.jQuery(commune).on("change", function () {
        status.textContent = "";
        updateButton();
      });
    } else if (commune) {
      commune.addEventListener("change", updateButton);
    }
    updateButton();

    button.addEventListener("click", function () {
      var id = communeId();
      if (!id) { status.textContent = data.labelNoCommune; return; }
      var url = data.communePointUrl.replace("/0/", "/" + encodeURIComponent(id) + "/");
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (!result.ok) { status.textContent = result.body.error || data.labelFailed; return; }
          var latlng = L.latLng(result.body.latitude, result.body.longitude);
          place(latlng, { zoom: 15 });
          fill(latlng);
          status.textContent = data.labelCentered.replace("%(name)s", result.body.name);
        })
        .catch(function () { status.textContent = data.labelFailed; });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
