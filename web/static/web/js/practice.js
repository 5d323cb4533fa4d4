// Practice: today's queue from the API, one exercise at a time. Every answer
// goes to the outbox first and leaves it only when the server has it.

import { api, format, readTexts } from "./api.js";
import { newId, outbox } from "./outbox.js";
import { h, renderExercise, renderFeedback } from "./player.js";

const root = document.getElementById("player");
const banner = document.getElementById("outbox");
const texts = readTexts();
const user = root.dataset.user;
const letters = root.dataset.letters;
const sending = new Set();
let queue = [];
let position = 0;
let flushing = false;

async function showWaiting() {
  const count = (await outbox.list(user)).length;
  banner.hidden = count === 0;
  banner.textContent = count === 1 ? texts.waitingOne : format(texts.waitingMany, count);
  banner.dataset.count = String(count);
}

// POST one stored answer: "sent" (the server has it), "refused" (it never
// will: 4xx) or "offline" (try again later).
async function send(record) {
  if (sending.has(record.client_attempt_id)) return { outcome: "busy" };
  sending.add(record.client_attempt_id);
  try {
    const { client_attempt_id, answer, answered_at, duration_ms } = record;
    const response = await api(`exercises/${record.exercise}/attempts/`, {
      method: "POST",
      body: { client_attempt_id, answer, answered_at, duration_ms },
    });
    if (response.ok || (response.status >= 400 && response.status < 500 && ![401, 403, 408, 429].includes(response.status))) {
      await outbox.remove(client_attempt_id);
      return { outcome: response.ok ? "sent" : "refused", response };
    }
    return { outcome: "offline", response };
  } catch {
    return { outcome: "offline" };
  } finally {
    sending.delete(record.client_attempt_id);
  }
}

async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    for (const record of await outbox.list(user)) {
      const { outcome } = await send(record);
      if (outcome === "offline") break;
    }
  } finally {
    flushing = false;
    await showWaiting();
  }
}

async function dispute(attempt, comment) {
  try {
    const response = await api(`attempts/${attempt.id}/dispute/`, { method: "POST", body: { comment } });
    if (response.ok) return { ok: true, text: texts.disputeSent };
    return { ok: false, text: response.data?.message || texts.error };
  } catch {
    return { ok: false, text: texts.error };
  }
}

function showDone() {
  root.replaceChildren(h("p", { class: "done", tabindex: "-1" }, texts.done));
  root.firstChild.focus();
}

function showItem() {
  if (position >= queue.length) return showDone();
  const exercise = queue[position].exercise;
  const started = Date.now();
  renderExercise(root, exercise, {
    texts,
    letters,
    heading: format(texts.itemOf, position + 1, queue.length),
    onAnswer: async (answer, widget) => {
      const record = {
        client_attempt_id: newId(),
        user,
        exercise: exercise.id,
        answer,
        answered_at: new Date().toISOString(),
        duration_ms: Math.min(Date.now() - started, 3600000),
      };
      await outbox.put(record);
      await showWaiting();
      const { outcome, response } = await send(record);
      await showWaiting();
      const next = () => {
        position += 1;
        showItem();
        root.querySelector(".item-heading")?.focus();
      };
      if (outcome === "sent") {
        renderFeedback(root, response.data, { texts, widget, onNext: next, onDispute: dispute });
      } else {
        const message = outcome === "refused" ? response.data?.message || texts.error : texts.savedOffline;
        const box = h("section", { class: "feedback", tabindex: "-1", role: "status" }, h("p", {}, message));
        const button = h("button", { type: "button", class: "button primary", on: { click: next } }, texts.next);
        box.append(h("div", { class: "actions" }, button));
        root.append(box);
        box.focus();
        if (outcome === "refused") widget.check.disabled = false;
      }
    },
  });
}

async function start() {
  root.hidden = false;
  await showWaiting();
  window.addEventListener("online", flush);
  setInterval(() => navigator.onLine && flush(), 30000);
  await flush();
  try {
    const response = await api("reviews/due/?limit=20");
    queue = response.ok ? response.data.results : [];
  } catch {
    root.replaceChildren(h("p", {}, texts.error));
    return;
  }
  showItem();
}

start();
