"""Reglas del servidor, sin Flask: cada módulo recibe una sesión de SQLAlchemy y valores."""
