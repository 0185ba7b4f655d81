"""`manage.py import_members`: the roster import from the terminal, as a named account, on real CSV and
.xlsx files; all or nothing, bad rows named by line, progress shown."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from members.models import Member, OrganizationKind, Role
from tests.factories import (
    CommunityFactory,
    OrganizationFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
    id_number,
)

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "members" / "samples"


@pytest.fixture
def branch():
    street = TownFactory(name="沧浪街道")
    branch = OrganizationFactory(
        name="“苏会党员”行动党支部", area=CommunityFactory(parent=street, name="道前社区")
    )
    OrganizationFactory(name="便民服务党小组", kind=OrganizationKind.GROUP, parent=branch, area=branch.area)
    return branch


@pytest.fixture
def staff(branch):
    return StaffFactory(username="canglang", role=Role.STREET_STAFF, area=branch.area.parent)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_members", *args, stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


@pytest.mark.parametrize("name", ["members.csv", "members.xlsx"])
def test_the_sample_files_load_with_progress_and_a_second_run_updates(staff, name):
    ok, out = run(str(SAMPLES / name), "--user", "canglang")
    assert ok, out
    assert "正在导入党员：0/3 行（0%）" in out and "正在导入党员：3/3 行（100%）" in out
    assert "党员导入完成：新增 3 条，更新 0 条。" in out
    assert Member.objects.count() == 3
    ok, out = run(str(SAMPLES / name), "--user", "canglang")
    assert ok and "新增 0 条，更新 3 条" in out
    assert Member.objects.count() == 3


def test_an_xlsx_with_one_bad_row_loads_nothing_and_names_its_line(tmp_path, staff, branch):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "党员状态", "党组织"])
    sheet.append(["周建华", id_number(1), "正式党员", branch.name])
    sheet.append(["沈丽娟", id_number(2), "积极分子", branch.name])
    sheet.append(["陆明", id_number(3), "正式党员", "不存在的支部"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    ok, out = run(str(path), "--user", "canglang")
    assert not ok
    assert "第 3 行：党员状态“积极分子”无法识别" in out
    assert "第 4 行：党组织“不存在的支部”不存在或不在您的管辖范围内" in out
    assert "导入失败：2 处错误，未导入任何党员。" in out
    assert not Member.objects.exists()


def test_a_csv_row_outside_the_accounts_area_is_refused(tmp_path, branch):
    StaffFactory(username="shuangta", role=Role.STREET_STAFF, area=TownFactory(name="双塔街道"))
    path = tmp_path / "roster.csv"
    path.write_text(f"姓名,身份证号,党员状态,党组织\n周建华,{id_number(1)},正式党员,{branch.name}\n")
    ok, out = run(str(path), "--user", "shuangta")
    assert not ok and "第 2 行：党组织" in out
    assert not Member.objects.exists()


def test_the_account_must_exist_and_manage_an_area(tmp_path, staff):
    UserFactory(username="volunteer1", role=Role.VOLUNTEER)
    ok, out = run(str(SAMPLES / "members.csv"), "--user", "nobody")
    assert not ok and "找不到用户“nobody”" in out
    ok, out = run(str(SAMPLES / "members.csv"), "--user", "volunteer1")
    assert not ok and "没有负责区域" in out
    ok, out = run(str(tmp_path / "missing.csv"), "--user", "canglang")
    assert not ok and "找不到文件" in out
    assert not Member.objects.exists()
