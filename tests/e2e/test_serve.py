"""`verifier serve` tried as an attacker would, with real HTTP and WebSocket clients (aiohttp)
against a real server on a free port, over a SQLite file and a PostgreSQL schema.

Nobody gets an app process without a session: a WebSocket without one, or from another
origin, is refused before any process starts, and fifty of them cost no process and little
memory. Wrong guesses sent at once are throttled at the guessing address while the owner
signs in from theirs; an unknown name is answered word for word as a wrong password. Every
response carries the security headers and nothing is loaded from elsewhere. A pasted link to
a claim opens that claim after signing in, and the app tells the page each screen it shows.
"""

from __future__ import annotations

import asyncio
import json
import re

import aiohttp
import pytest

from tests.e2e.served import PASSWORD, children, rss_mb, run_cli, serving, wait_for

pytestmark = pytest.mark.slow
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ESCAPES = re.compile(r"\x1b\[[0-9;?$]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


@pytest.fixture
def server(tmp_path, db_url):
    with serving(db_url, tmp_path / "serve.log", "--max-per-user", "2") as (proc, base):
        yield db_url, proc, base, tmp_path / "serve.log"


def client(address: str = "127.0.0.1") -> aiohttp.ClientSession:
    """A browser-like client from one loopback address (127.0.0.0/8 all reach the server)."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0)),
                                 cookie_jar=aiohttp.CookieJar(unsafe=True))


async def sign_in(http: aiohttp.ClientSession, base: str, name: str, password: str, next_: str = "/"):
    """The form as a browser fills it: (status, Location, body, Set-Cookie headers)."""
    async with http.get(f"{base}/sign-in", params={"next": next_}) as r:
        csrf = CSRF.search(await r.text()).group(1)
    async with http.post(f"{base}/sign-in", allow_redirects=False, headers={"Origin": base},
                         data={"csrf": csrf, "next": next_, "name": name, "password": password}) as r:
        return r.status, r.headers.get("Location"), await r.text(), r.headers.getall("Set-Cookie", [])


async def open_app(http: aiohttp.ClientSession, base: str, path: str, *, origin: str | None = None):
    return await http.ws_connect(base.replace("http", "ws") + "/ws" + path + "?width=120&height=40",
                                 headers={"Origin": origin or base})


async def read_until(ws, *words: str) -> tuple[str, list]:
    """The terminal text and the text messages received until every word showed."""
    screen, messages = "", []
    async with asyncio.timeout(90):
        while not all(w in screen for w in words):
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                screen += ESCAPES.sub("", message.data.decode("utf-8", "replace"))
            elif message.type == aiohttp.WSMsgType.TEXT:
                messages.append(json.loads(message.data))
            else:
                raise AssertionError(f"the app's socket closed ({message.type}) before showing {words}")
    return screen, messages


async def until_message(ws, messages: list, wanted: list) -> None:
    async with asyncio.timeout(90):
        while wanted not in messages:
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.TEXT:
                messages.append(json.loads(message.data))
            elif message.type != aiohttp.WSMsgType.BINARY:
                raise AssertionError(f"the app's socket closed before {wanted}")


async def until_closed(ws) -> None:
    """Read what the app still sent until the server closes the socket."""
    async with asyncio.timeout(90):
        try:
            while (await ws.receive()).type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                pass
        except ConnectionResetError:  # the server closed it while the client answered its close
            pass


def test_nobody_gets_an_app_process_without_a_session(server):
    db, proc, base, log = server

    async def attack():
        async with client() as http:
            # no session: refused before any process starts
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await open_app(http, base, "/queue")
            assert refused.value.status == 403
            # a bare GET /ws (no upgrade) is one line in the log, not a traceback
            async with http.get(f"{base}/ws") as r:
                assert r.status == 400
            # a request too broken to parse: answered by aiohttp itself, still without its banner
            reader, writer = await asyncio.open_connection("127.0.0.1", int(base.rsplit(":", 1)[1]))
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")
            answer = (await reader.read()).decode()
            writer.close()
            assert answer.startswith("HTTP/1.0 400") and "Server: verifier\r\n" in answer and "aiohttp" not in answer
            # signed in, but the socket opened from another site's page: refused too
            assert (await sign_in(http, base, "ana", PASSWORD))[0] == 303
            with pytest.raises(aiohttp.WSServerHandshakeError) as foreign:
                await open_app(http, base, "/queue", origin="http://evil.example")
            assert foreign.value.status == 403
            assert children(proc.pid) == []
            # fifty unsigned sockets at once, and fifty idle connections held open
            before = rss_mb(proc.pid)
            held = [await asyncio.open_connection("127.0.0.1", int(base.rsplit(":", 1)[1])) for _ in range(50)]
            async with client("127.0.0.5") as stranger:
                outcomes = await asyncio.gather(*(open_app(stranger, base, "/queue") for _ in range(50)),
                                                return_exceptions=True)
            assert all(isinstance(o, aiohttp.WSServerHandshakeError) and o.status == 403 for o in outcomes)
            assert children(proc.pid) == []
            grew = rss_mb(proc.pid) - before
            for _, writer in held:
                writer.close()
            return grew

    grew = asyncio.run(attack())
    assert grew < 50, f"fifty unsigned connections cost {grew:.0f} MB"
    text = log.read_text()
    bare = [line for line in text.splitlines() if "GET /ws " in line]
    assert len(bare) == 1 and "400" in bare[0] and "Traceback" not in text
    broken = [line for line in text.splitlines() if "Bad Header Line" in line]
    assert len(broken) == 1 and "Invalid header" in broken[0]
    audit = json.loads(run_cli(db, "audit", "--json").stdout)
    refusals = [e for e in audit if e["action"] == "refuse"]
    assert refusals and {e["analyst"] for e in refusals} == {"(anonymous)"}


def test_parallel_guesses_are_throttled_while_the_owner_signs_in_from_elsewhere(server):
    db, proc, base, _ = server

    async def attack():
        async with client("127.0.0.2") as guesser:
            # twelve guesses at once, the right password among them
            guesses = await asyncio.gather(*(sign_in(guesser, base, "ana", PASSWORD if i == 11 else f"guess {i}")
                                             for i in range(12)))
        async with client("127.0.0.3") as owner:
            mine = await sign_in(owner, base, "ana", PASSWORD)
        return guesses, mine

    guesses, mine = asyncio.run(attack())
    checked = [g for g in guesses if "wrong name or password" in g[2] or g[0] == 303]
    throttled = [g for g in guesses if "too many failed sign-ins from your address" in g[2]]
    assert len(checked) <= 3 and len(throttled) >= 9, [g[0] for g in guesses]
    assert mine[:2] == (303, "/queue"), "the owner was locked out by someone else's guesses"
    audit = json.loads(run_cli(db, "audit", "--entity", "user", "--json").stdout)
    whys = [e["after"]["why"] for e in audit if e["action"] == "sign-in-refused"]
    assert whys.count("throttled") >= 9 and ("sign-in", "ana") in [(e["action"], e["analyst"]) for e in audit]


def test_an_unknown_name_is_answered_word_for_word_as_a_wrong_password(server):
    _, _, base, _ = server

    async def both():
        async with client("127.0.0.6") as http:
            known = await sign_in(http, base, "ana", "not the password")
            unknown = await sign_in(http, base, "nobody-here", "not the password")
        return known, unknown

    known, unknown = asyncio.run(both())
    assert known[0] == unknown[0] == 401
    assert known[2:] == unknown[2:] and "wrong name or password" in known[2]


def test_every_response_carries_the_security_headers_and_nothing_comes_from_elsewhere(server):
    _, _, base, _ = server

    async def look():
        async with client() as http:
            pages = {}
            for path in ("/sign-in", "/static/", "/static/textual.js", "/no-such-page", "/claims/c1"):
                async with http.get(base + path, allow_redirects=False) as r:
                    pages[path] = (r.status, r.headers, await r.text())
            assert (await sign_in(http, base, "ana", PASSWORD))[0] == 303
            async with http.get(base + "/claims/c1") as r:
                pages["app"] = (r.status, r.headers, await r.text())
            for asset in re.findall(r'(?:src|href)="([^"]+)"', pages["app"][2] + pages["/sign-in"][2]):
                async with http.get(base + asset) as r:
                    pages[asset] = (r.status, r.headers, "")
            return pages

    pages = asyncio.run(look())
    for path, (_, headers, _) in pages.items():
        csp = headers["Content-Security-Policy"]
        script = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin", path
        assert "aiohttp" not in headers.get("Server", "") and "Python" not in headers.get("Server", ""), path
    assert pages["/static/"][0] == 404 and pages["/no-such-page"][0] == 404  # no folder is listed
    assert pages["/claims/c1"][0] == 303 and pages["/static/textual.js"][0] == 200
    app = pages["app"][2]
    assert "<title>claim c1 · verifier</title>" in app
    assert "<script>" not in app and "http" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', app))
    assert all(pages[a][0] == 200 for a in re.findall(r'(?:src|href)="([^"]+)"', app))


def test_a_pasted_link_opens_that_claim_after_signing_in_and_the_address_follows(server):
    db, proc, base, _ = server

    async def paste_link():
        async with client() as http:
            async with http.get(f"{base}/claims/c1", allow_redirects=False) as r:
                assert (r.status, r.headers["Location"]) == (303, "/sign-in?next=/claims/c1")
            status, location, _, cookies = await sign_in(http, base, "ana", PASSWORD, next_="/claims/c1")
            assert (status, location) == (303, "/claims/c1")
            cookie = next(c for c in cookies if c.startswith("verifier_session="))
            async with http.get(base + location) as r:
                page = await r.text()
            assert 'data-session-websocket-url="ws://127.0.0.1:' in page and '/ws/claims/c1"' in page
            ws = await open_app(http, base, "/claims/c1")
            screen, messages = await read_until(ws, "Claim c1", "militants")
            assert len(children(proc.pid)) == 1
            # a second tab (and a reload) with the same session comes back to a screen of its own
            second = await open_app(http, base, "/sources/sohr")
            await read_until(second, "Syrian Center for Human Rights")
            # the app tells the page each screen it shows: 2 opens the sources
            await ws.send_str(json.dumps(["stdin", "2"]))
            await until_message(ws, messages, ["route", {"path": "/sources", "title": "sources · verifier"}])
            await ws.close()
            await second.close()
            return cookie, messages

    cookie, messages = asyncio.run(paste_link())
    assert messages[0] == ["route", {"path": "/claims/c1", "title": "claim c1 · verifier"}]
    assert all(a in cookie for a in ("HttpOnly", "SameSite=Strict", "Max-Age=43200")) and "Secure" not in cookie
    wait_for(lambda: children(proc.pid) == [], "the app processes ending with their tabs")


def test_a_users_third_tab_closes_their_idlest_and_disable_ends_them_all(server):
    db, proc, base, _ = server

    async def tabs():
        async with client() as http:
            assert (await sign_in(http, base, "ana", PASSWORD))[0] == 303
            first = await open_app(http, base, "/queue")
            await read_until(first, "Unresolved claims")
            second = await open_app(http, base, "/sources")
            await read_until(second, "Syrian Center")
            third = await open_app(http, base, "/duplicates")  # --max-per-user 2: the first goes
            await read_until(third, "uplicate")
            await until_closed(first)
            assert len(wait_for(lambda: len(children(proc.pid)) == 2 and children(proc.pid), "two apps")) == 2
            run_cli(db, "user", "disable", "ana")  # every session of ana ends, and her apps with them
            for ws in (second, third):
                await until_closed(ws)
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await open_app(http, base, "/queue")

    asyncio.run(tabs())
    wait_for(lambda: children(proc.pid) == [], "no app process left")


def test_behind_a_proxy_links_cookies_and_the_origin_follow_the_public_url(tmp_path, sqlite_url):
    public = "https://verifier.example.org/team"
    with serving(sqlite_url, tmp_path / "serve.log", "--public-url", public) as (proc, base):
        async def through_the_proxy():
            async with client() as http:
                async with http.get(f"{base}/claims/c1", allow_redirects=False) as r:
                    assert r.headers["Location"] == "/team/sign-in?next=/claims/c1"
                async with http.get(f"{base}/sign-in") as r:
                    page = await r.text()
                    csrf = CSRF.search(page).group(1)
                assert 'action="/team/sign-in"' in page and 'href="/team/static/verifier.css"' in page
                form = {"csrf": csrf, "next": "/claims/c1", "name": "ana", "password": PASSWORD}
                # the proxy's address says where the browser is; the Origin is the public one
                async with http.post(f"{base}/sign-in", data=form, allow_redirects=False,
                                     headers={"Origin": base}) as r:
                    assert r.status == 403  # not the public origin: a cross-site post
                async with http.post(f"{base}/sign-in", data=form, allow_redirects=False,
                                     cookies={"verifier_csrf": csrf},  # Secure: the jar keeps it from http
                                     headers={"Origin": "https://verifier.example.org",
                                              "X-Forwarded-For": "198.51.100.23"}) as r:
                    assert (r.status, r.headers["Location"]) == (303, "/team/claims/c1")
                    cookie = next(c for c in r.headers.getall("Set-Cookie") if c.startswith("verifier_session="))
                token = cookie.split(";")[0].split("=", 1)[1]
                async with http.get(f"{base}/claims/c1", cookies={"verifier_session": token}) as r:
                    page = await r.text()
                    assert 'data-session-websocket-url="wss://verifier.example.org/team/ws/claims/c1"' in page
                    assert "connect-src 'self' wss://verifier.example.org" in r.headers["Content-Security-Policy"]
                    assert "Strict-Transport-Security" in r.headers
                    sign_out = CSRF.search(page).group(1)
                # signing out needs the page's token; then the session is over
                async with http.post(f"{base}/sign-out", data={"csrf": "forged"}, allow_redirects=False,
                                     cookies={"verifier_session": token}) as r:
                    assert r.status == 403
                async with http.post(f"{base}/sign-out", data={"csrf": sign_out}, allow_redirects=False,
                                     cookies={"verifier_session": token}) as r:
                    assert (r.status, r.headers["Location"]) == (303, "/team/sign-in")
                async with http.get(f"{base}/claims/c1", allow_redirects=False, cookies={"verifier_session": token}) as r:
                    assert r.status == 303 and r.headers["Location"].startswith("/team/sign-in")
            return cookie

        cookie = asyncio.run(through_the_proxy())
        assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/team" in cookie
        audit = json.loads(run_cli(sqlite_url, "audit", "--entity", "user", "--json").stdout)
        assert [(e["action"], e["after"]["address"]) for e in audit if e["analyst"] == "ana"] == \
            [("sign-in", "198.51.100.23"), ("sign-out", "127.0.0.1")]
        assert children(proc.pid) == []


def test_an_idle_app_ends(tmp_path, sqlite_url):
    with serving(sqlite_url, tmp_path / "serve.log", "--idle-minutes", "0.1") as (proc, base):
        async def idle():
            async with client() as http:
                assert (await sign_in(http, base, "ana", PASSWORD))[0] == 303
                ws = await open_app(http, base, "/queue")
                await read_until(ws, "Unresolved claims")
                assert len(children(proc.pid)) == 1
                await until_closed(ws)  # nobody typed for six seconds: the server closed it

        asyncio.run(idle())
        wait_for(lambda: children(proc.pid) == [], "the idle app ending")
        assert "closing ana's app: idle" in (tmp_path / "serve.log").read_text()
