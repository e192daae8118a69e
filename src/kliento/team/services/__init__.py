"""Writes of the team app, one module per concept (profiles, hiring, onboarding, training,
refresher). Other apps call these; pages and the API are thin over them."""
