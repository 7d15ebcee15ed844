"""The law as data: requirement catalogues, incident types and report forms (YAML + typed loaders)."""

from kiber.catalogue.loader import (
    RequirementCatalogue,
    load_incident_types,
    load_report_forms,
    load_requirements,
)

__all__ = ["RequirementCatalogue", "load_incident_types", "load_report_forms", "load_requirements"]
