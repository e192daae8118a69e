"""Clients and purchases as import/export targets of `kliento.imports`.

fields lists what each column can fill; client_rows and client_writing check and write clients,
purchases does both for purchases, resolving finds the clients a purchase file names, exports
writes rows in the importer's shape, and targets registers the two with the machinery.
"""
