"""``budget admin``: communes and users of an office sharing one PostgreSQL."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, pass_app, print_table


@click.group()
def admin() -> None:
    """Quản trị văn phòng dùng chung PostgreSQL: đơn vị, người dùng, quyền."""


@admin.command("setup")
@pass_app
def setup(app: AppContext) -> None:
    """Tạo nhóm quyền budget_users và cấp quyền bảng (chạy bằng tài khoản chủ CSDL)."""
    from budget.services.admin import GROUP_ROLE, setup_office

    with app.transaction() as session:
        schema = setup_office(session)
    click.echo(
        f"Đã cấp quyền trên lược đồ {schema} cho nhóm {GROUP_ROLE}; "
        "quyền theo từng xã do chính sách hàng (RLS) của PostgreSQL bảo đảm."
    )


@admin.command("commune")
@click.option("--code", required=True, help="Mã đơn vị, ví dụ phu-ly.")
@click.option("--name", required=True, help="Tên xã, ví dụ Phú Lý.")
@click.option("--province", default="", help="Tên tỉnh/thành phố, ví dụ Ninh Bình.")
@click.option("--province-code", default="", help="Mã tỉnh, ví dụ ninh-binh (rà soát cấp tỉnh).")
@click.option("--kind", default="xã", help="xã hoặc phường.")
@pass_app
def commune(
    app: AppContext, code: str, name: str, province: str, province_code: str, kind: str
) -> None:
    """Thêm một xã/phường vào văn phòng dùng chung."""
    from budget.services.admin import add_commune

    with app.transaction() as session:
        org = add_commune(
            session,
            code=code,
            name=name,
            actor=app.actor,
            province=province,
            kind=kind,
            province_code=province_code,
        )
    click.echo(f"Đã thêm đơn vị {org.code}: {org.commune_kind} {org.commune_name}.")


@admin.command("user")
@click.argument("name")
@click.option("--commune", required=True, help="Mã đơn vị.")
@click.option(
    "--role",
    type=click.Choice(["accountant", "chairman", "viewer"]),
    required=True,
    help="accountant: ghi; chairman: duyệt và xem; viewer: chỉ xem.",
)
@click.option("--password", default=None, help="Mật khẩu đăng nhập PostgreSQL.")
@click.option(
    "--display-name",
    default=None,
    help="Tên ghi là người thao tác trong nhật ký và chứng từ (mặc định: tên đăng nhập).",
)
@pass_app
def user(
    app: AppContext,
    name: str,
    commune: str,
    role: str,
    password: str | None,
    display_name: str | None,
) -> None:
    """Tạo (hoặc cập nhật) người dùng NAME với vai trò tại một đơn vị."""
    from budget.services.admin import add_user

    with app.transaction() as session:
        info = add_user(
            session,
            name=name,
            commune=commune,
            role=role,
            actor=app.actor,
            password=password,
            display_name=display_name,
        )
    click.echo(f"Người dùng {info.name}: {info.role} tại {info.commune}.")


@admin.command("province")
@click.argument("code")
@click.option(
    "--commune", "communes", multiple=True, required=True, help="Mã đơn vị (lặp lại được)."
)
@click.option("--name", default=None, help="Tên tỉnh in trên tiêu đề, ví dụ Ninh Bình.")
@pass_app
def province(app: AppContext, code: str, communes: tuple[str, ...], name: str | None) -> None:
    """Gán các xã/phường vào tỉnh có mã CODE (người rà soát cấp tỉnh đọc các xã này)."""
    from budget.services.admin import assign_province

    with app.transaction() as session:
        done = assign_province(
            session, code=code, communes=list(communes), actor=app.actor, name=name
        )
    click.echo(f"Tỉnh {done.province_code}: {', '.join(done.communes)}.")


@admin.command("reviewer")
@click.argument("name")
@click.option("--province", required=True, help="Mã tỉnh, ví dụ ninh-binh.")
@click.option("--password", default=None, help="Mật khẩu đăng nhập PostgreSQL.")
@click.option("--display-name", default=None, help="Tên hiển thị của người rà soát.")
@pass_app
def reviewer(
    app: AppContext, name: str, province: str, password: str | None, display_name: str | None
) -> None:
    """Cấp cho NAME quyền rà soát cấp tỉnh: xem mọi xã của tỉnh, không ghi gì."""
    from budget.services.admin import add_reviewer

    with app.transaction() as session:
        info = add_reviewer(
            session,
            name=name,
            province=province,
            actor=app.actor,
            password=password,
            display_name=display_name,
        )
    click.echo(f"Người dùng {info.name}: rà soát cấp tỉnh (chỉ xem) tại {info.commune}.")


@admin.command("users")
@pass_app
def users(app: AppContext) -> None:
    """Danh sách người dùng và quyền."""
    from budget.services.admin import list_users

    with app.reading() as session:
        rows = list_users(session)
    print_table(["Người dùng", "Đơn vị", "Vai trò"], [[u.name, u.commune, u.role] for u in rows])
