from django.urls import path

from . import ebook_views

urlpatterns = [
    path("", ebook_views.EbookList.as_view(), name="ebooks"),
    path("<id:ebook_id>/download-link/", ebook_views.EbookDownloadLink.as_view(), name="ebook_download_link"),
]
