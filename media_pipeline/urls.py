"""Playback URLs under /video/ (see media_pipeline.player_views)."""

from django.urls import path

from . import player_views

app_name = "media_pipeline"

urlpatterns = [
    path("play/<int:lesson_id>/", player_views.play, name="play"),
    path("hls/<str:token>/master.m3u8", player_views.master_playlist, name="master_playlist"),
    path("hls/<str:token>/<int:height>p.m3u8", player_views.media_playlist, name="media_playlist"),
    path(
        "hls/<str:token>/captions/<slug:language>.m3u8",
        player_views.caption_playlist,
        name="caption_playlist",
    ),
    path("hls/<str:token>/captions/<slug:language>.vtt", player_views.caption_file, name="caption_file"),
    path("hls/<str:token>/storyboard.vtt", player_views.storyboard, name="storyboard"),
    path("key/<str:token>/", player_views.content_key, name="key"),
    path("f/", player_views.signed_file_root, name="signed_file_root"),
    path("f/<str:expires>/<str:signature>/<path:name>", player_views.signed_file, name="signed_file"),
]
