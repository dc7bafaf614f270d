"""Where things are: boundaries (wards, community areas, ZIPs) and point-in-area with shapely
STRtrees, H3 cells for "nearby", address points, and the geocoder seam (the one place an
outside geocoding service is called).

Core: may import lib, `civic311.choices` and the other core apps; never an interface.
"""
