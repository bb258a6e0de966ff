"""Machine interfaces of the edition for aggregators and harvesters (OAI-PMH, CMIF)."""
