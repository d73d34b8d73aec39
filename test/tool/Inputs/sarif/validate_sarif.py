#!/usr/bin/env python3
"""validate_sarif.py LOG.sarif: validates a SARIF log against the SARIF 2.1.0
JSON schema shipped beside this script (sarif-2.1.0-rtm.5.json, the schema
GitHub code scanning documents, taken from the MIT-licensed npm package
@microsoft/jest-sarif 1.0.0-beta.0, lib/schemas/). Needs python3-jsonschema."""
import json
import os
import sys

import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "sarif-2.1.0-rtm.5.json"), encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[1], encoding="utf-8") as f:
    log = json.load(f)
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
for error in errors:
    print("%s: %s" % ("/".join(str(p) for p in error.path), error.message))
if errors:
    sys.exit(1)
print("valid SARIF 2.1.0")
