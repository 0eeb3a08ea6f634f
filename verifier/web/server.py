"""``verifier serve``: an aiohttp server that decides who you are before anything costly runs.

- ``/sign-in`` is a plain HTML form served by this process (no app process yet), protected
  against cross-site posting (a token in an HttpOnly, SameSite=Strict cookie and in the form,
  and the Origin checked). The password is checked by ``services.team.sign_in`` (throttled per
  client address and per typed name in the database; the same answer, as slow, for an unknown
  name); success sets a session cookie (HttpOnly, SameSite=Strict, Secure behind https, expiring)
  whose hash is kept in the database, so ``user disable`` / ``user passwd`` end it everywhere.
- ``/``, ``/queue``, ``/claims/KEY``, ... serve the app's page to a signed-in browser (else a
  redirect to the sign-in, which comes back to that address). The page's WebSocket (``/ws/...``)
  starts an app process only for a live session and a same-origin ``Origin``; everything else
  is refused before any process starts.
- Every response carries a strict Content-Security-Policy (no inline script), forbids framing
  and sniffing, and names no server version; every asset is served from the installed packages.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import json
import logging
import re
import secrets
import sys
import time
from importlib import resources
from pathlib import Path
from string import Template
from urllib.parse import quote, urlsplit

from aiohttp import WSMsgType, web, web_response

from verifier.domain.errors import DomainError
from verifier.domain.team import session_id
from verifier.services import team
from verifier.views import routes
from verifier.web.apps import Apps, Running, ServedApp, app_environment

log = logging.getLogger("verifier.serve")

SESSION_COOKIE = "verifier_session"
CSRF_COOKIE = "verifier_csrf"
REFUSAL_FLOOR = 1.0  # seconds every refused sign-in takes, whatever was refused and why
HASHING_AT_ONCE = 2  # argon2id takes 64 MiB a check: at most this many at a time
SWEEP_SECONDS = 5.0  # how often idle apps and ended sessions are looked for
REFUSALS_AUDITED_EVERY = 60.0  # at most one audited WebSocket refusal per address in this many seconds
MAX_FORM = 16 * 1024
FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # what secrets.token_urlsafe(24) makes


def _static_files() -> dict[str, tuple[Path, str]]:
    """The only files under /static/ (no folder is ever listed): textual-serve's terminal
    (script, style, font) and this package's page script and style."""
    ours = Path(str(resources.files("verifier.web"))) / "static"
    theirs = Path(str(resources.files("textual_serve"))) / "static"
    return {
        "textual.js": (theirs / "js" / "textual.js", "text/javascript"),
        "xterm.css": (theirs / "css" / "xterm.css", "text/css"),
        "roboto-mono.ttf": (theirs / "fonts" / "RobotoMono-VariableFont_wght.ttf", "font/ttf"),
        "verifier.js": (ours / "verifier.js", "text/javascript"),
        "verifier.css": (ours / "verifier.css", "text/css"),
    }


def _template(name: str) -> Template:
    return Template((Path(str(resources.files("verifier.web"))) / "static" / name).read_text(encoding="utf-8"))


class WebServer:
    def __init__(self, store, *, public_url: str | None = None, max_sessions: int = 20, max_per_user: int = 3,
                 idle_minutes: float = 30, session_hours: float = 12, reader_role: str | None = None):
        self.store = store
        self.public_url = (public_url or "").rstrip("/")
        parts = urlsplit(self.public_url)
        self.base = parts.path.rstrip("/")  # a proxy may serve us under a folder
        self.public_origin = f"{parts.scheme}://{parts.netloc}" if public_url else None
        self.secure = parts.scheme == "https"
        self.session_hours = session_hours
        self.reader_role = reader_role
        self.apps = Apps(max_sessions, max_per_user, idle_minutes * 60)
        self.hashing = asyncio.Semaphore(HASHING_AT_ONCE)
        self.statics = _static_files()
        self.pages = {"app": _template("app.html"), "sign-in": _template("signin.html")}
        self.audited_refusals: dict[str, float] = {}
        self.argv = [sys.executable, "-m", "verifier", "tui", "--served"]

    # ------------------------------------------------------------------ the aiohttp app
    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.one_line_per_request], client_max_size=MAX_FORM)
        app.add_routes([
            web.get("/static/{name}", self.static),
            web.get("/sign-in", self.sign_in_page),
            web.post("/sign-in", self.sign_in),
            web.post("/sign-out", self.sign_out),
            web.get("/ws", self.websocket),
            web.get("/ws/{path:.*}", self.websocket),
            web.get("/{path:.*}", self.page),
        ])
        app.on_response_prepare.append(self.headers)
        app.on_startup.append(self.start_sweeping)
        app.on_shutdown.append(self.stop_all)
        return app

    @web.middleware
    async def one_line_per_request(self, request: web.Request, handler):
        """One log line per request, refusals and malformed ones included (never a traceback)."""
        status, why = 500, ""
        try:
            response = await handler(request)
            status, why = response.status, request.get("why", "")
            return response
        except web.HTTPException as exc:
            status, why = exc.status, request.get("why", exc.text or "")
            raise
        except (asyncio.CancelledError, ConnectionError):
            status, why = 499, "client went away"
            raise
        except Exception as exc:  # a bug: one line, and the client gets a plain 500
            why = f"{type(exc).__name__}: {exc}"
            raise web.HTTPInternalServerError(text="internal error") from None
        finally:
            log.info("%s %s %s %d %s", *map(_printable, (self.address(request), request.method, request.path)), status,
                     _printable(why))

    async def headers(self, request: web.Request, response: web.StreamResponse) -> None:
        ws = self.ws_origin(request)
        response.headers["Server"] = "verifier"  # no version banner
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
            f"img-src 'self' data:; connect-src 'self' {ws}; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"  # no-referrer would make forms post "Origin: null"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        if self.secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"

    # ------------------------------------------------------------------ where from
    def origin(self, request: web.Request) -> str:
        """This server's origin as browsers see it: the public URL's, else the request's host."""
        return self.public_origin or f"{request.scheme}://{request.host}"

    def ws_origin(self, request: web.Request) -> str:
        origin = self.origin(request)
        return ("wss" if origin.startswith("https") else "ws") + origin[origin.index(":"):]

    def address(self, request: web.Request) -> str:
        """The client's address; behind a proxy on this machine (``--public-url``) the one the
        proxy appended to X-Forwarded-For."""
        peer = request.remote or "unknown"
        forwarded = request.headers.get("X-Forwarded-For")
        if self.public_origin and forwarded and _loopback(peer):
            return forwarded.split(",")[-1].strip()[:64] or peer
        return peer

    def same_origin(self, request: web.Request) -> bool:
        return request.headers.get("Origin") == self.origin(request)

    def link(self, route: routes.Route | str) -> str:
        return self.base + (route.path if isinstance(route, routes.Route) else route)

    # ------------------------------------------------------------------ static files and pages
    async def static(self, request: web.Request) -> web.StreamResponse:
        found = self.statics.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound(text="not found")
        path, kind = found
        return web.FileResponse(path, headers={"Content-Type": kind, "Cache-Control": "max-age=3600"})

    def render(self, page: str, status: int = 200, **values) -> web.Response:
        values = {k: html.escape(str(v)) for k, v in values.items()}
        text = self.pages[page].substitute(static=html.escape(self.base + "/static"), base=html.escape(self.base),
                                           **values)
        return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")

    async def signed_in(self, request: web.Request) -> dict | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return await asyncio.to_thread(team.session_user, self.store, token)

    async def page(self, request: web.Request) -> web.StreamResponse:
        route = routes.parse(request.match_info["path"])
        if route is None:
            raise web.HTTPNotFound(text="not found")
        who = await self.signed_in(request)
        if who is None:
            raise web.HTTPSeeOther(self.link("/sign-in") + "?next=" + quote(route.plain, safe="/"))
        ws = self.ws_origin(request) + self.base + "/ws" + route.path
        return self.render("app", title=route.title, ws=ws, user=who["name"],
                           csrf=_sign_out_token(request.cookies[SESSION_COOKIE]))

    async def sign_in_page(self, request: web.Request) -> web.Response:
        return self.sign_in_form(request, routes.parse(request.query.get("next", "/")) or routes.HOME)

    def sign_in_form(self, request: web.Request, route: routes.Route, problem: str = "", status: int = 200) -> web.Response:
        """The sign-in form (the same page, word for word, whoever was refused and why)."""
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if not FORM_TOKEN.fullmatch(csrf):  # ours, or a new one (never a value someone else chose the shape of)
            csrf = secrets.token_urlsafe(24)
        response = self.render("sign-in", status=status, title=f"sign in · {routes.APP}", csrf=csrf,
                               next=route.plain, problem=problem, action=self.link("/sign-in"))
        self.set_cookie(response, CSRF_COOKIE, csrf, max_age=3600)
        return response

    def set_cookie(self, response: web.StreamResponse, name: str, value: str, max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, path=self.base or "/", httponly=True, samesite="Strict",
                            secure=self.secure)

    # ------------------------------------------------------------------ signing in and out
    def refuse_form(self, request: web.Request, form, expected: str) -> bool:
        """A form not posted from our own page: a foreign Origin, or no matching token."""
        origin = request.headers.get("Origin")
        if origin is not None and origin != self.origin(request):
            request["why"] = f"foreign Origin {origin[:100]!r}"
            return True
        given = form.get("csrf", "")
        if not (isinstance(given, str) and expected and hmac.compare_digest(given.encode(), expected.encode())):
            request["why"] = "no matching form token"
            return True
        return False

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        started = time.monotonic()
        form = await request.post()
        route = routes.parse(_field(form, "next", 300)) or routes.HOME
        if self.refuse_form(request, form, request.cookies.get(CSRF_COOKIE, "")):
            return self.sign_in_form(request, route, "the sign-in form expired: try again", status=403)
        name, password = _field(form, "name", 200), _field(form, "password", 1024)
        address = self.address(request)
        try:
            async with self.hashing:  # argon2id: 64 MiB and ~0.1 s of a core each
                who = await asyncio.to_thread(team.sign_in, self.store, name, password, address)
            token = await asyncio.to_thread(team.start_session, self.store, who, address, self.session_hours)
        except DomainError as exc:
            request["why"] = "sign-in refused"
            await asyncio.sleep(max(0.0, started + REFUSAL_FLOOR - time.monotonic()))
            return self.sign_in_form(request, route, exc.problem, status=401)
        request["why"] = f"signed in {who['name']}"
        response = web.HTTPSeeOther(self.link(route))
        self.set_cookie(response, SESSION_COOKIE, token, max_age=int(self.session_hours * 3600))
        raise response

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        token = request.cookies.get(SESSION_COOKIE, "")
        if self.refuse_form(request, form, _sign_out_token(token) if token else ""):
            raise web.HTTPForbidden(text="refused: sign out from verifier's own page")
        who = await asyncio.to_thread(team.end_session, self.store, token, self.address(request))
        sid = session_id(token)
        await self.close_where(lambda r: r.session == sid)
        request["why"] = f"signed out {who}"
        response = web.HTTPSeeOther(self.link("/sign-in"))
        response.del_cookie(SESSION_COOKIE, path=self.base or "/")
        raise response

    # ------------------------------------------------------------------ the app's WebSocket
    async def refuse(self, request: web.Request, why: str, status: type[web.HTTPException]) -> web.HTTPException:
        """Refuse a WebSocket before any process starts; audited (once a minute per address)."""
        request["why"] = why
        address = self.address(request)
        now = time.monotonic()
        if now - self.audited_refusals.get(address, -REFUSALS_AUDITED_EVERY) >= REFUSALS_AUDITED_EVERY:
            if len(self.audited_refusals) > 10_000:  # many addresses: forget the old ones
                self.audited_refusals = {a: t for a, t in self.audited_refusals.items()
                                         if now - t < REFUSALS_AUDITED_EVERY}
            self.audited_refusals[address] = now
            await asyncio.to_thread(team.refuse, self.store, "websocket " + request.path, why, address)
        return status(text=f"refused: {why}")

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        route = routes.parse(request.match_info.get("path", ""))
        ws = web.WebSocketResponse(heartbeat=30, max_msg_size=64 * 1024)
        if route is None:
            raise web.HTTPNotFound(text="not found")
        if not ws.can_prepare(request).ok:
            request["why"] = "not a WebSocket request"
            raise web.HTTPBadRequest(text="a WebSocket upgrade was expected")
        if not self.same_origin(request):
            raise await self.refuse(request, f"Origin {request.headers.get('Origin', '(none)')[:100]!r} is not "
                                             f"{self.origin(request)}", web.HTTPForbidden)
        who = await self.signed_in(request)
        if who is None:
            raise await self.refuse(request, "no live session", web.HTTPForbidden)
        for old in self.apps.make_room(who["name"]):
            await old.close()
        await ws.prepare(request)
        await self.run_app(request, ws, who, route)
        return ws

    async def run_app(self, request: web.Request, ws: web.WebSocketResponse, who: dict, route: routes.Route) -> None:
        service = ServedApp(self.argv, app_environment(self.store.url, who["session"], route, self.reader_role),
                            write_bytes=ws.send_bytes, write_str=ws.send_str, close=ws.close,
                            download_manager=_NoDownloads())
        running = Running(who["name"], who["session"], ws.close)
        self.apps.running.append(running)
        request["why"] = f"app for {who['name']} at {route.path}"
        try:
            await service.start(_int(request.query.get("width"), 80), _int(request.query.get("height"), 24))
            log.info("%s app started for %s (pid %s, %d running)", self.address(request), who["name"], service.pid,
                     len(self.apps.running))
            await _relay(ws, service, running)
        finally:
            self.apps.running.remove(running)
            await service.stop()
            if not ws.closed:
                await ws.close()

    # ------------------------------------------------------------------ bounds over time
    async def start_sweeping(self, app: web.Application) -> None:
        app["sweeper"] = asyncio.create_task(self.sweep())

    async def sweep(self) -> None:
        """Close apps idle too long, and those whose session ended (signed out, expired,
        `user disable`, `user passwd`), every ``SWEEP_SECONDS``."""
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                for r in self.apps.idle(time.monotonic()):
                    log.info("closing %s's app: idle", r.user)
                    await r.close()
                if self.apps.running:
                    live = await asyncio.to_thread(team.live_sessions, self.store, {r.session for r in self.apps.running})
                    for r in self.apps.of_sessions_not_in(live):
                        log.info("closing %s's app: the session ended", r.user)
                        await r.close()
            except Exception as exc:  # keep sweeping; one line
                log.warning("sweep failed: %s: %s", type(exc).__name__, exc)

    async def close_where(self, condition) -> None:
        for r in [r for r in self.apps.running if condition(r)]:
            await r.close()

    async def stop_all(self, app: web.Application) -> None:
        app["sweeper"].cancel()
        await self.close_where(lambda r: True)


async def _relay(ws: web.WebSocketResponse, service: ServedApp, running: Running) -> None:
    """The browser's keys and size to the app (textual-serve's messages); anything else is ignored."""
    async for message in ws:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            kind, *rest = json.loads(message.data)
        except (ValueError, TypeError):
            continue
        data = rest[0] if rest else None
        if kind == "stdin" and isinstance(data, str):
            running.touch()
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
        elif kind == "ping" and isinstance(data, str):
            await ws.send_json(["pong", data[:40]])
        elif kind in ("blur", "focus"):
            await getattr(service, kind)()


class _NoDownloads:
    """The app delivers no files to browsers: textual-serve's download routes are not served."""

    async def cancel_app_downloads(self, app_service_id: str) -> None:
        return None

    async def create_download(self, **_) -> None:
        raise KeyError("downloads are not served")


def _sign_out_token(session_token: str) -> str:
    """The sign-out form's token: derived from the session's (nothing more to keep)."""
    return hmac.new(session_token.encode(), b"sign-out", "sha256").hexdigest()


def _field(form, name: str, limit: int) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _int(value, default: int) -> int:
    try:
        return max(10, min(int(value), 1000))
    except (TypeError, ValueError):
        return default


def _one_line(record: logging.LogRecord) -> bool:
    """Log a request aiohttp could not parse as one line, the problem named, no traceback."""
    error = record.exc_info[1] if record.exc_info else None
    if error is not None:
        said = " ".join(str(error).split()) or type(error).__name__
        record.msg, record.args = f"{record.getMessage()}: {_printable(said)}", ()
        record.exc_info = record.exc_text = None
    return True


def _printable(text: str) -> str:
    """Text from a request, safe for one log line (no line breaks or escapes from anyone)."""
    return "".join(c if c.isprintable() else "?" for c in text[:200])


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def serve(store, *, host: str, port: int, **options) -> None:
    """Run the server until interrupted (Ctrl+C, SIGTERM); every app process is stopped on the way out."""
    from verifier.adapters import passwords

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.server").addFilter(_one_line)  # requests too broken to reach a handler
    # the answers aiohttp gives such requests itself (400 before any handler) name no version either
    web_response.SERVER_SOFTWARE = "verifier"
    passwords.dummy_hash()  # built once, now: an unknown name costs what a known one does from the first try
    server = WebServer(store, **options)
    url = server.public_url or f"http://{host}:{port}"
    print(f"verifier: serving {store.where()} on {url} (Ctrl+C stops)", flush=True)
    web.run_app(server.make_app(), host=host, port=port, access_log=None, print=None)
