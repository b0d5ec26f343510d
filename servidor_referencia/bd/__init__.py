"""Persistencia del servidor de referencia (SQLAlchemy 2)."""
