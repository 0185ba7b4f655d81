"""The default 三会一课 rules and term lengths (data staff may change later), and the amendments' triggers."""

from django.db import migrations

from sites.append_only import forbid_rewrites

# 支部党员大会 quarterly, 支委会 monthly, 党课 quarterly for branches and general branches; 党小组会 monthly
# for each 党小组 (the Party's rules on organisation life).
RULES = [
    (org_kind, meeting_kind, frequency)
    for org_kind in ("branch", "general_branch")
    for meeting_kind, frequency in (
        ("general_meeting", "quarterly"),
        ("committee_meeting", "monthly"),
        ("party_lecture", "quarterly"),
    )
] + [("group", "group_meeting", "monthly")]
# 党委 five years, 党总支 and 党支部 three (《中国共产党章程》, 基层组织选举工作条例).
TERM_YEARS = {"committee": 5, "general_branch": 3, "branch": 3}


def add_defaults(apps, schema_editor):
    ComplianceRule = apps.get_model("members", "ComplianceRule")
    TermLength = apps.get_model("members", "TermLength")
    for org_kind, meeting_kind, frequency in RULES:
        ComplianceRule.objects.get_or_create(
            organization_kind=org_kind,
            meeting_kind=meeting_kind,
            year=None,
            defaults={"frequency": frequency},
        )
    for org_kind, years in TERM_YEARS.items():
        TermLength.objects.get_or_create(organization_kind=org_kind, defaults={"years": years})


def remove_defaults(apps, schema_editor):
    apps.get_model("members", "ComplianceRule").objects.filter(year=None).delete()
    apps.get_model("members", "TermLength").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0008_meetings_and_terms")]

    operations = [
        migrations.RunPython(add_defaults, remove_defaults),
        forbid_rewrites("members.MeetingAmendment", "会议记录更正只能追加，不能修改或删除。"),
    ]
