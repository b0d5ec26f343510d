"""SRVE (provisional: lo completa el trabajo del área SRVE)."""

from flask import Blueprint

paginas = Blueprint("srve", __name__, url_prefix="/srve")
api = Blueprint("api_srve", __name__, url_prefix="/api/v1/srve")


@paginas.get("/solicitud")
def nueva() -> str:
    return "pendiente"


@paginas.get("/seguimiento")
def seguimiento() -> str:
    return "pendiente"


@paginas.get("/recuperar-folio")
def recuperar_folio() -> str:
    return "pendiente"


@paginas.get("/bandeja")
def bandeja() -> str:
    return "pendiente"


@paginas.get("/inetel")
def inetel() -> str:
    return "pendiente"
