"""Organisation settings: the commune, its province, signers and options."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import NotFoundError, Term, ValidationError
from budget.models import Organisation
from budget.norms import COLLECTIVE_RULES, HOUSEHOLD_RULES, ROUNDING_MODES
from budget.services import audit
from budget.text import clean_text


@dataclass(frozen=True)
class OrgSettings:
    id: int
    code: str
    commune_kind: str
    commune_name: str
    province: str
    superior_body: str | None
    place_name: str
    chairman_name: str
    chairman_title: str
    accountant_name: str
    preparer_name: str
    dialect: str
    rounding: str
    collective_rule: str
    current_campaign_id: int | None
    household_rule: str = "coefficient"
    unit_code: str = ""
    treasury_name: str = ""
    treasury_code: str = ""
    chapter: str = ""
    sector_code: str = ""
    fund_code: str = ""
    cashier_name: str = ""

    @property
    def place(self) -> str:
        """The place in the date line of a document."""
        return self.place_name or self.commune_name

    @property
    def heading(self) -> str:
        """ "ỦY BAN NHÂN DÂN XÃ PHÚ LÝ" as on the heading block."""
        return f"{self.commune_kind} {self.commune_name}".upper()


#: field -> (Vietnamese label, max length, required)
TEXT_FIELDS: dict[str, tuple[str, int, bool]] = {
    "commune_kind": ("Loại đơn vị (xã/phường)", 20, True),
    "commune_name": ("Tên xã", 200, True),
    "province": ("Tỉnh/thành phố", 200, False),
    "superior_body": ("Cơ quan cấp trên", 200, False),
    "place_name": ("Địa danh ghi ngày tháng", 200, False),
    "chairman_name": ("Chủ tịch", 200, False),
    "chairman_title": ("Chức danh người duyệt", 200, True),
    "accountant_name": ("Kế toán", 200, False),
    "preparer_name": ("Người lập biểu", 200, False),
    "unit_code": ("Mã đơn vị quan hệ ngân sách (ĐVQHNS)", 20, False),
    "treasury_name": ("Kho bạc Nhà nước giao dịch", 200, False),
    "treasury_code": ("Mã Kho bạc Nhà nước", 20, False),
    "chapter": ("Chương", 10, False),
    "sector_code": ("Loại - khoản mặc định", 20, False),
    "fund_code": ("Mã nguồn mặc định", 10, False),
    "cashier_name": ("Thủ quỹ", 200, False),
}
#: Codes checked against the shipped lists (templates/norms/treasury_codes.toml).
CODE_FIELDS = ("unit_code", "treasury_code", "chapter", "sector_code", "fund_code")
CHOICE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "dialect": ("Cách đọc số tiền bằng chữ", ("bac", "nam")),
    "rounding": ("Cách làm tròn tiền thưởng", ROUNDING_MODES),
    "collective_rule": ("Cách tính thưởng tập thể", COLLECTIVE_RULES),
    "household_rule": ("Cách tính thưởng hộ gia đình", HOUSEHOLD_RULES),
}
FIELD_LABELS = {k: v[0] for k, v in TEXT_FIELDS.items()} | {
    k: v[0] for k, v in CHOICE_FIELDS.items()
}


def _settings(org: Organisation) -> OrgSettings:
    return OrgSettings(**{f: getattr(org, f) for f in OrgSettings.__dataclass_fields__})


def _validated(changes: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key in TEXT_FIELDS:
            label, max_length, required = TEXT_FIELDS[key]
            text = clean_text(value or "", label, max_length=max_length, required=required)
            clean[key] = text if (text or key != "superior_body") else None
            if key in CODE_FIELDS and text:
                from budget.treasury_codes import check_code

                check_code(key, text)
        elif key in CHOICE_FIELDS:
            label, choices = CHOICE_FIELDS[key]
            if value not in choices:
                raise ValidationError(
                    "«{label}» phải là một trong: {choices}.",
                    label=Term(label),
                    choices=", ".join(choices),
                )
            clean[key] = value
        else:
            raise ValidationError("Không có thiết lập «{key}».", key=key)
    return clean


def _find(session: Session, code: str | None) -> Organisation | None:
    query = select(Organisation).order_by(Organisation.id).limit(1)
    if code is not None:
        query = select(Organisation).where(Organisation.code == code)
    return session.execute(query).scalar_one_or_none()


def get_organisation(session: Session, code: str | None = None) -> OrgSettings:
    """The organisation ``code`` names, or the first one."""
    org = _find(session, code)
    if org is None:
        if code is None:
            raise NotFoundError(
                "Cơ sở dữ liệu chưa có đơn vị nào: chạy «budget org set --commune-name ...» "
                "hoặc «budget demo»."
            )
        raise NotFoundError("Không có đơn vị «{code}».", code=code)
    return _settings(org)


def create_organisation(session: Session, *, code: str, actor: str, **fields: Any) -> OrgSettings:
    code = clean_text(code, "Mã đơn vị", max_length=40)
    if _find(session, code) is not None:
        raise ValidationError("Đơn vị «{code}» đã có.", code=code)
    values = _validated(fields)
    org = Organisation(code=code, **values)
    session.add(org)
    session.flush()
    result = _settings(org)
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="organisation",
        entity_id=org.id,
        summary=f"Tạo đơn vị {result.heading}",
        after=asdict(result),
        organisation_id=org.id,
    )
    return result


def update_settings(
    session: Session,
    changes: dict[str, Any],
    *,
    actor: str,
    code: str | None = None,
    reason: str = "",
) -> OrgSettings:
    """Change settings; creates the organisation on first use when a commune name is given."""
    org = _find(session, code)
    if org is None:
        if "commune_name" not in changes:
            raise NotFoundError("Chưa có đơn vị: hãy nhập tên xã (--commune-name) trước.")
        return create_organisation(session, code=code or "default", actor=actor, **changes)
    values = _validated(changes)
    before = asdict(_settings(org))
    for key, value in values.items():
        setattr(org, key, value)
    session.flush()
    result = _settings(org)
    after = asdict(result)
    changed = {k: after[k] for k in values if before[k] != after[k]}
    if changed:
        audit.record(
            session,
            actor=actor,
            action="settings",
            entity="organisation",
            entity_id=org.id,
            summary="Sửa thiết lập: " + ", ".join(FIELD_LABELS[k] for k in changed),
            before={k: before[k] for k in changed},
            after=changed,
            reason=reason,
            organisation_id=org.id,
        )
    return result


def set_current_campaign(session: Session, org_id: int, campaign_id: int) -> None:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFoundError("Không có đơn vị.")
    org.current_campaign_id = campaign_id
    session.flush()
