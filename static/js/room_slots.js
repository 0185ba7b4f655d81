// Each room's free time today, added to a list of rooms whose items carry data-venue (the map popup).
// Data comes from the booking API; without it the list simply stays as it was.
const AVAILABILITY_API = "/api/rooms/availability/";

const hhmm = (iso) => iso.slice(11, 16);

export async function addFreeSlots(list, siteId) {
  let rooms;
  try {
    const response = await fetch(`${AVAILABILITY_API}?site=${encodeURIComponent(siteId)}`);
    if (!response.ok) return;
    rooms = await response.json();
  } catch {
    return;
  }
  for (const room of rooms) {
    const item = list.querySelector(`[data-venue="${room.id}"]`);
    if (!item) continue;
    const today = room.days[0];
    const now = new Date();
    const free = today.free.filter((span) => new Date(span.end) > now);
    const text = today.closed_reason
      ? `今日闭馆（${today.closed_reason}）`
      : free.length
        ? `今日空闲 ${free.map((s) => `${hhmm(s.start)}–${hhmm(s.end)}`).join("、")}`
        : "今日已约满";
    const link = document.createElement("a");
    link.href = room.url;
    link.className = "popup-slots";
    link.textContent = `${text} · 预约 ›`;
    item.append(document.createElement("br"), link);
  }
}
