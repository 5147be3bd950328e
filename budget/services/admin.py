"""Setting up a shared office on PostgreSQL: communes, users and their roles.

Run as the database owner. Users are PostgreSQL login roles; what they may see
and do is enforced by PostgreSQL's row-level security (budget/migrations/rls.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from budget.errors import ValidationError
from budget.models import Membership, Organisation
from budget.models.membership import ROLES
from budget.services import audit
from budget.text import clean_text

GROUP_ROLE = "budget_users"
_ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{2,40}")


def _require_postgres(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        raise ValidationError("Lệnh quản trị chỉ dùng cho PostgreSQL dùng chung nhiều xã.")


def _quote(name: str) -> str:
    if not _ROLE_NAME.fullmatch(name):
        raise ValidationError(
            f"Tên người dùng «{name}» không hợp lệ: chữ thường không dấu, số, gạch dưới, "
            "3–41 ký tự, bắt đầu bằng chữ."
        )
    return f'"{name}"'


def setup_office(session: Session) -> str:
    """The group role every user joins, with table rights; RLS narrows them to rows."""
    _require_postgres(session)
    exists = session.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": GROUP_ROLE}
    ).first()
    if not exists:
        session.execute(text(f"CREATE ROLE {GROUP_ROLE} NOLOGIN"))
    schema = session.execute(text("SELECT current_schema()")).scalar_one()
    session.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {GROUP_ROLE}'))
    session.execute(
        text(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" '
            f"TO {GROUP_ROLE}"
        )
    )
    session.execute(
        text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {GROUP_ROLE}')
    )
    session.execute(text(f"REVOKE ALL ON budget_memberships FROM {GROUP_ROLE}"))
    session.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {GROUP_ROLE}"))
    return schema


@dataclass(frozen=True)
class UserInfo:
    name: str
    commune: str
    role: str


def add_user(
    session: Session, *, name: str, commune: str, role: str, actor: str, password: str | None = None
) -> UserInfo:
    _require_postgres(session)
    if role not in ROLES:
        raise ValidationError(f"Vai trò «{role}» không hợp lệ (chọn: {', '.join(ROLES)}).")
    org = session.execute(
        select(Organisation).where(Organisation.code == commune)
    ).scalar_one_or_none()
    if org is None:
        raise ValidationError(f"Không có đơn vị «{commune}».")
    quoted = _quote(name)
    exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).first()
    if not exists:
        session.execute(text(f"CREATE ROLE {quoted} LOGIN"))
    if password:
        literal = session.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
        session.execute(text(f"ALTER ROLE {quoted} PASSWORD {literal}"))
    session.execute(text(f"GRANT {GROUP_ROLE} TO {quoted}"))
    existing = session.get(Membership, (name, org.id))
    if existing is None:
        session.add(Membership(rolname=name, organisation_id=org.id, role=role))
    else:
        existing.role = role
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="settings",
        entity="membership",
        entity_id=name,
        summary=f"Cấp quyền {ROLES[role]} cho {name} tại {org.code}",
        after={"user": name, "commune": org.code, "role": role},
        organisation_id=org.id,
    )
    return UserInfo(name, org.code, role)


def list_users(session: Session) -> list[UserInfo]:
    rows = session.execute(
        select(Membership.rolname, Organisation.code, Membership.role)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .order_by(Organisation.code, Membership.rolname)
    )
    return [UserInfo(name, code, role) for name, code, role in rows]


def add_commune(
    session: Session, *, code: str, name: str, actor: str, province: str = "", kind: str = "xã"
) -> Organisation:
    from budget.services.organisation import create_organisation

    code = clean_text(code, "Mã đơn vị", max_length=40)
    create_organisation(
        session, code=code, actor=actor, commune_name=name, province=province, commune_kind=kind
    )
    org = session.execute(select(Organisation).where(Organisation.code == code)).scalar_one()
    return org
