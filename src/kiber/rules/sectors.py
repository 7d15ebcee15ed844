"""NIS2 Annex I and Annex II sectors and subsectors, with their Latvian and English names.

The slugs are fixed by the rules contract (``entity-category``). Names follow the English and Latvian
texts of Directive (EU) 2022/2555 (NIS2), Annexes I and II (legal pack §5.4–5.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Annex = Literal["I", "II"]


@dataclass(frozen=True)
class Subsector:
    slug: str
    point: str  # the subsector's letter in the annex, e.g. "a"
    name_lv: str
    name_en: str


@dataclass(frozen=True)
class Sector:
    slug: str
    annex: Annex
    point: int  # the sector's number in its annex
    name_lv: str
    name_en: str
    subsectors: tuple[Subsector, ...] = ()

    @property
    def basis(self) -> str:
        return f"NIS2 Annex {self.annex} point {self.point}"

    def subsector(self, slug: str) -> Subsector | None:
        return next((sub for sub in self.subsectors if sub.slug == slug), None)


SectorSlug = Literal[
    "energy",
    "transport",
    "banking",
    "financial_market_infrastructure",
    "health",
    "drinking_water",
    "waste_water",
    "digital_infrastructure",
    "ict_service_management",
    "public_administration",
    "space",
    "postal_courier",
    "waste_management",
    "chemicals",
    "food",
    "manufacturing",
    "digital_providers",
    "research",
]

SECTORS: tuple[Sector, ...] = (
    # Annex I: sectors of high criticality
    Sector(
        "energy",
        "I",
        1,
        "Enerģētika",
        "Energy",
        (
            Subsector("electricity", "a", "Elektroenerģija", "Electricity"),
            Subsector(
                "district_heating_cooling",
                "b",
                "Centralizētā siltumapgāde un dzesēšana",
                "District heating and cooling",
            ),
            Subsector("oil", "c", "Nafta", "Oil"),
            Subsector("gas", "d", "Gāze", "Gas"),
            Subsector("hydrogen", "e", "Ūdeņradis", "Hydrogen"),
        ),
    ),
    Sector(
        "transport",
        "I",
        2,
        "Transports",
        "Transport",
        (
            Subsector("air", "a", "Gaisa transports", "Air"),
            Subsector("rail", "b", "Dzelzceļa transports", "Rail"),
            Subsector("water", "c", "Ūdens transports", "Water"),
            Subsector("road", "d", "Autotransports", "Road"),
        ),
    ),
    Sector("banking", "I", 3, "Banku darbība", "Banking"),
    Sector(
        "financial_market_infrastructure",
        "I",
        4,
        "Finanšu tirgus infrastruktūras",
        "Financial market infrastructures",
    ),
    Sector("health", "I", 5, "Veselība", "Health"),
    Sector("drinking_water", "I", 6, "Dzeramais ūdens", "Drinking water"),
    Sector("waste_water", "I", 7, "Notekūdeņi", "Waste water"),
    Sector("digital_infrastructure", "I", 8, "Digitālā infrastruktūra", "Digital infrastructure"),
    Sector(
        "ict_service_management",
        "I",
        9,
        "IKT pakalpojumu pārvaldība (starp uzņēmumiem)",
        "ICT service management (business-to-business)",
    ),
    Sector("public_administration", "I", 10, "Publiskā pārvalde", "Public administration"),
    Sector("space", "I", 11, "Kosmoss", "Space"),
    # Annex II: other critical sectors
    Sector("postal_courier", "II", 1, "Pasta un kurjerpakalpojumi", "Postal and courier services"),
    Sector("waste_management", "II", 2, "Atkritumu apsaimniekošana", "Waste management"),
    Sector(
        "chemicals",
        "II",
        3,
        "Ķimikāliju ražošana, izgatavošana un izplatīšana",
        "Manufacture, production and distribution of chemicals",
    ),
    Sector(
        "food",
        "II",
        4,
        "Pārtikas ražošana, pārstrāde un izplatīšana",
        "Production, processing and distribution of food",
    ),
    Sector(
        "manufacturing",
        "II",
        5,
        "Ražošana",
        "Manufacturing",
        (
            Subsector(
                "medical_devices",
                "a",
                "Medicīnisko ierīču un in vitro diagnostikas medicīnisko ierīču ražošana",
                "Manufacture of medical devices and in vitro diagnostic medical devices",
            ),
            Subsector(
                "computers_electronics",
                "b",
                "Datoru, elektronisko un optisko iekārtu ražošana",
                "Manufacture of computer, electronic and optical products",
            ),
            Subsector(
                "electrical_equipment",
                "c",
                "Elektrisko iekārtu ražošana",
                "Manufacture of electrical equipment",
            ),
            Subsector(
                "machinery",
                "d",
                "Citur neklasificētu iekārtu, mehānismu un darba mašīnu ražošana",
                "Manufacture of machinery and equipment n.e.c.",
            ),
            Subsector(
                "motor_vehicles",
                "e",
                "Automobiļu, piekabju un puspiekabju ražošana",
                "Manufacture of motor vehicles, trailers and semi-trailers",
            ),
            Subsector(
                "other_transport_equipment",
                "f",
                "Citu transportlīdzekļu ražošana",
                "Manufacture of other transport equipment",
            ),
        ),
    ),
    Sector("digital_providers", "II", 6, "Digitālo pakalpojumu sniedzēji", "Digital providers"),
    Sector("research", "II", 7, "Pētniecība", "Research"),
)

SECTORS_BY_SLUG: dict[str, Sector] = {sector.slug: sector for sector in SECTORS}


def get_sector(slug: str) -> Sector:
    return SECTORS_BY_SLUG[slug]
