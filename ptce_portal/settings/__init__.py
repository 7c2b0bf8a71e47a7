"""Settings per environment: ``base`` holds everything shared, ``dev`` (the default of
``manage.py``), ``test`` (pytest) and ``production`` adjust it."""
