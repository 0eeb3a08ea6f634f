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

from verifier.adapters.roles import PgRoles
from verifier.domain.checks import check_text
from verifier.domain.errors import DomainError


def grant_readonly(store, role: str) -> dict:
    """GRANT read-only access to the store's schema to ``role`` (which must exist)."""
    if store.dialect != "postgresql":
        raise DomainError(
            "db", "grant-readonly is for PostgreSQL; a SQLite file is private to its owner (mode 0600), "
                  "share a copy or an export instead")
    role = check_text(role, "role", limit=63)
    uow = store.uow()
    with uow:
        roles = PgRoles(uow.session)
        if not roles.exists(role):
            raise DomainError("role", f"no PostgreSQL role {role!r}: create it first (CREATE ROLE {roles.quote(role)} LOGIN)")
        if roles.is_superuser(role):
            raise DomainError("role", f"{role!r} is a superuser: it can never be read-only")
        schema = roles.schema()
        if roles.owns_store(role, schema):
            raise DomainError("role", f"{role!r} owns this store: give read-only access to another role")
        roles.grant_readonly(role, schema)
        result = {"role": role, "schema": schema, "tables": roles.table_count(schema)}
        uow.record("grant-readonly", "role", role, None, result)
        uow.commit()
    return result
