"""Cuentas de electores y credenciales (provisional: lo completa el trabajo de esa área)."""

from flask import Blueprint

paginas = Blueprint("cuentas", __name__, url_prefix="/elector")
api = Blueprint("api_cuentas", __name__, url_prefix="/api/v1")


@paginas.get("/acceso")
def acceso() -> str:
    return "pendiente"


@paginas.get("/panel-personal")
def panel() -> str:
    return "pendiente"
