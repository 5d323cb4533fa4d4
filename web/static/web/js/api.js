// The public REST API with the session cookie and Django's CSRF token, as
// allauth's browser client does. Network failures throw; HTTP errors return
// {status, data} with the API's {code, message, fields} body.

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  const response = await fetch(`/api/v1/${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { status: response.status, ok: response.ok, data };
}

export function readTexts() {
  const node = document.getElementById("player-texts");
  return node ? JSON.parse(node.textContent) : {};
}

export function format(text, ...values) {
  let index = 0;
  return text.replace(/%s/g, () => String(values[index++] ?? ""));
}
