from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("ebooks/<int:page_id>/download/", views.download_ebook, name="ebook_download"),
]
