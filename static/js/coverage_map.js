// The 15-minute coverage map: every located community as a dot, red when no active site lies within
// reach, green when one does. The district outlines come from map_common.js, so it reads without tiles.
import { drawBackground, projector, readConfig } from "./map_common.js";

const config = readConfig();

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  const toLatLng = projector(config);
  drawBackground(map, config, toLatLng);
  const points = [];
  for (const c of config.communities) {
    const point = toLatLng(c.lat, c.lng);
    points.push(point);
    const marker = L.circleMarker(point, {
      radius: c.covered ? 4 : 6,
      color: c.covered ? "#1d5e2c" : "#c8102e",
      fillOpacity: c.covered ? 0.5 : 0.8,
      weight: 1,
    }).addTo(map);
    const distance = c.distance_m === null ? "3 公里内没有阵地" : `最近阵地 ${c.site}：${c.distance_m} 米`;
    const text = document.createElement("div");
    text.textContent = `${c.town} · ${c.name}（${c.covered ? "已覆盖" : "未覆盖"}）${distance}`;
    marker.bindPopup(text);
  }
  if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [20, 20] });
});
