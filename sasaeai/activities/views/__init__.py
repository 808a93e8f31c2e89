"""Pages of the activity registry: public (directory, map, activity and municipality pages,
open data) and the staff's (list, form, review steps, cross-check with the survey)."""

from .public import (
    activity_detail,
    directory,
    municipality_detail,
    open_data,
    open_data_csv,
    open_data_hsds,
)
from .staff import (
    activity_create,
    activity_edit,
    activity_publish,
    activity_send_back,
    activity_submit,
    activity_withdraw,
    manage_export,
    manage_list,
    survey_cross_check,
)

__all__ = [
    "activity_create",
    "activity_detail",
    "activity_edit",
    "activity_publish",
    "activity_send_back",
    "activity_submit",
    "activity_withdraw",
    "directory",
    "manage_export",
    "manage_list",
    "municipality_detail",
    "open_data",
    "open_data_csv",
    "open_data_hsds",
    "survey_cross_check",
]
