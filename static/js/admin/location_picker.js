// The admin's map picker (sites/widgets.py): the latitude/longitude number inputs stay the truth, in
// WGS-84; clicking the map or dragging the marker writes them, typing in them moves the marker. On GCJ-02
// tiles (高德) the marker is drawn shifted onto the tiles and a picked point is shifted back before it is
// written, so what is stored is always WGS-84.
import { gcj02ToWgs84, wgs84ToGcj02 } from "../gcj02.js";

function readPoint(latInput, lngInput) {
  const lat = parseFloat(latInput.value);
  const lng = parseFloat(lngInput.value);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    return null;
  }
  return [lat, lng];
}

function init(element) {
  const latInput = document.getElementById(element.dataset.latInput);
  const lngInput = document.getElementById(element.dataset.lngInput);
  if (!latInput || !lngInput || element.dataset.ready) return;
  element.dataset.ready = "1";
  const config = JSON.parse(element.dataset.config);
  // WGS-84 [lat, lng] → a point on the tiles, and a point on the tiles → WGS-84 [lat, lng].
  const toMap = config.gcj02 ? (point) => L.latLng(...wgs84ToGcj02(...point)) : (point) => L.latLng(...point);
  const fromMap = config.gcj02
    ? (latlng) => gcj02ToWgs84(latlng.lat, latlng.wrap().lng)
    : (latlng) => [latlng.lat, latlng.wrap().lng];

  const start = readPoint(latInput, lngInput);
  const map = L.map(element, { maxZoom: config.maxZoom });
  map.setView(toMap(start || config.center), start ? 16 : config.zoom);
  config.tiles.forEach(function ([, url, options]) {
    L.tileLayer(url, options).addTo(map);
  });
  let marker = null;

  function write(latlng) {
    const [lat, lng] = fromMap(latlng);
    latInput.value = lat.toFixed(6);
    lngInput.value = lng.toFixed(6);
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

  if (start) place(toMap(start));
  map.on("click", function (event) {
    place(event.latlng);
    write(event.latlng);
  });
  [latInput, lngInput].forEach(function (input) {
    input.addEventListener("input", function () {
      const point = readPoint(latInput, lngInput);
      if (point) {
        place(toMap(point));
        map.panTo(toMap(point));
      }
    });
  });
  // The admin may lay the form out after load (collapsed fieldsets, narrow screens): re-measure.
  window.addEventListener("resize", function () {
    map.invalidateSize();
  });
}

// A module runs after the document is parsed, so the pickers are already there.
document.querySelectorAll(".location-picker").forEach(init);
