"""The Open311 service catalogue: jurisdictions, services, their questions (all six datatypes)
and answers, their Spanish translations, the form every page asks them with (questions.py),
and the check of a submission's answers against its service's questions (answers.py). Kept in
each process and reloaded when it changes (cache.py).

Core: may import lib, `civic311.choices` and the other core apps; never an interface.
"""
