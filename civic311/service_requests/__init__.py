"""The service request and its timeline: every change in actions (one path for every channel:
preview and submit, change status, assign, schedule, note, reroute, merge, close, reopen; one
module per workflow), every read in
selectors, who may do what (permissions), tracking numbers, the public record of a request
(public.py) and its history in plain words (wording.py).

Core: may import lib, `civic311.choices` and the other core apps; never an interface.
"""
