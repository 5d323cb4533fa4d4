// A client of the public chat contract (docs/api.md, "WebSocket protocol v1"
// and "Guarantees and the client algorithm"): REST history, then the socket
// with ?after_seq (replays batched); messages applied once each, in seq order; an outbox of
// message.send frames re-sent with their client_msg_id after every hello.
// No DOM here: the page (room.js) gets callbacks.

import { api } from "./api.js";
import { newId } from "./outbox.js";

// Closes after which reconnecting cannot help (the page says why instead).
const FINAL_CLOSES = new Set([4401, 4403, 4404, 4408, 4429]);
const PING_AFTER_MS = 25_000;
const DEAD_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const PAGE = 100;

export class RoomConnection {
  // handlers: message(m, {live}), hello(frame, {reconnected}), frame(frame),
  // sendFailed(clientMsgId, errorFrame), error(errorFrame), state(name), closed(code)
  constructor(roomId, handlers) {
    this.roomId = roomId;
    this.on = handlers;
    this.lastSeq = 0;
    this.outbox = new Map(); // client_msg_id -> message.send frame, oldest first
    this.socket = null;
    this.open = false;
    this.attempt = 0;
    this.helloCount = 0;
    this.stopped = false;
    this.offline = !navigator.onLine;
    this.catchingUp = false;
    this.held = []; // message.new frames that arrived during a catch-up
    this.lastFrameAt = 0;
    this.lastPingAt = 0;
    this.timer = null;
    window.addEventListener("offline", () => this.goOffline());
    window.addEventListener("online", () => this.goOnline());
    setInterval(() => this.keepAlive(), 5_000);
  }

  async loadHistory(limit = 50) {
    const response = await api(`rooms/${this.roomId}/messages/?limit=${limit}`);
    if (!response.ok) return response;
    for (const message of response.data.results) {
      this.lastSeq = Math.max(this.lastSeq, message.seq);
    }
    return response;
  }

  connect() {
    if (this.stopped || this.socket || this.offline) return;
    clearTimeout(this.timer);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    // replay=batch: what was missed comes as message.replay frames of many
    // messages, not one frame each.
    const query = `after_seq=${this.lastSeq}&replay=batch`;
    const url = `${scheme}//${location.host}/ws/rooms/${this.roomId}/?${query}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    this.on.state(this.helloCount ? "reconnecting" : "connecting");
    socket.onmessage = (event) => {
      this.lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.receive(frame);
    };
    socket.onclose = (event) => this.closed(socket, event.code);
  }

  // Drop the socket at once (the network is gone, or it went silent): a close
  // handshake over a dead network could take long to report.
  drop() {
    const socket = this.socket;
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    try {
      socket.close();
    } catch {
      /* already closing */
    }
    this.closed(socket, 1006);
  }

  closed(socket, code) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.open = false;
    if (FINAL_CLOSES.has(code)) {
      this.stop();
      this.on.closed(code);
      return;
    }
    if (this.stopped) return;
    if (this.offline) {
      this.on.state("offline");
      return;
    }
    this.on.state("reconnecting");
    // Exponential backoff with full jitter.
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), Math.random() * ceiling);
  }

  stop() {
    this.stopped = true;
    this.open = false;
    clearTimeout(this.timer);
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.onclose = null;
      socket.onmessage = null;
      socket.close();
    }
  }

  goOffline() {
    this.offline = true;
    if (this.socket) this.drop();
    else this.on.state("offline");
  }

  goOnline() {
    this.offline = false;
    this.attempt = 0;
    this.connect();
  }

  // Ping after 25 s without a frame from the server; after 60 s the socket
  // is dead (the pong never came): drop it and reconnect.
  keepAlive() {
    if (!this.open) return;
    const now = Date.now();
    if (now - this.lastFrameAt > DEAD_AFTER_MS) {
      this.drop();
    } else if (now - this.lastFrameAt > PING_AFTER_MS && now - this.lastPingAt > PING_AFTER_MS) {
      this.lastPingAt = now;
      this.transmit({ type: "ping" });
    }
  }

  transmit(frame) {
    if (!this.open || !this.socket) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  // --- From the server ------------------------------------------------------

  receive(frame) {
    switch (frame.type) {
      case "hello": {
        this.open = true;
        this.attempt = 0;
        const reconnected = this.helloCount > 0;
        this.helloCount += 1;
        this.on.state("open");
        this.on.hello(frame, { reconnected });
        for (const send of this.outbox.values()) this.transmit(send);
        break;
      }
      case "message.new":
        this.receiveMessage(frame.message);
        break;
      case "message.replay":
        for (const message of frame.messages) this.receiveMessage(message);
        break;
      case "resync_required":
        this.catchUp();
        break;
      case "pong":
        break;
      case "error":
        this.receiveError(frame);
        break;
      default:
        this.on.frame(frame);
    }
  }

  receiveMessage(message) {
    if (this.catchingUp) {
      this.held.push(message);
      return;
    }
    if (message.seq <= this.lastSeq) return; // a duplicate
    if (message.seq > this.lastSeq + 1) {
      // A gap: fill it from history, then apply what waits.
      this.held.push(message);
      this.catchUp();
      return;
    }
    this.apply(message, true);
  }

  apply(message, live) {
    this.lastSeq = message.seq;
    this.outbox.delete(message.client_msg_id);
    this.on.message(message, { live });
  }

  async catchUp() {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (;;) {
        const response = await api(
          `rooms/${this.roomId}/messages/?after_seq=${this.lastSeq}&limit=${PAGE}`,
        );
        if (!response.ok) throw new Error(String(response.status));
        for (const message of response.data.results) {
          if (message.seq > this.lastSeq) this.apply(message, true);
        }
        if (!response.data.has_more) break;
      }
    } catch {
      // Try again shortly; held frames stay held until the gap is filled.
      this.catchingUp = false;
      setTimeout(() => this.catchUp(), 2_000);
      return;
    }
    this.catchingUp = false;
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    for (const message of held) this.receiveMessage(message);
  }

  receiveError(frame) {
    const id = frame.client_msg_id;
    if (id && this.outbox.has(id)) {
      if (frame.code === "rate_limited" || frame.code === "service_unavailable") {
        const wait = (frame.retry_after ?? 3) * 1000;
        setTimeout(() => {
          const send = this.outbox.get(id);
          if (send) this.transmit(send);
        }, wait);
        return;
      }
      // Refused for good (muted, invalid, too long): it will never be stored.
      this.outbox.delete(id);
      this.on.sendFailed(id, frame);
      return;
    }
    this.on.error(frame);
  }

  // --- To the server ----------------------------------------------------------

  sendMessage(body, replyTo) {
    const frame = { type: "message.send", body, client_msg_id: newId() };
    if (replyTo) frame.reply_to = replyTo;
    this.outbox.set(frame.client_msg_id, frame);
    this.transmit(frame);
    return frame;
  }
}
