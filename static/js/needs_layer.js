// The 需求清单 as a layer on the 红色地图 (services' need map page): published needs from
// /api/needs/geojson/ (the page's query string is the same filters as the list) as red dots, each
// with a popup linking to the need's page, where a unit's staff claim it.
import { element, projector, readConfig } from "./map_common.js";

const config = readConfig();
const toLatLng = projector(config);
const status = document.getElementById("needs-status");

window.addEventListener("map:init", async (event) => {
  const map = event.detail.map;
  let collection;
  try {
    const response = await fetch(`${config.needs_api}${location.search}`, { headers: { Accept: "application/geo+json" } });
    collection = await response.json();
    if (!response.ok) throw new Error(Object.values(collection).flat().join(" ") || "需求载入失败。");
  } catch (error) {
    status.textContent = error.message;
    return;
  }
  const list = document.getElementById("need-results");
  const layer = L.layerGroup().addTo(map);
  for (const feature of collection.features) {
    const [lng, lat] = feature.geometry.coordinates;
    const url = config.need_url.replace("/0/", `/${feature.id}/`);
    const link = element("a", { href: url, class: "need-link", text: feature.properties.title });
    const popup = element("div", {}, link, element("p", { text: feature.properties.community }));
    L.circleMarker(toLatLng(lat, lng), { radius: 8, color: "#fff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.9 })
      .bindPopup(popup)
      .addTo(layer);
    list.append(element("li", {}, element("a", { href: url, text: `${feature.properties.title}（${feature.properties.community}）` })));
  }
  status.textContent = collection.count ? `共 ${collection.count} 项需求` : "没有已发布的需求。";
});
