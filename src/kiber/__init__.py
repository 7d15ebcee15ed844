"""Kiber: Latvia's national cybersecurity platform."""
