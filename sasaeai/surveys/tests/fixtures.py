"""A small annual survey in the shape of the seed's H28.12 questionnaire, shared by tests."""

import datetime

from django.utils import timezone

DEFINITION = {
    "code": "corporation-annual",
    "title": "地域における公益的な取組に関する調査",
    "description": "県内すべての社会福祉法人を対象とする年次調査です。",
    "fiscal_year": 2019,
    "sections": [
        {
            "title": "取組の状況",
            "questions": [
                {
                    "code": "doing",
                    "kind": "single",
                    "text": "地域における公益的な取組をしていますか。",
                    "required": True,
                    "choices": [
                        {"code": "yes", "label": "している"},
                        {"code": "planned", "label": "予定・検討中"},
                        {"code": "no", "label": "していない"},
                    ],
                },
                {
                    "code": "what",
                    "kind": "multiple",
                    "text": "取り組んでいる内容（複数選択）",
                    "required": True,
                    "has_other": True,
                    "show_if": {"question": "doing", "answers": ["yes"]},
                    "choices": [
                        {"code": "kodomo", "label": "子ども食堂"},
                        {"code": "food", "label": "フードバンク・生活用品"},
                        {"code": "cafe", "label": "認知症カフェ"},
                    ],
                },
                {"code": "staff", "kind": "number", "text": "関わっている職員数"},
                {
                    "code": "satisfaction",
                    "kind": "scale",
                    "text": "センターの支援への満足度",
                    "scale_min": 1,
                    "scale_max": 5,
                },
                {
                    "code": "partners",
                    "kind": "matrix",
                    "text": "連携先",
                    "rows": [
                        {"code": "council", "label": "市町村社協"},
                        {"code": "neighbours", "label": "地縁組織"},
                    ],
                    "choices": [{"code": "y", "label": "あり"}, {"code": "n", "label": "なし"}],
                },
                {"code": "comment", "kind": "text", "text": "ご意見"},
            ],
        }
    ],
}


def deadline(days: int = 30) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
