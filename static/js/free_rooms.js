// "使用我的位置": fill the search form's hidden lat/lng from the browser's geolocation and submit.
// Without JavaScript (or without permission) the area drop-down does the same job.
const form = document.getElementById("free-room-search");
const button = document.getElementById("use-location");
const status = document.getElementById("location-status");

if (form && button && "geolocation" in navigator) {
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.lat.value = position.coords.latitude.toFixed(6);
        form.elements.lng.value = position.coords.longitude.toFixed(6);
        form.elements.area.value = "";
        form.submit();
      },
      () => {
        status.textContent = "无法获取位置，请选择一个区域。";
      },
      { timeout: 10000 },
    );
  });
}
