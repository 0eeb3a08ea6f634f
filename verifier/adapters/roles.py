"""PostgreSQL roles and grants, for ``services.privileges`` (read-only access to a store)."""

from __future__ import annotations

from sqlalchemy import text

WRITE_PRIVILEGES = "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"


class PgRoles:
    def __init__(self, session):
        self.session = session
        self.quote = session.get_bind().dialect.identifier_preparer.quote_identifier

    def _one(self, sql: str, **params):
        return self.session.execute(text(sql), params).scalar()

    def exists(self, role: str) -> bool:
        return self._one("SELECT 1 FROM pg_roles WHERE rolname = :r", r=role) is not None

    def is_superuser(self, role: str) -> bool:
        return bool(self._one("SELECT rolsuper FROM pg_roles WHERE rolname = :r", r=role))

    def schema(self) -> str:
        return self._one("SELECT current_schema()")

    def owns_store(self, role: str, schema: str) -> bool:
        """The role owns tables of this schema, or is the role we are connected as."""
        owns = self._one("SELECT count(*) FROM pg_tables WHERE schemaname = :s AND tableowner = :r", s=schema, r=role)
        return bool(owns) or role == self._one("SELECT current_user")

    def table_count(self, schema: str) -> int:
        return self._one("SELECT count(*) FROM pg_tables WHERE schemaname = :s", s=schema)

    def grant_readonly(self, role: str, schema: str) -> None:
        """SELECT on every table of the schema, now and later; no right to change any; none on ``users``."""
        r, sch = self.quote(role), self.quote(schema)
        for sql in (
            f"GRANT USAGE ON SCHEMA {sch} TO {r}",
            f"REVOKE CREATE ON SCHEMA {sch} FROM {r}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {sch} TO {r}",
            f"REVOKE {WRITE_PRIVILEGES} ON ALL TABLES IN SCHEMA {sch} FROM {r}",
            f"REVOKE USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA {sch} FROM {r}",
            # tables the next migrations create (as the same owner) are readable too
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT SELECT ON TABLES TO {r}",
        ):
            self.session.execute(text(sql))
        if self._one("SELECT 1 FROM pg_tables WHERE schemaname = :s AND tablename = 'users'", s=schema):
            # password hashes (verifier serve's users) are for the server's sign-in only
            self.session.execute(text(f"REVOKE ALL ON TABLE {sch}.users FROM {r}"))
