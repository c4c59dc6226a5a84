"""Haven on the web: the JSON API, the dashboard, the review workflow and situation reports.

``create_app`` builds the FastAPI application; ``haven serve`` runs it with uvicorn.
"""
