"""manage.py import_boundaries: load a city's own wards, community areas, ZIPs or limits."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from civic311.choices import AreaKind
from civic311.geo.boundaries import import_areas, read_geojson_features


class Command(BaseCommand):
    help = (
        "Import areas of one kind (wards, community areas, ZIP codes or the city limits) from a "
        "GeoJSON FeatureCollection of Polygons/MultiPolygons in WGS84 longitude/latitude."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="a .geojson FeatureCollection")
        parser.add_argument("--kind", required=True, choices=AreaKind.values)
        parser.add_argument(
            "--code-property",
            required=True,
            help="the feature property holding the area's code (e.g. ward number, ZIP)",
        )
        parser.add_argument(
            "--name-property",
            help="the feature property holding the area's name (default: the code)",
        )
        parser.add_argument(
            "--approximate",
            action="store_true",
            help="mark the shapes as approximations (e.g. wards built from census tracts)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete areas of this kind that are not in the file",
        )
        parser.add_argument(
            "--source",
            default="",
            help="where the shapes come from (default: the file's name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        kind: str = options["kind"]
        try:
            features = read_geojson_features(
                path,
                code_property=options["code_property"],
                name_property=options["name_property"],
                approximate=options["approximate"],
                source=options["source"] or path.name,
            )
            report = import_areas(features, kind=kind, replace=options["replace"])
        except ValueError as exc:
            raise CommandError(f"Nothing was imported from {path}: {exc}") from exc

        self.stdout.write(
            f"{report.total} {kind} areas from {path.name}: {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged, {report.deleted} deleted"
        )
        if report.repaired:
            self.stdout.write(f"{report.repaired} invalid shapes were repaired")
        if report.merged:
            self.stdout.write(f"{report.merged} features were merged into another with its code")
