"""LNERE (provisional: lo completa el trabajo del área LNERE)."""

from flask import Blueprint

paginas = Blueprint("lnere", __name__, url_prefix="/lnere")
api = Blueprint("api_lnere", __name__, url_prefix="/api/v1/lnere")


@paginas.get("/cortes")
def cortes() -> str:
    return "pendiente"
