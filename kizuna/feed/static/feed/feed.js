// @mention autocomplete for textareas marked data-mentions: typing "@" and a few letters of a name lists
// members (/feed/mentions/); choosing one writes @[名前](/members/ID/), which the server turns into a
// mention (and a link) — people who cannot see the post, or who blocked the author, are not told.
(() => {
  const URL_PATH = "/feed/mentions/";
  let timer = null;

  const queryBefore = (area) => {
    const text = area.value.slice(0, area.selectionStart);
    const match = /(^|\s)@([^\s@[\]()]{1,20})$/.exec(text);
    return match ? { query: match[2], start: area.selectionStart - match[2].length - 1 } : null;
  };

  const close = (list) => { list.hidden = true; list.replaceChildren(); };

  const choose = (area, list, item) => {
    const found = queryBefore(area);
    if (!found) return close(list);
    const before = area.value.slice(0, found.start);
    const after = area.value.slice(area.selectionStart);
    const markup = item.dataset.markup + " ";
    area.value = before + markup + after;
    area.selectionStart = area.selectionEnd = before.length + markup.length;
    close(list);
    area.focus();
  };

  const show = async (area, list) => {
    const found = queryBefore(area);
    if (!found) return close(list);
    const response = await fetch(`${URL_PATH}?q=${encodeURIComponent(found.query)}`, { credentials: "same-origin" });
    if (!response.ok) return close(list);
    const { members } = await response.json();
    list.replaceChildren(...members.map((member, index) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(index === 0));
      li.dataset.markup = member.markup;
      li.textContent = member.name;
      const kana = document.createElement("span");
      kana.className = "kana";
      kana.textContent = member.kana;
      li.append(kana);
      return li;
    }));
    list.hidden = members.length === 0;
  };

  document.addEventListener("input", (event) => {
    const area = event.target.closest("textarea[data-mentions]");
    if (!area) return;
    const list = area.closest(".mention-host")?.querySelector(".mention-list");
    if (!list) return;
    clearTimeout(timer);
    timer = setTimeout(() => show(area, list), 150);
  });

  document.addEventListener("keydown", (event) => {
    const area = event.target.closest("textarea[data-mentions]");
    const list = area?.closest(".mention-host")?.querySelector(".mention-list");
    if (!list || list.hidden) return;
    const items = [...list.children];
    const current = items.findIndex((li) => li.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = (current + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach((li, index) => li.setAttribute("aria-selected", String(index === next)));
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      choose(area, list, items[Math.max(current, 0)]);
    } else if (event.key === "Escape") {
      close(list);
    }
  });

  document.addEventListener("mousedown", (event) => {
    const item = event.target.closest(".mention-list li");
    if (!item) return;
    event.preventDefault();
    const host = item.closest(".mention-host");
    choose(host.querySelector("textarea[data-mentions]"), host.querySelector(".mention-list"), item);
  });
})();

// The group choice only matters for a group post: shown when "A group" is the audience.
(() => {
  const sync = (form) => {
    const audience = form.querySelector("select[name=audience]");
    const group = form.querySelector("select[name=group]");
    if (!audience || !group) return;
    group.closest(".field").hidden = audience.value !== "group";
  };
  document.querySelectorAll("form").forEach(sync);
  document.addEventListener("change", (event) => {
    if (event.target.matches("select[name=audience]")) sync(event.target.form);
  });
})();
