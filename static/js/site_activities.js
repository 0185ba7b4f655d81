// A site's next activities, added to its map popup under the rooms (services hook, like room_slots.js).
// Data comes from the activities API; without it the popup simply stays as it was.
const ACTIVITIES_API = "/api/activities/";
const SHOWN = 3;

export async function addActivities(body, siteId) {
  let activities;
  try {
    const response = await fetch(`${ACTIVITIES_API}?site=${encodeURIComponent(siteId)}`);
    if (!response.ok) return;
    activities = (await response.json()).results;
  } catch {
    return;
  }
  if (!activities.length) return;
  const list = document.createElement("ul");
  list.className = "popup-activities";
  for (const activity of activities.slice(0, SHOWN)) {
    const link = document.createElement("a");
    link.href = activity.url;
    link.textContent = activity.title;
    const meta = document.createElement("div");
    meta.className = "muted";
    meta.textContent = `${activity.span_label} · ${activity.places_left ? `余 ${activity.places_left} 个名额` : "已满，可候补"}`;
    const item = document.createElement("li");
    item.append(link, meta);
    list.append(item);
  }
  const heading = document.createElement("div");
  heading.textContent = "近期活动：";
  // Before the 查看详情 link, which stays last.
  body.lastElementChild.before(heading, list);
}
