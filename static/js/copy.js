// Copy buttons: <button data-copy="input-id" hidden>. Without JavaScript the button stays hidden and the
// read-only field can be selected and copied by hand.
const say = (button, text) => {
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  button.textContent = text;
  setTimeout(() => { button.textContent = label; }, 2000);
};

for (const button of document.querySelectorAll("button[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  if (!field) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      say(button, "已复制");
    } catch {
      // No clipboard permission (plain http on another host): the address is selected, copy by hand.
      say(button, "已选中，请按复制");
    }
  });
}
