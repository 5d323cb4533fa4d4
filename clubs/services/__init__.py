"""Writes of the clubs app, one module per area.

clubs.py (clubs and hosts), sessions.py (schedule, create, change, cancel),
registrations.py (sign-up, waitlist, cancellation), attendance.py (attendance,
check-in, feedback), rooms.py (who must leave a chat room), calendars.py (.ics
and feeds), notifications.py (e-mails), reminders.py, reports.py.
"""
