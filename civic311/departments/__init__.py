"""Departments and who works in them (memberships and roles), routing rules (which department
fixes a service in a ward, community area or ZIP) and service levels (expected completion).

Core: may import lib, `civic311.choices` and the other core apps; never an interface.
"""
