// Open residents' demands as layers on the 红色地图 (services' demand map page), one per category, each
// switched on and off in the layer control. Points come from /demands/map.geojson: already snapped to
// the grid's (or community's) centre, with no text, name, phone or address. They are circle markers,
// so they show with no tiles at all.
import { element, projector, readConfig } from "./map_common.js";

const config = readConfig();
const toLatLng = projector(config);
const status = document.getElementById("demands-status");
const COLOURS = ["#c8102e", "#e07b00", "#1f6fb2", "#2e8b57", "#7b3fa0", "#8a6d3b", "#d6336c", "#495057"];

window.addEventListener("map:init", async (event) => {
  const map = event.detail.map;
  let collection;
  try {
    const response = await fetch(config.demands_api, { headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error("诉求载入失败，请稍后再试。");
    collection = await response.json();
  } catch (error) {
    status.textContent = error.message;
    return;
  }
  const layers = new Map();
  for (const feature of collection.features) {
    const { category, status: state, area } = feature.properties;
    if (!layers.has(category)) layers.set(category, L.layerGroup().addTo(map));
    const colour = COLOURS[(layers.size - 1) % COLOURS.length];
    const [lng, lat] = feature.geometry.coordinates;
    const popup = element("div", {}, element("strong", { text: category }), element("p", { text: `${area} · ${state}` }));
    L.circleMarker(toLatLng(lat, lng), { radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.85 })
      .bindPopup(popup)
      .addTo(layers.get(category));
  }
  const overlays = {};
  for (const [category, layer] of layers) overlays[`${category}（${layer.getLayers().length}）`] = layer;
  if (layers.size) L.control.layers(null, overlays, { collapsed: window.innerWidth < 600 }).addTo(map);
  status.textContent = collection.features.length
    ? `办理中的诉求 ${collection.features.length} 件，可在右上角按类别显示或隐藏。`
    : "当前没有办理中的诉求。";
  status.dataset.loaded = String(collection.features.length);
});
