// A site's page: a small map with the site's marker.
import { drawBackground, projector, readConfig, siteIcon } from "./map_common.js";

const config = readConfig();

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  const toLatLng = projector(config);
  const { site } = config;
  drawBackground(map, config, toLatLng);
  const point = toLatLng(site.lat, site.lng);
  L.marker(point, { icon: siteIcon(site.tier, site.pioneer), title: site.name, alt: site.name }).addTo(map);
  map.setView(point, 16);
});
