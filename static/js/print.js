// The 公示 page's print button: no inline handlers (DESIGN.md), so it is wired here.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
