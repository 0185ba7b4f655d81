// Each room's free time today, added to a list of rooms whose items carry data-venue (the map popup).
// Data comes from the booking API; without it the list simply stays as it was.
const AVAILABILITY_API = "/api/rooms/availability/";

const hhmm = (iso) => iso.slice(11, 16);
const QUARTER = 15 * 60 * 1000;
const pad = (n) => String(n).padStart(2, "0");

// A span already begun shows from the next quarter hour (what the booking form steps by), not from
// its opening: "今日空闲 08:00–20:00" read at 15:40 would promise time that has gone.
function fromNow(span, now) {
  if (new Date(span.start) >= now) return `${hhmm(span.start)}–${hhmm(span.end)}`;
  const next = new Date(Math.ceil(now.getTime() / QUARTER) * QUARTER);
  return `${pad(next.getHours())}:${pad(next.getMinutes())}–${hhmm(span.end)}`;
}

// A narrow popup wraps between spans, never inside "15:45–20:00" or before a lone "›".
function unbroken(text) {
  const span = document.createElement("span");
  span.className = "nowrap";
  span.textContent = text;
  return span;
}

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
    // Spans ending within the next quarter hour are too short to book.
    const free = today.free.filter((span) => new Date(span.end) - now > QUARTER);
    const parts = today.closed_reason
      ? [`今日闭馆（${today.closed_reason}）`]
      : free.length
        ? ["今日空闲 ", ...free.flatMap((span, i) => [i ? "、" : "", unbroken(fromNow(span, now))])]
        : ["今日已约满"];
    const link = document.createElement("a");
    link.href = room.url;
    link.className = "popup-slots";
    link.append(...parts, unbroken(" · 预约 ›"));
    item.append(document.createElement("br"), link);
  }
}
