"""Results of a survey round: response rate, counts by question, cross-tabs, years compared,
the plan's 「している」 KPI, and the results workbook.

Only submitted responses count. A question's share is the share of the respondents who
answered that question (for a multiple-choice question the shares can sum over 1). Every
figure is counted by the database (``GROUP BY``) in a fixed number of queries, whatever the
number of respondents. What leaves the center is cross-tabulated with ``hide_small``: a cell
of fewer than three respondents could name a corporation.
"""

from .counts import (
    NONE_LABEL,
    SMALL,
    CrossRow,
    CrossTab,
    NumberSummary,
    Rate,
    RateRow,
    Row,
    SurveyKpi,
    YearRow,
    matrix_counts,
    number_summary,
    question_counts,
    response_rate,
    text_answers,
)
from .crosstabs import crosstab, rate_by
from .workbook import results_workbook
from .years import kpi, latest_kpi_year, respondents_doing, year_over_year

__all__ = [
    "NONE_LABEL",
    "SMALL",
    "CrossRow",
    "CrossTab",
    "NumberSummary",
    "Rate",
    "RateRow",
    "Row",
    "SurveyKpi",
    "YearRow",
    "crosstab",
    "kpi",
    "latest_kpi_year",
    "matrix_counts",
    "number_summary",
    "question_counts",
    "rate_by",
    "respondents_doing",
    "response_rate",
    "results_workbook",
    "text_answers",
    "year_over_year",
]
