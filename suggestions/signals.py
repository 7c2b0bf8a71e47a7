"""``suggestion_received`` is sent once a suggestion is stored (after the commit): the
back-office tells the curators concerned (``backoffice/notifications.py``). This app does not
know who curates what."""

from django.dispatch import Signal

suggestion_received = Signal()  # sender: Suggestion; suggestion=<Suggestion>
