"""`verifier serve` tried as an attacker: what unsigned visitors cost, how parallel guesses
fare, how long known and unknown names take. Each figure is printed beside its baseline
from the same run (the idle server; the other name; one sign-in alone).

    python bench/serve_attack.py [--db PATH_OR_URL] [--tries 8]

Starts its own server on a free port over a fresh SQLite file (or the given database),
with one user, ana; every request is a real HTTP / WebSocket one (aiohttp).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def cli(db: str, *args: str, password: str | None = None) -> None:
    env = {**os.environ, "VERIFIER_PASSWORD": password} if password else None
    subprocess.run([sys.executable, "-m", "verifier", "--db", db, *args], check=True, capture_output=True, env=env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> int:
    return sum(len((t / "children").read_text().split()) for t in Path(f"/proc/{pid}/task").iterdir())


def rss_mb(pid: int) -> float:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def client(address: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0), force_close=True),
                                 cookie_jar=aiohttp.CookieJar(unsafe=True))


async def sign_in(base: str, address: str, name: str, password: str) -> tuple[float, int, str]:
    """One sign-in from a fresh connection: (seconds for the POST, status, body)."""
    async with client(address) as http:
        async with http.get(f"{base}/sign-in") as r:
            csrf = CSRF.search(await r.text()).group(1)
        started = time.perf_counter()
        async with http.post(f"{base}/sign-in", allow_redirects=False, headers={"Origin": base},
                             data={"csrf": csrf, "next": "/", "name": name, "password": password}) as r:
            body = await r.text()
        return time.perf_counter() - started, r.status, body


async def attack(base: str, pid: int, tries: int) -> None:
    ws_url = base.replace("http", "ws") + "/ws/queue"
    idle_rss, idle_children = rss_mb(pid), children(pid)
    held = [await asyncio.open_connection("127.0.0.1", int(base.rsplit(":", 1)[1])) for _ in range(50)]
    async with client("127.0.0.9") as http:
        refused = await asyncio.gather(*(http.ws_connect(ws_url, headers={"Origin": base}) for _ in range(50)),
                                       return_exceptions=True)
    statuses = {getattr(r, "status", type(r).__name__) for r in refused}
    print(f"50 unsigned WebSockets + 50 held connections: {children(pid)} app processes (idle server: "
          f"{idle_children}), server RSS {rss_mb(pid):.1f} MB (idle server: {idle_rss:.1f} MB); answers {statuses}")
    for _, w in held:
        w.close()

    # known and unknown names, each from its own address (so neither is throttled), alternated
    known, unknown = [], []
    for i in range(tries):
        known.append(await sign_in(base, f"127.0.1.{i + 1}", "ana", "not the password"))
        unknown.append(await sign_in(base, f"127.0.2.{i + 1}", f"nobody{i}", "not the password"))
    def answer(a):  # the status and the page, less its form token (each browser has its own)
        return a[1], CSRF.sub("", a[2])

    same = all(answer(k) == answer(u) for k, u in zip(known, unknown, strict=True))
    print(f"wrong password for ana: median {statistics.median(t for t, *_ in known):.3f} s; unknown name: median "
          f"{statistics.median(t for t, *_ in unknown):.3f} s (over {tries} fresh connections each); "
          f"same status and page word for word (less the form token): {same}")

    alone = await sign_in(base, "127.0.3.1", "ana", PASSWORD)
    started = time.perf_counter()
    guesses = await asyncio.gather(*(sign_in(base, "127.0.4.1", "ana", PASSWORD if i == 19 else f"guess {i}")
                                     for i in range(20)))
    spent = time.perf_counter() - started
    owner = await sign_in(base, "127.0.5.1", "ana", PASSWORD)
    checked = sum("wrong name or password" in g[2] or g[1] == 303 for g in guesses)
    throttled = sum("too many failed sign-ins" in g[2] for g in guesses)
    signed = sum(g[1] == 303 for g in guesses)
    print(f"20 parallel guesses from one address (the right password 20th): {checked} checked, {throttled} throttled, "
          f"{signed} signed in, in {spent:.2f} s; then the owner from another address: status {owner[1]} in "
          f"{owner[0]:.3f} s (one sign-in alone: status {alone[1]} in {alone[0]:.3f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None)
    parser.add_argument("--tries", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "serve.db")
        cli(db, "init")
        cli(db, "user", "add", "ana", password=PASSWORD)
        port = free_port()
        log = open(Path(tmp) / "serve.log", "w")
        proc = subprocess.Popen([sys.executable, "-m", "verifier", "--db", db, "serve", "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the server did not start: " + (Path(tmp) / "serve.log").read_text())
                time.sleep(0.2)
            asyncio.run(attack(f"http://127.0.0.1:{port}", proc.pid, args.tries))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()


if __name__ == "__main__":
    main()
