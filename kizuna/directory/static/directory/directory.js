// The directory page (名簿): tidy shareable URLs, and keyboard focus after "Show more".

// Empty fields stay out of the URL htmx requests and puts in the address bar (?q=林, not ?q=林&member_type=&…).
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.elt.id !== "directory-form") return;
  const data = event.detail.formData;
  for (const [key, value] of [...data.entries()]) {
    if (typeof value === "string" && !value.trim()) data.delete(key);
  }
});

// "Show more" is replaced by the next cards: focus moves to the first of them instead of being lost.
let focusFirstNewCard = false;
document.addEventListener("click", (event) => {
  if (event.target.closest(".directory-more a")) focusFirstNewCard = true;
});
document.addEventListener("htmx:load", (event) => {
  const card = event.target;
  if (!focusFirstNewCard || !(card instanceof Element) || !card.matches(".member-card")) return;
  focusFirstNewCard = false;
  const link = card.querySelector("h3 a");
  if (link) {
    link.focus();
  } else {
    card.tabIndex = -1;
    card.focus();
  }
});

// On phones the filters fold away once applied, so the results are right below the search box.
document.addEventListener("submit", (event) => {
  if (event.target.id !== "directory-form") return;
  const toggle = event.target.querySelector(".filter-toggle");
  if (!toggle || !toggle.offsetParent || toggle.getAttribute("aria-expanded") !== "true") return;
  toggle.setAttribute("aria-expanded", "false");
  document.getElementById(toggle.getAttribute("aria-controls")).classList.remove("open");
});
