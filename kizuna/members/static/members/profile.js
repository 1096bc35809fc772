// The profile form without reloads: career rows, links, skill tags and a photo preview.
// Without this script the form still works: one empty career row, five link boxes, a plain skills box.

// Career rows: "Add a position" copies the empty row of the formset; "Remove" ticks the row's DELETE box.
function setUpCareer(form) {
  const rows = form.querySelector("[data-career-rows]");
  const template = form.querySelector("[data-career-template]");
  const add = form.querySelector("[data-add-career]");
  const total = form.querySelector("input[name='career-TOTAL_FORMS']");
  const max = form.querySelector("input[name='career-MAX_NUM_FORMS']");
  if (!rows || !template || !add || !total) return;
  const showRemove = (row) => {
    row.querySelector("[data-delete-box]").hidden = true;
    row.querySelector("[data-remove-career]").hidden = false;
  };
  rows.querySelectorAll("[data-career-row]").forEach(showRemove);
  add.hidden = false;
  add.addEventListener("click", () => {
    const index = Number(total.value);
    if (max && index >= Number(max.value)) return;
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    showRemove(row);
    row.querySelector("select, input:not([type=hidden])").focus();
  });
  rows.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove-career]");
    if (!button) return;
    const row = button.closest("[data-career-row]");
    row.querySelector("input[type=checkbox][name$='-DELETE']").checked = true;
    row.hidden = true;
    add.focus();
  });
}

// Links: the filled boxes and one empty one; "Add a link" shows the next.
function setUpLinks(form) {
  const box = form.querySelector("[data-links]");
  if (!box) return;
  const inputs = Array.from(box.querySelectorAll("input"));
  const add = box.querySelector("[data-add-link]");
  const firstEmpty = inputs.findIndex((input) => !input.value);
  inputs.forEach((input, index) => { input.hidden = firstEmpty !== -1 && index > firstEmpty && !input.value; });
  const refresh = () => { add.hidden = !inputs.some((input) => input.hidden); };
  add.addEventListener("click", () => {
    const next = inputs.find((input) => input.hidden);
    if (next) { next.hidden = false; next.focus(); }
    refresh();
  });
  refresh();
}

// Skills: the typed list is shown as tags below the box; a tag's × takes it out of the list.
const SKILL_SEPARATORS = /[、,，\n]/;
function setUpSkills(form) {
  const input = form.querySelector("input[name='skills']");
  if (!input) return;
  const tags = document.createElement("ul");
  tags.className = "tags editable";
  tags.setAttribute("aria-live", "polite");
  input.insertAdjacentElement("afterend", tags);
  const separator = document.documentElement.lang === "ja" ? "、" : ", ";
  const names = () => input.value.split(SKILL_SEPARATORS).map((s) => s.trim()).filter(Boolean);
  const render = () => {
    tags.replaceChildren(...names().map((name, index) => {
      const item = document.createElement("li");
      item.append(name);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "tag-remove";
      remove.dataset.index = String(index);
      remove.setAttribute("aria-label", `${input.dataset.removeLabel || "Remove"}: ${name}`);
      remove.textContent = "×";
      item.append(remove);
      return item;
    }));
  };
  tags.addEventListener("click", (event) => {
    const button = event.target.closest(".tag-remove");
    if (!button) return;
    const kept = names().filter((_, index) => index !== Number(button.dataset.index));
    input.value = kept.join(separator);
    render();
    input.focus();
  });
  input.addEventListener("input", render);
  render();
}

// Photo: the chosen file is shown before saving (read as a data: URL, which the CSP allows for images).
function setUpPhoto(form) {
  const input = form.querySelector("input[name='photo']");
  const preview = form.querySelector("[data-photo-preview]");
  if (!input || !preview) return;
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    if (!file || !file.type.startsWith("image/")) return;
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      const image = document.createElement("img");
      image.className = "avatar large";
      image.alt = input.dataset.previewLabel || "";
      image.src = reader.result;
      preview.replaceChildren(image);
    });
    reader.readAsDataURL(file);
  });
}

document.querySelectorAll("form.profile-form").forEach((form) => {
  setUpCareer(form);
  setUpLinks(form);
  setUpSkills(form);
  setUpPhoto(form);
});
