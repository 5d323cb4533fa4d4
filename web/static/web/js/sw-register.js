// Installable app: the service worker keeps the app shell for offline use.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}
