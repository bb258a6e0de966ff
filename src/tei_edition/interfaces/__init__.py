"""Machine interfaces to the edition for other systems: DTS (texts and passages), linked data (registers), OAI-PMH and CMIF (harvesters and aggregators)."""
