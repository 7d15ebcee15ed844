"""The embedded default's development server (``make run``): Django's runserver, sized for bursts.

Listed first in INSTALLED_APPS so that its ``runserver`` command replaces staticfiles' (which it extends).
"""
