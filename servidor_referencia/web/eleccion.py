"""SIVEI: eleccion (provisional)."""

from flask import Blueprint

paginas = Blueprint("eleccion", __name__, url_prefix="/sivei")
api = Blueprint("api_eleccion", __name__, url_prefix="/api/v1/sivei")
