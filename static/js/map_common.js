// What every map page shares: the page's config, tier styles, the GCJ-02 shift, the offline background.

export function readConfig() {
  return JSON.parse(document.getElementById("map-config").textContent);
}

export const TIERS = {
  center: { label: "党群服务中心", size: 26 },
  station: { label: "党群服务站", size: 20 },
  point: { label: "党群服务点", size: 14 },
};

// WGS-84 → GCJ-02, the datum of 高德/腾讯 tiles. Our data stays WGS-84 (DESIGN.md section 4); only the
// points drawn on GCJ-02 tiles are shifted. Standard published approximation (≈1 m), China only.
const A = 6378245.0;
const EE = 0.00669342162296594323;

function outOfChina(lat, lng) {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLng(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

export function wgs84ToGcj02(lat, lng) {
  if (outOfChina(lat, lng)) return [lat, lng];
  let dLat = shiftLat(lng - 105, lat - 35);
  let dLng = shiftLng(lng - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lat + dLat, lng + dLng];
}

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
  for (const district of config.districts || []) {
    if (district.boundary) {
      L.geoJSON(district.boundary, {
        coordsToLatLng: ([lng, lat]) => toLatLng(lat, lng),
        style: { color: "#c8102e", weight: 1, opacity: 0.5, fillOpacity: 0.03, dashArray: "4 4" },
        interactive: false,
      }).addTo(map);
    }
    if (district.latitude && district.longitude) {
      L.marker(toLatLng(district.latitude, district.longitude), {
        icon: L.divIcon({ className: "district-label", html: "", iconSize: null }),
        interactive: false,
        keyboard: false,
      })
        .addTo(map)
        .getElement().textContent = district.name;
    }
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
