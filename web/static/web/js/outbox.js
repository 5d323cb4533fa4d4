// Answers wait here (IndexedDB) until the server has them: a flaky connection
// never loses one. Each keeps its client_attempt_id and answered_at, so the
// API applies it once and in time order whenever it arrives.

const DB_NAME = "runa";
const STORE = "outbox";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, {
        keyPath: "client_attempt_id",
      });
      store.createIndex("user", "user");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = action(tx.objectStore(STORE));
    tx.oncomplete = () => {
      db.close();
      resolve(result.result);
    };
    tx.onerror = () => reject(tx.error);
  });
}

export const outbox = {
  put: (record) => run("readwrite", (store) => store.put(record)),
  remove: (id) => run("readwrite", (store) => store.delete(id)),
  async list(user) {
    const records = await run("readonly", (store) =>
      store.index("user").getAll(user),
    );
    return records.sort((a, b) => a.answered_at.localeCompare(b.answered_at));
  },
};

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
