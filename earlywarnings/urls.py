from django.urls import path

from .views import files, office, signals, warnings

app_name = "earlywarnings"

urlpatterns = [
    path("", warnings.start, name="start"),
    # Warnings, as the office, discipline inspection and the leading group see them
    path("manage/", warnings.warning_list, name="list"),
    path("manage/new/", warnings.warning_create, name="create"),
    path("manage/<int:pk>/", warnings.warning_detail, name="detail"),
    path("manage/<int:pk>/close/", warnings.warning_close, name="close"),
    path("manage/<int:pk>/disposals/", warnings.disposal_add, name="disposal_add"),
    path(
        "manage/disposals/<int:pk>/evaluate/", warnings.disposal_evaluate, name="disposal_evaluate"
    ),
    path("manage/disposals/<int:pk>/close/", warnings.disposal_close, name="disposal_close"),
    path("manage/disposals/<int:pk>/urge/", warnings.disposal_urge, name="disposal_urge"),
    # Signals and deductions (the office and discipline inspection)
    path("manage/signals/", signals.signal_list, name="signals"),
    path("manage/signals/new/", signals.signal_create, name="signal_create"),
    path("manage/signals/risk-points/", signals.signal_risk_points, name="signal_risk_points"),
    path("manage/signals/<int:pk>/", signals.signal_detail, name="signal"),
    path("manage/signals/<int:pk>/status/", signals.signal_status, name="signal_status"),
    path(
        "manage/signals/<int:pk>/files/<int:attachment_pk>/",
        signals.signal_attachment,
        name="signal_attachment",
    ),
    path("manage/deductions/new/", signals.deduction_create, name="deduction_create"),
    path("manage/files/", files.file_index, name="files"),
    # The office's settings
    path("manage/jobs/", office.job_runs, name="job_runs"),
    path("manage/holidays/", office.holidays, name="holidays"),
    path("manage/holidays/<int:pk>/delete/", office.holiday_delete, name="holiday_delete"),
    path("manage/policy/", office.policy, name="policy"),
    # My warnings (the people concerned)
    path("mine/", warnings.my_warnings, name="mine"),
    path("mine/<int:pk>/", warnings.my_warning, name="my_warning"),
    path("mine/<int:pk>/answer/", warnings.my_warning_answer, name="answer"),
    path("mine/disposals/<int:pk>/report/", warnings.my_disposal_report, name="report"),
    # Integrity files (廉政档案)
    path("file/", files.my_file, name="my_file"),
    path("file/<int:person_id>/", files.person_file, name="file"),
]
