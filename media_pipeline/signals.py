"""What the media pipeline tells the rest of the platform (analytics listens)."""

from django.dispatch import Signal

# user, lesson, video, playback_session: a player was handed a playlist.
playback_started = Signal()
# video: packaging finished and the video is ready.
video_ready = Signal()
