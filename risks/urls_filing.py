"""URLs of filling in and reviewing filings, their evidence, and the common
risk library."""

from django.urls import path

from .views import evidence, filing, review

urlpatterns = [
    path("filings/<int:pk>/", filing.filing, name="filing"),
    path("filings/<int:pk>/edit/", filing.filing_edit, name="filing_edit"),
    path("filings/<int:pk>/suggest/", filing.suggest, name="suggest"),
    path("filings/<int:pk>/submit/", filing.filing_submit, name="filing_submit"),
    path("filings/<int:pk>/revise/", filing.filing_revise, name="filing_revise"),
    path("filings/<int:pk>/review/", review.review, name="review"),
    path("reviews/", review.queue, name="reviews"),
    path("measures/<int:pk>/evidence/", evidence.upload, name="evidence_upload"),
    path("evidence/<int:pk>/", evidence.download, name="evidence"),
    path("evidence/<int:pk>/delete/", evidence.delete, name="evidence_delete"),
    path("library/", filing.library_page, name="library"),
]
