// Changing the sort order re-sorts at once; without JS the Sort button does it.
// On a phone the filter panel starts folded so the results come first; without JS it stays open.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector(".filter-panel");
  if (panel && window.matchMedia("(max-width: 48rem)").matches) panel.open = false;
});
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.form && select.form.classList.contains("sort-form")) {
    select.form.requestSubmit();
  }
});
