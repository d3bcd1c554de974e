// Changing the sort order re-sorts at once; without JS the Sort button does it.
// On a phone the filter panel starts folded so the results come first; without JS it stays open.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector(".filter-panel");
  if (panel && window.matchMedia("(max-width: 48rem)").matches) panel.open = false;
  labelScrollRegions();
});

// A table wider than a phone scrolls inside its .table-scroll box: a keyboard must reach it
// (WCAG 2.1.1). Templates should say tabindex="0" role="region" and a label themselves; this
// covers any that do not, naming the box after the section heading above it.
function labelScrollRegions() {
  for (const box of document.querySelectorAll(".table-scroll:not([tabindex])")) {
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      const caption = box.querySelector("caption");
      const section = box.closest("section");
      const heading = caption || (section && section.querySelector("h2, h3"));
      box.setAttribute("aria-label", heading ? heading.textContent.trim() : "Table");
    }
  }
}
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.form && select.form.classList.contains("sort-form")) {
    select.form.requestSubmit();
  }
});
