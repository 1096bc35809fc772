// A conversation page: the socket tells us about new messages; the server sends everything after the last id
// we have, so nothing is lost or shown twice. When the socket cannot connect, the page polls the same
// "after" endpoint over HTTP until the socket is back.
(() => {
  const chat = document.getElementById("chat");
  if (!chat) return;
  const log = document.getElementById("chat-log");
  const status = document.getElementById("chat-status");
  const form = document.getElementById("chat-compose");
  const text = form && form.querySelector("textarea[name=text]");
  const replyField = form && form.querySelector("input[name=reply_to]");
  const replying = document.getElementById("chat-replying");
  const POLL_MS = 3000;
  // While connected, the page asks now and then for anything after its last id: a notice dropped by an
  // overloaded channel layer then costs half a minute, not the rest of the visit.
  const SYNC_MS = 30000;
  let lastId = Number(chat.dataset.lastId) || 0;
  let socket = null;
  let pollTimer = null;
  let retryDelay = 1000;
  let removed = false;
  let readSent = lastId;

  const fillCsrf = (root) => {
    for (const input of root.querySelectorAll("input[data-csrf]")) input.value = chat.dataset.csrf;
  };
  const showStatus = (message) => {
    status.textContent = message || "";
    status.hidden = !message;
  };
  const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 120;
  const toBottom = () => { log.scrollTop = log.scrollHeight; };

  function markRead() {
    if (document.visibilityState !== "visible" || lastId <= readSent) return;
    readSent = lastId;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "read", id: lastId }));
    } else {
      const body = new FormData();
      body.append("id", String(lastId));
      fetch(chat.dataset.readUrl, { method: "POST", body, headers: { "X-CSRFToken": chat.dataset.csrf } });
    }
  }

  function addMessages(messages) {
    const stick = nearBottom();
    for (const message of messages) {
      if (message.id <= lastId) continue;  // already shown: a poll and the socket may overlap
      const empty = document.getElementById("chat-empty");
      if (empty) empty.remove();
      log.insertAdjacentHTML("beforeend", message.html);
      lastId = message.id;
    }
    fillCsrf(log);
    if (stick) toBottom();
    markRead();
  }

  function replaceMessage(id, html) {
    const old = document.getElementById(`m${id}`);
    if (!old) return;
    old.insertAdjacentHTML("afterend", html);
    old.remove();
    fillCsrf(log);
  }

  function wasRemoved() {
    removed = true;
    stopPolling();
    showStatus(chat.dataset.labelRemoved);
    if (form) form.hidden = true;
  }

  function handle(data) {
    if (data.type === "messages") addMessages(data.messages);
    else if (data.type === "changed") replaceMessage(data.id, data.html);
    else if (data.type === "removed") wasRemoved();
    else if (data.type === "error") showStatus(data.message);
    else if (data.type === "ack") showStatus("");
  }

  // --- Polling fallback -----------------------------------------------------------------------------------
  async function poll() {
    try {
      const response = await fetch(`${chat.dataset.afterUrl}?after=${lastId}`, { headers: { Accept: "application/json" } });
      if (response.status === 404) return wasRemoved();
      if (response.ok) handle(await response.json());
    } catch {
      // offline: the next round tries again
    }
  }
  function startPolling() {
    if (pollTimer || removed) return;
    showStatus(chat.dataset.labelOffline);
    pollTimer = window.setInterval(poll, POLL_MS);
    poll();
  }
  function stopPolling() {
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  // --- Socket ---------------------------------------------------------------------------------------------
  function connect() {
    if (removed) return;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${window.location.host}/ws/chat/${chat.dataset.conversation}/?after=${lastId}&lang=${chat.dataset.lang}`;
    let opened = false;
    try {
      socket = new WebSocket(url);
    } catch {
      startPolling();
      return;
    }
    const giveUp = window.setTimeout(() => { if (!opened) startPolling(); }, 5000);
    socket.addEventListener("open", () => {
      opened = true;
      window.clearTimeout(giveUp);
      retryDelay = 1000;
      stopPolling();
      showStatus("");
      chat.dataset.connected = "true";
    });
    socket.addEventListener("message", (event) => handle(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      window.clearTimeout(giveUp);
      chat.dataset.connected = "false";
      socket = null;
      if (event.code === 4403) return wasRemoved();
      startPolling();
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  // --- Writing --------------------------------------------------------------------------------------------
  function clearReply() {
    if (!replyField) return;
    replyField.value = "";
    replying.hidden = true;
  }

  async function submitForm() {
    const file = form.querySelector("input[type=file]");
    const hasFile = file && file.files.length > 0;
    const body = text.value.trim();
    if (!body && !hasFile) return;
    if (!hasFile && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "send", text: body, reply_to: Number(replyField.value) || null,
                                   client_id: String(Date.now()) }));
    } else {
      showStatus(chat.dataset.labelSending);
      try {
        const response = await fetch(chat.dataset.sendUrl, { method: "POST", body: new FormData(form),
                                                             headers: { Accept: "application/json" } });
        const data = await response.json();
        if (!response.ok) {
          showStatus(data.error || chat.dataset.labelFailed);
          return;
        }
        showStatus("");
        if (!socket) poll();
      } catch {
        showStatus(chat.dataset.labelFailed);
        return;
      }
      if (file) file.value = "";
    }
    text.value = "";
    clearReply();
    text.focus();
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitForm();
    });
    text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submitForm();
      }
    });
  }

  document.addEventListener("click", (event) => {
    const reply = event.target.closest("[data-reply]");
    if (reply && replyField) {
      const message = document.getElementById(`m${reply.dataset.reply}`);
      const author = message.querySelector(".chat-author").textContent;
      const excerpt = (message.querySelector(".chat-text") || message).textContent.trim().slice(0, 60);
      replyField.value = reply.dataset.reply;
      replying.querySelector("span").textContent = `↩ ${author}: ${excerpt}`;
      replying.hidden = false;
      text.focus();
    }
    if (event.target.closest("[data-reply-cancel]")) clearReply();
  });

  window.setInterval(() => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "sync" }));
  }, SYNC_MS);
  document.addEventListener("visibilitychange", markRead);
  // Earlier messages loaded above (htmx): their delete forms need the token too.
  document.body.addEventListener("htmx:afterSwap", () => fillCsrf(log));

  fillCsrf(log);
  if (window.location.hash) {
    const target = document.querySelector(window.location.hash);
    if (target) target.scrollIntoView();
  } else {
    toBottom();
  }
  connect();
})();
