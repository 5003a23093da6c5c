"""URLs of filling in and reviewing filings, their evidence, and the common
risk library."""

from django.urls import path

from .views import evidence, filing, filing_form, library, review, submit

urlpatterns = [
    path("filings/<int:pk>/", filing.filing, name="filing"),
    path("filings/<int:pk>/edit/", filing_form.filing_edit, name="filing_edit"),
    path("filings/<int:pk>/suggest/", filing_form.suggest, name="suggest"),
    path("filings/<int:pk>/submit/", submit.filing_submit, name="filing_submit"),
    path("filings/<int:pk>/revise/", submit.filing_revise, name="filing_revise"),
    path("filings/<int:pk>/review/", review.review, name="review"),
    path("reviews/", review.queue, name="reviews"),
    # A measure's evidence, for its owner too (who may not see the filing).
    path("measures/<int:pk>/", evidence.measure_page, name="measure_evidence"),
    path("measures/<int:pk>/evidence/", evidence.upload, name="evidence_upload"),
    path("evidence/<int:pk>/", evidence.download, name="evidence"),
    path("evidence/<int:pk>/delete/", evidence.delete, name="evidence_delete"),
    path("library/", library.library_page, name="library"),
]
