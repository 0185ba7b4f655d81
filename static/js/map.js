// The 红色地图 (home page) and an area's map: every site from /api/sites/ as clustered markers,
// the filter form driving the map and the URL, "附近" within a 15-minute walk, a popup per site.
import { TIERS, drawBackground, element, projector, readConfig, siteIcon } from "./map_common.js";
import { addFreeSlots } from "./room_slots.js"; // booking hook (services): rooms' free time today
import { addActivities } from "./site_activities.js"; // activities hook (services): what is on next

const config = readConfig();
const toLatLng = projector(config);
const form = document.getElementById("site-filters");
const status = document.getElementById("map-status");
const RESULT_LIST_MAX = 50;
// Who asks their system for less motion gets a map that jumps to the sites instead of gliding there.
const STILL = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

function setStatus(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("is-error", isError);
}

function errorText(body) {
  // DRF's 400 body: {"tier": ["tier 参数应为…"], …}; every message already names its parameter.
  return Object.values(body || {}).flat().join(" ") || "筛选条件有误。";
}

// The query the map shows: the form's non-empty fields plus any filter fixed by the page (an area).
function currentQuery() {
  const params = new URLSearchParams();
  if (form) {
    for (const [name, value] of new FormData(form)) if (value.trim()) params.set(name, value.trim());
  }
  for (const [name, value] of Object.entries(config.fixed || {})) params.set(name, value);
  return params;
}

async function fetchSites(params) {
  const response = await fetch(`${config.api}?${params}`, { headers: { Accept: "application/geo+json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(errorText(body));
  return body;
}

// The popup opens wholly inside the map, clear of the zoom buttons (top left) and the attribution
// (bottom right), and never taller than the room left between them (its content then scrolls), so
// Leaflet's auto-pan can always bring all of it into view, on a phone as on a desktop.
const POPUP_GAP = 8;
const POPUP_TIP = 24; // the tip below the box and the marker's half-height it points at

function controlEdge(map, selector, edge) {
  const control = map.getContainer().querySelector(selector);
  if (!control) return 0;
  const mapBox = map.getContainer().getBoundingClientRect();
  const box = control.getBoundingClientRect();
  return edge === "bottom" ? box.bottom - mapBox.top : mapBox.bottom - box.top;
}

function fitPopup(map, popup) {
  const top = controlEdge(map, ".leaflet-top.leaflet-left .leaflet-control", "bottom") + POPUP_GAP;
  const bottom = controlEdge(map, ".leaflet-bottom.leaflet-right .leaflet-control", "top") + POPUP_GAP;
  Object.assign(popup.options, {
    autoPanPaddingTopLeft: L.point(POPUP_GAP, top),
    autoPanPaddingBottomRight: L.point(POPUP_GAP, bottom),
    // The content box: Leaflet's wrapper adds 44 px of margins across and 26 px down.
    maxWidth: Math.min(280, map.getSize().x - 2 * POPUP_GAP - 44),
    maxHeight: Math.max(120, map.getSize().y - top - bottom - POPUP_TIP - 26),
  });
  popup.update(); // lays the popup out again and pans the map to show it
}

function popupContent(feature, changed) {
  const { name, tier } = feature.properties;
  const box = element(
    "div",
    { class: "site-popup" },
    element("strong", { class: "popup-name", text: name }),
    element("div", { class: `tier-tag tier-${tier}`, text: TIERS[tier].label }),
    element("div", { class: "popup-body muted", text: "正在载入…" }),
  );
  fillPopup(box, feature.id).then(changed);
  return box;
}

async function fillPopup(box, id) {
  const body = box.querySelector(".popup-body");
  try {
    const response = await fetch(`${config.api}${id}/`);
    if (!response.ok) throw new Error(String(response.status));
    const site = (await response.json()).properties;
    const rooms = element("ul", { class: "popup-rooms" });
    for (const room of site.rooms) {
      rooms.append(element("li", { "data-venue": room.id, text: `${room.name} · 可容纳 ${room.capacity} 人` }));
    }
    body.replaceChildren(
      element("div", { text: site.address }),
      element("div", { text: `今日开放：${site.hours_today}` }),
      ...(site.rooms.length ? [element("div", { text: "活动室：" }), rooms] : []),
      element("a", { href: site.url, text: "查看详情 ›" }),
    );
    body.classList.remove("muted");
    await Promise.all([
      site.rooms.length ? addFreeSlots(rooms, id) : null, // booking hook (services)
      addActivities(body, id), // activities hook (services)
    ]);
  } catch {
    body.textContent = "详情暂时无法载入，请稍后再试。";
  }
}

function siteMarker(feature) {
  const [lng, lat] = feature.geometry.coordinates;
  const { name, tier, pioneer } = feature.properties;
  const marker = L.marker(toLatLng(lat, lng), { icon: siteIcon(tier, pioneer), title: name, alt: name });
  marker.feature = feature;
  // Leaflet calls a content function on every update(), so each opening builds its content once (fresh
  // details each time). They arrive after the popup opened and make it taller: update() lays it out and
  // pans again (it does nothing once the popup is closed).
  let content = null;
  const changed = () => marker.getPopup().update();
  marker.bindPopup(() => (content ??= popupContent(feature, changed)), { maxWidth: 280, minWidth: 200 });
  marker.on("popupclose", () => {
    content = null;
  });
  return marker;
}

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 44 : 52;
  return L.divIcon({ html: `<span>${count}</span>`, className: "site-cluster", iconSize: [size, size] });
}

function listItem(feature, markersById, clusters, extra = "") {
  const link = element("a", { href: config.site_url.replace("/0/", `/${feature.id}/`), text: feature.properties.name });
  link.addEventListener("click", (event) => {
    const marker = markersById.get(feature.id);
    if (!marker || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    clusters.zoomToShowLayer(marker, () => marker.openPopup());
  });
  const tier = element("span", { class: `tier-tag tier-${feature.properties.tier}`, text: TIERS[feature.properties.tier].label });
  return element("li", {}, tier, " ", link, extra);
}

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  drawBackground(map, config, toLatLng);
  map.on("popupopen", (e) => fitPopup(map, e.popup));
  const clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 45,
    disableClusteringAtZoom: 17,
    iconCreateFunction: clusterIcon,
    animate: !STILL,
  }).addTo(map);
  const markersById = new Map();
  const results = document.getElementById("result-list");
  let loading = null;
  let shown = null; // the query on the map now, or being loaded

  async function load(params = currentQuery()) {
    // Typing fires "input" and, on leaving the box (tapping a marker), "change" for the same query:
    // redrawing then would close the popup just opened.
    if (params.toString() === shown) return;
    shown = params.toString();
    if (form) {
      // The URL always reproduces the view: a shared link opens the same filtered map.
      const query = params.size ? `?${params}` : "";
      history.replaceState(null, "", query || location.pathname);
      const listLink = document.getElementById("list-link");
      if (listLink) listLink.search = query;
    }
    setStatus("正在载入阵地…");
    const request = (loading = fetchSites(params));
    let collection;
    try {
      collection = await request;
    } catch (error) {
      if (request === loading) {
        setStatus(error.message, true);
        shown = null; // the same query may be tried again
      }
      return;
    }
    if (request !== loading) return; // a newer filter won
    clusters.clearLayers();
    markersById.clear();
    const markers = collection.features.map(siteMarker);
    markers.forEach((m) => markersById.set(m.feature.id, m));
    clusters.addLayers(markers);
    if (markers.length) map.fitBounds(clusters.getBounds(), { padding: [24, 24], maxZoom: 16, animate: !STILL });
    setStatus(collection.count ? `共 ${collection.count} 个阵地` : "没有符合条件的阵地。");
    if (results) {
      const few = collection.features.length <= RESULT_LIST_MAX;
      results.replaceChildren(...(few ? collection.features.map((f) => listItem(f, markersById, clusters)) : []));
    }
  }

  if (form) {
    const district = form.elements.district;
    const town = form.elements.town;
    district?.addEventListener("change", () => {
      // Town options follow the chosen district.
      const towns = (config.towns || []).filter((t) => String(t.parent_id) === district.value);
      town.replaceChildren(element("option", { value: "", text: "全部" }));
      for (const t of towns) town.append(element("option", { value: t.id, text: t.name }));
    });
    form.addEventListener("change", () => load());
    let typing;
    form.elements.q?.addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(() => load(), 300);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      load();
    });
    const panel = document.getElementById("filter-panel");
    if (panel && window.matchMedia("(min-width: 768px)").matches) panel.open = true;
  }

  setupNearby(map, markersById, clusters);
  // First the URL exactly as given, so a bad shared link shows its error rather than the whole city.
  load(form ? new URLSearchParams(location.search) : currentQuery());
});

function setupNearby(map, markersById, clusters) {
  const button = document.getElementById("nearby-button");
  if (!button) return;
  const section = document.getElementById("nearby");
  const list = document.getElementById("nearby-list");
  let here = null;
  button.addEventListener("click", () => {
    if (!navigator.geolocation) {
      setStatus("此浏览器无法提供位置。", true);
      return;
    }
    setStatus("正在获取您的位置…");
    navigator.geolocation.getCurrentPosition(
      async ({ coords }) => {
        const params = new URLSearchParams({ near: `${coords.latitude.toFixed(6)},${coords.longitude.toFixed(6)}` });
        let collection;
        try {
          collection = await fetchSites(params);
        } catch (error) {
          setStatus(error.message, true);
          return;
        }
        here?.remove();
        const point = projector(config)(coords.latitude, coords.longitude);
        here = L.layerGroup([
          L.circle(point, { radius: 1000, color: "#c8102e", weight: 1, fillOpacity: 0.05, interactive: false }),
          L.circleMarker(point, { radius: 7, color: "#fff", weight: 2, fillColor: "#1a73e8", fillOpacity: 1 }),
        ]).addTo(map);
        map.fitBounds(here.getLayers()[0].getBounds(), { animate: !STILL });
        section.hidden = false;
        list.replaceChildren(
          ...collection.features.map((f) =>
            listItem(f, markersById, clusters, element("span", { class: "distance", text: ` ${f.properties.distance_m} 米` })),
          ),
        );
        if (!collection.count) list.append(element("li", { class: "muted", text: "步行 15 分钟（约 1 公里）内没有阵地。" }));
        setStatus(`附近 1 公里内有 ${collection.count} 个阵地`);
      },
      (error) => setStatus(`无法获取您的位置：${error.message || "请允许浏览器使用位置信息"}`, true),
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });
}
