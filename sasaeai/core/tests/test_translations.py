"""The Japanese catalogue is complete and every translation keeps its placeholders."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/ja/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f|\{\w+\}")


def messages():
    with CATALOGUE.open("rb") as po_file:
        return [m for m in read_po(po_file, locale="ja") if m.id]


def test_every_message_is_translated_and_none_is_a_fuzzy_guess():
    untranslated = [m.id for m in messages() if not m.string or not all(m.string)]
    fuzzy = [m.id for m in messages() if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_every_translation_keeps_the_placeholders_of_its_source():
    wrong = []
    for message in messages():
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(sources[-1]))
        if any(set(PLACEHOLDER.findall(target)) != expected for target in targets):
            wrong.append(message.id)
    assert wrong == []
