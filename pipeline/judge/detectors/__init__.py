"""Flag detectors, one concern each: patient details (`patient_details`, `patient_names`, `addresses`), risks
(`risk` assembles `crisis`, `claims`, `spam`, `sales`, `profanity`, `connections`, `authorship`, all written as
gated phrase rules from `phrases`) and `shouting`.

Takes: review text (and author, staff names). Gives: flags as dicts {"name", "detail", "spans"}. Pure; no I/O.
Settings: `staff_names` (staff are not patient details; reviews by them are insider reviews).
"""
