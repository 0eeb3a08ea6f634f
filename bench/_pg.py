"""Scratch PostgreSQL databases for the benches: made beside the one a ``--db`` URL names."""

from __future__ import annotations


def dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def is_pg(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgresql", "postgres:"))


def scratch_url(url: str, suffix: str) -> tuple[str, str]:
    """(URL of the scratch database, its name): the URL's database name + ``suffix``."""
    base, _, query = url.partition("?")
    head, _, name = base.rpartition("/")
    scratch = f"{name}{suffix}"
    return f"{head}/{scratch}" + (f"?{query}" if query else ""), scratch


def ensure_database(url: str, name: str) -> bool:
    """Create the database ``name`` on the server of ``url``; False when it was already there."""
    import psycopg

    with psycopg.connect(dsn(url), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(dsn(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
