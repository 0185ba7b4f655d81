"""Our translation catalogues: the committed .mo files (what Django reads; no machine needs gettext to
run the site) say what their .po files say, so an edit to a .po without `msgfmt` fails here, not on a
staff member's screen."""

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(p for d in ("config", "sites") for p in (ROOT / d / "locale").rglob("*.po"))
ENTRY = re.compile(r'(?m)^(msgid|msgid_plural|msgstr(?:\[0\])?)((?:\s*"(?:[^"\\]|\\.)*")+)')


def entries(po):
    """[(msgid, msgid_plural or None, msgstr)] of a .po file, its header left out."""
    found, current = [], {}
    for key, strings in ENTRY.findall(po.read_text()):
        text = "".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', strings))
        current[key.split("[")[0]] = text
        if key.startswith("msgstr"):
            if current["msgid"]:
                found.append((current["msgid"], current.get("msgid_plural"), text))
            current = {}
    return found


def test_there_are_catalogues_to_check():
    assert {p.name for p in CATALOGUES} == {"django.po", "djangojs.po"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_compiled_catalogue_matches_its_source(po):
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, plural, msgstr in entries(po):
        got = compiled.ngettext(msgid, plural, 1) if plural else compiled.gettext(msgid)
        assert got == msgstr, (
            f"{po.name}: {msgid!r} is {got!r} in the .mo; run msgfmt (see the file's header)"
        )


@pytest.mark.django_db
def test_a_browser_that_prefers_english_still_gets_chinese_labels_and_errors(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = page.content.decode()
    assert "用户名" in text and "Username" not in text
    wrong = client.post(
        "/accounts/login/", {"username": "nobody", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert "请输入一个正确的" in wrong.content.decode()
