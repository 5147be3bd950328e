"""Setting up a shared office on PostgreSQL: communes, users and their roles.

Run as the database owner. Users are PostgreSQL login roles; what they may see
and do is enforced by PostgreSQL's row-level security (budget/migrations/rls.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from budget.errors import ValidationError
from budget.models import Membership, Organisation, ProvinceReviewer
from budget.models.membership import REVIEWER, REVIEWER_LABEL, ROLES
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
            "Tên người dùng «{name}» không hợp lệ: chữ thường không dấu, số, gạch dưới, "
            "3–41 ký tự, bắt đầu bằng chữ.",
            name=name,
        )
    return f'"{name}"'


#: Group roles by membership role: table rights; row-level security narrows them to rows.
#: No DELETE: a draft's lines and parts are deleted through budget_remove_line and
#: budget_clear_version (a DELETE holder may LOCK the table and stall every commune).
ROLE_GROUPS = {"accountant": "budget_accountants", "chairman": "budget_chairmen"}
_ACCOUNTANT_RIGHTS = {
    "organisations": "UPDATE",
    "campaigns": "INSERT, UPDATE",
    "estimate_versions": "INSERT, UPDATE",
    "estimate_parts": "INSERT, UPDATE",
    "estimate_lines": "INSERT, UPDATE",
    "vouchers": "INSERT",
    "award_decisions": "INSERT, UPDATE",
    "award_recipients": "INSERT, UPDATE",
    "audit_entries": "INSERT",
    "audit_content": "INSERT",
    "funding_sources": "INSERT",
    "fund_registers": "INSERT",
    "fund_allocations": "INSERT",
}
_CHAIRMAN_RIGHTS = {
    "organisations": "UPDATE",
    "estimate_versions": "UPDATE",
    "audit_entries": "INSERT",
    "audit_content": "INSERT",
}
_ADVISORY_LOCKS = (
    "SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p "
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
    "WHERE n.nspname = 'pg_catalog' AND p.proname LIKE 'pg%advisory%lock%' "
    "AND p.proname NOT LIKE '%unlock%'"
)


def setup_office(session: Session) -> str:
    """Group roles with table rights per role; RLS narrows them to rows.

    Everyone (budget_users) reads; accountants and chairmen write only the tables
    their work needs, and nobody may UPDATE or DELETE vouchers or audit entries.
    TEMP on the database and CREATE on the schema are revoked from PUBLIC, and so
    is EXECUTE on the raw advisory-lock functions (writers lock a commune through
    budget_lock_organisation, which checks the caller's role).
    """
    _require_postgres(session)
    # Roles and database rights are shared by every schema of the cluster: two
    # offices set up at once would race on them ("tuple concurrently updated").
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext('budget_setup_office'))"))
    groups = (GROUP_ROLE, *ROLE_GROUPS.values())
    for group in groups:
        exists = session.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}
        ).first()
        if not exists:
            session.execute(text(f"CREATE ROLE {group} NOLOGIN"))
    schema: str = session.execute(text("SELECT current_schema()")).scalar_one()
    quoted = '"' + schema.replace('"', '""') + '"'
    database = session.execute(text("SELECT quote_ident(current_database())")).scalar_one()
    everyone = ", ".join(groups)
    for statement in (
        f"REVOKE CREATE ON SCHEMA {quoted} FROM PUBLIC",
        f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {quoted} FROM {everyone}",
        f"GRANT USAGE ON SCHEMA {quoted} TO {GROUP_ROLE}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {quoted} TO {GROUP_ROLE}",
        f"REVOKE ALL ON {quoted}.budget_memberships FROM {GROUP_ROLE}",
        f"REVOKE ALL ON {quoted}.budget_province_reviewers FROM {GROUP_ROLE}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted} "
        f"TO {', '.join(ROLE_GROUPS.values())}",
        f"GRANT EXECUTE ON FUNCTION {quoted}.budget_lock_organisation(integer) TO {GROUP_ROLE}",
    ):
        session.execute(text(statement))
    for group, rights in (
        (ROLE_GROUPS["accountant"], _ACCOUNTANT_RIGHTS),
        (ROLE_GROUPS["chairman"], _CHAIRMAN_RIGHTS),
    ):
        for table, privileges in rights.items():
            session.execute(text(_grant(session, schema, table, privileges, group)))
    _revoke_advisory_locks(session)
    return schema


#: Columns no writer may update: a commune cannot move itself out of its province's sight.
_ADMIN_ONLY = {"organisations": ("province_code",)}


def _grant(session: Session, schema: str, table: str, privileges: str, group: str) -> str:
    """UPDATE is granted on the table's columns, not on the table: PostgreSQL lets a
    table-level UPDATE (or DELETE) holder ``LOCK TABLE`` in any mode, stalling every
    commune's writers; column rights allow the same updates and no such lock.
    The admin-only columns (``_ADMIN_ONLY``) are left out."""
    quoted = '"' + schema.replace('"', '""') + '"'
    rights = [p.strip() for p in privileges.split(",")]
    if "UPDATE" in rights:
        found = session.execute(
            text(
                "SELECT quote_ident(attname) FROM pg_catalog.pg_attribute "
                "WHERE attrelid = CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped "
                "ORDER BY attnum"
            ),
            {"t": f"{quoted}.{table}"},
        ).scalars()
        excluded = set(_ADMIN_ONLY.get(table, ()))
        columns = [c for c in found if c not in excluded]
        rights[rights.index("UPDATE")] = f"UPDATE ({', '.join(columns)})"
    return f"GRANT {', '.join(rights)} ON {quoted}.{table} TO {group}"


def _revoke_advisory_locks(session: Session) -> None:
    """Only a superuser may change the rights on pg_catalog functions; without one
    the raw functions stay callable (see README, «Tấn công đã thử»)."""
    functions = session.execute(text(_ADVISORY_LOCKS)).scalars().all()
    try:
        with session.begin_nested():
            for signature in functions:
                session.execute(text(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC"))
    except DBAPIError:
        pass


def advisory_locks_open(session: Session) -> bool:
    """True when any login can still call pg_advisory_xact_lock directly."""
    return bool(
        session.execute(
            text(
                "SELECT has_function_privilege(:g, 'pg_catalog.pg_advisory_xact_lock(bigint)', "
                "'EXECUTE')"
            ),
            {"g": GROUP_ROLE},
        ).scalar_one()
    )


def _sync_groups(session: Session, name: str) -> None:
    """The login is in the group of every role it holds in some commune, and no other."""
    quoted = _quote(name)
    held = set(session.execute(select(Membership.role).where(Membership.rolname == name)).scalars())
    session.execute(text(f"GRANT {GROUP_ROLE} TO {quoted}"))
    for role, group in ROLE_GROUPS.items():
        verb = "GRANT" if role in held else "REVOKE"
        session.execute(text(f"{verb} {group} {'TO' if role in held else 'FROM'} {quoted}"))


def _create_login(session: Session, quoted: str, name: str, password: str | None) -> None:
    exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).first()
    if not exists:
        session.execute(text(f"CREATE ROLE {quoted} LOGIN"))
    if password:
        literal = session.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
        session.execute(text(f"ALTER ROLE {quoted} PASSWORD {literal}"))


@dataclass(frozen=True)
class UserInfo:
    name: str
    commune: str
    role: str


def add_user(
    session: Session,
    *,
    name: str,
    commune: str,
    role: str,
    actor: str,
    password: str | None = None,
    display_name: str | None = None,
) -> UserInfo:
    _require_postgres(session)
    if role not in ROLES:
        raise ValidationError(
            "Vai trò «{role}» không hợp lệ (chọn: {roles}).", role=role, roles=", ".join(ROLES)
        )
    org = session.execute(
        select(Organisation).where(Organisation.code == commune)
    ).scalar_one_or_none()
    if org is None:
        raise ValidationError("Không có đơn vị «{commune}».", commune=commune)
    quoted = _quote(name)
    if session.execute(
        select(ProvinceReviewer.province_code).where(ProvinceReviewer.rolname == name)
    ).first():
        raise ValidationError(
            "«{name}» là tài khoản rà soát cấp tỉnh (chỉ xem): không cấp quyền tại xã; "
            "hãy dùng một tài khoản khác.",
            name=name,
        )
    _create_login(session, quoted, name, password)
    existing = session.get(Membership, (name, org.id))
    shown = clean_text(display_name, "Tên hiển thị", max_length=100) if display_name else None
    if existing is None:
        session.add(Membership(rolname=name, organisation_id=org.id, role=role, display_name=shown))
    else:
        existing.role = role
        if shown:
            existing.display_name = shown
    session.flush()
    _sync_groups(session, name)
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
    """Commune members, then province reviewers (their "commune" is ``tỉnh <code>``)."""
    rows = session.execute(
        select(Membership.rolname, Organisation.code, Membership.role)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .order_by(Organisation.code, Membership.rolname)
    )
    users = [UserInfo(name, code, role) for name, code, role in rows]
    reviewers = session.execute(
        select(ProvinceReviewer.rolname, ProvinceReviewer.province_code).order_by(
            ProvinceReviewer.province_code, ProvinceReviewer.rolname
        )
    )
    return users + [UserInfo(name, f"tỉnh {code}", REVIEWER) for name, code in reviewers]


_PROVINCE_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def clean_province_code(value: str) -> str:
    """A province code as stored: lower-case letters without accents, digits, dashes."""
    code = value.strip()
    if not _PROVINCE_CODE.fullmatch(code):
        raise ValidationError(
            "Mã tỉnh «{value}» không hợp lệ: chữ thường không dấu, số, gạch ngang, "
            "tối đa 40 ký tự (ví dụ ninh-binh).",
            value=value,
        )
    return code


@dataclass(frozen=True)
class ProvinceAssignment:
    province_code: str
    communes: tuple[str, ...]


def assign_province(
    session: Session, *, code: str, communes: list[str], actor: str, name: str | None = None
) -> ProvinceAssignment:
    """Put communes (by their code) in province ``code``; ``name`` also sets the
    province's name printed in their headings. Both engines."""
    code = clean_province_code(code)
    shown = clean_text(name, "Tỉnh/thành phố", max_length=200) if name else None
    if not communes:
        raise ValidationError("Hãy chọn ít nhất một đơn vị (--commune).")
    orgs = []
    for commune in communes:
        org = session.execute(
            select(Organisation).where(Organisation.code == commune)
        ).scalar_one_or_none()
        if org is None:
            raise ValidationError("Không có đơn vị «{commune}».", commune=commune)
        orgs.append(org)
    for org in orgs:
        before = {"province_code": org.province_code, "province": org.province}
        org.province_code = code
        if shown:
            org.province = shown
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="settings",
            entity="organisation",
            entity_id=org.id,
            summary=f"Đơn vị {org.code} thuộc tỉnh {code}",
            before=before,
            after={"province_code": code, "province": org.province},
            organisation_id=org.id,
        )
    return ProvinceAssignment(code, tuple(o.code for o in orgs))


def add_reviewer(
    session: Session,
    *,
    name: str,
    province: str,
    actor: str,
    password: str | None = None,
    display_name: str | None = None,
) -> UserInfo:
    """Grant login ``name`` the province reviewer role: it reads every commune whose
    province code is ``province`` and writes nothing (PostgreSQL only)."""
    _require_postgres(session)
    code = clean_province_code(province)
    quoted = _quote(name)
    if session.execute(
        select(Membership.organisation_id).where(Membership.rolname == name)
    ).first():
        raise ValidationError(
            "«{name}» đã có quyền tại một xã: tài khoản rà soát cấp tỉnh phải là "
            "tài khoản riêng, chỉ xem.",
            name=name,
        )
    communes = (
        session.execute(select(Organisation.code).where(Organisation.province_code == code))
        .scalars()
        .all()
    )
    if not communes:
        raise ValidationError(
            "Chưa có đơn vị nào thuộc tỉnh «{code}»: hãy gán trước bằng «budget admin province».",
            code=code,
        )
    _create_login(session, quoted, name, password)
    shown = clean_text(display_name, "Tên hiển thị", max_length=100) if display_name else None
    existing = session.get(ProvinceReviewer, (name, code))
    if existing is None:
        session.add(ProvinceReviewer(rolname=name, province_code=code, display_name=shown))
    elif shown:
        existing.display_name = shown
    session.flush()
    # budget_users alone: SELECT on the tables; no writer group, no write right at all.
    session.execute(text(f"GRANT {GROUP_ROLE} TO {quoted}"))
    for group in ROLE_GROUPS.values():
        session.execute(text(f"REVOKE {group} FROM {quoted}"))
    audit.record(
        session,
        actor=actor,
        action="settings",
        entity="membership",
        entity_id=name,
        summary=f"Cấp quyền {REVIEWER_LABEL} tỉnh {code} cho {name} ({len(communes)} đơn vị)",
        after={"user": name, "province": code, "role": REVIEWER},
    )
    return UserInfo(name, f"tỉnh {code}", REVIEWER)


def add_commune(
    session: Session,
    *,
    code: str,
    name: str,
    actor: str,
    province: str = "",
    kind: str = "xã",
    province_code: str = "",
) -> Organisation:
    from budget.services.organisation import create_organisation

    code = clean_text(code, "Mã đơn vị", max_length=40)
    create_organisation(
        session, code=code, actor=actor, commune_name=name, province=province, commune_kind=kind
    )
    org = session.execute(select(Organisation).where(Organisation.code == code)).scalar_one()
    if province_code:
        assign_province(session, code=province_code, communes=[code], actor=actor)
    return org
