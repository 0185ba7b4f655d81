"""Area and site imports through the commands and the admin page: real files, all-or-nothing, scoped."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from sites.models import Area, AreaLevel, ImportJob, Site
from tests.factories import CityFactory, DistrictFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "sites" / "samples"


@pytest.fixture
def gusu():
    city = CityFactory(code="320500000000")
    return DistrictFactory(parent=city, name="姑苏区", code="320508000000")


def write_csv(tmp_path, text, *, bom=False, name="file.csv"):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def run(command, path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, path, stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


def test_sample_files_load_and_reimport_updates(gusu):
    for name in ("areas.csv", "areas.xlsx"):
        ok, out = run("import_areas", str(SAMPLES / name))
        assert ok, out
    assert Area.objects.filter(level=AreaLevel.GRID, parent__code="320508101001").count() == 2
    assert Area.objects.filter(name="平江路第一网格").count() == 1  # code-less rows matched on (parent, name)
    for name in ("sites.csv", "sites.xlsx"):
        ok, out = run("import_sites", str(SAMPLES / name))
        assert ok, out
    assert "更新 3 条" in out
    assert Site.objects.count() == 3
    station = Site.objects.get(name="平江路社区党群服务站")
    assert station.opening_hours["mon"] == [["08:30", "11:30"], ["13:30", "17:30"]]
    assert station.opening_hours["sun"] == []
    assert station.fn_political and station.fn_service and not station.fn_education


def test_csv_without_bom_with_english_headers_and_parent_in_the_same_file(tmp_path, gusu):
    path = write_csv(
        tmp_path,
        "code,name,level,parent_code\n"
        "320508102001,新桥社区,community,320508102000\n"  # its parent comes later in the file
        "320508102000,新桥街道,town,320508000000\n",
    )
    ok, out = run("import_areas", path)
    assert ok, out
    community = Area.objects.get(code="320508102001")
    assert community.parent.name == "新桥街道" and community.path.startswith(gusu.path)


def test_reimport_by_code_updates_the_name_never_duplicates(tmp_path, gusu):
    text = "编码,名称,层级,上级编码\n320508103000,{},街道,320508000000\n"
    assert run("import_areas", write_csv(tmp_path, text.format("旧名街道"), bom=True))[0]
    assert run("import_areas", write_csv(tmp_path, text.format("新名街道"), bom=True))[0]
    assert list(Area.objects.filter(code="320508103000").values_list("name", flat=True)) == ["新名街道"]


def test_csv_saved_by_chinese_excel_in_gbk_loads_and_unreadable_bytes_are_reported(tmp_path, gusu):
    # Excel on a Chinese Windows saves plain "CSV" in GBK, not UTF-8; staff should not have to know.
    path = tmp_path / "gbk.csv"
    path.write_bytes("编码,名称,层级,上级编码\n320508104000,娄门街道,街道,320508000000\n".encode("gbk"))
    ok, out = run("import_areas", str(path))
    assert ok, out
    assert Area.objects.get(code="320508104000").name == "娄门街道"
    path.write_bytes(b"\x81\x30\xff\xfe\x00garbage")  # neither UTF-8 nor GB18030
    ok, out = run("import_areas", str(path))
    assert not ok and "无法识别文件编码" in out


def test_a_bad_area_file_names_every_bad_row_and_loads_nothing(tmp_path, gusu):
    path = write_csv(
        tmp_path,
        "编码,名称,层级,上级编码,纬度,经度\n"
        "320508104000,好街道,街道,320508000000,31.3,120.6\n"  # good, but must not be kept
        "320508105000,坏层级,省,320508000000,,\n"
        "320508106000,无上级,街道,999999999999,,\n"
        "320508107000,错上级,社区,320508000000,,\n"
        "320508104000,重复编码,街道,320508000000,,\n"
        "320508108000,坐标错,街道,320508000000,95,abc\n",
        bom=True,
    )
    before = Area.objects.count()
    ok, out = run("import_areas", path)
    assert not ok
    assert "第 3 行：层级“省”无法识别" in out
    assert "第 4 行：上级编码 999999999999 在系统和本文件中都不存在" in out
    assert "第 5 行：村/社区的上级应是镇/街道" in out
    assert "第 6 行：编码 320508104000 与第 2 行重复" in out
    assert "第 7 行：纬度 95 超出范围" in out and "经度“abc”不是数字" in out
    assert "第 2 行" not in out.replace("与第 2 行", "")
    assert "未导入任何区域" in out
    assert Area.objects.count() == before


def test_an_overlong_cell_or_a_nul_character_is_a_row_error(tmp_path, gusu):
    header = "编码,名称,层级,上级编码\n"
    before = Area.objects.count()
    ok, out = run(
        "import_areas", write_csv(tmp_path, header + f"320508104000,{'长' * 200_000},街道,320508000000\n")
    )
    assert not ok and "第 2 行：此行无法解析：单元格过长或引号不配对" in out
    nul = "320508104000,好街道,街道,320508000000\n320508105000,名\x00字,街道,320508000000\n"
    ok, out = run("import_areas", write_csv(tmp_path, header + nul))
    assert not ok and "第 3 行：此行含有不可见的控制字符（NUL）" in out and "第 2 行" not in out
    assert Area.objects.count() == before


def test_unknown_and_missing_headers_are_reported(tmp_path, gusu):
    ok, out = run("import_areas", write_csv(tmp_path, "编码,名字,层级,颜色\n1,2,3,4\n"))
    assert not ok
    assert "第 1 行：无法识别的列“名字”" in out and "无法识别的列“颜色”" in out
    assert "缺少必填列“名称”" in out


def test_a_bad_site_xlsx_names_its_rows_and_loads_nothing(tmp_path, gusu):
    town = TownFactory(parent=gusu, code="320508110000")
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "层级", "区域编码", "地址", "纬度", "经度", "功能", "开放时间"])
    sheet.append(["好中心", "中心", town.code, "某路 1 号", 31.3, 120.6, "党群服务", "每天 09:00-17:00"])
    sheet.append(["坏层级", "大厅", town.code, "某路 2 号", 31.3, 120.6, "", ""])
    sheet.append(["坏区域", "站", "320599999999", "某路 3 号", 31.3, 120.6, "", ""])
    sheet.append(["坏功能", "点", town.code, "某路 4 号", 31.3, 120.6, "跳舞", "周八 9-5"])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    ok, out = run("import_sites", str(path))
    assert not ok
    assert "第 3 行：层级“大厅”无法识别" in out
    assert "第 4 行：区域编码 320599999999 在系统中不存在" in out
    assert "第 5 行：功能“跳舞”无法识别" in out and "开放时间“周八 9-5”无法识别" in out
    assert not Site.objects.exists()


def test_admin_import_page_loads_a_good_file_for_staff(client, gusu, django_capture_on_commit_callbacks):
    town = TownFactory(parent=gusu, code="320508120000")
    staff = StaffFactory(role="street_staff", area=town)
    client.force_login(staff)
    upload = SimpleUploadedFile(
        "a.csv", "编码,名称,层级,上级编码\n320508120001,新社区,社区,320508120000\n".encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:sites_area_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.url == reverse("admin:sites_area_import_job", args=[job.pk])
    assert Area.objects.get(code="320508120001").parent == town
    page = client.get(response.url).content.decode()
    assert "导入区域完成：新增 1 条，更新 0 条。共处理 1 行" in page
    assert client.get(reverse("admin:sites_area_import_progress", args=[job.pk])).json() == {
        "status": "done", "status_label": "已完成", "done": 1, "total": 1, "finished": True,
        "result": "新增 1 条，更新 0 条。", "errors": 0,
    }  # fmt: skip
    # Another staff member of the same area does not see this job.
    client.force_login(StaffFactory(role="street_staff", area=town))
    assert client.get(response.url).status_code == 404
    assert client.get(reverse("admin:sites_area_import_progress", args=[job.pk])).status_code == 404


def test_admin_import_refuses_rows_outside_the_staff_area(client, gusu, django_capture_on_commit_callbacks):
    town, other = TownFactory(parent=gusu, code="320508130000"), TownFactory(parent=gusu, code="320508140000")
    client.force_login(StaffFactory(role="street_staff", area=town))
    text = (
        "编码,名称,层级,上级编码\n"
        "320508130001,本街道社区,社区,320508130000\n"
        "320508140001,外街道社区,社区,320508140000\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload = client.post(
            reverse("admin:sites_area_import"), {"file": SimpleUploadedFile("a.csv", text.encode())}
        )
    response = client.get(upload.url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "第 3 行" in page and "不在您的管辖范围内" in page and "未导入任何数据" in page
    assert not Area.objects.filter(code__in=["320508130001", "320508140001"]).exists()
    assert other.children.count() == 0
    no_file = client.post(reverse("admin:sites_area_import"), {})
    assert no_file.status_code == 400 and "请选择要导入的文件" in no_file.content.decode()


def test_admin_changelist_offers_the_import_buttons(admin_client, gusu):
    assert "导入区域" in admin_client.get(reverse("admin:sites_area_changelist")).content.decode()
    assert "导入阵地" in admin_client.get(reverse("admin:sites_site_changelist")).content.decode()
    response = admin_client.get(reverse("admin:sites_site_import"))
    assert response.status_code == 200 and "区域编码" in response.content.decode()
