// The admin's map picker (sites/widgets.py): the latitude/longitude number inputs stay the truth;
// clicking the map or dragging the marker writes them, typing in them moves the marker.
(function () {
  "use strict";

  function readPoint(latInput, lngInput) {
    const lat = parseFloat(latInput.value);
    const lng = parseFloat(lngInput.value);
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      return null;
    }
    return L.latLng(lat, lng);
  }

  function init(element) {
    const latInput = document.getElementById(element.dataset.latInput);
    const lngInput = document.getElementById(element.dataset.lngInput);
    if (!latInput || !lngInput || element.dataset.ready) return;
    element.dataset.ready = "1";
    const config = JSON.parse(element.dataset.config);
    const start = readPoint(latInput, lngInput);
    const map = L.map(element, { maxZoom: config.maxZoom }).setView(start || config.center, start ? 16 : config.zoom);
    config.tiles.forEach(function ([, url, options]) {
      L.tileLayer(url, options).addTo(map);
    });
    let marker = null;

    function write(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lngInput.value = latlng.wrap().lng.toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      lngInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: "阵地位置（可拖动）" }).addTo(map);
      marker.on("dragend", function () {
        write(marker.getLatLng());
      });
    }

    if (start) place(start);
    map.on("click", function (event) {
      place(event.latlng);
      write(event.latlng);
    });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("input", function () {
        const point = readPoint(latInput, lngInput);
        if (point) {
          place(point);
          map.panTo(point);
        }
      });
    });
    // The admin may lay the form out after load (collapsed fieldsets, narrow screens): re-measure.
    window.addEventListener("resize", function () {
      map.invalidateSize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".location-picker").forEach(init);
  });
})();
