"""The opening-hours editor (sites/forms.py): rows per weekday instead of JSON, in a form and in the admin."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from sites.forms import OpeningHoursField
from sites.opening_hours import WEEKDAYS, validate_opening_hours
from tests.factories import SiteFactory, StaffFactory, VenueFactory, VenueRulesFactory
from tests.html_form import submitted_data

WEEKDAY_HOURS = [["09:00", "17:00"]]
LUNCH_BREAK = [["08:30", "11:30"], ["13:30", "17:30"]]


class SiteHoursForm(forms.Form):
    opening_hours = OpeningHoursField()


class RoomHoursForm(forms.Form):
    opening_hours = OpeningHoursField(required=False, inherit_label="按所属阵地的开放时间")


def week(**days):
    """A full week: the days named get those spans, the others are closed."""
    return {day: days.get(day, []) for day in WEEKDAYS}


def posted(value, form_class=SiteHoursForm, **changes):
    """What a browser submits for the form showing `value`, with some inputs changed (None: unticked)."""
    data = submitted_data(form_class(initial={"opening_hours": value}).as_div())
    for key, new in changes.items():
        name = f"opening_hours_{key}"
        if new is None:
            data.pop(name, None)
        else:
            data[name] = new
    return data


def errors_of(data, form_class=SiteHoursForm):
    form = form_class(data)
    assert not form.is_valid()
    return form.errors["opening_hours"]


@pytest.mark.parametrize(
    "hours",
    [
        week(mon=WEEKDAY_HOURS, tue=WEEKDAY_HOURS, wed=WEEKDAY_HOURS, thu=WEEKDAY_HOURS, fri=WEEKDAY_HOURS),
        week(mon=LUNCH_BREAK, wed=LUNCH_BREAK, sat=[["09:00", "12:00"]]),
        week(),  # closed every day
        week(sun=[["06:00", "08:00"], ["12:00", "13:00"], ["18:30", "21:00"]]),  # more spans than the slots
    ],
    ids=["weekdays", "lunch-break", "closed", "three-spans"],
)
def test_json_renders_to_rows_and_the_submitted_rows_clean_to_the_same_json(hours):
    html = SiteHoursForm(initial={"opening_hours": hours}).as_div()
    data = submitted_data(html)
    form = SiteHoursForm(data, initial={"opening_hours": hours})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opening_hours"] == hours
    assert not form.has_changed()  # the admin's history records no change when nothing was edited
    assert SiteHoursForm(
        {**data, "opening_hours_sun_closed": "on"}, initial={"opening_hours": hours}
    ).has_changed() == (hours["sun"] != [])
    for day, spans in hours.items():
        assert (f"opening_hours_{day}_closed" in data) == (spans == [])
        for i, (start, end) in enumerate(spans):
            assert (
                data[f"opening_hours_{day}_{i}_start"] == start
                and data[f"opening_hours_{day}_{i}_end"] == end
            )


def test_each_day_is_a_labelled_row_with_closed_and_two_spans():
    html = SiteHoursForm(initial={"opening_hours": week(mon=LUNCH_BREAK)}).as_div()
    for label in ("周一", "周二", "周三", "周四", "周五", "周六", "周日"):
        assert f'<th scope="row">{label}</th>' in html
        assert f'aria-label="{label}时段二结束"' in html
    assert html.count('type="checkbox"') == 7 and html.count('class="oh-time"') == 7 * 2 * 2
    assert 'name="opening_hours_mon_1_start" value="13:30"' in html
    assert "按所属阵地" not in html  # a site's own hours have nothing to inherit


def test_days_missing_from_the_stored_json_show_and_save_as_closed():
    form = SiteHoursForm(posted({"mon": WEEKDAY_HOURS}))
    assert form.is_valid()
    assert form.cleaned_data["opening_hours"] == week(mon=WEEKDAY_HOURS)


def test_times_are_normalised_and_a_closed_day_drops_its_times():
    data = posted(week(mon=WEEKDAY_HOURS), mon_0_start="9:00", mon_0_end="17:00:00")
    data |= {
        "opening_hours_tue_closed": "on",
        "opening_hours_tue_0_start": "09:00",
        "opening_hours_tue_0_end": "12:00",
    }
    form = SiteHoursForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opening_hours"] == week(mon=WEEKDAY_HOURS)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"wed_0_start": "10:00", "wed_0_end": "09:00"}, "周三：结束时间必须晚于开始时间（10:00–09:00）。"),
        ({"wed_0_start": "10:00", "wed_0_end": "10:00"}, "周三：结束时间必须晚于开始时间（10:00–10:00）。"),
        ({"wed_0_end": ""}, "周三：时段一缺少结束时间。"),
        ({"wed_1_end": "17:30"}, "周三：时段二缺少开始时间。"),
        ({"wed_0_start": "9点"}, "周三：时段一的开始时间“9点”格式不对，应为 HH:MM，如 09:00。"),
        ({"wed_0_end": "24:00"}, "周三：时段一的结束时间“24:00”格式不对，应为 HH:MM，如 09:00。"),
        (
            {"wed_0_end": "12:00", "wed_1_start": "11:30", "wed_1_end": "17:30"},
            "周三：后一个时段（11:30–17:30）必须在前一个时段结束（12:00）之后开始。",
        ),
        (
            {"wed_0_start": "13:30", "wed_0_end": "17:30", "wed_1_start": "08:30", "wed_1_end": "11:30"},
            "周三：后一个时段（08:30–11:30）必须在前一个时段结束（17:30）之后开始。",
        ),
        ({"sat_closed": None}, "周六：请填写开放时间，或勾选“休息”。"),
    ],
    ids=["end-before-start", "empty-span", "no-end", "no-start", "not-a-time", "hour-24", "overlap",
         "reversed", "neither-hours-nor-closed"],
)  # fmt: skip
def test_each_mistake_is_named_in_chinese_with_its_weekday(changes, message):
    data = posted(week(wed=WEEKDAY_HOURS), **changes)
    assert errors_of(data) == [message]
    # The staff's own input is what the form shows again, not the stored hours.
    html = SiteHoursForm(data).as_div()
    for key, value in changes.items():
        if value:
            assert f'name="opening_hours_{key}" value="{value}"' in html


def test_every_day_with_a_mistake_is_listed_at_once():
    data = posted(
        week(mon=WEEKDAY_HOURS, fri=WEEKDAY_HOURS), mon_0_end="08:00", fri_0_start="", sun_closed=None
    )
    assert errors_of(data) == [
        "周一：结束时间必须晚于开始时间（09:00–08:00）。",
        "周五：时段一缺少开始时间。",
        "周日：请填写开放时间，或勾选“休息”。",
    ]


def test_a_site_cannot_leave_every_day_blank():
    data = {key: "" for key in posted(week()) if key.endswith(("_start", "_end"))}
    assert errors_of(data) == ["请填写每天的开放时间；不开放的日子勾选“休息”。"]


def test_room_hours_left_to_the_site_are_empty_and_shown_as_inherited():
    html = RoomHoursForm(initial={"opening_hours": None}).as_div()
    assert 'name="opening_hours_inherit" id="id_opening_hours_inherit" checked' in html
    assert "按所属阵地的开放时间" in html
    inherited = submitted_data(html) | {
        "opening_hours_mon_0_start": "09:00",
        "opening_hours_mon_0_end": "17:00",
    }
    form = RoomHoursForm(inherited)
    assert form.is_valid() and form.cleaned_data["opening_hours"] is None  # the ticked box wins
    unticked_but_blank = {k: v for k, v in submitted_data(html).items() if k != "opening_hours_inherit"}
    form = RoomHoursForm(unticked_but_blank)
    assert form.is_valid() and form.cleaned_data["opening_hours"] is None  # 留空 means the same


def test_room_hours_of_its_own_are_kept_and_checked_like_a_sites():
    evenings = week(mon=[["18:00", "21:00"]], thu=[["18:00", "21:00"]])
    html = RoomHoursForm(initial={"opening_hours": evenings}).as_div()
    assert 'name="opening_hours_inherit" id="id_opening_hours_inherit">' in html  # not ticked
    form = RoomHoursForm(submitted_data(html))
    assert form.is_valid() and form.cleaned_data["opening_hours"] == evenings
    data = posted(evenings, RoomHoursForm, thu_0_end="17:00")
    assert errors_of(data, RoomHoursForm) == ["周四：结束时间必须晚于开始时间（18:00–17:00）。"]


def test_the_models_validator_refuses_overlapping_spans_too():
    with pytest.raises(ValidationError) as error:
        validate_opening_hours({"tue": [["08:30", "12:00"], ["11:00", "17:00"]]})
    assert error.value.messages == ["周二：后一个时段（11:00–17:00）必须在前一个时段结束（12:00）之后开始。"]


# The admin, through the test client: the change form as rendered, filled in and posted back.


def site_change_url(site):
    return reverse("admin:sites_site_change", args=[site.pk])


@pytest.fixture
def site_and_staff(db):
    site = SiteFactory(opening_hours=week(mon=WEEKDAY_HOURS, tue=WEEKDAY_HOURS))
    return site, StaffFactory(area=site.area)


def test_staff_save_a_sites_hours_in_the_admin(client, site_and_staff):
    site, staff = site_and_staff
    client.force_login(staff)
    page = client.get(site_change_url(site)).content.decode()
    assert "opening_hours_mon_0_start" in page and "css/admin/opening_hours.css" in page
    assert '{"mon"' not in page  # no JSON for staff to type
    data = submitted_data(page, "site_form")
    data |= {
        "opening_hours_mon_0_end": "11:30",
        "opening_hours_mon_1_start": "13:30",
        "opening_hours_mon_1_end": "17:30",
        "opening_hours_sat_0_start": "09:00",
        "opening_hours_sat_0_end": "12:00",
        "_save": "保存",
    }
    del data["opening_hours_sat_closed"]
    data["opening_hours_tue_closed"] = "on"
    response = client.post(site_change_url(site), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    site.refresh_from_db()
    assert site.opening_hours == week(mon=[["09:00", "11:30"], ["13:30", "17:30"]], sat=[["09:00", "12:00"]])
    assert site.hours.weekly()[0] == ("周一", "09:00–11:30、13:30–17:30")


def test_a_wrong_time_in_the_admin_is_reported_and_the_input_kept(client, site_and_staff):
    site, staff = site_and_staff
    client.force_login(staff)
    data = submitted_data(client.get(site_change_url(site)).content.decode(), "site_form")
    data |= {"opening_hours_tue_0_start": "18:00", "opening_hours_tue_0_end": "08:00", "name": "改过的名字"}
    response = client.post(site_change_url(site), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "周二：结束时间必须晚于开始时间（18:00–08:00）。" in page
    assert 'name="opening_hours_tue_0_start" value="18:00"' in page
    assert 'name="opening_hours_tue_0_end" value="08:00"' in page
    assert 'value="改过的名字"' in page
    site.refresh_from_db()
    assert site.opening_hours == week(mon=WEEKDAY_HOURS, tue=WEEKDAY_HOURS) and site.name != "改过的名字"


def test_venue_rules_hours_in_the_admin_inherit_or_set_their_own(client, db):
    venue = VenueFactory()
    rules = VenueRulesFactory(venue=venue, opening_hours=None)
    client.force_login(StaffFactory(area=venue.site.area))
    url = reverse("admin:services_venuerules_change", args=[rules.pk])
    page = client.get(url).content.decode()
    assert "留空则按所属阵地的开放时间。" in page and '{"mon"' not in page
    data = submitted_data(page, "venuerules_form")
    assert data["opening_hours_inherit"] == "on"

    own = {k: v for k, v in data.items() if k != "opening_hours_inherit"} | {
        f"opening_hours_{day}_closed": "on" for day in WEEKDAYS
    }
    own |= {"opening_hours_fri_0_start": "18:00", "opening_hours_fri_0_end": "21:00"}
    del own["opening_hours_fri_closed"]
    assert client.post(url, own).status_code == 302
    rules.refresh_from_db()
    assert rules.opening_hours == week(fri=[["18:00", "21:00"]])

    bad = own | {"opening_hours_fri_0_end": "17:00"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "周五：结束时间必须晚于开始时间（18:00–17:00）。" in response.content.decode()

    back = submitted_data(client.get(url).content.decode(), "venuerules_form") | {
        "opening_hours_inherit": "on"
    }
    assert client.post(url, back).status_code == 302
    rules.refresh_from_db()
    assert rules.opening_hours is None and rules.hours.data == venue.site.opening_hours
