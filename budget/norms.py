"""Norms (định mức): dated rates with their legal sources, loaded from TOML.

The shipped tables live in templates/norms/*.toml. A user norms file (a
province's own rates) uses the same tables; an entry with the same key
replaces a shipped one, a new key extends the list. Nothing here is a
constant in code: every figure comes from the files.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from budget import legal
from budget.errors import NormError, os_error_text
from budget.legal import FundCap, LegalDocument
from budget.paths import templates_dir

ROUNDING_MODES = ("up", "nearest")
COLLECTIVE_RULES = ("coefficient", "twice_rounded")
#: Household reward: the rounded coefficient, or a multiple of the rounded individual amount.
HOUSEHOLD_RULES = ("coefficient", "multiple_rounded")
#: Shown wherever a row that no official text has confirmed is used.
UNVERIFIED_MARK = "chưa đối chiếu văn bản"
RECIPIENT_KINDS = {"ca_nhan": "Cá nhân", "tap_the": "Tập thể", "ho_gia_dinh": "Hộ gia đình"}


@dataclass(frozen=True)
class BaseSalary:
    effective_from: date
    amount: int
    source: str
    verify: bool = False
    note: str = ""
    article: str = ""
    document: str = ""


@dataclass(frozen=True)
class RewardForm:
    code: str
    name: str
    recipient: str
    #: False: a certificate-only title (on the decision, no money).
    cash: bool = True


@dataclass(frozen=True)
class RewardRate:
    form: str
    coefficient: Decimal
    valid_from: date
    valid_to: date | None
    source: str
    #: The form whose rounded amount this one is a multiple of ("gấp 2 lần mức cá nhân").
    twice_of: str | None = None
    verify: bool = False
    note: str = ""
    article: str = ""
    document: str = ""
    multiple: Decimal = Decimal(2)

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class Rate:
    """A unit price set by a norm (meals, drinks...), đồng per ``unit``."""

    code: str
    name: str
    unit: str
    amount: int
    valid_from: date
    valid_to: date | None
    source: str
    mlnsnn: str = ""
    verify: bool = False
    note: str = ""
    article: str = ""
    document: str = ""

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class BudgetCode:
    code: str
    name: str
    parent: str | None
    source: str
    verify: bool = False


@dataclass(frozen=True)
class Rounding:
    step: int
    mode: str
    source: str


@dataclass(frozen=True)
class RewardAmount:
    """A reward worked out for one recipient: every figure the payout list shows."""

    form: str
    form_name: str
    on: date
    coefficient: Decimal
    base_salary: int
    base_salary_source: str
    unrounded: Decimal
    amount: int
    rounding: str
    step: int
    rule: str
    source: str
    verify: bool
    article: str = ""


def cited(source: str, article: str, verify: bool) -> str:
    """ "Nghị định 98/2023/NĐ-CP, Điều 76 (chưa đối chiếu văn bản)"."""
    text = f"{source}, {article}" if article and article not in source else source
    return f"{text} ({UNVERIFIED_MARK})" if verify else text


def round_to_step(value: Decimal, step: int, mode: str) -> int:
    """Round a non-negative exact amount to a multiple of ``step`` đồng."""
    if mode not in ROUNDING_MODES:
        raise NormError("Cách làm tròn «{mode}» không hợp lệ (chọn up hoặc nearest).", mode=mode)
    how = ROUND_CEILING if mode == "up" else ROUND_HALF_UP
    units = (value / step).quantize(Decimal(1), rounding=how)
    return int(units) * step


@dataclass(frozen=True)
class Norms:
    base_salaries: tuple[BaseSalary, ...]
    reward_forms: tuple[RewardForm, ...]
    reward_rates: tuple[RewardRate, ...]
    rates: tuple[Rate, ...]
    budget_codes: tuple[BudgetCode, ...]
    rounding: Rounding
    legal_documents: tuple[LegalDocument, ...] = ()
    fund_caps: tuple[FundCap, ...] = ()

    # -- look-ups ---------------------------------------------------------
    def base_salary_on(self, on: date) -> BaseSalary:
        in_force = [b for b in self.base_salaries if b.effective_from <= on]
        if not in_force:
            raise NormError(
                "Không có mức lương cơ sở nào có hiệu lực vào ngày {on:%d/%m/%Y}.", on=on
            )
        return max(in_force, key=lambda b: b.effective_from)

    def reward_form(self, code: str) -> RewardForm:
        for form in self.reward_forms:
            if form.code == code:
                return form
        known = ", ".join(f.code for f in self.reward_forms)
        raise NormError(
            "Không có hình thức khen thưởng «{code}». Các mã có: {known}.", code=code, known=known
        )

    def reward_rate_on(self, code: str, on: date) -> RewardRate:
        self.reward_form(code)
        candidates = [r for r in self.reward_rates if r.form == code and r.in_force(on)]
        if not candidates:
            raise NormError(
                "Không có hệ số tiền thưởng «{code}» có hiệu lực vào ngày {on:%d/%m/%Y}.",
                code=code,
                on=on,
            )
        return max(candidates, key=lambda r: r.valid_from)

    def reward_amount(
        self,
        code: str,
        on: date,
        *,
        rounding: str | None = None,
        collective_rule: str = "coefficient",
        household_rule: str = "coefficient",
    ) -> RewardAmount:
        """The reward for one recipient of form ``code`` decided on ``on``.

        A collective (household) row linked to the individual form by
        ``twice_of`` is either its own coefficient, rounded, or — with
        ``collective_rule="twice_rounded"`` (``household_rule="multiple_rounded"``) —
        the rule's multiple of the rounded individual amount, under every decree.
        """
        mode = rounding or self.rounding.mode
        if collective_rule not in COLLECTIVE_RULES:
            raise NormError(
                "Quy tắc tính thưởng tập thể «{collective_rule}» không hợp lệ "
                "(chọn coefficient hoặc twice_rounded).",
                collective_rule=collective_rule,
            )
        if household_rule not in HOUSEHOLD_RULES:
            raise NormError(
                "Quy tắc tính thưởng hộ gia đình «{household_rule}» không hợp lệ "
                "(chọn coefficient hoặc multiple_rounded).",
                household_rule=household_rule,
            )
        form = self.reward_form(code)
        rate = self.reward_rate_on(code, on)
        salary = self.base_salary_on(on)
        unrounded = rate.coefficient * salary.amount
        derived = rate.twice_of is not None and (
            (form.recipient == "tap_the" and collective_rule == "twice_rounded")
            or (form.recipient == "ho_gia_dinh" and household_rule == "multiple_rounded")
        )
        if not form.cash:
            amount, unrounded = 0, Decimal(0)
            rule = "Chỉ tặng danh hiệu/giấy chứng nhận, không kèm tiền thưởng"
        elif derived:
            assert rate.twice_of is not None
            single = self.reward_amount(rate.twice_of, on, rounding=mode)
            amount = round_to_step(rate.multiple * single.amount, 1, "up")
            times = str(rate.multiple.normalize()).replace(".", ",")
            single_text = f"{single.amount:,}".replace(",", ".")
            rule = f"{times} × {single_text} (mức cá nhân đã làm tròn)"
        else:
            amount = round_to_step(unrounded, self.rounding.step, mode)
            rule = f"{rate.coefficient} × mức lương cơ sở".replace(".", ",")
        return RewardAmount(
            form=code,
            form_name=form.name,
            on=on,
            coefficient=rate.coefficient,
            base_salary=salary.amount,
            base_salary_source=salary.source,
            unrounded=unrounded,
            amount=amount,
            rounding=mode,
            step=self.rounding.step,
            rule=rule,
            source=rate.source,
            verify=rate.verify or salary.verify,
            article=rate.article,
        )

    def rate_on(self, code: str, on: date) -> Rate:
        candidates = [r for r in self.rates if r.code == code]
        if not candidates:
            known = ", ".join(sorted({r.code for r in self.rates}))
            raise NormError(
                "Không có định mức «{code}». Các mã có: {known}.", code=code, known=known
            )
        in_force = [r for r in candidates if r.in_force(on)]
        if not in_force:
            raise NormError(
                "Định mức «{code}» không có hiệu lực vào ngày {on:%d/%m/%Y}.", code=code, on=on
            )
        return max(in_force, key=lambda r: r.valid_from)

    def budget_code(self, code: str) -> BudgetCode:
        for item in self.budget_codes:
            if item.code == code:
                return item
        raise NormError(
            "Mã mục lục ngân sách «{code}» không có trong danh mục (xem «budget norms list»).",
            code=code,
        )

    def unit_price(
        self,
        norm_ref: str,
        on: date,
        *,
        rounding: str | None = None,
        collective_rule: str = "coefficient",
        household_rule: str = "coefficient",
    ) -> int:
        """The unit price a plan line's norm reference supplies.

        ``reward:CODE`` is a reward amount (rounded as configured); anything
        else is a :class:`Rate` code.
        """
        if norm_ref.startswith("reward:"):
            code = norm_ref.removeprefix("reward:")
            return self.reward_amount(
                code,
                on,
                rounding=rounding,
                collective_rule=collective_rule,
                household_rule=household_rule,
            ).amount
        return self.rate_on(norm_ref, on).amount

    def describe_ref(self, norm_ref: str, on: date) -> str:
        """A short note for the "Ghi chú" column: the norm and its source."""
        if norm_ref.startswith("reward:"):
            rate = self.reward_rate_on(norm_ref.removeprefix("reward:"), on)
            salary = self.base_salary_on(on)
            coefficient = str(rate.coefficient).replace(".", ",")
            return f"{coefficient} × lương cơ sở; " + cited(
                rate.source, rate.article, rate.verify or salary.verify
            )
        rate_ = self.rate_on(norm_ref, on)
        return cited(rate_.source, rate_.article, rate_.verify)

    def is_verified(self, norm_ref: str, on: date) -> bool:
        """False when the row a line's norm reads (or its base salary) awaits checking."""
        if norm_ref.startswith("reward:"):
            rate = self.reward_rate_on(norm_ref.removeprefix("reward:"), on)
            return not (rate.verify or self.base_salary_on(on).verify)
        return not self.rate_on(norm_ref, on).verify


# -- loading -----------------------------------------------------------------


def _field(entry: dict[str, Any], name: str, where: str) -> Any:
    if name not in entry:
        raise NormError("{where}: thiếu trường «{name}».", where=where, name=name)
    return entry[name]


def _date(value: Any, name: str, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise NormError(
            "{where}: «{name}» phải là ngày dạng YYYY-MM-DD.", where=where, name=name
        ) from None


def _optional_date(entry: dict[str, Any], name: str, where: str) -> date | None:
    return _date(entry[name], name, where) if entry.get(name) is not None else None


def _int_amount(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise NormError("{where}: số tiền phải là số nguyên đồng không âm.", where=where)
    return value


def _coefficient(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        raise NormError('{where}: hệ số phải viết trong ngoặc kép, ví dụ "0.15".', where=where)
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise NormError(
            "{where}: hệ số «{value}» không hợp lệ.", where=where, value=value
        ) from None
    if not result.is_finite() or result < 0 or result > MAX_COEFFICIENT:
        raise NormError(
            "{where}: hệ số «{value}» không hợp lệ (từ 0 đến 1000).",
            where=where,
            value=str(value)[:40],
        )
    return result


def _source(entry: dict[str, Any], where: str) -> str:
    """A row's legal source: its text, else the number of the document it rests on."""
    if "source" in entry:
        return str(entry["source"])
    if entry.get("document"):
        return str(entry["document"])
    raise NormError("{where}: thiếu trường «source» (hoặc «document»).", where=where)


MAX_COEFFICIENT = Decimal(1000)


def _check_values(value: Any, where: str) -> None:
    """Refuse control characters anywhere in a norms file: they would reach exports
    that the tool's own import then refuses."""
    if isinstance(value, str):
        for ch in value:
            if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t":
                raise NormError(
                    "{where}: có ký tự điều khiển không hợp lệ (mã {ord:#x}).",
                    where=where,
                    ord=ord(ch),
                )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_values(key, where)
            _check_values(item, where)
    elif isinstance(value, list):
        for item in value:
            _check_values(item, where)


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise NormError("Không tìm thấy tệp định mức {path}.", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise NormError(
            "Tệp định mức {path} sai cú pháp TOML: {exc}.", path=path, exc=exc
        ) from None
    except OSError as exc:
        raise NormError(
            "Không đọc được tệp định mức {path}: {reason}.", path=path, reason=os_error_text(exc)
        ) from None


class _Merger:
    """Collects entries across files; a later entry with the same key wins."""

    def __init__(self) -> None:
        self.base: dict[date, BaseSalary] = {}
        self.forms: dict[str, RewardForm] = {}
        self.reward_rates: dict[tuple[str, date], RewardRate] = {}
        self.rates: dict[tuple[str, date], Rate] = {}
        self.codes: dict[str, BudgetCode] = {}
        self.rounding: dict[str, Any] = {}
        self.documents: dict[str, legal.LegalDocument] = {}
        self.caps: dict[tuple[str, date], legal.FundCap] = {}

    def add(self, path: Path, data: dict[str, Any]) -> None:
        name = path.name
        for i, e in enumerate(data.get("base_salary", []), 1):
            where = f"{name}, base_salary #{i}"
            item = BaseSalary(
                effective_from=_date(_field(e, "effective_from", where), "effective_from", where),
                amount=_int_amount(_field(e, "amount", where), where),
                source=_source(e, where),
                verify=bool(e.get("verify", False)),
                note=str(e.get("note", "")),
                article=str(e.get("article", "")),
                document=str(e.get("document", "")),
            )
            self.base[item.effective_from] = item
        for i, e in enumerate(data.get("reward_form", []), 1):
            where = f"{name}, reward_form #{i}"
            recipient = str(_field(e, "recipient", where))
            if recipient not in RECIPIENT_KINDS:
                raise NormError(
                    "{where}: loại đối tượng «{recipient}» không hợp lệ.",
                    where=where,
                    recipient=recipient,
                )
            form = RewardForm(
                str(_field(e, "code", where)),
                str(_field(e, "name", where)),
                recipient,
                cash=bool(e.get("cash", True)),
            )
            self.forms[form.code] = form
        for i, e in enumerate(data.get("reward_rate", []), 1):
            where = f"{name}, reward_rate #{i}"
            rate = RewardRate(
                form=str(_field(e, "form", where)),
                coefficient=_coefficient(_field(e, "coefficient", where), where),
                valid_from=_date(_field(e, "valid_from", where), "valid_from", where),
                valid_to=_optional_date(e, "valid_to", where),
                source=_source(e, where),
                twice_of=e.get("twice_of", e.get("multiple_of")),
                verify=bool(e.get("verify", False)),
                note=str(e.get("note", "")),
                article=str(e.get("article", "")),
                document=str(e.get("document", "")),
                multiple=_coefficient(e.get("multiple", "2"), where),
            )
            self.reward_rates[(rate.form, rate.valid_from)] = rate
        for i, e in enumerate(data.get("rate", []), 1):
            where = f"{name}, rate #{i}"
            r = Rate(
                code=str(_field(e, "code", where)),
                name=str(_field(e, "name", where)),
                unit=str(_field(e, "unit", where)),
                amount=_int_amount(_field(e, "amount", where), where),
                valid_from=_date(_field(e, "valid_from", where), "valid_from", where),
                valid_to=_optional_date(e, "valid_to", where),
                source=_source(e, where),
                mlnsnn=str(e.get("mlnsnn", "")),
                verify=bool(e.get("verify", False)),
                note=str(e.get("note", "")),
                article=str(e.get("article", "")),
                document=str(e.get("document", "")),
            )
            self.rates[(r.code, r.valid_from)] = r
        for i, e in enumerate(data.get("budget_code", []), 1):
            where = f"{name}, budget_code #{i}"
            c = BudgetCode(
                code=str(_field(e, "code", where)),
                name=str(_field(e, "name", where)),
                parent=e.get("parent"),
                source=str(e.get("source", "")),
                verify=bool(e.get("verify", False)),
            )
            self.codes[c.code] = c
        if "rounding" in data:
            self.rounding.update(data["rounding"])
        legal.add_documents(self.documents, data.get("legal_document", []), name)
        legal.add_fund_caps(self.caps, data.get("fund_cap", []), name)

    def build(self) -> Norms:
        step = self.rounding.get("step", 10000)
        mode = self.rounding.get("mode", "up")
        if isinstance(step, bool) or not isinstance(step, int) or step <= 0:
            raise NormError("Bước làm tròn (rounding.step) phải là số nguyên dương.")
        if mode not in ROUNDING_MODES:
            raise NormError(
                "Cách làm tròn «{mode}» không hợp lệ (chọn up hoặc nearest).", mode=mode
            )
        for rate in self.reward_rates.values():
            if rate.form not in self.forms:
                raise NormError(
                    "Hệ số thưởng cho hình thức chưa khai báo «{form}».", form=rate.form
                )
        documents = legal.finish_documents(self.documents)
        known = {d.number for d in documents}
        rows: list[Any] = [
            *self.base.values(),
            *self.reward_rates.values(),
            *self.rates.values(),
            *self.caps.values(),
        ]
        for row in rows:
            if row.document and row.document not in known:
                raise NormError(
                    "Định mức «{source}» dẫn văn bản «{document}» chưa có trong "
                    "danh mục văn bản (legal_document).",
                    source=row.source,
                    document=row.document,
                )
        by_number = {d.number: d for d in documents}

        def named(row: Any) -> Any:
            if row.document and row.source == row.document:
                doc = by_number[row.document]
                return replace(row, source=doc.short_name, verify=row.verify or doc.verify)
            return row

        self.base = {k: named(v) for k, v in self.base.items()}
        self.reward_rates = {k: named(v) for k, v in self.reward_rates.items()}
        self.rates = {k: named(v) for k, v in self.rates.items()}
        self.caps = {k: named(v) for k, v in self.caps.items()}
        return Norms(
            legal_documents=documents,
            fund_caps=tuple(sorted(self.caps.values(), key=lambda c: (c.code, c.valid_from))),
            base_salaries=tuple(sorted(self.base.values(), key=lambda b: b.effective_from)),
            reward_forms=tuple(self.forms.values()),
            reward_rates=tuple(
                sorted(self.reward_rates.values(), key=lambda r: (r.form, r.valid_from))
            ),
            rates=tuple(sorted(self.rates.values(), key=lambda r: (r.code, r.valid_from))),
            budget_codes=tuple(sorted(self.codes.values(), key=lambda c: c.code)),
            rounding=Rounding(step=step, mode=mode, source=str(self.rounding.get("source", ""))),
        )


def shipped_norm_files() -> list[Path]:
    return sorted((templates_dir() / "norms").glob("*.toml"))


def load_norms(user_files: Iterable[Path | str] = ()) -> Norms:
    """The shipped norms, overridden or extended by ``user_files`` in order."""
    merger = _Merger()
    files: Sequence[Path] = [*shipped_norm_files(), *(Path(p) for p in user_files)]
    for path in files:
        data = _read_file(path)
        _check_values(data, f"Tệp định mức {path.name}")
        try:
            merger.add(path, data)
        except (TypeError, AttributeError, ValueError):
            # a table where a list is expected, a number where text is, ...
            raise NormError(
                "Tệp định mức {name} có giá trị sai kiểu (xem mẫu trong templates/norms).",
                name=path.name,
            ) from None
    return merger.build()
