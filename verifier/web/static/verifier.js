// verifier's page script (no inline script anywhere: the CSP forbids it).
// The app says which screen it shows with a ["route", {path, title}] message on its
// WebSocket; the address bar and the tab's title follow, so a reload, a second tab or a
// pasted link opens that screen again. Loaded before textual.js, which opens the socket.
"use strict";
(() => {
  const Native = window.WebSocket;
  class RoutedSocket extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") return;
        let message;
        try { message = JSON.parse(event.data); } catch { return; }
        if (!Array.isArray(message) || message[0] !== "route") return;
        const { path, title } = message[1];
        history.replaceState(null, "", document.body.dataset.base + path);
        document.title = title;
      });
    }
  }
  window.WebSocket = RoutedSocket;
  document.addEventListener("DOMContentLoaded", () => {
    const restart = document.getElementById("restart");
    if (restart) restart.addEventListener("click", () => window.location.reload());
  });
})();
