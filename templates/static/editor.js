// The review queue's keyboard: j/k move, x not relevant, p pick, y keep, h hide, o open.
// Without JavaScript every button is a plain form; with it the same forms go by fetch and the
// row shows the decision while the page stays where it is.
(() => {
  const table = document.getElementById("review-table");
  const checkAll = document.getElementById("check-all");
  if (checkAll) {
    checkAll.addEventListener("change", () => {
      document.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = checkAll.checked; });
    });
  }
  if (!table) return;
  const rows = () => Array.from(table.querySelectorAll("tbody tr[data-id]"));
  let current = -1;

  function select(index) {
    const all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(index, all.length - 1));
    if (current >= 0 && all[current]) all[current].classList.remove("current");
    current = index;
    const row = all[current];
    row.classList.add("current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function nextWaiting(from) {
    const all = rows();
    for (let i = from + 1; i < all.length; i += 1) if (!all[i].classList.contains("decided")) return i;
    return Math.min(from + 1, all.length - 1);
  }

  // Optimistic: the row counts as decided at once (so the next key goes to the next row);
  // a refusal puts it back and says why.
  function decide(row, decision) {
    const form = row.querySelector("form.decide");
    const data = new FormData(form);
    data.set("decision", decision);
    const status = row.querySelector(".status");
    const wasDecided = row.classList.contains("decided");
    status.textContent = "Saving…";
    row.classList.add("decided");
    const waiting = document.getElementById("waiting-count");
    if (!wasDecided && waiting) waiting.textContent = String(Math.max(0, Number(waiting.textContent) - 1));
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then((reply) => reply.json()).then((body) => {
      status.textContent = body.ok ? body.label : body.message;
      if (body.ok) {
        row.dataset.decision = decision;
        const draft = document.getElementById("draft-count");
        if (decision === "pick" && draft) draft.textContent = String(Number(draft.textContent) + 1);
        return;
      }
      if (!wasDecided) {
        row.classList.remove("decided");
        if (waiting) waiting.textContent = String(Number(waiting.textContent) + 1);
      }
    }).catch((error) => { status.textContent = "Not saved: " + error; });
  }

  table.addEventListener("click", (event) => {
    const button = event.target.closest("button[name=decision]");
    if (!button) return;
    event.preventDefault();
    const row = button.closest("tr");
    const index = rows().indexOf(row);
    decide(row, button.value);
    select(nextWaiting(index));
  });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
    const all = rows();
    if (!all.length) return;
    const row = all[current];
    const decisions = { x: "not_relevant", p: "pick", y: "keep", h: "hide" };
    if (event.key === "j") { event.preventDefault(); select(current + 1); }
    else if (event.key === "k") { event.preventDefault(); select(current - 1); }
    else if (event.key === "o" && row) { event.preventDefault(); row.querySelector("a").click(); }
    else if (decisions[event.key] && row) {
      event.preventDefault();
      decide(row, decisions[event.key]);
      select(nextWaiting(current));
    }
  });

  // Back from a no-JS decision (#row-ID): start at that row.
  const start = location.hash.startsWith("#row-") ? rows().findIndex((r) => "#" + r.id === location.hash) : -1;
  if (start >= 0) select(start);
})();
