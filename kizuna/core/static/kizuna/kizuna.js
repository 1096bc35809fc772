// Small behaviours that the strict CSP (no inline script) requires to live here.

// Phone menu (and other panels folded on phones, such as the directory's filters): collapsible only when
// this script runs, so they stay usable without JS.
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".nav-toggle, .panel-toggle");
  if (!toggle) return;
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  document.getElementById(toggle.getAttribute("aria-controls")).classList.toggle("open", open);
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// Copy buttons: <button data-copy-target="input-id" data-copied-label="Copied">.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy");  // older browsers and non-HTTPS origins
  }
  button.textContent = button.dataset.copiedLabel;
});

// Read-only fields meant to be copied select their whole value when focused.
document.addEventListener("focusin", (event) => {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});

// A button may ask for confirmation of its own action when several actions share one form.
document.addEventListener("submit", (event) => {
  const message = event.submitter && event.submitter.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// <input type="checkbox" data-check-all="NAME"> ticks every checkbox named NAME in the same form.
document.addEventListener("change", (event) => {
  const name = event.target.dataset && event.target.dataset.checkAll;
  if (!name || !event.target.form) return;
  for (const box of event.target.form.querySelectorAll(`input[type=checkbox][name="${name}"]`)) {
    box.checked = event.target.checked;
  }
});
