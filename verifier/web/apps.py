"""The app processes of signed-in browsers: one per browser tab, bounded per user and in
all, ended when idle or when their session ends.

Each is a textual-serve ``AppService`` (its framing of the terminal stream is reused as is),
started without a shell (one process, not two) with an environment that names the store,
the session and the screen to open, and nothing else a user typed."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterable

from attrs import define, field
from textual_serve.app_service import AppService

from verifier.views import routes

log = logging.getLogger("verifier.serve")
STOP_SECONDS = 5.0  # an app asked to quit that is still running after this is killed
DROPPED = ("VERIFIER_PASSWORD", "VERIFIER_ANALYST", "VERIFIER_SESSION", "VERIFIER_SCREEN", "VERIFIER_KEY")


class ServedApp(AppService):
    """One app process for one browser tab."""

    def __init__(self, argv: list[str], env: dict[str, str], **kwargs):
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv
        self.env = env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        base = {k: v for k, v in super()._build_environment(width, height).items() if k not in DROPPED}
        return {**base, **self.env}

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width, height))
        self._stdin = process.stdin
        return process

    async def on_meta(self, data: bytes) -> None:
        """The app tells the page its screen (``route``); the rest is textual-serve's."""
        meta = json.loads(data)
        if meta.get("type") != "route":
            await super().on_meta(data)
            return
        route = routes.of(meta.get("screen"), meta.get("key"))
        if route is not None:
            await self.remote_write_str(json.dumps(["route", {"path": route.path, "title": route.title}]))

    async def stop(self) -> None:
        """Ask the app to quit; kill it if it has not within ``STOP_SECONDS``."""
        try:
            await asyncio.wait_for(super().stop(), STOP_SECONDS)
        except (TimeoutError, ConnectionError, RuntimeError):
            pass
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid


@define(eq=False)
class Running:
    """An app process, whose browser tab it serves, and when that tab last typed."""

    user: str
    session: str
    close: object  # async () -> None: closes the tab's WebSocket (its handler then stops the app)
    last_input: float = field(factory=time.monotonic)

    def touch(self) -> None:
        self.last_input = time.monotonic()


@define
class Apps:
    """Every running app; who must make room for a new one."""

    max_total: int
    max_per_user: int
    idle_seconds: float
    running: list[Running] = field(factory=list)

    def make_room(self, user: str) -> list[Running]:
        """The apps to close so that ``user`` may start one more: their own idlest when they
        run ``max_per_user`` already, then the idlest of all when the server runs ``max_total``."""
        going: list[Running] = []
        left = list(self.running)
        while sum(r.user == user for r in left) >= self.max_per_user:
            going.append(_idlest(r for r in left if r.user == user))
            left.remove(going[-1])
        while len(left) >= self.max_total:
            going.append(_idlest(left))
            left.remove(going[-1])
        return going

    def idle(self, now: float) -> list[Running]:
        return [r for r in self.running if now - r.last_input > self.idle_seconds]

    def of_sessions_not_in(self, live: set[str]) -> list[Running]:
        return [r for r in self.running if r.session not in live]


def _idlest(apps: Iterable[Running]) -> Running:
    return min(apps, key=lambda r: r.last_input)


def app_environment(db_url: str, session: str, route: routes.Route, reader_role: str | None) -> dict[str, str]:
    """What an app process is told: the store, its session (the app looks its user up and
    acts as them), the screen to open; never a name or password typed anywhere."""
    env = {"VERIFIER_DB": db_url, "VERIFIER_SESSION": session, "VERIFIER_SCREEN": route.screen,
           "VERIFIER_KEY": route.key or ""}
    if reader_role:
        env["VERIFIER_READER_ROLE"] = reader_role
    return env
