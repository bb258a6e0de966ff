"""OAI-PMH 2.0: the records the build publishes (oai/static.xml) and `edition serve`'s /oai endpoint."""
