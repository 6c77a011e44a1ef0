"""What learning tells the rest of the platform, so certificates, notifications and
analytics listen instead of learning importing them.

Each is sent after the change is saved (inside the caller's transaction; receivers that
queue jobs or send mail use `transaction.on_commit`).
"""

from django.dispatch import Signal

# enrollment: the Enrollment just created.
enrolled = Signal()
# user, lesson, progress: a lesson became complete for the first time.
lesson_completed = Signal()
# enrollment: every required lesson and quiz of the course is now complete.
course_completed = Signal()
