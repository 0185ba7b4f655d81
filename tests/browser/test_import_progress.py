"""The admin import's progress page: the bar follows a running job, then the page shows its result."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from sites import import_jobs
from sites.models import ImportJob, ImportStatus, Site
from tests.factories import CityFactory, CommunityFactory, DistrictFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_bar_moves_and_the_result_replaces_it(live_server, request, login, screenshot, viewport):
    browser_page = request.getfixturevalue(viewport)
    errors = []  # script errors and CSP refusals (map tiles that can't load offline are not ours)
    browser_page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "ERR_NAME_NOT_RESOLVED" not in m.text else None
        ),
    )
    gusu = DistrictFactory(parent=CityFactory(code="320500000000"), code="320508000000")
    community = CommunityFactory(parent=TownFactory(parent=gusu, code="320508101000"), code="320508101001")
    staff = StaffFactory(role="district_admin", area=gusu)
    rows = "".join(f"站{i},党群服务点,{community.code},某路{i}号,31.3,120.6\n" for i in range(3))
    # A job the worker has not picked up yet.
    job = ImportJob(kind="sites", filename="sites.csv", created_by=staff)
    job.file.save("sites.csv", ContentFile(("名称,层级,区域编码,地址,纬度,经度\n" + rows).encode()))
    login(browser_page, staff)
    browser_page.goto(f"{live_server.url}/admin/sites/site/import/{job.pk}/")
    assert browser_page.locator(".import-status").text_content() == "排队中"
    # The worker runs it: the page follows (the live server shares this process's cache).
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    cache.set(f"import-job:{job.pk}:progress", [2, 3])
    browser_page.locator(".import-count", has_text="2/3 行（66%）").wait_for()
    assert browser_page.locator("progress").evaluate("p => [p.value, p.max]") == [2, 3]
    screenshot(browser_page, f"import-progress-{viewport}")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    import_jobs.run(job.pk)
    browser_page.get_by_text("导入阵地完成：新增 3 条，更新 0 条。").wait_for()
    assert Site.objects.count() == 3 and not errors
    assert (
        browser_page.evaluate("document.documentElement.scrollWidth") <= browser_page.viewport_size["width"]
    )
