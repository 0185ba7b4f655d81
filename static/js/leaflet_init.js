// Starts each django-leaflet map of the page, as django-leaflet's inline script would: the options come
// from the map element's data attributes (sites/templatetags/site_tags.py: public_map), so pages carry no
// inline script and no nonce. map.js and site_map.js listen for the "map:init" event this fires.
function start(element) {
  const options = {
    djoptions: JSON.parse(element.dataset.djoptions),
    initfunc: () => start(element),
    globals: false,
    callback: null,
  };
  L.Map.djangoMap(element.id, options);
}

for (const element of document.querySelectorAll("[data-djoptions]")) {
  const events = JSON.parse(element.dataset.loadevents || "[]");
  if (events.length === 0) start(element);
  else for (const name of events) window.addEventListener(name, () => start(element), { once: true });
}
