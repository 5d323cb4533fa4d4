// The live practice room page: history from REST, then live over the v1
// socket (room-socket.js). Words come from the page (#room-texts).

import { api, format } from "./api.js";
import { RoomConnection } from "./room-socket.js";
import { correctionNode, el, excerpt, timeText } from "./room-view.js";

const config = JSON.parse(document.getElementById("room-client").textContent);
const texts = JSON.parse(document.getElementById("room-texts").textContent);
const $ = (id) => document.getElementById(id);
const list = $("messages");
const statusLine = $("room-status");
const presenceLine = $("room-presence");
const typingLine = $("room-typing");
const announcer = $("room-announce");
const noteLine = $("room-note");
const closedBox = $("room-closed");
const composer = $("composer");
const body = $("composer-body");
const bodyLabel = composer.querySelector("label[for=composer-body]");
const sendButton = $("composer-send");
const contextBox = $("composer-context");
const contextText = $("composer-context-text");
const errorLine = $("composer-error");
const mutedLine = $("composer-muted");
const dialog = $("room-dialog");
const earlier = $("earlier");

const messages = new Map(); // seq -> message
const byId = new Map(); // id -> message
const names = new Map(); // user_id -> display name
const moderator = () => config.role === "host" || config.role === "staff";
let mode = null; // {kind: "reply" | "correct", message}
let ended = false;
let mutedTimer = null;
let typingTimer = null;
let typingSentAt = 0;
let readSent = 0;
let readTimer = null;

const connection = new RoomConnection(config.roomId, {
  message: (message, { live }) => {
    list.querySelector(`[data-cmid="${message.client_msg_id}"]`)?.remove();
    const follow = nearEnd();
    place(message);
    if (live && message.author_id !== config.userId) {
      announce(format(texts.newMessage, message.author_name, message.body));
    }
    if (follow || message.author_id === config.userId) scrollToEnd();
    markRead();
  },
  hello: (frame, { reconnected }) => {
    config.role = frame.role;
    setMuted(frame.muted_until);
    setPresence(frame.online);
    if (reconnected) refreshShown();
  },
  frame: receiveFrame,
  sendFailed: (clientMsgId, error) => {
    list.querySelector(`[data-cmid="${clientMsgId}"]`)?.remove();
    if (error.code === "muted") setMuted(error.until);
    showError(error.message);
  },
  error: (error) => showError(error.message),
  state: (name) => {
    statusLine.dataset.state = name;
    statusLine.textContent =
      { open: texts.connected, offline: texts.offline, reconnecting: texts.reconnecting }[name] ??
      texts.connecting;
  },
  closed: (code) => endRoom(code),
});

// --- Messages ----------------------------------------------------------------

function messageNode(message) {
  const mine = message.author_id === config.userId;
  const classes = ["msg", mine && "mine", message.deleted && "deleted"].filter(Boolean);
  const node = el("li", {
    class: classes.join(" "),
    id: `msg-${message.seq}`,
    "data-seq": message.seq,
    tabindex: "-1",
  });
  const author = mine ? `${message.author_name} (${texts.you})` : message.author_name;
  node.append(
    el(
      "p",
      { class: "msg-head" },
      el("span", { class: "msg-author", text: author }),
      " ",
      el("time", { datetime: message.created_at, text: timeText(message.created_at, config.timeZone) }),
    ),
  );
  if (message.deleted) {
    node.append(el("p", { class: "msg-body tombstone", text: texts.deleted }));
    return node;
  }
  if (message.reply_to) {
    const original = byId.get(message.reply_to);
    const quoted = original
      ? `${original.author_name}: ${excerpt(original.deleted ? texts.deleted : original.body)}`
      : texts.aMessage;
    node.append(el("p", { class: "msg-reply", text: format(texts.replyTo, quoted) }));
  }
  node.append(el("p", { class: "msg-body", text: message.body }));
  for (const correction of message.corrections) node.append(correctionNode(correction, texts));
  if (!ended) node.append(actionsNode(message, mine));
  return node;
}

function actionsNode(message, mine) {
  const row = el("div", { class: "msg-actions" });
  const add = (action, label) =>
    row.append(
      el("button", { type: "button", class: "chip", "data-action": action, "data-seq": message.seq, text: label }),
    );
  add("reply", texts.reply);
  if (!mine) add("correct", texts.correct);
  if (!mine) add("report", texts.report);
  if (mine || moderator()) add("delete", texts.delete);
  if (moderator() && !mine && message.author_id) add("mute", texts.mute);
  return row;
}

function remember(message) {
  messages.set(message.seq, message);
  byId.set(message.id, message);
  if (message.author_id) names.set(message.author_id, message.author_name);
}

function place(message) {
  remember(message);
  const follow = nearEnd();
  const node = messageNode(message);
  const shown = $(`msg-${message.seq}`);
  list.querySelector(".msg-empty")?.remove();
  if (shown) shown.replaceWith(node);
  else list.insertBefore(node, list.querySelector(".pending"));
  if (follow) scrollToEnd();
}

function rerender(seq) {
  const message = messages.get(seq);
  if (message) place(message);
}

function pendingNode(frame) {
  return el(
    "li",
    { class: "msg mine pending", "data-cmid": frame.client_msg_id },
    el("p", { class: "msg-head" }, el("span", { class: "msg-author", text: `${config.userName} (${texts.you})` }), " ", el("span", { class: "tag warn", text: texts.pending })),
    el("p", { class: "msg-body", text: frame.body }),
  );
}

function receiveFrame(frame) {
  switch (frame.type) {
    case "message.corrected": {
      const message = messages.get(frame.correction.seq);
      if (message && !message.corrections.some((c) => c.id === frame.correction.id)) {
        message.corrections.push(frame.correction);
        rerender(message.seq);
        if (frame.correction.author_id !== config.userId) {
          announce(format(texts.correctionBy, frame.correction.author_name));
        }
      }
      break;
    }
    case "message.deleted": {
      const message = messages.get(frame.seq);
      if (message) {
        Object.assign(message, { deleted: true, body: "", corrections: [] });
        rerender(frame.seq);
        if (mode?.message.seq === frame.seq) clearMode();
      }
      break;
    }
    case "message.edited":
      if (messages.has(frame.message.seq)) place(frame.message);
      break;
    case "message.reported":
      showNote(texts.reported);
      break;
    case "member.muted":
      if (frame.user_id === config.userId) {
        setMuted(frame.until);
      } else {
        const name = names.get(frame.user_id) ?? texts.someone;
        showNote(
          frame.until
            ? format(texts.mutedMember, name, timeText(frame.until, config.timeZone))
            : format(texts.unmutedMember, name),
        );
      }
      break;
    case "presence":
      setPresence(frame.online);
      break;
    case "typing":
      typingLine.textContent = format(texts.typing, frame.display_name);
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => {
        typingLine.textContent = "";
      }, 4_000);
      break;
    default:
      break;
  }
}

// After a reconnect: deletions and corrections are not numbered, so the
// messages on screen are refreshed from history (docs/api.md).
async function refreshShown() {
  const seqs = [...messages.keys()];
  if (!seqs.length) return;
  const from = Math.min(...seqs) - 1;
  const response = await api(`rooms/${config.roomId}/messages/?after_seq=${from}&limit=100`);
  if (!response.ok) return;
  for (const message of response.data.results) {
    if (messages.has(message.seq)) place(message);
  }
}

// --- Status, presence, muting ------------------------------------------------

function setPresence(online) {
  for (const member of online) names.set(member.user_id, member.display_name);
  const others = online.filter((m) => m.user_id !== config.userId).map((m) => m.display_name);
  presenceLine.textContent = others.length ? format(texts.online, others.join(", ")) : texts.nobodyOnline;
}

function setMuted(until) {
  clearTimeout(mutedTimer);
  const end = until ? new Date(until) : null;
  const muted = end !== null && end > new Date();
  body.disabled = muted;
  sendButton.disabled = muted;
  mutedLine.hidden = !muted;
  mutedLine.textContent = muted ? format(texts.youAreMuted, timeText(until, config.timeZone)) : "";
  if (muted) {
    if (mode) clearMode();
    mutedTimer = setTimeout(() => setMuted(null), Math.min(end - new Date(), 2 ** 31 - 1));
  }
}

function announce(text) {
  announcer.textContent = text;
}

function showNote(text) {
  noteLine.textContent = text;
}

function showError(text) {
  errorLine.textContent = text || texts.error;
  errorLine.hidden = false;
}

function endRoom(code) {
  ended = true;
  connection.stop();
  if (dialog.open) dialog.close("cancel");
  composer.hidden = true;
  typingLine.textContent = "";
  statusLine.textContent = "";
  for (const row of list.querySelectorAll(".msg-actions")) row.remove();
  const links = el("p", { class: "actions" });
  if (code === 4401) {
    links.append(el("a", { class: "button primary", href: config.loginUrl, text: texts.logIn }));
  }
  links.append(el("a", { class: "button", href: config.roomsUrl, text: texts.backToRooms }));
  closedBox.replaceChildren(el("p", { text: texts[`closed${code}`] ?? texts.closed4403 }), links);
  closedBox.hidden = false;
  closedBox.focus();
}

// --- Reading -------------------------------------------------------------------

function nearEnd() {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
}

function scrollToEnd() {
  list.scrollTop = list.scrollHeight;
}

function markRead() {
  if (document.visibilityState !== "visible" || readTimer) return;
  readTimer = setTimeout(() => {
    readTimer = null;
    if (connection.lastSeq > readSent && connection.transmit({ type: "read", seq: connection.lastSeq })) {
      readSent = connection.lastSeq;
    }
  }, 1_000);
}
document.addEventListener("visibilitychange", markRead);

earlier.addEventListener("click", async () => {
  const oldest = Math.min(...messages.keys());
  const response = await api(`rooms/${config.roomId}/messages/?before_seq=${oldest}&limit=50`);
  if (!response.ok) return showError(texts.error);
  const height = list.scrollHeight;
  for (const message of response.data.results.reverse()) {
    remember(message);
    list.prepend(messageNode(message));
  }
  list.scrollTop += list.scrollHeight - height;
  earlier.hidden = !response.data.has_more;
});

// --- Writing -------------------------------------------------------------------

function setMode(kind, message) {
  mode = { kind, message };
  contextBox.hidden = false;
  contextText.textContent = format(kind === "reply" ? texts.replyingTo : texts.correcting, message.author_name);
  if (kind === "correct") {
    body.value = message.body;
    bodyLabel.textContent = texts.correctionLabel;
    sendButton.textContent = texts.sendCorrection;
  }
  body.focus();
}

function clearMode() {
  if (mode?.kind === "correct") body.value = "";
  mode = null;
  contextBox.hidden = true;
  bodyLabel.textContent = texts.messageLabel;
  sendButton.textContent = texts.send;
}

function submit() {
  const text = body.value.trim();
  errorLine.hidden = true;
  if (!text || body.disabled) return;
  if (text.length > config.bodyMax) return showError(format(texts.tooLong, config.bodyMax));
  if (mode?.kind === "correct") {
    const frame = { type: "message.correct", message_id: mode.message.id, body: text };
    if (!connection.transmit(frame)) return showError(texts.offline);
  } else {
    const frame = connection.sendMessage(text, mode?.kind === "reply" ? mode.message.id : undefined);
    list.querySelector(".msg-empty")?.remove();
    list.append(pendingNode(frame));
    scrollToEnd();
  }
  body.value = "";
  clearMode();
  body.focus();
}

composer.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});
body.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  } else if (event.key === "Escape" && mode) {
    clearMode();
  }
});
body.addEventListener("input", () => {
  if (Date.now() - typingSentAt > 2_000 && body.value && connection.transmit({ type: "typing" })) {
    typingSentAt = Date.now();
  }
});
$("composer-cancel").addEventListener("click", () => {
  clearMode();
  body.focus();
});

// --- Moderation and reports (one dialog) ---------------------------------------

function openDialog({ title, message, field, ok, onOk }) {
  $("room-dialog-title").textContent = title;
  $("room-dialog-quote").textContent = `${message.author_name}: ${excerpt(message.body, 120)}`;
  $("room-dialog-field").replaceChildren(...(field ? [field] : []));
  $("room-dialog-ok").textContent = ok;
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue === "ok" && !ended) onOk();
    body.focus();
  };
  dialog.showModal();
  dialog.querySelector("textarea, select, #room-dialog-ok")?.focus();
}

function labelled(id, label, control) {
  control.id = id;
  return el("div", { class: "field" }, el("label", { for: id, text: label }), control);
}

function sendOrSay(frame) {
  if (!connection.transmit(frame)) showError(texts.offline);
}

const ACTIONS = {
  reply: (message) => setMode("reply", message),
  correct: (message) => setMode("correct", message),
  report: (message) => {
    const reason = el("textarea", { required: true, maxlength: "500", rows: "3" });
    openDialog({
      title: texts.report,
      message,
      field: labelled("report-reason", texts.reportReason, reason),
      ok: texts.reportSend,
      onOk: () => sendOrSay({ type: "message.report", message_id: message.id, reason: reason.value.trim() }),
    });
  },
  delete: (message) =>
    openDialog({
      title: texts.deleteConfirm,
      message,
      ok: texts.delete,
      onOk: () => sendOrSay({ type: "message.delete", message_id: message.id }),
    }),
  mute: (message) => {
    const minutes = el("select");
    for (const [value, label] of [["10", texts.mute10], ["60", texts.mute60], ["1440", texts.mute1440], ["0", texts.unmute]]) {
      minutes.append(el("option", { value, text: label }));
    }
    openDialog({
      title: format(texts.muteTitle, message.author_name),
      message,
      field: labelled("mute-minutes", texts.muteFor, minutes),
      ok: texts.mute,
      onOk: () => sendOrSay({ type: "member.mute", user_id: message.author_id, minutes: Number(minutes.value) }),
    });
  },
};

list.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button || ended) return;
  const message = messages.get(Number(button.dataset.seq));
  if (message && !message.deleted) ACTIONS[button.dataset.action](message);
});

// --- Start -----------------------------------------------------------------------

async function start() {
  const response = await connection.loadHistory(50);
  if (!response.ok) {
    if (response.status === 401 || response.data?.code === "not_authenticated") return endRoom(4401);
    if (response.status === 403) return endRoom(4403);
    if (response.status === 404) return endRoom(4404);
    statusLine.textContent = texts.historyError;
    setTimeout(boot, 3_000);
    return;
  }
  list.replaceChildren();
  if (!response.data.results.length) list.append(el("li", { class: "msg-empty", text: texts.empty }));
  for (const message of response.data.results) place(message);
  earlier.hidden = !response.data.has_more;
  composer.hidden = false;
  scrollToEnd();
  connection.connect();
  markRead();
}

function boot() {
  start().catch(() => {
    statusLine.textContent = texts.historyError;
    setTimeout(boot, 3_000);
  });
}
boot();
