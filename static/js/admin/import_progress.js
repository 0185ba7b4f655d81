// The admin import's progress page (sites/admin_imports.py): poll the job's JSON once a second, move the
// bar, and reload the page when the job has finished, so the server shows the result or the bad rows.
const box = document.getElementById("import-progress");

async function poll() {
  let state;
  try {
    const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    state = await response.json();
  } catch {
    setTimeout(poll, 3000); // a dropped request: try again a little later
    return;
  }
  if (state.finished) {
    window.location.reload();
    return;
  }
  const bar = box.querySelector("progress");
  box.querySelector(".import-status").textContent = state.status_label;
  if (state.total) {
    bar.max = state.total;
    bar.value = state.done;
    box.querySelector(".import-count").textContent =
      `${state.done}/${state.total} 行（${Math.floor((state.done * 100) / state.total)}%）`;
  }
  setTimeout(poll, 1000);
}

if (box) poll();
