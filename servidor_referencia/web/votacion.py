"""SIVEI: votacion (provisional)."""

from flask import Blueprint

paginas = Blueprint("votacion", __name__, url_prefix="/sivei")
api = Blueprint("api_votacion", __name__, url_prefix="/api/v1/sivei")
