// What every map page shares: the page's config, tier styles, the GCJ-02 projector, the offline background.
import { wgs84ToGcj02 } from "./gcj02.js";

export function readConfig() {
  return JSON.parse(document.getElementById("map-config").textContent);
}

export const TIERS = {
  center: { label: "党群服务中心", size: 26 },
  station: { label: "党群服务站", size: 20 },
  point: { label: "党群服务点", size: 14 },
};

// The function that turns our WGS-84 coordinates into the tiles' datum.
export function projector(config) {
  return config.gcj02 ? (lat, lng) => L.latLng(...wgs84ToGcj02(lat, lng)) : (lat, lng) => L.latLng(lat, lng);
}

export function siteIcon(tier, pioneer) {
  const size = TIERS[tier].size;
  return L.divIcon({
    className: `site-marker tier-${tier}${pioneer ? " pioneer" : ""}`,
    html: pioneer ? "★" : "",
    iconSize: [size, size],
    popupAnchor: [0, -size / 2],
  });
}

// A light background with the district outlines and names, so the map reads even when no tile loads.
export function drawBackground(map, config, toLatLng) {
  map.getContainer().classList.add("offline-ready");
  const labels = [];
  for (const district of config.districts || []) {
    if (district.boundary) {
      L.geoJSON(district.boundary, {
        coordsToLatLng: ([lng, lat]) => toLatLng(lat, lng),
        style: { color: "#c8102e", weight: 1, opacity: 0.5, fillOpacity: 0.03, dashArray: "4 4" },
        interactive: false,
      }).addTo(map);
    }
    if (district.latitude && district.longitude) {
      const label = L.marker(toLatLng(district.latitude, district.longitude), {
        icon: L.divIcon({ className: "district-label", html: "", iconSize: null }),
        interactive: false,
        keyboard: false,
      }).addTo(map);
      label.getElement().textContent = district.name;
      labels.push(label.getElement());
    }
  }
  declutter(labels);
  map.on("zoomend viewreset resize", () => declutter(labels));
}

// At city zoom the four central districts' names would lie on top of each other. Labels are kept in
// the page's order (the area tree's), and one that would overlap a label already kept is hidden until
// a closer zoom makes room for it: the same labels show for the same view, every time.
function declutter(labels) {
  const kept = [];
  for (const label of labels) {
    label.classList.remove("is-crowded");
    const box = label.getBoundingClientRect();
    const overlaps = kept.some((k) => box.left < k.right && k.left < box.right && box.top < k.bottom && k.top < box.bottom);
    if (overlaps) label.classList.add("is-crowded");
    else kept.push(box);
  }
}

export function element(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}
