"""Flag detectors, one concern each: patient details (`patient_details`, `patient_names`) and risks (`risk`
assembles `crisis`, `claims`, `spam`, `profanity`, `connections`, `authorship`, all written as gated phrase
rules from `phrases`).

Takes: review text (and author, staff names). Gives: flags as dicts {"name", "detail", "spans"}. Pure; no I/O.
Settings: `staff_names` (staff are not patient details; reviews by them are insider reviews).
"""
