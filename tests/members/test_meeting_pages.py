"""组织生活 pages, export, admin and API: scoped to the secretary and the area's staff, constant queries,
the export logged, and the three APIs in the OpenAPI schema."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members.models import (
    AccessKind,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PersonalDataAccess,
    Role,
)
from tests.factories import (
    AttendanceFactory,
    CommitteeTermFactory,
    CommunityFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def street():
    return TownFactory(name="沧浪街道")


@pytest.fixture
def branch(street):
    return OrganizationFactory(
        name="道前社区第一党支部", area=CommunityFactory(parent=street, name="道前社区")
    )


@pytest.fixture
def secretary(branch):
    return UserFactory(role=Role.ORGANIZER, organization=branch)


@pytest.fixture
def street_staff(street):
    return StaffFactory(role=Role.STREET_STAFF, area=street)


def branches_behind(street, n):
    """`n` branches of the street with only a 支委会 last month: behind on everything else."""
    made = []
    for i in range(n):
        branch = OrganizationFactory(name=f"第{i}党支部", area=CommunityFactory(parent=street))
        MeetingFactory(organization=branch, kind=MeetingKind.COMMITTEE_MEETING)
        CommitteeTermFactory(organization=branch, elected_on=dt.date(2020, 1, 1 + i))
        made.append(branch)
    return made


def test_the_secretary_records_a_meeting_with_attendance_on_the_page(client, branch, secretary):
    a, b = MemberFactory(organization=branch, name="王芳"), MemberFactory(organization=branch, name="李强")
    client.force_login(secretary)
    url = reverse("members:meeting-record", args=[branch.pk])
    page = client.get(url)
    assert page.status_code == 200 and "王芳" in page.content.decode()
    day = timezone.localdate() - dt.timedelta(days=1)
    form = {
        "kind": MeetingKind.PARTY_LECTURE, "date": day.isoformat(), "start_time": "14:00",
        "end_time": "15:00",
        "topic": "学习党章", "place": "社区党员活动室", f"att-{a.pk}": "present", f"att-{b.pk}": "excused",
        f"reason-{b.pk}": "",
    }  # fmt: skip
    refused = client.post(url, form)
    assert refused.status_code == 400 and "李强请假须填写原因" in refused.content.decode()
    assert not Meeting.objects.exists()
    assert 'value="学习党章"' in refused.content.decode()  # the input is kept
    response = client.post(url, {**form, f"reason-{b.pk}": "出差"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.status == MeetingStatus.RECORDED
    assert dict(Attendance.objects.values_list("member__name", "status")) == {
        "王芳": AttendanceStatus.PRESENT,
        "李强": AttendanceStatus.EXCUSED,
    }


def test_another_branch_secretary_gets_404_and_a_plain_member_account_too(client, branch):
    for user in (
        UserFactory(role=Role.ORGANIZER, organization=OrganizationFactory()),
        UserFactory(role=Role.MEMBER),
    ):
        client.force_login(user)
        assert client.get(reverse("members:organization-life", args=[branch.pk])).status_code == 404
        assert client.get(reverse("members:meeting-record", args=[branch.pk])).status_code == 404


def test_the_organisation_page_shows_what_is_due_and_attendance_in_constant_queries(
    client, branch, secretary, django_assert_num_queries
):
    members = [MemberFactory(organization=branch) for _ in range(3)]
    for _ in range(3):
        meeting = MeetingFactory(organization=branch)
        for member in members:
            AttendanceFactory(meeting=meeting, member=member)
    CommitteeTermFactory(
        organization=branch, elected_on=timezone.localdate() - dt.timedelta(days=3 * 365 - 30)
    )
    client.force_login(secretary)
    url = reverse("members:organization-life", args=[branch.pk])
    # session, user, organisation, rules, meetings by month, roster, attendance, term, page count, the
    # header's 待办 count, page
    with django_assert_num_queries(11):
        html = client.get(url).content.decode()
    assert "即将届满" in html and "支部党员大会" in html and "100%" in html
    for _ in range(5):
        MeetingFactory(organization=branch)
        MemberFactory(organization=branch)
    with django_assert_num_queries(11):
        client.get(url)


def test_a_bad_year_is_a_chinese_400(client, branch, secretary):
    client.force_login(secretary)
    response = client.get(reverse("members:organization-life", args=[branch.pk]), {"year": "abc"})
    assert response.status_code == 400 and "年度应填数字" in response.content.decode()


def test_the_street_list_shows_who_is_behind_and_whose_term_is_overdue_in_constant_queries(
    client, street, street_staff, django_assert_num_queries
):
    branches_behind(street, 3)
    on_time = OrganizationFactory(name="按时党支部", area=CommunityFactory(parent=street))
    elsewhere = OrganizationFactory(name="别的街道党支部")
    client.force_login(street_staff)
    url = reverse("members:compliance-list")
    # session, user, their area, rules, the organisations' kinds, meetings, terms, the listed
    # organisations, the header's 待办 count, the street's communities (the area filter)
    with django_assert_num_queries(10):
        html = client.get(url).content.decode()
    assert "第0党支部" in html and "已超期未换届" in html and "支部党员大会" in html
    assert elsewhere.name not in html
    assert on_time.name in html  # nothing held at all: behind too
    branches_behind(street, 4)
    with django_assert_num_queries(10):
        client.get(url)


def test_the_list_of_another_area_is_refused(client, street_staff):
    client.force_login(street_staff)
    other = TownFactory()
    response = client.get(reverse("members:compliance-list"), {"area": other.pk})
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    assert client.get(reverse("members:compliance-list"), {"area": "abc"}).status_code == 400


def test_the_excel_export_is_logged_like_the_roster_export(client, street, street_staff):
    branches_behind(street, 2)
    client.force_login(street_staff)
    response = client.get(reverse("members:compliance-export"), {"year": timezone.localdate().year})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("所在区域", "党组织") and {r[1] for r in rows[1:]} == {"第0党支部", "第1党支部"}
    log = PersonalDataAccess.objects.get()
    assert log.user == street_staff and log.kind == AccessKind.EXPORT and log.count == 2


def test_the_admin_shows_the_compliance_list_for_the_area(client, street, street_staff):
    branches_behind(street, 1)
    client.force_login(street_staff)
    html = client.get(reverse("admin:members_meeting_compliance")).content.decode()
    assert "第0党支部" in html and "已超期未换届" in html
    assert "组织生活落实情况" in client.get(reverse("admin:members_meeting_changelist")).content.decode()


# --- the API ---


def test_api_meetings_list_is_scoped_and_constant_in_queries(
    client, branch, secretary, django_assert_num_queries
):
    for _ in range(2):
        AttendanceFactory(meeting=MeetingFactory(organization=branch))
    MeetingFactory()  # another organisation's
    client.force_login(secretary)
    url = reverse("members:api-meeting-list")
    with django_assert_num_queries(6):  # session, user, count, meetings, attendance, members
        body = client.get(url).json()
    assert body["count"] == 2 and len(body["results"][0]["attendance"]) == 1
    AttendanceFactory(meeting=MeetingFactory(organization=branch))
    with django_assert_num_queries(6):
        client.get(url)


def test_api_records_a_meeting_and_refuses_in_chinese(client, branch, secretary):
    member = MemberFactory(organization=branch)
    client.force_login(secretary)
    start = timezone.now() - dt.timedelta(days=1)
    body = {
        "organization": branch.pk, "kind": "party_lecture", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(), "topic": "党课", "place": "会议室",
        "attendance": [{"member": member.pk, "status": "excused"}],
    }  # fmt: skip
    url = reverse("members:api-meeting-list")
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and "请假须填写原因" in str(refused.json())
    body["attendance"][0]["reason"] = "出差"
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["attendance"][0]["reason"] == "出差"
    other = client.post(
        url, {**body, "organization": OrganizationFactory().pk}, content_type="application/json"
    )
    assert other.status_code == 400 and "不负责记录" in str(other.json())


def test_api_compliance_of_an_organisation(client, branch, secretary):
    MeetingFactory(organization=branch, kind=MeetingKind.PARTY_LECTURE)
    CommitteeTermFactory(organization=branch, elected_on=dt.date(2020, 1, 1))
    client.force_login(secretary)
    year = timezone.localdate().year
    body = client.get(reverse("members:api-organization-compliance", args=[branch.pk]), {"year": year}).json()
    assert body["year"] == year and body["term"]["state"] == "overdue"
    assert {r["meeting_kind"] for r in body["rules"]} == {
        "general_meeting",
        "committee_meeting",
        "party_lecture",
    }
    bad = client.get(reverse("members:api-organization-compliance", args=[branch.pk]), {"year": "1800"})
    assert bad.status_code == 400 and "2000" in str(bad.json())
    assert (
        client.get(
            reverse("members:api-organization-compliance", args=[OrganizationFactory().pk])
        ).status_code
        == 404
    )


def test_api_terms_elect_and_extend(client, branch, street_staff, secretary):
    client.force_login(secretary)
    created = client.post(
        reverse("members:api-term-list"), {"organization": branch.pk, "elected_on": "2023-06-01"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["regular_due_on"] == "2026-06-01"
    term_id = created.json()["id"]
    extend = reverse("members:api-term-extend", args=[term_id])
    assert (
        client.post(
            extend, {"until": "2026-09-01", "reason": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(street_staff)
    extended = client.post(extend, {"until": "2026-09-01", "reason": "推迟"}, content_type="application/json")
    assert extended.status_code == 200 and extended.json()["due_on"] == "2026-09-01"
    assert client.get(reverse("members:api-term-list")).json()["count"] == 1


def test_the_three_apis_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert {
        "/api/meetings/",
        "/api/meetings/plan/",
        "/api/terms/",
        "/api/organizations/{id}/compliance/",
    } <= set(schema["paths"])


def test_an_attachment_is_served_only_to_those_who_keep_the_records(client, branch, secretary):
    from members import meetings
    from tests.factories import receipt_file

    start = timezone.now() - dt.timedelta(days=1)
    meeting = meetings.record_meeting(
        by=secretary, organization=branch, kind=MeetingKind.GENERAL_MEETING, start=start,
        end=start + dt.timedelta(hours=1), place="会议室", topic="党员大会", attendance={},
        attachments=[("sign_in", receipt_file("签到表.pdf"))],
    )  # fmt: skip
    url = meeting.attachments.get().get_absolute_url()
    client.force_login(secretary)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(UserFactory(role=Role.ORGANIZER, organization=OrganizationFactory()))
    assert client.get(url).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_a_planned_meeting_is_recorded_from_its_own_form_and_a_settled_one_is_amended(
    client, branch, secretary
):
    planned = MeetingFactory(organization=branch, status=MeetingStatus.PLANNED, topic="支委会")
    client.force_login(secretary)
    url = reverse("members:meeting-rerecord", args=[branch.pk, planned.pk])
    assert 'value="支委会"' in client.get(url).content.decode()
    local = timezone.localtime(planned.start)
    response = client.post(url, {
        "kind": "committee_meeting", "date": local.date().isoformat(), "start_time": "09:00",
        "end_time": "10:00", "topic": "支委会", "place": "会议室", "minutes": "研究发展党员",
    })  # fmt: skip
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.RECORDED and planned.minutes == "研究发展党员"

    settled = MeetingFactory(
        organization=branch, status=MeetingStatus.RECORDED, recorded_at=timezone.now(),
        start=timezone.now() - dt.timedelta(days=45),
    )  # fmt: skip
    assert client.get(reverse("members:meeting-rerecord", args=[branch.pk, settled.pk])).status_code == 302
    detail = settled.get_absolute_url()
    refused = client.post(detail, {"topic": "新主题", "reason": ""})
    assert refused.status_code == 400 and "请填写更正原因" in refused.content.decode()
    client.post(detail, {"topic": "新主题", "reason": "主题写错"})
    settled.refresh_from_db()
    assert settled.topic == "新主题" and settled.amendments.get().reason == "主题写错"


def test_a_meeting_planned_on_the_page_in_a_room_books_it_and_a_taken_room_keeps_the_input(
    client, branch, secretary
):
    from services.models import Booking
    from tests.factories import BookingFactory, VenueFactory, local, next_weekday

    venue = VenueFactory(site__area=branch.area, name="党员活动室")
    client.force_login(secretary)
    url = reverse("members:meeting-plan", args=[branch.pk])
    assert "党员活动室" in client.get(url).content.decode()
    form = {
        "kind": "general_meeting", "date": next_weekday().isoformat(), "start_time": "14:00",
        "end_time": "15:00", "venue": venue.pk, "topic": "第二季度党员大会", "contact_phone": "13812345678",
    }  # fmt: skip
    response = client.post(url, form)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and Booking.objects.get(meeting=meeting).venue == venue
    BookingFactory(venue=venue, start=local(next_weekday(), 9), end=local(next_weekday(), 11))
    taken = client.post(url, {**form, "start_time": "10:00", "end_time": "11:00", "topic": "支委会"})
    assert taken.status_code == 400 and "已被预约" in taken.content.decode()
    assert 'value="支委会"' in taken.content.decode() and Meeting.objects.count() == 1


def test_api_terms_list_and_the_admin_lists_are_constant_in_queries(
    client, street, street_staff, django_assert_num_queries
):
    branches_behind(street, 2)
    client.force_login(street_staff)
    # The API: session, user, their area, count, rows. The admin lists make more queries of the admin's
    # own, a fixed number that must not grow with the rows.
    pins = {
        reverse("members:api-term-list"): 5,
        reverse("admin:members_meeting_changelist"): 9,
        reverse("admin:members_committeeterm_changelist"): 8,
    }
    for _ in range(2):
        for url, count in pins.items():
            with django_assert_num_queries(count):
                assert client.get(url).status_code == 200
        branches_behind(street, 5)


def test_the_admin_approves_an_extension_through_the_domain_function(client, branch, street, street_staff):
    term = CommitteeTermFactory(organization=branch, elected_on=dt.date(2023, 6, 1))
    client.force_login(street_staff)
    url = reverse("admin:members_committeeterm_change", args=[term.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"extended_until": "2026-03-01", "extension_reason": "推迟"}, follow=True)
    assert "延期日期须晚于届满日期" in refused.content.decode()
    client.post(url, {"extended_until": "2026-09-01", "extension_reason": "党员大会推迟"})
    term.refresh_from_db()
    assert term.due_on == dt.date(2026, 9, 1) and term.extension_approved_by == street_staff
