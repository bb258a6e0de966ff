"""CMIF: the Correspondence Metadata Interchange Format file correspSearch harvests (cmif.xml)."""
