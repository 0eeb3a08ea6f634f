"""Least privilege on PostgreSQL: a role that may read everything and change nothing.

``grant_readonly(store, role)`` lets an existing role into the store's schema (USAGE), lets it
SELECT every table there, now and the tables later migrations add (default privileges), but
not the users' password hashes (the ``users`` table), and takes away any right it had to
change them. With it, every read command and the TUI work: opening the store only reads
``alembic_version`` when the schema is at head. Every write
fails in the database with "permission denied", which the CLI reports in one line.

The grant is itself recorded in the audit log. On SQLite there are no roles: the file is
private to its owner (mode 0600) and that is the access control.
"""

from __future__ import annotations

from sqlalchemy import text

from verifier.domain import model

WRITE_PRIVILEGES = "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"


def grant_readonly(store, role: str) -> dict:
    """GRANT read-only access to the store's schema to ``role`` (which must exist)."""
    if store.dialect != "postgresql":
        raise model.DomainError(
            "db", "grant-readonly is for PostgreSQL; a SQLite file is private to its owner (mode 0600), "
                  "share a copy or an export instead")
    role = model.check_text(role, "role", limit=63)
    quote = store.engine.dialect.identifier_preparer.quote_identifier
    uow = store.uow()
    with uow:
        s = uow.session
        if s.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar() is None:
            raise model.DomainError("role", f"no PostgreSQL role {role!r}: create it first (CREATE ROLE {quote(role)} LOGIN)")
        if s.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
            raise model.DomainError("role", f"{role!r} is a superuser: it can never be read-only")
        schema = s.execute(text("SELECT current_schema()")).scalar_one()
        owns = s.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = :s AND tableowner = :r"),
                         {"s": schema, "r": role}).scalar_one()
        if owns or role == s.execute(text("SELECT current_user")).scalar_one():
            raise model.DomainError("role", f"{role!r} owns this store: give read-only access to another role")
        r, sch = quote(role), quote(schema)
        for sql in (
            f"GRANT USAGE ON SCHEMA {sch} TO {r}",
            f"REVOKE CREATE ON SCHEMA {sch} FROM {r}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {sch} TO {r}",
            f"REVOKE {WRITE_PRIVILEGES} ON ALL TABLES IN SCHEMA {sch} FROM {r}",
            f"REVOKE USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA {sch} FROM {r}",
            # tables the next migrations create (as the same owner) are readable too
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT SELECT ON TABLES TO {r}",
        ):
            s.execute(text(sql))
        if s.execute(text("SELECT 1 FROM pg_tables WHERE schemaname = :s AND tablename = 'users'"), {"s": schema}).scalar():
            # password hashes (verifier serve's users) are for the server's sign-in only
            s.execute(text(f"REVOKE ALL ON TABLE {sch}.users FROM {r}"))
        tables = s.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalar_one()
        result = {"role": role, "schema": schema, "tables": tables}
        uow.record("grant-readonly", "role", role, None, result)
        uow.commit()
    return result
