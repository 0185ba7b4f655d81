// The header's links fold into a 菜单 button on a phone. Without JavaScript they stay a plain list.
const bar = document.querySelector(".topbar");
const nav = bar?.querySelector(".topnav");
if (bar && nav) {
  nav.id ||= "topnav";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "menu-button";
  button.setAttribute("aria-controls", nav.id);
  button.setAttribute("aria-expanded", "false");
  // The 待办 count only: 站内信 wears the same badge, and an unread count is not work waiting.
  const count = nav.querySelector("#todo-link .count")?.textContent;
  button.textContent = count ? `菜单（待办 ${count}）` : "菜单";
  nav.before(button);
  bar.classList.add("has-menu");
  button.addEventListener("click", () => {
    const open = bar.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", String(open));
  });
}
